from __future__ import annotations

from collections.abc import Iterator

import pytest

from sentinela.errors import FormatError
from sentinela.formats.base import ImportStream, Item, read_head
from sentinela.formats.records import HashRecord, ImportMeta

from .helpers import DATA, PNG_MD5


def test_stream_is_single_use_and_closes_once() -> None:
    closed: list[str] = []
    finished: list[bool] = []

    def items() -> Iterator[Item]:
        try:
            yield HashRecord(digests={"md5": PNG_MD5}, position="line 1")
            yield HashRecord(digests={"md5": PNG_MD5}, position="line 2")
        finally:
            finished.append(True)

    with ImportStream(
        ImportMeta(format="x", path="p"), items(), lambda: closed.append("c")
    ) as stream:
        assert next(iter(stream)).position == "line 1"
        with pytest.raises(FormatError, match="only once"):
            iter(stream)
    assert closed == ["c"] and finished == [True]
    stream.close()
    assert closed == ["c"]


def test_read_head() -> None:
    assert read_head(DATA / "plain_list_pdq.txt", 8) == b"515c8029"
