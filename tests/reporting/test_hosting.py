"""The offline hosting table."""

from __future__ import annotations

from pathlib import Path

import pytest

from sentinela.errors import ConfigurationError
from sentinela.reporting.hosting import HostingTable
from tests.reporting.helpers import hosting_toml


def test_longest_prefix_wins(tmp_path: Path) -> None:
    path = hosting_toml(tmp_path / "h.toml")
    path.write_text(
        path.read_text()
        + '[[network]]\ncidr = "203.0.113.128/25"\nhost = "Reseller"\nabuse = "r@x.test"\n',
        encoding="utf-8",
    )
    table = HostingTable.from_toml(path)
    assert table.lookup("203.0.113.200").host == "Reseller"  # type: ignore[union-attr]
    assert table.lookup("203.0.113.5").host == "Example Net"  # type: ignore[union-attr]
    entry = table.lookup("127.0.0.1")
    assert entry is not None and (entry.country, entry.escalation) == ("PT", "legal@loopback.test")
    assert table.lookup("198.51.100.1") is None and table.lookup("bogus") is None
    assert table.trace(["198.51.100.1", "203.0.113.5"]).host == "Example Net"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "text",
    [
        '[[network]]\ncidr = "nope"\nhost = "h"\nabuse = "a"\n',
        '[[network]]\ncidr = "10.0.0.0/8"\n',
        "[[x",
    ],
)
def test_bad_tables_are_configuration_errors(tmp_path: Path, text: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigurationError):
        HostingTable.from_toml(path)
    with pytest.raises(ConfigurationError):
        HostingTable.from_toml(tmp_path / "missing.toml")
