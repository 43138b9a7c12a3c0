"""The `mecp` command: the composition root that wires ingest, library and webapp together.

The only package that may import all three; nothing imports it. May import: ingest, library, webapp.
"""
