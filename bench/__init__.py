"""The benchmark suite of the MECP Resource Library: `python -m bench --docs N --name NAME`.

Not part of the installed package; run it from the repository root. May import: library, ingest.
"""
