"""Receipt codes."""

from __future__ import annotations

import re

import pytest

from sentinela.errors import InvalidInputError
from sentinela.reporting.receipts import canonical_receipt, new_receipt, receipt_digest


def test_codes_are_random_grouped_and_forgiving() -> None:
    codes = {new_receipt() for _ in range(200)}
    assert len(codes) == 200
    code = codes.pop()
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}", code)
    assert receipt_digest(code) == receipt_digest(code.lower().replace("-", " "))
    assert canonical_receipt("abcd-efgh-ijkl-mnop") == "ABCDEFGH1JK1MN0P"
    assert len(receipt_digest(code)) == 64


@pytest.mark.parametrize("bad", ["", "short", "<script>alert(1)</script>", "UUUU-UUUU-UUUU-UUU!"])
def test_malformed_codes_are_refused(bad: str) -> None:
    with pytest.raises(InvalidInputError):
        receipt_digest(bad)
