"""The `mecp` command: ingest, serve, search, stats, vocabulary, solr, users.

main(argv) returns the exit status: 0 all well, 1 some files failed, 2 usage or fatal error.
May import: ingest, library, webapp, and its own modules.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from ingest import pipeline
from library import __version__
from library import index as library_index
from library.errors import IndexUnavailable, LibraryError
from library.facets import VALUE_FACETS, selected
from library.generations import current_generation
from library.models import MAX_PAGE, MAX_PER_PAGE, SearchRequest, Sort, document_url
from library.search import search
from library.settings import WILDCARD_HOSTS, Settings, load_settings
from library.vocab import KINDS, LANGUAGES, load_vocabulary
from mecp import solr_commands, users
from mecp.progress import ProgressFile, combine

Handler = Callable[[Settings, argparse.Namespace], int]
_OUT_OF_MEMORY = b"mecp: ran out of memory; nothing was changed (the live index is as it was)\n"
INDEX_HELP = "index folder (default: $MECP_INDEX_DIR or var/index)"
CORPUS_HELP = "corpus folder (default: $MECP_CORPUS_DIR or corpus)"
VOCABULARY_HELP = "vocabulary file (default: <corpus>/vocabulary.toml)"


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand; with none, print the help."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        settings = load_settings(
            corpus_dir=getattr(args, "corpus", None),
            index_dir=getattr(args, "index", None),
            vocabulary=getattr(args, "vocabulary", None),
            host=getattr(args, "host", None),
            port=getattr(args, "port", None),
            ingest_workers=getattr(args, "workers", None),
            server_processes=getattr(args, "processes", None),
            engine=getattr(args, "engine", None),
            solr_url=getattr(args, "solr_url", None),
            solr_alias=getattr(args, "solr_alias", None),
            solr_shards=getattr(args, "shards", None),
            solr_replicas=getattr(args, "replicas", None),
            staff_db=getattr(args, "db", None),
        )
        code: int = args.handler(settings, args)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        # The reader went away (`mecp search ... | head`): stop quietly, as other tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except (LibraryError, OSError, ValueError) as exc:
        print(f"mecp {args.command}: {_message(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"mecp {args.command}: interrupted; the index was left as it was", file=sys.stderr)
        return 130
    except MemoryError:
        os.write(2, _OUT_OF_MEMORY)  # nothing that needs memory: there may be none left
        return 2
    except Exception as exc:  # a bug: one line, never a traceback, never success
        print(
            f"mecp {args.command}: internal error ({type(exc).__name__}: {exc}); "
            "nothing was changed",
            file=sys.stderr,
        )
        return 2


def _message(exc: Exception) -> str:
    """An error as one line for people: no "[Errno 13]" prefix."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror + (f": {exc.filename}" if exc.filename else "")
    return str(exc)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with its subcommands."""
    parser = argparse.ArgumentParser(
        prog="mecp",
        description="MECP Resource Library: index the publications, search them, serve them.",
        epilog="Run `mecp COMMAND --help` for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"mecp {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    _ingest_parser(commands)
    _serve_parser(commands)
    _search_parser(commands)
    solr_commands.add_parser(commands)
    check = commands.add_parser(
        "check", help="verify the live index (files intact, readable, count as recorded)"
    )
    check.add_argument("--index", type=Path, help=INDEX_HELP)
    check.set_defaults(handler=_check)
    stats = commands.add_parser("stats", help="what the index holds")
    stats.add_argument("--index", type=Path, help=INDEX_HELP)
    stats.add_argument("--json", action="store_true", help="print JSON")
    stats.set_defaults(handler=_stats)
    vocabulary = commands.add_parser(
        "vocabulary", help="list the valid topic, audience, type and language ids"
    )
    vocabulary.add_argument("--corpus", type=Path, help=CORPUS_HELP)
    vocabulary.add_argument("--vocabulary", type=Path, help=VOCABULARY_HELP)
    vocabulary.add_argument("--json", action="store_true", help="print JSON")
    vocabulary.set_defaults(handler=_vocabulary)
    users.add_parser(commands)
    return parser


def _ingest_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """mecp ingest's options."""
    ingest = commands.add_parser("ingest", help="index the corpus (only what changed)")
    ingest.add_argument("--corpus", type=Path, help=CORPUS_HELP)
    ingest.add_argument("--index", type=Path, help=INDEX_HELP)
    ingest.add_argument("--vocabulary", type=Path, help=VOCABULARY_HELP)
    ingest.add_argument("--rebuild", action="store_true", help="rebuild the index from scratch")
    ingest.add_argument("--wait", action="store_true", help="wait if another ingest is running")
    ingest.add_argument("--workers", type=int, help="extraction processes (default: one per core)")
    ingest.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    ingest.add_argument(
        "--engine",
        choices=sorted(library_index.ENGINES),
        help="engine to write the index with (default: $MECP_ENGINE, else the live index's, "
        "else whoosh)",
    )
    ingest.add_argument("--solr-url", help=solr_commands.URL_HELP + "; with --engine solr")
    ingest.add_argument(
        "--solr-alias", help="alias searchers read (default: $MECP_SOLR_ALIAS or mecp-library)"
    )
    ingest.add_argument(
        "--shards",
        type=int,
        help="shards of a new Solr collection (default: $MECP_SOLR_SHARDS or 2)",
    )
    ingest.add_argument(
        "--replicas",
        type=int,
        help="replicas of each shard of a new Solr collection (default: $MECP_SOLR_REPLICAS or 2)",
    )
    ingest.add_argument(
        "--progress-file",
        type=Path,
        metavar="PATH",
        help="keep PATH up to date with the run's progress, then its report, as JSON",
    )
    ingest.set_defaults(handler=_ingest)


def _serve_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """mecp serve's options."""
    serve = commands.add_parser("serve", help="serve the web interface and JSON API (waitress)")
    serve.add_argument("--index", type=Path, help=INDEX_HELP)
    serve.add_argument("--corpus", type=Path, help=CORPUS_HELP + "; the staff console writes there")
    serve.add_argument(
        "--db", type=Path, help="staff database (default: $MECP_STAFF_DB or var/staff.sqlite3)"
    )
    serve.add_argument("--host", help="address to listen on (default: $MECP_HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default: $MECP_PORT or 8000)")
    serve.add_argument(
        "--processes", type=int, help="serving processes (default: one per core; 1: no fork)"
    )
    serve.add_argument(
        "--engine",
        choices=sorted(library_index.ENGINES),
        help="refuse to start unless the live index was written by this engine "
        "(default: serve whichever engine wrote it)",
    )
    serve.set_defaults(handler=_serve)


def _search_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """mecp search's options."""
    find = commands.add_parser("search", help="search the index from the command line")
    find.add_argument("q", nargs="?", default="", help='words; "quotes" for a phrase')
    find.add_argument("--index", type=Path, help=INDEX_HELP)
    for spec in VALUE_FACETS:
        find.add_argument(
            f"--{spec.name}",
            action="append",
            default=[],
            help=f"only this {spec.label.lower()} (repeatable; `mecp vocabulary` lists the ids)",
        )
    find.add_argument("--year-min", type=int, help="published in this year or later")
    find.add_argument("--year-max", type=int, help="published in this year or earlier")
    find.add_argument(
        "--sort",
        choices=[s.value for s in Sort],
        default=Sort.RELEVANCE.value,
        help="order of the results (default: relevance)",
    )
    find.add_argument("--page", type=int, default=1, help=f"page of results, 1..{MAX_PAGE}")
    find.add_argument("--per-page", type=int, default=10, choices=range(1, MAX_PER_PAGE + 1),
                      metavar=f"1..{MAX_PER_PAGE}", help="results per page (default: 10)")  # fmt: skip
    find.add_argument("--json", action="store_true", help="print the same JSON as /api/search")
    find.set_defaults(handler=_search)


def _ingest(settings: Settings, args: argparse.Namespace) -> int:
    """mecp ingest."""
    bar = _progress_bar if sys.stdout.isatty() and not args.quiet else None
    tracker = ProgressFile(args.progress_file) if args.progress_file else None
    try:
        report = pipeline.run(
            settings, rebuild=args.rebuild, wait=args.wait, progress=combine(bar, tracker)
        )
    except KeyboardInterrupt:
        if tracker:
            tracker.fail("interrupted", 130)
        raise
    except Exception as exc:
        if tracker:
            expected = isinstance(exc, (LibraryError, OSError, ValueError))
            tracker.fail(_message(exc) if expected else f"internal error: {exc!r}", 2)
        raise
    if tracker:
        tracker.finish(report)
    if bar:
        print("\r\033[K", end="")
    for line in report.lines():
        if not args.quiet or not line[0].isdigit():
            print(line)
    return report.exit_code


def _progress_bar(done: int, total: int, name: str) -> None:
    """One self-overwriting line on the terminal."""
    width = 30
    filled = width * done // max(total, 1)
    print(
        f"\r\033[K[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {name[-40:]}",
        end="",
        flush=True,
    )


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    """mecp serve: announce the address once the port is bound."""
    from webapp import create_app
    from webapp.server import serve

    processes = settings.server_processes
    if args.engine:
        _check_live_engine(settings, args.engine)

    def announce(url: str) -> None:
        print(
            f"Serving the MECP Resource Library on {url} "
            f"({processes} process{'es' if processes > 1 else ''} of "
            f"{settings.server_threads} threads)",
            flush=True,
        )

    if settings.host in WILDCARD_HOSTS and not (settings.base_url or settings.trusted_hosts):
        print(
            "mecp serve: listening on every address, but only loopback names are answered: "
            "set MECP_BASE_URL (or MECP_TRUSTED_HOSTS) to the name people use",
            file=sys.stderr,
        )
    config = {
        "INDEX_DIR": str(settings.index_dir),
        "TRUSTED_HOSTS": list(settings.allowed_hosts()),
        "CORPUS_DIR": str(settings.corpus_dir),
        "VOCABULARY": str(settings.vocabulary),
        "STAFF_DB": str(settings.staff_db),
    }
    serve(
        lambda: create_app(config),
        settings.host,
        settings.port,
        processes,
        settings.server_threads,
        announce=announce,
        client_timeout=settings.client_timeout,
    )
    return 0


def _check_live_engine(settings: Settings, engine: str) -> None:
    """Refuse (IndexUnavailable) unless the live generation was written by engine."""
    root = settings.index_dir
    if current_generation(root) is None:
        raise IndexUnavailable(f"no index at {root}: run `mecp ingest --engine {engine}` first")
    live = library_index.live_engine(root)
    if live != engine:
        raise IndexUnavailable(
            f"the live index at {root} was written by the {live} engine, not {engine}: "
            f"run `mecp ingest --engine {engine} --rebuild`, or serve without --engine {engine}"
        )


def _search(settings: Settings, args: argparse.Namespace) -> int:
    """mecp search."""
    lib = library_index.open_index(settings.index_dir)
    request = SearchRequest(
        q=args.q,
        facets=selected(**{spec.name: getattr(args, spec.name) for spec in VALUE_FACETS}),
        year_min=args.year_min,
        year_max=args.year_max,
        sort=Sort(args.sort),
        page=args.page,
        per_page=args.per_page,
    )
    result = search(lib, request)
    if args.json:
        print(json.dumps(result.to_dict(document_url), ensure_ascii=False, indent=2))
        return 0
    print(
        f"{result.total} publications"
        + (f" (did you mean: {result.suggestion}?)" if result.suggestion else "")
    )
    first = (request.page - 1) * request.per_page
    for number, hit in enumerate(result.hits, first + 1):
        print(f"{number:3}. {hit.title} [{hit.type or '-'}, {hit.date or 'undated'}] {hit.id}")
    return 0


def _check(settings: Settings, args: argparse.Namespace) -> int:
    """mecp check: 0 when the live index is sound, 1 (with what is wrong) when it is damaged."""
    summary, problems = library_index.check_index(settings.index_dir)
    if not problems:
        print(f"OK {summary}")
        return 0
    print(f"DAMAGED {summary}", file=sys.stderr)
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)
    print("Run `mecp ingest` to rebuild it (or `mecp ingest --rebuild`).", file=sys.stderr)
    return 1


def _stats(settings: Settings, args: argparse.Namespace) -> int:
    """mecp stats."""
    lib = library_index.open_index(settings.index_dir)
    result = search(lib, SearchRequest(per_page=1))
    facts = {
        "documents": result.total,
        "index": str(lib.path),
        "built_at": lib.built_at,
        "corpus": str(lib.corpus_dir),
        "size_mb": round(sum(p.stat().st_size for p in lib.path.iterdir()) / 2**20, 2),
        "facets": {f.name: {v.value: v.count for v in f.values} for f in result.facets},
    }
    if args.json:
        print(json.dumps(facts, ensure_ascii=False, indent=2))
        return 0
    print(f"{facts['documents']} documents, {facts['size_mb']} MB, built {facts['built_at']}")
    print(f"index {facts['index']} from corpus {facts['corpus']}")
    for name, values in facts["facets"].items():  # type: ignore[attr-defined]
        print(f"{name}: " + ", ".join(f"{k} {v}" for k, v in values.items()))
    return 0


def _vocabulary(settings: Settings, args: argparse.Namespace) -> int:
    """mecp vocabulary: the ids a sidecar or a filter may use, with their labels."""
    vocab = load_vocabulary(settings.vocabulary)
    table = {kind: {t.id: t.label for t in vocab.kind(kind).values()} for kind in KINDS}
    table["languages"] = dict(LANGUAGES)
    if args.json:
        print(json.dumps(table, ensure_ascii=False, indent=2))
        return 0
    for kind, terms in table.items():
        print(f"{kind}:")
        width = max(map(len, terms), default=0)
        for term_id, label in terms.items():
            print(f"  {term_id:<{width}}  {label}")
    return 0
