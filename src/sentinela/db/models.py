"""Import every model so that ``Base.metadata`` knows all tables."""

from __future__ import annotations

from sentinela.db.audit import AuditEvent
from sentinela.db.base import Base
from sentinela.db.cases import Case, Membership
from sentinela.db.exchange import CaseImport, ExchangeExport, Feed, FeedDestination, FeedItem
from sentinela.db.exhibits import CustodyEvent, Exhibit
from sentinela.db.hashsets import (
    HashSet,
    HashSetVersion,
    KnownHash,
    MediaMatch,
    TriageChange,
    TriageState,
)
from sentinela.db.industry import (
    ApiKey,
    HashListEntry,
    HashListRelease,
    HashRevocation,
    Provider,
    ProviderFeedback,
    ProviderTier,
    ProviderUsage,
)
from sentinela.db.jobs import IngestJob
from sentinela.db.media import EntryError, Media, MediaMetadata, Occurrence
from sentinela.db.reporting import (
    Capture,
    CaptureObject,
    Decision,
    HotlinePartner,
    Notice,
    NoticeReport,
    PreservationRequest,
    Recheck,
    Report,
    Submission,
    SubmissionUrl,
)
from sentinela.db.users import User, UserRole
from sentinela.db.victim_id import (
    AccessRequest,
    CaseIdentifier,
    HolderNotification,
    HolderPreference,
    Offender,
    Series,
    Victim,
    VictimIdentification,
    VictimIdLink,
)
from sentinela.db.video import KnownVideo, VideoFingerprint, VideoKeyframe
from sentinela.db.workspace import (
    Adjudication,
    ExposureEvent,
    Grade,
    LoginAttempt,
    NationalClassification,
    WebSession,
)

__all__ = [
    "AccessRequest",
    "Adjudication",
    "ApiKey",
    "AuditEvent",
    "Base",
    "Capture",
    "CaptureObject",
    "Case",
    "CaseIdentifier",
    "CaseImport",
    "CustodyEvent",
    "Decision",
    "EntryError",
    "ExchangeExport",
    "Exhibit",
    "ExposureEvent",
    "Feed",
    "FeedDestination",
    "FeedItem",
    "Grade",
    "HashListEntry",
    "HashListRelease",
    "HashRevocation",
    "HashSet",
    "HashSetVersion",
    "HolderNotification",
    "HolderPreference",
    "HotlinePartner",
    "IngestJob",
    "KnownHash",
    "KnownVideo",
    "LoginAttempt",
    "Media",
    "MediaMatch",
    "MediaMetadata",
    "Membership",
    "NationalClassification",
    "Notice",
    "NoticeReport",
    "Occurrence",
    "Offender",
    "PreservationRequest",
    "Provider",
    "ProviderFeedback",
    "ProviderTier",
    "ProviderUsage",
    "Recheck",
    "Report",
    "Series",
    "Submission",
    "SubmissionUrl",
    "TriageChange",
    "TriageState",
    "User",
    "UserRole",
    "Victim",
    "VictimIdLink",
    "VictimIdentification",
    "VideoFingerprint",
    "VideoKeyframe",
    "WebSession",
]
