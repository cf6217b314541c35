"""The network half of evidence preservation: fetch, hash, seal into the vault.

No database here: the capture runs outside any transaction (a slow host must not hold the
database), and :mod:`.takedown_preservation` records its result afterwards. Bodies go
straight from memory into the encrypted vault; nothing plaintext touches the disk.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sentinela.errors import UnsupportedMediaError
from sentinela.hashing.digests import compute_digests
from sentinela.hashing.filetype import HEAD_BYTES, detect
from sentinela.hashing.images import pdq_fast
from sentinela.reporting.errors import FetchError, UnsafeUrlError
from sentinela.reporting.fetcher import Deadline, Fetched
from sentinela.reporting.hosting import HostingEntry
from sentinela.reporting.links import HTML_TYPES, linked_images
from sentinela.services.takedown_matching import Probe
from sentinela.services.takedown_runtime import TakedownRuntime
from sentinela.vault import Vault

#: Answers that mean the content is gone.
GONE_STATUSES = frozenset({404, 410, 451})


@dataclass(frozen=True)
class CapturedObject:
    """One preserved body (its bytes are in the vault under ``sha256``)."""

    role: str
    url: str
    status: int
    content_type: str
    size: int
    truncated: bool
    probe: Probe
    vault_relpath: str


@dataclass
class CaptureOutcome:
    """What a capture found, before it is recorded.

    ``outcome`` is ``preserved`` (a 2xx answer was kept), ``absent`` (404, 410 or 451),
    ``failed`` (network trouble or another status: tried again later) or ``refused`` (the
    guard refused the URL: not tried again).
    """

    outcome: str
    error: str = ""
    page: Fetched | None = None
    objects: list[CapturedObject] = field(default_factory=list)
    linked_found: int = 0
    linked_errors: list[dict[str, str]] = field(default_factory=list)
    hosting: HostingEntry | None = None


def probe_body(body: bytes) -> Probe:
    """MD5, SHA-1, SHA-256 and, for images, PDQ of a body held in memory."""
    digests = compute_digests(body)
    pdq: str | None = None
    quality: int | None = None
    if body and detect(body[:HEAD_BYTES]).family == "image":
        try:
            result = pdq_fast(body)
            pdq, quality = result.hash, result.quality
        except UnsupportedMediaError:
            pass
    return Probe(digests.md5, digests.sha1, digests.sha256, pdq, quality)


def _seal(vault: Vault, fetched: Fetched, role: str) -> CapturedObject:
    probe = probe_body(fetched.body)
    ref = vault.put(probe.sha256, fetched.body)
    return CapturedObject(
        role=role,
        url=fetched.final_url,
        status=fetched.status,
        content_type=fetched.content_type,
        size=len(fetched.body),
        truncated=fetched.truncated,
        probe=probe,
        vault_relpath=ref.relpath,
    )


def _charset(fetched: Fetched) -> str:
    for key, value in fetched.headers:
        if key.lower() == "content-type" and "charset=" in value.lower():
            return value.lower().split("charset=", 1)[1].split(";", 1)[0].strip() or "utf-8"
    return "utf-8"


def _linked(
    rt: TakedownRuntime, vault: Vault, page: Fetched, out: CaptureOutcome, budget: Deadline
) -> None:
    if page.content_type not in HTML_TYPES:
        return
    policy = rt.config.fetch
    links = linked_images(page.body, page.final_url, policy.max_linked_images, _charset(page))
    out.linked_found = links.total
    for url in links.urls:
        if budget.remaining() <= 0:
            out.linked_errors.append({"url": url, "error": "no time left"})
            continue
        try:
            image = rt.fetcher.fetch(url, max_bytes=policy.max_linked_bytes, deadline=budget)
        except (FetchError, UnsafeUrlError) as exc:
            out.linked_errors.append({"url": url, "error": str(exc)})
            continue
        if not 200 <= image.status < 300:
            out.linked_errors.append({"url": url, "error": f"HTTP {image.status}"})
            continue
        out.objects.append(_seal(vault, image, "linked_image"))


def capture(url: str, rt: TakedownRuntime, vault: Vault) -> CaptureOutcome:
    """Fetch ``url`` (and, for a page, the images it shows), hash it, seal it in the vault."""
    budget = Deadline(rt.config.fetch.total_timeout_s)
    try:
        page = rt.fetcher.fetch(url, deadline=budget)
    except UnsafeUrlError as exc:
        return CaptureOutcome("refused", error=str(exc))
    except FetchError as exc:
        return CaptureOutcome("failed", error=str(exc))
    out = CaptureOutcome("preserved", page=page, hosting=rt.hosting.trace(page.resolved))
    if page.status in GONE_STATUSES:
        out.outcome, out.error = "absent", f"HTTP {page.status} {page.reason}"
        return out
    if not 200 <= page.status < 300:
        out.outcome, out.error = "failed", f"HTTP {page.status} {page.reason}"
        return out
    out.objects.append(_seal(vault, page, "page"))
    _linked(rt, vault, page, out, budget)
    return out
