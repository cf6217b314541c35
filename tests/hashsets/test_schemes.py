from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path

import pytest

from sentinela.errors import FormatError, InvalidInputError, UnknownNameError
from sentinela.hashsets.schemes import (
    TRIAGE_CLASSES,
    Category,
    SchemeFileError,
    default_catalogue,
    load_catalogue,
    load_schemes,
    map_category,
)

SHIPPED = {
    "project_vic_us": ["0", "1", "2", "3", "4"],
    "uk": ["A", "B", "C"],
    "interpol_baseline": ["baseline", "not_baseline"],
    "industry": ["A1", "A2", "B1", "B2"],
    "nist_caid": ["8"],
    "nsrl": ["known", "special", "malicious"],
    "uk_caid": [],
    "vics_custom": [],
}


def test_shipped_schemes_and_codes() -> None:
    schemes = load_schemes()
    assert {name: list(s.codes) for name, s in schemes.items()} == SHIPPED
    for scheme in schemes.values():
        assert scheme.title and scheme.format_version == 1
        assert all(
            code.triage_class in TRIAGE_CLASSES and code.label for code in scheme.codes.values()
        )


def test_triage_classes() -> None:
    catalogue = default_catalogue()
    classes = {
        str(cat): catalogue.validate(cat).triage_class
        for cat in (
            Category("project_vic_us", "0"),
            Category("project_vic_us", "1"),
            Category("nist_caid", "8"),
            Category("nsrl", "known"),
            Category("uk", "A"),
            Category("industry", "B2"),
            Category("uk_caid", "42"),
        )
    }
    assert classes == {
        "project_vic_us:0": "non_pertinent",
        "project_vic_us:1": "categorised",
        "nist_caid:8": "benign",
        "nsrl:known": "benign",
        "uk:A": "categorised",
        "industry:B2": "categorised",
        "uk_caid:42": "categorised",
    }


def test_labels_are_neutral() -> None:
    schemes = load_schemes()
    assert schemes["uk"].codes["A"].label == "Category A (most severe)"
    assert schemes["industry"].codes["A1"].label == "A1 prepubescent, explicit"
    assert (
        schemes["project_vic_us"].codes["2"].label == "Child-exploitive (non-CAM) / age-difficult"
    )


@pytest.mark.parametrize(
    ("scheme", "code"),
    [("project_vic_us", "5"), ("uk", "a"), ("industry", "C1"), ("uk", ""), ("uk_caid", " 1")],
)
def test_validate_code_rejects_unknown(scheme: str, code: str) -> None:
    with pytest.raises(InvalidInputError):
        default_catalogue().scheme(scheme).validate_code(code)


def test_unknown_scheme() -> None:
    with pytest.raises(UnknownNameError):
        default_catalogue().scheme("dhs_legacy")
    with pytest.raises(InvalidInputError):
        default_catalogue().validate(Category("dhs_legacy", "1"))


def test_open_scheme_keeps_any_code() -> None:
    scheme = default_catalogue().scheme("vics_custom")
    assert scheme.category("99") == Category("vics_custom", "99")
    assert scheme.validate_code("99").triage_class == "categorised"


def test_map_category_only_follows_explicit_tables() -> None:
    assert map_category(Category("nist_caid", "8"), "project_vic_us") == Category(
        "project_vic_us", "0"
    )
    assert map_category(Category("uk", "B"), "uk") == Category("uk", "B")
    # Not derivable from the published definitions: never guessed.
    assert map_category(Category("project_vic_us", "1"), "interpol_baseline") is None
    assert map_category(Category("industry", "A1"), "uk") is None
    assert map_category(Category("project_vic_us", "0"), "nist_caid") is None
    with pytest.raises(UnknownNameError):
        map_category(Category("uk", "A"), "nowhere")
    with pytest.raises(InvalidInputError):
        map_category(Category("uk", "D"), "industry")


def test_shipped_mappings_carry_their_review() -> None:
    mappings = default_catalogue().mappings
    assert list(mappings) == [("nist_caid", "project_vic_us")]
    mapping = mappings[("nist_caid", "project_vic_us")]
    assert mapping.status == "placeholder"
    assert mapping.reviewed_by and isinstance(mapping.reviewed_at, dt.date)


def test_scheme_files_are_package_data() -> None:
    folder = resources.files("sentinela.hashsets").joinpath("schemes")
    names = {f.name for f in folder.iterdir()}
    assert {f"{name}.toml" for name in SHIPPED} <= names
    assert folder.joinpath("mappings", "nist_caid__project_vic_us.toml").is_file()


def _scheme_file(folder: Path, name: str, body: str) -> None:
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.toml").write_text(
        f'format_version = 1\nname = "{name}"\ntitle = "T"\nkind = "codes"\n{body}'
    )


CODES = '[codes."1"]\nlabel = "One"\nclass = "categorised"\n'


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("open = false\n", "needs \\[codes\\]"),
        ('[codes."1"]\nlabel = "One"\nclass = "bad"\n', "label and a class"),
        ("open = true\n", "default_class"),
        ("open = 1\n" + CODES, "'kind' or 'open'"),
        ('title = "dup"\n', "Cannot overwrite|already"),
    ],
)
def test_malformed_scheme_files(tmp_path: Path, body: str, message: str) -> None:
    _scheme_file(tmp_path, "local", body)
    with pytest.raises(SchemeFileError, match=message) as caught:
        load_schemes(tmp_path)
    assert isinstance(caught.value, FormatError)
    assert caught.value.path is not None and caught.value.path.endswith("local.toml")


def test_scheme_name_must_match_file(tmp_path: Path) -> None:
    _scheme_file(tmp_path, "local", CODES)
    (tmp_path / "local.toml").rename(tmp_path / "other.toml")
    with pytest.raises(SchemeFileError, match="does not match"):
        load_schemes(tmp_path)


def _mapping(folder: Path, name: str, body: str) -> None:
    (folder / "mappings").mkdir(exist_ok=True)
    (folder / "mappings" / name).write_text(body)


GOOD_MAPPING = (
    'format_version = 1\nfrom = "a"\nto = "b"\nstatus = "reviewed"\nreviewed_by = "X"\n'
    'reviewed_at = 2025-01-01\n[codes]\n"1" = "1"\n'
)


def test_custom_catalogue_with_a_reviewed_mapping(tmp_path: Path) -> None:
    _scheme_file(tmp_path, "a", CODES)
    _scheme_file(tmp_path, "b", CODES)
    _mapping(tmp_path, "a__b.toml", GOOD_MAPPING)
    catalogue = load_catalogue(tmp_path)
    assert catalogue.map_category(Category("a", "1"), "b") == Category("b", "1")
    assert catalogue.map_category(Category("b", "1"), "a") is None


@pytest.mark.parametrize(
    ("name", "body", "message"),
    [
        ("a__c.toml", GOOD_MAPPING, "<from>__<to>"),
        ("a__b.toml", GOOD_MAPPING.replace('"1" = "1"', '"1" = "9"'), "unknown category code '9'"),
        ("a__b.toml", GOOD_MAPPING.replace('status = "reviewed"', 'status = "guess"'), "status"),
        ("a__b.toml", GOOD_MAPPING.replace("reviewed_at = 2025-01-01\n", ""), "reviewed_at"),
        ("a__b.toml", GOOD_MAPPING.replace('reviewed_by = "X"', 'reviewed_by = ""'), "reviewed_by"),
        ("a__z.toml", GOOD_MAPPING.replace('to = "b"', 'to = "z"'), "unknown scheme"),
    ],
)
def test_malformed_mapping_files(tmp_path: Path, name: str, body: str, message: str) -> None:
    _scheme_file(tmp_path, "a", CODES)
    _scheme_file(tmp_path, "b", CODES)
    _mapping(tmp_path, name, body)
    with pytest.raises(SchemeFileError, match=message):
        load_catalogue(tmp_path)
