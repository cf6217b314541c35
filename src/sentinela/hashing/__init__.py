"""Hashing: content type, cryptographic digests, PDQ, EXIF metadata and thumbnails.

:func:`sentinela.hashing.hasher.hash_file` is the one entry point ingest and
``sentinela hash`` share. Hash types (``md5``, ``sha1``, ``sha256``, ``pdq``) form a registry
built by :func:`sentinela.hashing.types.build_hash_type_registry`. Importing this package
does no work and changes no global state.
"""
