"""The `mecp` command as people meet it: help, version, vocabulary, serve, pipes."""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from library import __version__
from mecp import cli
from tests.servers import ROOT


def _run(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """`python -m mecp ARGS` in the project folder, output captured."""
    return subprocess.run(
        [sys.executable, "-m", "mecp", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        **kwargs,  # type: ignore[call-overload]
    )


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The subcommands' parsers by name."""
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_mecp_alone_prints_the_help_listing_every_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main([]) == 0
    out = capsys.readouterr().out
    for command in ("ingest", "serve", "search", "stats", "vocabulary"):
        assert command in out


def test_version_is_the_library_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        cli.main(["--version"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out.strip() == f"mecp {__version__}"


@pytest.mark.parametrize("command", sorted(_subparsers(cli.build_parser())))
def test_every_option_of_every_command_has_help_text(command: str) -> None:
    parser = _subparsers(cli.build_parser())[command]
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        assert action.help, f"mecp {command} {'/'.join(action.option_strings) or action.dest}"


def test_vocabulary_lists_the_ids_filters_and_sidecars_accept(
    capsys: pytest.CaptureFixture[str],
) -> None:
    vocabulary = ROOT / "corpus" / "vocabulary.toml"
    assert cli.main(["vocabulary", "--vocabulary", str(vocabulary), "--json"]) == 0
    table = json.loads(capsys.readouterr().out)
    assert set(table) == {"topics", "audiences", "types", "languages"}
    assert table["topics"]["amber-alert"] == "AMBER Alert"
    assert "families" in table["audiences"]
    assert "fact-sheet" in table["types"]
    assert cli.main(["vocabulary", "--vocabulary", str(vocabulary)]) == 0
    assert "  amber-alert" in capsys.readouterr().out


def test_serve_on_a_port_in_use_says_so_and_never_claims_to_serve(index_dir: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        done = _run("serve", "--index", str(index_dir), "--port", port, "--processes", "1")
    assert done.returncode == 2
    assert "Serving" not in done.stdout
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "Traceback" not in done.stderr


def test_serve_announces_an_address_that_already_accepts_connections(index_dir: Path) -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "mecp", "serve", "--index", str(index_dir), "--port", "0",
         "--processes", "1"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    ) as proc:  # fmt: skip
        try:
            assert proc.stdout is not None
            line = proc.stdout.readline()
            url = line.split(" on ", 1)[1].split()[0]
            host, port = url.removeprefix("http://").rstrip("/").rsplit(":", 1)
            assert int(port) > 0
            socket.create_connection((host, int(port)), timeout=5).close()  # no retry needed
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def test_search_into_a_closed_pipe_ends_quietly(index_dir: Path) -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "mecp", "search", "", "--index", str(index_dir), "--json"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    ) as proc:  # fmt: skip
        assert proc.stdout is not None
        assert proc.stderr is not None
        proc.stdout.close()  # the reader is gone before the first line is written (`| head`)
        errors = proc.stderr.read().decode()
        proc.wait(timeout=60)
    assert errors == ""
    assert proc.returncode == 141


def test_serve_with_an_engine_refuses_an_index_written_by_another(
    index_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["serve", "--index", str(index_dir), "--engine", "solr"]) == 2
    assert "written by the whoosh engine, not solr" in capsys.readouterr().err
    assert cli.main(["serve", "--index", str(tmp_path), "--engine", "solr"]) == 2
    assert "run `mecp ingest --engine solr` first" in capsys.readouterr().err
