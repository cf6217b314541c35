"""Append-only, hash-chained audit log: writer, verifier and per-case export."""

from sentinela.audit.writer import record

__all__ = ["record"]
