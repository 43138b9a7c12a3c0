"""Turning the files of the corpus into indexed documents: extraction, inference, pipeline, CLI."""
