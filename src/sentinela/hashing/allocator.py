"""Keep freed memory in a hashing worker instead of handing it back to the kernel.

Why: every image hashed allocates a few large, short-lived buffers (the decoded pixels, and
inside ``pdqhash`` a float64 luma computation and two float32 planes). With glibc's default
settings, blocks of this size are returned to the kernel when freed and faulted in again,
zero-filled, for the next image; measured on a 960x540 image, those page faults are about a
third of ``pdqhash``'s time. Raising glibc's mmap and trim thresholds lets the process reuse
the memory. The cost is that a worker keeps its peak working set (tens of MiB; allocations
above 32 MiB are still returned).

This changes process-wide state, so it is never done at import: ingest worker initialisers
and long-running hashing commands call :func:`keep_freed_memory` explicitly.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Final

_M_TRIM_THRESHOLD: Final = -1
_M_TOP_PAD: Final = -2
_M_MMAP_THRESHOLD: Final = -3
#: glibc's largest accepted mmap threshold on 64-bit systems.
MMAP_THRESHOLD: Final = 32 * 1024 * 1024
TRIM_THRESHOLD: Final = 256 * 1024 * 1024
TOP_PAD: Final = 16 * 1024 * 1024


def keep_freed_memory() -> bool:
    """Tune glibc's allocator for repeated large allocations; a no-op elsewhere.

    Returns:
        True when the settings were applied (Linux with glibc), False otherwise.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    results = [
        mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD),
        mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD),
        mallopt(_M_TOP_PAD, TOP_PAD),
    ]
    return all(result == 1 for result in results)
