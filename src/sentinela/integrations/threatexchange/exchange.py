"""A python-threatexchange ``SignalExchangeAPI`` that follows a Sentinela hash list.

Each fetch asks the server for the signed delta since the checkpointed version, checks its
signature with the police's public key (given in the collaboration config, never fetched from
the server it authenticates), checks that it continues from the checkpoint, and yields the
tombstones as deletions and the entries as updates, in that order. The raw HTTP client is
:class:`~sentinela.sharing.http_client.SentinelaApiClient`; this module only maps.

This module does not use ``from __future__ import annotations``: python-threatexchange's CLI
builds its ``config collab edit`` flags by reading the collaboration dataclass's field types
at run time and needs real types, not strings.
"""

import typing as t
from dataclasses import dataclass, field

from threatexchange.exchanges import auth
from threatexchange.exchanges import fetch_state as state
from threatexchange.exchanges.collab_config import CollaborationConfigWithDefaults
from threatexchange.exchanges.signal_exchange_api import SignalExchangeAPIWithSimpleUpdates
from threatexchange.signal_type.pdq.signal import PdqSignal
from threatexchange.signal_type.signal_base import SignalType

from sentinela.integrations.threatexchange.signals import (
    PhotoMD5Signal,
    PhotoSHA1Signal,
    PhotoSHA256Signal,
)
from sentinela.sharing.envelope import open_envelope
from sentinela.sharing.errors import ReleaseReplayError, ReleaseVerificationError
from sentinela.sharing.http_client import SentinelaApiClient
from sentinela.sharing.keys import ReleasePublicKey

API_NAME = "sentinela"
#: Sentinela hash type -> python-threatexchange signal type name.
SIGNAL_NAMES: dict[str, str] = {
    "md5": PhotoMD5Signal.get_name(),
    "sha1": PhotoSHA1Signal.get_name(),
    "sha256": PhotoSHA256Signal.get_name(),
    "pdq": PdqSignal.get_name(),
}
HASH_TYPES = {v: k for k, v in SIGNAL_NAMES.items()}
_OPINIONS = {
    state.SignalOpinionCategory.POSITIVE_CLASS: "confirmed",
    state.SignalOpinionCategory.NEGATIVE_CLASS: "false_positive",
}


@dataclass
class SentinelaCheckpoint(state.FetchCheckpointBase):
    """The release version the fetched state reflects."""

    version: int = 0


@dataclass
class SentinelaSignalMetadata(state.FetchedSignalMetadata):
    """A Sentinela entry's category and baseline flag."""

    scheme: str = ""
    code: str = ""
    baseline: bool = False

    def get_as_opinions(self) -> t.Sequence[state.SignalOpinion]:
        tags = {f"{self.scheme}:{self.code}"} | ({"baseline"} if self.baseline else set())
        return [state.SignalOpinion(False, state.SignalOpinionCategory.POSITIVE_CLASS, tags)]


@dataclass
class _RequiredFields:
    server_url: str = field(metadata={"help": "the Sentinela server, e.g. https://host:8443"})
    public_key: str = field(
        metadata={"help": "the release public key you were given (ed25519:...)"}
    )


@dataclass
class SentinelaCollabConfig(CollaborationConfigWithDefaults, _RequiredFields):
    """Which Sentinela server to follow, and the key its releases must be signed with."""

    api: str = field(init=False, default=API_NAME)
    tier: str = field(
        default="",
        metadata={"help": "refuse releases of any other tier (default: accept your own)"},
    )


@dataclass
class SentinelaCredentials(auth.CredentialHelper):
    """The provider API key, from ``TX_SENTINELA_API_KEY`` or ``~/.tx_sentinela_api_key``."""

    ENV_VARIABLE: t.ClassVar[str] = "TX_SENTINELA_API_KEY"
    FILE_NAME: t.ClassVar[str] = "~/.tx_sentinela_api_key"

    api_key: str = field(default="", metadata={"help": "the provider API key (snt_...)"})

    @classmethod
    def _from_str(cls, s: str) -> "SentinelaCredentials":
        return cls(s.strip())

    def _are_valid(self) -> bool:
        return self.api_key.startswith("snt_")


_Delta = state.FetchDelta[tuple[str, str], SentinelaSignalMetadata, SentinelaCheckpoint]


class SentinelaSignalExchangeAPI(
    auth.SignalExchangeWithAuth[SentinelaCollabConfig, SentinelaCredentials],
    SignalExchangeAPIWithSimpleUpdates[
        SentinelaCollabConfig, SentinelaCheckpoint, SentinelaSignalMetadata
    ],
):
    """Fetch a Sentinela tier's hash list as checkpointed, signed deltas."""

    def __init__(self, collab: SentinelaCollabConfig, api_key: str) -> None:
        self.collab = collab
        self.client = SentinelaApiClient(collab.server_url, api_key)
        self.public_key = ReleasePublicKey.from_text(collab.public_key)

    @classmethod
    def for_collab(
        cls,
        collab: SentinelaCollabConfig,
        credentials: SentinelaCredentials | None = None,
    ) -> "SentinelaSignalExchangeAPI":
        credentials = credentials or SentinelaCredentials.get(cls)
        return cls(collab, credentials.api_key)

    @classmethod
    def get_name(cls) -> str:
        return API_NAME

    @staticmethod
    def get_config_cls() -> type[SentinelaCollabConfig]:
        return SentinelaCollabConfig

    @staticmethod
    def get_checkpoint_cls() -> type[SentinelaCheckpoint]:
        return SentinelaCheckpoint

    @staticmethod
    def get_record_cls() -> type[SentinelaSignalMetadata]:
        return SentinelaSignalMetadata

    @staticmethod
    def get_credential_cls() -> type[SentinelaCredentials]:
        return SentinelaCredentials

    def fetch_iter(
        self,
        _supported_signal_types: t.Sequence[type[SignalType]],
        checkpoint: SentinelaCheckpoint | None,
    ) -> t.Iterator[_Delta]:
        """One signed delta from the checkpointed version to the latest release.

        Raises:
            ReleaseVerificationError: a bad signature, another tier, or a delta that does not
                start at the checkpoint; nothing is yielded.
            ApiRequestError: the server refused or could not be reached.
        """
        since = checkpoint.version if checkpoint is not None else 0
        doc = open_envelope(self.client.delta(since), self.public_key)
        if self.collab.tier and doc.tier != self.collab.tier:
            raise ReleaseVerificationError(
                f"release is for tier {doc.tier!r}, not {self.collab.tier!r}"
            )
        if doc.since != since or doc.version < since:
            raise ReleaseReplayError(f"asked for changes since {since}, got since {doc.since}")
        updates: dict[tuple[str, str], SentinelaSignalMetadata | None] = {}
        for gone in doc.revocations:
            updates[(SIGNAL_NAMES[gone.hash_type], gone.digest)] = None
        for entry in doc.entries:
            updates[(SIGNAL_NAMES[entry.hash_type], entry.digest)] = SentinelaSignalMetadata(
                entry.scheme, entry.code, entry.baseline
            )
        yield state.FetchDelta(updates, SentinelaCheckpoint(doc.version))

    def report_opinion(
        self,
        s_type: type[SignalType],
        signal: str,
        opinion: state.SignalOpinion,
    ) -> None:
        """Send a provider's confirmed / false-positive opinion to the analysts' queue."""
        hash_type = HASH_TYPES.get(s_type.get_name())
        verdict = _OPINIONS.get(opinion.category)
        if hash_type is None or verdict is None:
            raise NotImplementedError
        self.client.feedback([{"type": hash_type, "value": signal, "opinion": verdict}])
