"""Turning the files of the corpus into indexed documents: reading, extraction, inference, pipeline.

May import: library (never webapp, never mecp).
"""
