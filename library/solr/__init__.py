"""The SolrCloud side of the library: its configset, its fields, and the HTTP client and admin calls.

Only this package talks to Solr (over HTTP, with httpx); it imports no whoosh and nothing from
ingest or webapp. May import: the library core (errors, models, settings, text, vocab), httpx.
"""
