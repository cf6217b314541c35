"""Resources shared by the entries of a walk: opened once, closed when no reader needs them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from sentinela.evidence.streams import Closeable

T = TypeVar("T")


class SharedHandle(Generic[T]):
    """An open resource shared by the readers of its entries, re-opened after :meth:`close`.

    Why: listing an archive or a disk image and reading each entry should open it once, not
    once per entry; yet entries stay readable after the walk has moved on. Each entry stream
    holds a lease (:meth:`lease`), so closing the handle when the walk ends waits for streams
    still being read, and a reader that comes later opens the resource again (and closes it
    when done, as the handle stays retired).
    """

    def __init__(self, opener: Callable[[], tuple[T, Sequence[Closeable]]]) -> None:
        self._opener = opener
        self._value: T | None = None
        self._closers: Sequence[Closeable] = ()
        self._leases = 0
        self._retired = False

    def get(self) -> T:
        """The open resource."""
        if self._value is None:
            self._value, self._closers = self._opener()
        return self._value

    def lease(self) -> tuple[T, Closeable]:
        """The open resource, and a token to close when done reading from it."""
        value = self.get()
        self._leases += 1
        return value, _Lease(self)

    def close(self) -> None:
        """Close the resource once no lease is outstanding."""
        self._retired = True
        if self._leases == 0:
            self._close_now()

    def _return_lease(self) -> None:
        self._leases -= 1
        if self._retired and self._leases == 0:
            self._close_now()

    def _close_now(self) -> None:
        closers, self._closers, self._value = self._closers, (), None
        for closer in closers:
            closer.close()


class _Lease:
    def __init__(self, handle: SharedHandle[T]) -> None:
        self._handle: SharedHandle[T] | None = handle

    def close(self) -> None:
        handle, self._handle = self._handle, None
        if handle is not None:
            handle._return_lease()
