"""Evidence: exhibits as seized, and the sources that walk the files inside them.

- :mod:`sentinela.evidence.kinds` tells what kind of exhibit a path holds and lists its
  segment files.
- :mod:`sentinela.evidence.container_hashes` hashes an exhibit as seized (and, for E01, checks
  the media stream against the acquisition hash stored inside it);
  :mod:`sentinela.evidence.verification` re-hashes it later.
- :mod:`sentinela.evidence.sources` is the registry of evidence sources (folder, archive, raw,
  ewf) that yield :class:`~sentinela.evidence.entries.Entry` objects, and
  :mod:`sentinela.evidence.archives` expands archives found inside any source;
  :func:`sentinela.evidence.walk.iter_exhibit` does both, as ingest needs.

Evidence is opened read-only and nothing is ever written next to it or extracted to disk.
"""
