"""The canonical encoding: sorted keys, no whitespace, UTF-8, no floats."""

from __future__ import annotations

import pytest

from sentinela.sharing.canonical import canonical_bytes
from sentinela.sharing.errors import ReleaseVerificationError


def test_sorted_compact_utf8() -> None:
    value = {"b": [1, True, None, "é"], "a": {"y": 2, "x": "1"}}
    assert canonical_bytes(value) == '{"a":{"x":"1","y":2},"b":[1,true,null,"é"]}'.encode()


@pytest.mark.parametrize(
    "value", [{"a": 1.5}, {"a": [1, 2.0]}, {1: "a"}, {"a": b"bytes"}, [{"a": {1, 2}}]]
)
def test_values_without_a_canonical_form_are_refused(value: object) -> None:
    with pytest.raises(ReleaseVerificationError):
        canonical_bytes(value)
