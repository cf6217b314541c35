"""Public reporting and notice-and-takedown: the parts that need no database.

The guarded fetcher (``netguard.py``, ``fetcher.py``, ``links.py``), the offline hosting
table (``hosting.py``), notice rendering and transports (``notices.py``, ``transports/``),
the public content (``content.py`` over the data files in ``content/``), receipt codes and
the public rate limiter. The use cases that change state are in ``sentinela.services``
(``reporting_*.py`` and ``takedown_*.py``). Importing this package has no side effects.
"""
