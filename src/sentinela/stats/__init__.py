"""Statistics with precise, versioned definitions.

The catalogue (:mod:`sentinela.stats.catalogue`) lists every published metric; one module per
family computes them from raw rows (:mod:`~sentinela.stats.victims`,
:mod:`~sentinela.stats.ingest`, :mod:`~sentinela.stats.grading`,
:mod:`~sentinela.stats.takedown`, :mod:`~sentinela.stats.industry`). Charts, exports and the
annual report only present what a metric computed. Who may see what, and the audit, live in
``services/statistics.py``. See ``docs/statistics.md``.
"""
