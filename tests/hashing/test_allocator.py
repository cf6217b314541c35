"""The glibc allocator tuning used by hashing workers."""

from __future__ import annotations

import platform
import sys

from sentinela.hashing.allocator import keep_freed_memory


def test_applies_on_linux_and_is_repeatable() -> None:
    first = keep_freed_memory()
    assert keep_freed_memory() is first
    if sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc":
        assert first is True
