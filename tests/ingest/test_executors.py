"""Executors: every task's result once, bounded work in flight, early close stops the pool."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sentinela.ingest.executors import (
    PROCESSES_PER_CORE,
    WINDOW_PER_WORKER,
    InlineExecutor,
    LocalExecutor,
    default_workers,
)
from sentinela.ingest.tasks import WorkerConfig
from sentinela.vault.keys import create_master_key


@pytest.fixture
def cfg(tmp_path: Path) -> dict[str, Any]:
    create_master_key(tmp_path / "master.key")
    return WorkerConfig(str(tmp_path / "vault"), str(tmp_path / "master.key"), False).as_dict()


def _tasks(count: int, pulled: list[int]) -> Iterator[dict[str, Any]]:
    for n in range(count):
        pulled.append(n)
        yield {"key": str(n), "path": f"{n}.txt", "file": None, "data": f"file {n}".encode()}


@pytest.mark.parametrize("kind", [InlineExecutor, LocalExecutor])
def test_every_result_once(kind: type[InlineExecutor], cfg: dict[str, Any]) -> None:
    pulled: list[int] = []
    results = list(kind(2, cfg).run(_tasks(25, pulled)))
    assert sorted(int(r["key"]) for r in results) == list(range(25))
    assert all(r["ok"] for r in results)


def test_local_pool_pulls_a_bounded_window_and_stops_on_close(cfg: dict[str, Any]) -> None:
    pulled: list[int] = []
    run = LocalExecutor(1, cfg).run(_tasks(1000, pulled))
    first = next(run)
    assert first["ok"]
    assert len(pulled) <= WINDOW_PER_WORKER + 1
    run.close()  # cancels what has not started and shuts the pool down
    assert len(pulled) <= WINDOW_PER_WORKER + 1


def test_default_workers() -> None:
    assert default_workers() >= 1
    assert InlineExecutor(0, {}).workers == default_workers()
    assert LocalExecutor(0, {}).workers == default_workers() * PROCESSES_PER_CORE
    assert LocalExecutor(3, {}).workers == 3
