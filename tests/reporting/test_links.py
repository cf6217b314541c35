"""Image links of a reported page, capped."""

from __future__ import annotations

from sentinela.reporting.links import linked_images


def test_img_and_srcset_are_resolved_and_deduplicated() -> None:
    html = (
        b'<img src="/a.png"><img src="a.png"><img src="/a.png#x">'
        b'<picture><source srcset="b.webp 1x, https://cdn.test/c.jpg 2x"></picture>'
        b'<img src="data:image/png;base64,AAAA"><img src="javascript:x"><img>'
    )
    found = linked_images(html, "http://h.test/dir/page.html", limit=10)
    assert found.urls == (
        "http://h.test/a.png",
        "http://h.test/dir/a.png",
        "http://h.test/dir/b.webp",
        "https://cdn.test/c.jpg",
    )
    assert found.total == 4 and not found.capped


def test_thousands_of_links_are_capped_but_counted() -> None:
    html = "".join(f'<img src="/i{i}.jpg">' for i in range(5000)).encode()
    found = linked_images(html, "http://h.test/", limit=25)
    assert len(found.urls) == 25 and found.total == 5000 and found.capped


def test_bad_bytes_and_unknown_charset_do_not_break_parsing() -> None:
    found = linked_images(b'\xff\xfe<img src="/x.png">', "http://h.test/", 5, charset="bogus")
    assert found.urls == ("http://h.test/x.png",)
