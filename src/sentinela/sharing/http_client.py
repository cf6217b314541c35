"""The raw HTTP client of the provider API (``/api/v1``): requests in, parsed JSON out.

It knows URLs, headers and status codes, nothing about what a release means: checking
signatures and applying deltas is :mod:`~sentinela.sharing.local_list`'s job, and mapping
records to python-threatexchange is the extension's. Only ``http`` and ``https`` URLs are
accepted; the standard library client is used so that a provider needs no extra package.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlencode, urlsplit

from sentinela.sharing.errors import ApiRequestError

API_PREFIX: Final = "/api/v1"
KEY_HEADER: Final = "Authorization"


@dataclass(frozen=True)
class HashQuery:
    """One hash to ask about: its type (md5, sha1, sha256, pdq) and hex value."""

    hash_type: str
    value: str


class SentinelaApiClient:
    """Talks to one Sentinela server with one provider API key.

    Args:
        base_url: e.g. ``https://sentinela.police.example``; a path prefix is kept.
        api_key: the provider's key, as shown once by ``sentinela provider add``.
        timeout: seconds per request.

    Raises:
        ApiRequestError: the URL is not http(s).
    """

    def __init__(self, base_url: str, api_key: str, *, timeout: float = 60.0) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ApiRequestError(f"the server URL must be http(s)://host[:port], not {base_url!r}")
        self.base_url = base_url.rstrip("/")
        self._api_key = api_key
        self.timeout = timeout

    def _request(self, method: str, path: str, body: Any | None = None) -> Any:
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(  # noqa: S310 - scheme checked in __init__
            self.base_url + API_PREFIX + path, data=data, method=method
        )
        request.add_header(KEY_HEADER, f"Bearer {self._api_key}")
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:
            raise ApiRequestError(
                f"{method} {path}: HTTP {exc.code}: {_detail(exc)}", status=exc.code
            ) from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise ApiRequestError(f"{method} {path}: {exc}") from None

    def releases(self) -> dict[str, Any]:
        """``GET /hashlist/releases``: the tier's releases, newest last."""
        result: dict[str, Any] = self._request("GET", "/hashlist/releases")
        return result

    def snapshot(self, version: int) -> dict[str, Any]:
        """``GET /hashlist/releases/{version}``: the signed full list at ``version``."""
        result: dict[str, Any] = self._request("GET", f"/hashlist/releases/{int(version)}")
        return result

    def delta(self, since: int) -> dict[str, Any]:
        """``GET /hashlist/deltas?since=``: the signed changes from ``since`` to the latest."""
        result: dict[str, Any] = self._request(
            "GET", "/hashlist/deltas?" + urlencode({"since": int(since)})
        )
        return result

    def public_key(self) -> str:
        """``GET /hashlist/public-key``: the key the server signs with (compare it with the
        one you were given out of band before trusting it)."""
        return str(self._request("GET", "/hashlist/public-key")["public_key"])

    def match(self, hashes: list[HashQuery]) -> dict[str, Any]:
        """``POST /match``: which of ``hashes`` the police know."""
        body = {"hashes": [{"type": h.hash_type, "value": h.value} for h in hashes]}
        result: dict[str, Any] = self._request("POST", "/match", body)
        return result

    def feedback(self, items: list[dict[str, str]]) -> dict[str, Any]:
        """``POST /feedback``: items of ``{"type", "value", "opinion", "note"}``."""
        result: dict[str, Any] = self._request("POST", "/feedback", {"items": items})
        return result

    def report_usage(self, examined: int, matched: int) -> dict[str, Any]:
        """``POST /usage``: counts of a local scan (never the hashes themselves)."""
        result: dict[str, Any] = self._request(
            "POST", "/usage", {"examined": int(examined), "matched": int(matched)}
        )
        return result


def _detail(exc: urllib.error.HTTPError) -> str:
    try:
        body = json.loads(exc.read() or b"{}")
    except ValueError:
        return exc.reason if isinstance(exc.reason, str) else str(exc.reason)
    detail = body.get("detail") if isinstance(body, dict) else None
    return str(detail or exc.reason)
