"""What an exhibit's earlier runs already recorded, and the keys that make resuming exact.

Why resuming is driven by the database and not by a checkpoint file: a batch's occurrences
and errors are committed in one transaction, so the rows themselves say what is done. After
``kill -9`` the walk starts again from the top and every entry whose rows exist is skipped;
the others are hashed again (the vault ignores content it holds already).

The rules:

- an entry is done when its occurrence exists, or an error was recorded against its key
  (a file that could not be read is not retried: the error says so);
- a failure the walk reports (``zip_bomb``, ``nesting_too_deep``...) is done when an error
  with its path and code exists. An archive is a file too, so the walk yields it and then,
  at the same path, what stopped its expansion: both are kept. The driver holds such a
  failure back until the archive's own result is in the same batch, so an error at a key
  always means the entry at that key was dealt with.

Keys: an occurrence's key is the SHA-256 of its path. A file system can list two files
under one path (a deleted file and the live one that replaced it); the walk order is
stable, so the n-th repeat of a path (n >= 1) gets the key of ``path + NUL + n``.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from sentinela.db.media import EntryError, Occurrence


def path_key(path: str) -> str:
    """The bounded unique key of a path inside an exhibit (SHA-256 hex)."""
    return hashlib.sha256(path.encode("utf-8", "surrogateescape")).hexdigest()


@dataclass
class ResumeState:
    """Keys already recorded for one exhibit, and the walk's repeats so far."""

    occurrences: set[str] = field(default_factory=set)
    errors: set[tuple[str, str]] = field(default_factory=set)
    error_keys: set[str] = field(default_factory=set)
    _repeats: Counter[str] = field(default_factory=Counter)

    @classmethod
    def load(cls, session: Session, exhibit_id: int) -> ResumeState:
        """Read what the exhibit's earlier runs recorded."""
        state = cls()
        state.occurrences.update(
            session.execute(
                select(Occurrence.path_key).where(Occurrence.exhibit_id == exhibit_id)
            ).scalars()
        )
        for key, code in session.execute(
            select(EntryError.path_key, EntryError.code).where(EntryError.exhibit_id == exhibit_id)
        ):
            state.errors.add((key, code))
            state.error_keys.add(key)
        return state

    def entry_key(self, path: str) -> str:
        """The occurrence key of the next entry the walk yields at ``path``."""
        repeat = self._repeats[path]
        self._repeats[path] += 1
        return path_key(path if repeat == 0 else f"{path}\x00{repeat}")

    def claim_entry(self, key: str) -> bool:
        """True when the entry at ``key`` still needs processing (and mark it taken)."""
        if key in self.occurrences or key in self.error_keys:
            return False
        self.occurrences.add(key)
        return True

    def claim_failure(self, key: str, code: str) -> bool:
        """True when the walk failure (``key``, ``code``) still needs recording."""
        if (key, code) in self.errors:
            return False
        self.errors.add((key, code))
        return True
