"""Contract of the executor registry: stable names, every executor registered and creatable."""

from __future__ import annotations

import inspect

import pytest

import sentinela.ingest.executors as executors_module
from sentinela.errors import DuplicateNameError
from sentinela.ingest.executors import Executor, ExecutorKind, build_executor_registry


def test_builtin_executors_are_registered_by_their_persisted_names() -> None:
    registry = build_executor_registry()
    assert sorted(kind.name for kind in registry) == ["inline", "local", "ray"]


def test_every_executor_class_has_a_registry_entry() -> None:
    classes = {
        obj
        for _, obj in inspect.getmembers(executors_module, inspect.isclass)
        if issubclass(obj, Executor) and obj is not Executor
    }
    assert {kind.executor_class for kind in build_executor_registry()} == classes


@pytest.mark.parametrize("name", ["inline", "local", "ray"])
def test_each_kind_creates_its_executor(name: str) -> None:
    kind = build_executor_registry().get(name)
    executor = kind.create(3, {"x": 1}, "auto")
    assert isinstance(executor, kind.executor_class)
    assert (executor.name, executor.workers, executor.cfg, executor.address) == (
        name,
        3,
        {"x": 1},
        "auto",
    )


def test_duplicates_are_refused() -> None:
    registry = build_executor_registry()
    with pytest.raises(DuplicateNameError):
        registry.register(next(k for k in registry if isinstance(k, ExecutorKind)))
