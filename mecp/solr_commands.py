"""`mecp solr ...`: write the project's Solr configset.

May import: library.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from library.settings import Settings
from library.solr.configset import DEFAULT_SOURCE, build_configset, configset_name, write_configset
from library.vocab import load_vocabulary


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
