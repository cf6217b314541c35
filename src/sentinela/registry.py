"""One generic registry for every extension point.

Hash types, evidence sources, exchange formats and hash-list sources each get one
:class:`Registry`. Implementations carry a stable ``name: ClassVar[str]`` in lower_snake case.
Names are persisted (in the database, in exported files, in job rows), so a name must never
change once released. Registration raises :class:`DuplicateNameError` rather than asserting:
the check must survive ``python -O``.

Registries are built explicitly (``build_*_registry()`` functions listing the built-in
modules) instead of registering at import time, so importing a module has no side effects
and tests can build a registry of their own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar, Generic, Protocol, TypeVar

from sentinela.errors import DuplicateNameError, UnknownNameError

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class Named(Protocol):
    """Anything with a stable registry name."""

    name: ClassVar[str]


T = TypeVar("T", bound=Named)


class Registry(Generic[T]):
    """A name -> implementation mapping that refuses duplicates and malformed names."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._items: dict[str, T] = {}

    def register(self, item: T) -> T:
        """Add ``item`` under ``item.name``.

        Raises:
            DuplicateNameError: the name is already registered.
            ValueError: the name is not lower_snake case.
        """
        name = item.name
        if not _NAME.match(name):
            raise ValueError(f"{self.kind} name {name!r} is not lower_snake case")
        if name in self._items:
            raise DuplicateNameError(f"{self.kind} {name!r} is already registered")
        self._items[name] = item
        return item

    def get(self, name: str) -> T:
        """Return the implementation registered as ``name``.

        Raises:
            UnknownNameError: nothing is registered under that name.
        """
        try:
            return self._items[name]
        except KeyError:
            known = ", ".join(sorted(self._items)) or "none"
            raise UnknownNameError(f"unknown {self.kind} {name!r} (known: {known})") from None

    def names(self) -> list[str]:
        """Registered names, sorted."""
        return sorted(self._items)

    def __contains__(self, name: object) -> bool:
        return name in self._items

    def __iter__(self) -> Iterator[T]:
        return iter(self._items[n] for n in self.names())

    def __len__(self) -> int:
        return len(self._items)
