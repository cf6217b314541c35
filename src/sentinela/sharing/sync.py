"""Keeping a provider's local copy current: fetch the delta since the held version, verify
it, apply it; fall back to the full snapshot when the delta cannot be applied."""

from __future__ import annotations

from pathlib import Path

from sentinela.sharing.errors import ReleaseStateMismatch
from sentinela.sharing.http_client import SentinelaApiClient
from sentinela.sharing.keys import ReleasePublicKey
from sentinela.sharing.local_list import ApplyResult, LocalHashList


def open_local_list(path: Path, public_key: ReleasePublicKey) -> LocalHashList:
    """The copy saved at ``path``, or an empty one when there is none yet.

    Raises:
        ReleaseVerificationError: the file exists but is damaged or for another key.
    """
    if path.exists():
        return LocalHashList.load(path, public_key)
    return LocalHashList(public_key)


def sync_list(client: SentinelaApiClient, hash_list: LocalHashList) -> ApplyResult:
    """Bring ``hash_list`` to the server's latest release.

    A signature failure is never worked around: it is raised. Only when a correctly signed
    delta does not produce the signed state (a damaged local copy) is the full snapshot
    fetched instead.

    Raises:
        ReleaseVerificationError: a document fails its signature or consistency checks.
        ReleaseReplayError: the server offered an older release than the one held.
        ApiRequestError: the server refused or could not be reached.
    """
    envelope = client.delta(hash_list.version)
    try:
        return hash_list.apply(envelope)
    except ReleaseStateMismatch:
        pass
    payload = envelope.get("payload", {})
    return hash_list.apply(client.snapshot(int(payload.get("version", 0))))
