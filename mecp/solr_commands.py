"""`mecp solr ...`: write the project's Solr configset, upload it, and show a SolrCloud's state.

May import: library.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from library.settings import Settings
from library.solr.admin import SolrAdmin
from library.solr.client import SolrClient
from library.solr.configset import DEFAULT_SOURCE, build_configset, configset_name, write_configset
from library.vocab import load_vocabulary

URL_HELP = "Solr base URL, or nodes' URLs comma-separated (default: $MECP_SOLR_URL)"


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `mecp solr` and its subcommands."""
    solr = commands.add_parser("solr", help="the SolrCloud engine's configset and cluster")
    actions = solr.add_subparsers(
        dest="solr_command", metavar="SOLR_COMMAND", required=True, help="what to do"
    )
    configset = actions.add_parser(
        "configset", help="write the configset, with synonym files from the vocabulary"
    )
    configset.add_argument(
        "--out", type=Path, required=True, help="folder to write (the files go in OUT/conf/)"
    )
    _configset_options(configset)
    configset.set_defaults(handler=_write)
    upload = actions.add_parser("upload", help="upload the configset through the Configsets API")
    upload.add_argument("--solr-url", help=URL_HELP)
    _configset_options(upload)
    upload.set_defaults(handler=_upload)
    status = actions.add_parser("status", help="live nodes, collections, aliases and configsets")
    status.add_argument("--solr-url", help=URL_HELP)
    status.add_argument("--json", action="store_true", help="print JSON")
    status.set_defaults(handler=_status)


def _configset_options(parser: argparse.ArgumentParser) -> None:
    """Where the configset's kept files and the vocabulary come from."""
    parser.add_argument(
        "--corpus", type=Path, help="corpus folder (default: $MECP_CORPUS_DIR or corpus)"
    )
    parser.add_argument(
        "--vocabulary", type=Path, help="vocabulary file (default: <corpus>/vocabulary.toml)"
    )
    parser.add_argument(
        "--source",
        type=Path,
        default=DEFAULT_SOURCE,
        help="the kept configset files (default: the checkout's solr/configset)",
    )


def _write(settings: Settings, args: argparse.Namespace) -> int:
    """mecp solr configset: write the whole configset to a folder."""
    files = build_configset(load_vocabulary(settings.vocabulary), args.source)
    written = write_configset(files, args.out)
    print(f"configset {configset_name(files)}: {len(written)} files in {args.out / 'conf'}")
    return 0


def _upload(settings: Settings, args: argparse.Namespace) -> int:
    """mecp solr upload: upload the configset (under its content's name) unless Solr has it."""
    files = build_configset(load_vocabulary(settings.vocabulary), args.source)
    with SolrClient(args.solr_url or settings.solr_url) as client:
        name = SolrAdmin(client).upload_configset(files)
        print(f"configset {name} is on {client.url}")
    return 0


def _status(settings: Settings, args: argparse.Namespace) -> int:
    """mecp solr status: what the cluster holds."""
    with SolrClient(args.solr_url or settings.solr_url) as client:
        admin = SolrAdmin(client)
        facts: dict[str, Any] = {
            "url": client.url,
            "live_nodes": sorted(admin.live_nodes()),
            "aliases": admin.aliases(),
            "collections": admin.collections(),
            "configsets": sorted(admin.configsets()),
        }
    if args.json:
        print(json.dumps(facts, indent=2))
        return 0
    for name, value in facts.items():
        shown = value if isinstance(value, str) else _listing(value)
        print(f"{name.replace('_', ' ')}: {shown or '-'}")
    return 0


def _listing(value: list[str] | dict[str, str]) -> str:
    """A list or an alias table on one line."""
    if isinstance(value, dict):
        return ", ".join(f"{alias} -> {target}" for alias, target in value.items())
    return ", ".join(value)
