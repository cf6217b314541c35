"""Shared handles: opened once, closed when the last reader is done, re-opened later."""

from __future__ import annotations

from sentinela.evidence.leases import SharedHandle


class _Resource:
    opened = 0

    def __init__(self) -> None:
        _Resource.opened += 1
        self.closed = False

    def close(self) -> None:
        self.closed = True


def test_lifecycle() -> None:
    _Resource.opened = 0

    def opener() -> tuple[_Resource, list[_Resource]]:
        resource = _Resource()
        return resource, [resource]

    handle: SharedHandle[_Resource] = SharedHandle(opener)
    first = handle.get()
    assert handle.get() is first and _Resource.opened == 1
    value, lease = handle.lease()
    handle.close()
    assert not first.closed  # a reader still holds it
    lease.close()
    lease.close()  # idempotent
    assert first.closed
    value, lease = handle.lease()  # a late reader opens it again...
    assert value is not first and _Resource.opened == 2
    lease.close()
    assert value.closed  # ...and it closes when that reader is done
