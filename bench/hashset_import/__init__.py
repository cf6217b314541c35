"""Bench: stream a generated VICS 2.0 ``#Media`` hash set through the ``vics`` importer.

Run ``python -m bench.hashset_import`` (full sizes) or with ``--sizes 20000 --repeat 1`` while
developing. Reports records/s and peak RSS per file size, beside a ``json.load`` reference.
"""
