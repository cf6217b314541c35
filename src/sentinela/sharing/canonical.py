"""The canonical JSON encoding that release signatures are computed over.

A signed document travels as ordinary JSON, so the verifier re-encodes what it parsed and
checks the signature over that. Both ends must therefore produce the same bytes: keys sorted,
no insignificant whitespace, UTF-8, and only the JSON types whose encoding is unambiguous
(objects with string keys, arrays, strings, integers, booleans, null). Floats are refused:
their text form differs between languages. For such values the encoding is the same as
RFC 8785 (JCS) with ASCII keys, so a provider can verify in any language.
"""

from __future__ import annotations

import json
from typing import Any

from sentinela.sharing.errors import ReleaseVerificationError

_SCALARS = (str, int, bool, type(None))


def _check(value: Any, path: str) -> None:
    stack: list[tuple[Any, str]] = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, dict):
            for key, inner in item.items():
                if not isinstance(key, str):
                    raise ReleaseVerificationError(f"non-string key at {where}")
                stack.append((inner, f"{where}.{key}"))
        elif isinstance(item, list):
            if item and all(isinstance(v, _SCALARS) for v in item):
                continue  # the common case: an entry row
            stack.extend((inner, f"{where}[{i}]") for i, inner in enumerate(item))
        elif not isinstance(item, _SCALARS) or isinstance(item, float):
            raise ReleaseVerificationError(
                f"{type(item).__name__} at {where} has no canonical encoding"
            )


def canonical_bytes(value: Any) -> bytes:
    """The canonical encoding of ``value``.

    Raises:
        ReleaseVerificationError: ``value`` holds a float, a non-string key or another type
            without a canonical encoding.
    """
    _check(value, "$")
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")
