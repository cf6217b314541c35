"""The video index registry: one entry per implementation, listed explicitly."""

from __future__ import annotations

from sentinela.registry import Registry
from sentinela.video.brute_index import BruteVideoIndexType
from sentinela.video.index import FaissVideoIndexType
from sentinela.video.index_base import VideoIndexType


def build_video_index_registry() -> Registry[VideoIndexType]:
    """A fresh registry of every built-in video index type (``vpdq_faiss``, ``vpdq_brute``).

    Raises:
        DuplicateNameError: two index types share a name.
    """
    registry: Registry[VideoIndexType] = Registry("video index")
    for index_type in (FaissVideoIndexType(), BruteVideoIndexType()):
        registry.register(index_type)
    return registry
