"""The relevance harness: public test collections and the project's judged sets, scored end to end.

Each collection is ingested through the production `mecp ingest`, its queries are run through the
search core, and nDCG@10, MAP@100, Recall@100 and MRR are printed beside a BM25 reference computed
in the same run (`make relevance`). May import: bench, library.
"""
