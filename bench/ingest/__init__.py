"""Whole-ingest bench (``python -m bench.ingest``)."""
