"""Receipt codes: what a reporter keeps to check the status of their report later.

A code is 80 random bits written as four groups of Crockford base-32 (no I, L, O or U, so it
reads aloud and types without confusion). Only its SHA-256 is stored: the code is a bearer
secret, and a leaked database must not let anyone check other people's reports.
"""

from __future__ import annotations

import hashlib
import re
import secrets

from sentinela.errors import InvalidInputError

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUPS = 4
GROUP_SIZE = 4
_CONFUSABLE = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V"})
_SHAPE = re.compile(rf"^[{ALPHABET}]{{{GROUPS * GROUP_SIZE}}}$")


def new_receipt() -> str:
    """A fresh receipt code, like ``7K2M-9QXD-4TVA-H0BE``."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_SIZE))
    return "-".join(chars[i : i + GROUP_SIZE] for i in range(0, len(chars), GROUP_SIZE))


def canonical_receipt(code: str) -> str:
    """The code without separators, upper case, confusable letters mapped.

    Raises:
        InvalidInputError: not shaped like a receipt code.
    """
    text = re.sub(r"[\s-]", "", code).upper().translate(_CONFUSABLE)
    if not _SHAPE.match(text):
        raise InvalidInputError("that is not a receipt code")
    return text


def receipt_digest(code: str) -> str:
    """The SHA-256 stored for a code.

    Raises:
        InvalidInputError: not shaped like a receipt code.
    """
    return hashlib.sha256(canonical_receipt(code).encode("ascii")).hexdigest()
