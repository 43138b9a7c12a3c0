"""The embedded whoosh index: the only subpackage that imports whoosh.

It is pinned to the whoosh-reloaded version its codec fixes and block readers were checked
against (they use whoosh internals); importing it with any other version fails at once with a
message saying which, instead of corrupting an index later. May import: whoosh, and the
library's engine-neutral modules.
"""

from __future__ import annotations

from importlib import metadata

PINNED = "2.7.5"


class WrongWhoosh(ImportError):
    """The installed whoosh is not the version this engine was checked against."""


def _check_version() -> None:
    """Refuse to run on a whoosh other than the pinned whoosh-reloaded."""
    try:
        found = metadata.version("whoosh-reloaded")
    except metadata.PackageNotFoundError:
        found = "none"
    if found != PINNED:
        raise WrongWhoosh(
            f"the search index needs whoosh-reloaded {PINNED}, but {found} is installed: "
            f"run `pip install whoosh-reloaded=={PINNED}` (and never the `whoosh` distribution)"
        )


_check_version()

from library.whoosh.engine import WhooshEngine, check, open_engine  # noqa: E402
from library.whoosh.schema import SCHEMA_VERSION  # noqa: E402
from library.whoosh.segments import (  # noqa: E402
    SegmentBuilder,
    Update,
    begin_update,
    rebuild_reason,
)

__all__ = [
    "PINNED",
    "SCHEMA_VERSION",
    "SegmentBuilder",
    "Update",
    "WhooshEngine",
    "begin_update",
    "check",
    "open_engine",
    "rebuild_reason",
]
