"""The images a reported page shows, so a capture preserves them with the page.

Why capped twice: a hostile page can link thousands of images (or one image thousands of
times). The parser stops collecting after ``limit`` distinct URLs but keeps counting, so the
manifest says how many were linked and how many were fetched.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


@dataclass(frozen=True)
class LinkedImages:
    """Image URLs found in a page: the first ``limit`` distinct ones, and the total count."""

    urls: tuple[str, ...]
    total: int

    @property
    def capped(self) -> bool:
        """Whether some linked images were left out."""
        return self.total > len(self.urls)


class _ImageLinks(HTMLParser):
    def __init__(self, base: str, limit: int) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.limit = limit
        self.found: list[str] = []
        self.seen: set[str] = set()
        self.total = 0

    def _add(self, raw: str) -> None:
        value = raw.strip()
        if not value:
            return
        url = urljoin(self.base, value).split("#", 1)[0]
        if urlsplit(url).scheme not in ("http", "https") or url in self.seen:
            return
        self.seen.add(url)
        self.total += 1
        if len(self.found) < self.limit:
            self.found.append(url)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ("img", "source"):
            return
        for name, value in attrs:
            if value is None:
                continue
            if name == "src":
                self._add(value)
            elif name == "srcset":
                for candidate in value.split(","):
                    self._add(candidate.strip().split(" ", 1)[0])


def linked_images(html: bytes, base_url: str, limit: int, charset: str = "utf-8") -> LinkedImages:
    """The image URLs of an HTML page, resolved against ``base_url``.

    Args:
        html: the page's bytes (already size-capped by the fetcher).
        base_url: the page's final URL.
        limit: how many distinct URLs to keep.
        charset: the declared encoding; undecodable bytes are replaced.
    """
    parser = _ImageLinks(base_url, limit)
    try:
        text = html.decode(charset, errors="replace")
    except LookupError:
        text = html.decode("utf-8", errors="replace")
    parser.feed(text)
    parser.close()
    return LinkedImages(tuple(parser.found), parser.total)
