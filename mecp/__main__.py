"""`python -m mecp`: the same as the `mecp` command."""

from mecp.cli import main

raise SystemExit(main())
