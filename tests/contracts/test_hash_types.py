"""Contract every hash type must honour, and proof that every hash type module is registered.

``HashTypeContract`` is a reusable base class: a new hash type's test subclasses it and fills
in the case tables (valid examples, malformed values, a sample input). The contract checks
what the store, the matcher and the importers rely on: validation normalises or raises a
typed error naming the problem, a digest is at distance 0 from itself, distances are
symmetric and bounded, and ``hash_bytes`` produces a digest that validates.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from typing import ClassVar

import pytest

import sentinela.hashing.types as types_pkg
from sentinela.errors import DuplicateNameError, InvalidHashError
from sentinela.hashing.types import HashType, build_hash_type_registry
from sentinela.hashing.types.md5 import Md5
from sentinela.hashing.types.pdq import Pdq
from sentinela.hashing.types.sha1 import Sha1
from sentinela.hashing.types.sha256 import Sha256
from sentinela.registry import Registry
from tests.hashing.helpers import PATTERN_PDQ, PATTERN_PNG


class HashTypeContract:
    """Subclass with ``hash_type``, ``examples`` (two or more distinct), ``invalid``, ``sample``."""

    hash_type: ClassVar[HashType]
    examples: ClassVar[list[str]]
    invalid: ClassVar[list[str]]
    sample: ClassVar[bytes]

    def test_name_is_stable_lower_snake(self) -> None:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", self.hash_type.name)

    def test_examples_validate_to_themselves(self) -> None:
        for example in self.examples:
            canonical = self.hash_type.validate(example)
            assert canonical == example.lower()
            assert len(canonical) == self.hash_type.hex_length
            assert self.hash_type.validate(canonical) == canonical

    def test_uppercase_is_accepted_and_normalised(self) -> None:
        for example in self.examples:
            assert self.hash_type.validate(example.upper()) == example.lower()

    def test_a_hash_matches_itself(self) -> None:
        for example in self.examples:
            assert self.hash_type.distance(example, example) == 0
            assert self.hash_type.distance(example, example.upper()) == 0

    def test_distance_is_symmetric_and_bounded(self) -> None:
        a, b = self.examples[0], self.examples[1]
        forward = self.hash_type.distance(a, b)
        assert forward == self.hash_type.distance(b, a)
        assert 0 < forward <= self.hash_type.bits

    def test_bad_input_raises_naming_the_problem(self) -> None:
        for value in self.invalid:
            with pytest.raises(InvalidHashError, match=self.hash_type.name):
                self.hash_type.validate(value)
            with pytest.raises(InvalidHashError):
                self.hash_type.distance(value, self.examples[0])

    def test_hash_bytes_gives_a_valid_digest(self) -> None:
        digest = self.hash_type.hash_bytes(self.sample)
        assert self.hash_type.validate(digest) == digest
        assert self.hash_type.distance(digest, digest) == 0

    def test_is_registered_under_its_name(self) -> None:
        registry = build_hash_type_registry()
        assert isinstance(registry.get(self.hash_type.name), type(self.hash_type))


def _bad_values(length: int) -> list[str]:
    return ["", "0" * (length - 1), "0" * (length + 1), "g" * length, "0x" + "0" * (length - 2)]


class TestMd5Contract(HashTypeContract):
    hash_type = Md5()
    examples: ClassVar = ["d41d8cd98f00b204e9800998ecf8427e", "900150983cd24fb0d6963f7d28e17f72"]
    invalid: ClassVar = _bad_values(32)
    sample = b"abc"


class TestSha1Contract(HashTypeContract):
    hash_type = Sha1()
    examples: ClassVar = [
        "da39a3ee5e6b4b0d3255bfef95601890afd80709",
        "a9993e364706816aba3e25717850c26c9cd0d89d",
    ]
    invalid: ClassVar = _bad_values(40)
    sample = b"abc"


class TestSha256Contract(HashTypeContract):
    hash_type = Sha256()
    examples: ClassVar = [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    ]
    invalid: ClassVar = _bad_values(64)
    sample = b"abc"


class TestPdqContract(HashTypeContract):
    hash_type = Pdq()
    examples: ClassVar = [
        PATTERN_PDQ,
        # python-threatexchange's PdqSignal examples (pdq/data/bridge-mods)
        "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22",
        "f8f8f0cee0f4a84f06370a2a038f63f0b36e26d596621e1d33e6b39c4e9c9b22",
    ]
    invalid: ClassVar = _bad_values(64)
    sample = PATTERN_PNG.read_bytes()

    def test_near_duplicates_are_within_threshold(self) -> None:
        a, b = self.examples[1], self.examples[2]
        assert self.hash_type.distance(a, b) <= self.hash_type.default_threshold


def test_every_module_in_the_types_package_is_registered() -> None:
    registry = build_hash_type_registry()
    registered = {type(item) for item in registry}
    for module_info in pkgutil.iter_modules(types_pkg.__path__):
        if module_info.name == "base":
            continue
        module = importlib.import_module(f"{types_pkg.__name__}.{module_info.name}")
        classes = [
            cls
            for _, cls in inspect.getmembers(module, inspect.isclass)
            if issubclass(cls, HashType)
            and cls.__module__ == module.__name__
            and not inspect.isabstract(cls)
        ]
        assert classes, f"{module.__name__} defines no hash type"
        for cls in classes:
            assert cls in registered, f"{cls.__name__} ({module.__name__}) is not registered"


def test_every_registered_type_has_a_contract_test() -> None:
    covered = {cls.hash_type.name for cls in HashTypeContract.__subclasses__()}
    assert covered == set(build_hash_type_registry().names())


def test_registry_refuses_duplicates() -> None:
    registry: Registry[HashType] = build_hash_type_registry()
    with pytest.raises(DuplicateNameError):
        registry.register(Md5())
