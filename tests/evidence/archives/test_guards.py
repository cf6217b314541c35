"""Member-name checks."""

from __future__ import annotations

import pytest

from sentinela.evidence.archives.guards import safe_member_name


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("a.txt", "a.txt"),
        ("DCIM/a.jpg", "DCIM/a.jpg"),
        ("./DCIM//a.jpg", "DCIM/a.jpg"),
        ("DCIM\\a.jpg", "DCIM/a.jpg"),
        ("a..b/c", "a..b/c"),
        ("../a", None),
        ("a/../../b", None),
        ("a/../b", None),
        ("/etc/passwd", None),
        ("\\windows\\x", None),
        ("C:\\x", None),
        ("c:x", None),
        ("./", None),
    ],
)
def test_safe_member_name(name: str, safe: str | None) -> None:
    assert safe_member_name(name) == safe
