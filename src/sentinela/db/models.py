"""Import every model so that ``Base.metadata`` knows all tables."""

from __future__ import annotations

from sentinela.db.audit import AuditEvent
from sentinela.db.base import Base
from sentinela.db.cases import Case, Membership
from sentinela.db.exhibits import CustodyEvent, Exhibit
from sentinela.db.hashsets import HashSet, HashSetVersion, KnownHash, MediaMatch
from sentinela.db.jobs import IngestJob
from sentinela.db.media import EntryError, Media, MediaMetadata, Occurrence
from sentinela.db.users import User, UserRole
from sentinela.db.workspace import (
    Adjudication,
    ExposureEvent,
    Grade,
    LoginAttempt,
    NationalClassification,
    WebSession,
)

__all__ = [
    "Adjudication",
    "AuditEvent",
    "Base",
    "Case",
    "CustodyEvent",
    "EntryError",
    "Exhibit",
    "ExposureEvent",
    "Grade",
    "HashSet",
    "HashSetVersion",
    "IngestJob",
    "KnownHash",
    "LoginAttempt",
    "Media",
    "MediaMatch",
    "MediaMetadata",
    "Membership",
    "NationalClassification",
    "Occurrence",
    "User",
    "UserRole",
    "WebSession",
]
