"""Executors run :func:`~sentinela.ingest.tasks.process_task` somewhere.

- ``inline``: in the driver process (one core; used for tiny exhibits and as a reference).
- ``local``: a process pool on this machine, one worker per core by default.
- ``ray``: tasks on a Ray cluster (``--ray-address``), for seizures one machine cannot take.
  The vault folder and key file must be reachable at the same paths on every Ray node.

All three keep a bounded number of tasks in flight, so memory stays flat however large the
exhibit is, and yield results as they complete (order is not preserved).
"""

from __future__ import annotations

import multiprocessing
import os
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any, ClassVar

from sentinela.errors import ConfigurationError
from sentinela.ingest.tasks import process_task
from sentinela.registry import Registry

Task = dict[str, Any]
Result = dict[str, Any]


def default_workers() -> int:
    """One worker per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - non-Linux
        return max(1, os.cpu_count() or 1)


class Executor(ABC):
    """Runs tasks and yields their results as they complete."""

    name: ClassVar[str]

    def __init__(self, workers: int, cfg: dict[str, Any], address: str | None = None) -> None:
        self.workers = workers or default_workers()
        self.cfg = cfg
        self.address = address

    @abstractmethod
    def run(self, tasks: Iterable[Task]) -> Iterator[Result]:
        """Process every task; yield each result once."""

    def close(self) -> None:  # noqa: B027 - optional hook; most executors hold nothing
        """Release workers."""


class InlineExecutor(Executor):
    """Everything in the calling process."""

    name = "inline"

    def run(self, tasks: Iterable[Task]) -> Iterator[Result]:
        for task in tasks:
            yield process_task(task, self.cfg)


class LocalExecutor(Executor):
    """A pool of worker processes (forkserver: no inherited threads or connections)."""

    name = "local"

    def run(self, tasks: Iterable[Task]) -> Iterator[Result]:
        ctx = multiprocessing.get_context("forkserver")
        window = self.workers * 4
        with ProcessPoolExecutor(self.workers, mp_context=ctx) as pool:
            pending: set[Future[Result]] = set()
            for task in tasks:
                pending.add(pool.submit(process_task, task, self.cfg))
                if len(pending) >= window:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for fut in done:
                        yield fut.result()
            for fut in _drain(pending):
                yield fut.result()


def _drain(pending: set[Future[Result]]) -> Iterator[Future[Result]]:
    while pending:
        done, pending = wait(pending, return_when=FIRST_COMPLETED)
        yield from done


class RayExecutor(Executor):
    """Tasks on a Ray cluster; ``address`` is ``auto``, ``local`` or ``ray://host:port``."""

    name = "ray"

    def run(self, tasks: Iterable[Task]) -> Iterator[Result]:
        try:
            import ray
        except ImportError:
            raise ConfigurationError(
                "the ray executor needs Ray: pip install 'sentinela[ray]'"
            ) from None
        started_here = False
        if not ray.is_initialized():
            if self.address in (None, "", "local"):
                ray.init(
                    num_cpus=self.workers,
                    include_dashboard=False,
                    log_to_driver=False,
                    configure_logging=False,
                )
            else:
                ray.init(address=self.address, log_to_driver=False)
            started_here = True
        remote = ray.remote(process_task)
        window = self.workers * 4
        try:
            pending: list[Any] = []
            for task in tasks:
                pending.append(remote.remote(task, self.cfg))
                if len(pending) >= window:
                    done, pending = ray.wait(pending, num_returns=1)
                    for ref in done:
                        yield ray.get(ref)
            while pending:
                done, pending = ray.wait(pending, num_returns=1)
                for ref in done:
                    yield ray.get(ref)
        finally:
            if started_here:
                ray.shutdown()


class ExecutorKind:
    """A registry entry that builds one kind of executor by its persisted name."""

    name: ClassVar[str]
    executor_class: ClassVar[type[Executor]]

    def create(self, workers: int, cfg: dict[str, Any], address: str | None = None) -> Executor:
        """A fresh executor of this kind."""
        return self.executor_class(workers, cfg, address)


class InlineKind(ExecutorKind):
    name = InlineExecutor.name
    executor_class = InlineExecutor


class LocalKind(ExecutorKind):
    name = LocalExecutor.name
    executor_class = LocalExecutor


class RayKind(ExecutorKind):
    name = RayExecutor.name
    executor_class = RayExecutor


def build_executor_registry() -> Registry[ExecutorKind]:
    """The built-in executors: ``inline``, ``local`` and ``ray``."""
    registry: Registry[ExecutorKind] = Registry("executor")
    for kind in (InlineKind(), LocalKind(), RayKind()):
        registry.register(kind)
    return registry
