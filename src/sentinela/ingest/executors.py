"""Executors run :func:`~sentinela.ingest.tasks.process_task` somewhere.

- ``inline``: in the driver process (one core; used for tiny exhibits and as a reference).
- ``local``: a process pool on this machine, two workers per core by default (see
  :data:`PROCESSES_PER_CORE`).
- ``ray``: tasks on a Ray cluster (``--ray-address``), for seizures one machine cannot take.
  The vault folder and key file must be reachable at the same paths on every Ray node.

All three keep a bounded number of tasks in flight, so memory stays flat however large the
exhibit is, and yield results as they complete (order is not preserved).
"""

from __future__ import annotations

import multiprocessing
import os
from abc import ABC, abstractmethod
from collections.abc import Generator, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, ClassVar

from sentinela.errors import ConfigurationError, JobError
from sentinela.ingest.tasks import process_task, ray_task, worker_setup
from sentinela.registry import Registry

Task = dict[str, Any]
Result = dict[str, Any]

#: Tasks in flight per worker: enough to keep every worker busy, few enough that memory
#: stays flat (a task may carry an archive member's bytes).
WINDOW_PER_WORKER = 4
#: Local worker processes per core when the count is left to us. A worker spends a good part
#: of each file waiting for the vault's fsyncs (two objects per image, each made durable
#: before the result goes back); a second process per core hashes meanwhile.
PROCESSES_PER_CORE = 2


def default_workers() -> int:
    """One worker per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - non-Linux
        return max(1, os.cpu_count() or 1)


class Executor(ABC):
    """Runs tasks and yields their results as they complete.

    Why executors only run :func:`process_task` and never touch the database: the driver
    is the single writer, so batches, their audit events and the job's counters stay
    consistent whatever runs the hashing, and a worker lost mid-task (a killed process, a
    Ray node gone) loses nothing but work that is redone on resume. Why tasks are plain
    dictionaries: the same task runs in this process, in a local pool or on a Ray node.

    Attributes:
        requested: the worker count asked for (0 = decide: one per core, or the cluster's).
        workers: the worker count used on this machine.
        cfg: :meth:`WorkerConfig.as_dict`, sent with every task.
        address: where to find a cluster (Ray only).
    """

    name: ClassVar[str]

    def __init__(self, workers: int, cfg: dict[str, Any], address: str | None = None) -> None:
        self.requested = workers
        self.workers = workers or default_workers()
        self.cfg = cfg
        self.address = address

    @abstractmethod
    def run(self, tasks: Iterable[Task]) -> Generator[Result, None, None]:
        """Process every task; yield each result once.

        Closing the generator early stops the work: tasks not started are dropped.
        """

    def close(self) -> None:  # noqa: B027 - optional hook; most executors hold nothing
        """Release workers."""


class InlineExecutor(Executor):
    """Everything in the calling process."""

    name = "inline"

    def run(self, tasks: Iterable[Task]) -> Generator[Result, None, None]:
        for task in tasks:
            yield process_task(task, self.cfg)


class LocalExecutor(Executor):
    """A pool of worker processes on this machine, two per core by default.

    Workers start from a forkserver that has already imported the hashing code, so they
    inherit no threads, database connections or progress bars from the driver and start
    fast. Closing the result iterator early (Ctrl-C, an error in the driver) cancels the
    tasks not yet started.
    """

    name = "local"

    def __init__(self, workers: int, cfg: dict[str, Any], address: str | None = None) -> None:
        super().__init__(workers, cfg, address)
        if not workers:
            self.workers = default_workers() * PROCESSES_PER_CORE

    def run(self, tasks: Iterable[Task]) -> Generator[Result, None, None]:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["sentinela.ingest.tasks"])
        window = self.workers * WINDOW_PER_WORKER
        pool = ProcessPoolExecutor(self.workers, mp_context=ctx, initializer=worker_setup)
        pending: set[Future[Result]] = set()
        try:
            for task in tasks:
                pending.add(pool.submit(process_task, task, self.cfg))
                if len(pending) >= window:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    yield from _results(done)
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                yield from _results(done)
        except BrokenProcessPool as exc:
            raise JobError(
                "a worker process died (killed, or out of memory); run the ingest again to "
                "resume it"
            ) from exc
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def _results(done: set[Future[Result]]) -> Iterator[Result]:
    for fut in done:
        yield fut.result()


class RayExecutor(Executor):
    """Tasks on a Ray cluster; ``address`` is ``auto``, ``local`` or ``ray://host:port``."""

    name = "ray"

    def run(self, tasks: Iterable[Task]) -> Generator[Result, None, None]:
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
        remote = ray.remote(num_cpus=1)(ray_task)
        resources: dict[str, float] = ray.cluster_resources()  # type: ignore[no-untyped-call]
        slots = self.requested or int(resources.get("CPU", self.workers))
        window = max(1, slots) * WINDOW_PER_WORKER
        pending: list[Any] = []
        try:
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
            for ref in pending:
                ray.cancel(ref)
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
