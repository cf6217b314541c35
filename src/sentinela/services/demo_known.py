"""The demo's known material: hash sets made from part of the demo exhibit, then triage.

After the demo ingest, :func:`run_demo_known` plays what a national unit does when it
receives hash sets and a prosecutor's request:

1. writes three set files in ``<data>/demo-known/`` from the ingested demo photos (benign
   scikit-image samples and generated patterns; the "categories" are labels only):

   * ``demo-national.json``: a VICS 2.0 ``US`` hash set with the MD5 and SHA-1 of some
     photos, with categories, series and victim flags (exact matches, including the
     ``Backup/`` copies of the same files);
   * ``demo-industry-pdq.txt``: the full-resolution PDQ of *re-encoded* variants of other
     photos (smaller, brighter, recompressed), as an industry partner would hold them, so
     the ingested originals match only as near-duplicates, confirmed at full resolution;
   * ``demo-nsrl.sha1``: an NSRL-like benign list of two documents;

2. imports them (already imported files are skipped, so the demo can be run again);
3. matches the demo case and writes the examination report.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from PIL import ImageEnhance
from sqlalchemy import select

from sentinela.db.cases import Case
from sentinela.db.exhibits import Exhibit
from sentinela.db.hashsets import MediaMatch
from sentinela.db.media import Media, Occurrence
from sentinela.errors import AlreadyExistsError, UnsupportedMediaError, VaultError
from sentinela.hashing.images import decode_image, pdq_full
from sentinela.matching.codes import hamming_distance
from sentinela.services.case_matching import match_case
from sentinela.services.context import ServiceContext
from sentinela.services.demo import DEMO_CASE, DEMO_EXAMINER, DEMO_FOLDER_LABEL
from sentinela.services.exposure import open_vault
from sentinela.services.hashsets import ImportRequest, import_hash_set
from sentinela.services.report import ReportFiles, write_report

V2_US = "http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/US/$metadata#Media"
EXACT_ITEMS = 6
NEAR_ITEMS = 6
BENIGN_NAMES = ("notes.txt", "invoice.pdf")


@dataclass
class DemoKnownResult:
    """What the demo's known-material step did."""

    set_files: dict[str, Path] = field(default_factory=dict)
    imported: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    classes: dict[str, int] = field(default_factory=dict)
    matches_by_method: dict[str, int] = field(default_factory=dict)
    report: ReportFiles | None = None


@dataclass(frozen=True)
class _Item:
    path: str
    md5: str
    sha1: str
    sha256: str
    size: int
    family: str
    pdq: str | None


def _demo_items(ctx: ServiceContext, case_number: str) -> list[_Item]:
    with ctx.transaction() as session:
        rows = session.execute(
            select(Occurrence.path, Media)
            .join(Media, Media.id == Occurrence.media_id)
            .join(Exhibit, Exhibit.id == Occurrence.exhibit_id)
            .join(Case, Case.id == Exhibit.case_id)
            .where(Case.number == case_number, Exhibit.label == DEMO_FOLDER_LABEL)
            .order_by(Occurrence.path)
        ).all()
        return [
            _Item(str(path), m.md5, m.sha1, m.sha256, m.size, m.family, m.pdq) for path, m in rows
        ]


def _variant(data: bytes) -> bytes:
    """A re-shared copy: 85% size, 3% brighter, JPEG quality 80 (decoded safely)."""
    img = decode_image(data, draft=False).pixels.convert("RGB")
    small = img.resize((max(64, img.width * 85 // 100), max(64, img.height * 85 // 100)))
    out = io.BytesIO()
    ImageEnhance.Brightness(small).enhance(1.03).save(out, "JPEG", quality=80)
    return out.getvalue()


def write_demo_sets(ctx: ServiceContext, case_number: str = DEMO_CASE) -> dict[str, Path]:
    """Write the three demo set files (deterministic for the same demo exhibit)."""
    folder = ctx.settings.data_dir / "demo-known"
    folder.mkdir(parents=True, exist_ok=True)
    items = _demo_items(ctx, case_number)
    photos = [i for i in items if "DCIM/" in i.path and i.pdq and i.family == "image"]
    exact = photos[:EXACT_ITEMS]
    records = [
        {
            "MediaID": n,
            "Category": (1, 2, 3)[n % 3],
            "MD5": media.md5.upper(),
            "SHA1": media.sha1.upper(),
            "MediaSize": media.size,
            "Series": "DEMO-SERIES-A" if n < 3 else "DEMO-SERIES-B",
            "VictimIdentified": "true" if n < 3 else "false",
            "IsDistributed": "true",
        }
        for n, media in enumerate(exact)
    ]
    national = folder / "demo-national.json"
    national.write_text(
        json.dumps({"@odata.context": V2_US, "value": records}, indent=1) + "\n", encoding="utf-8"
    )
    vault = open_vault(ctx.settings)
    lines: list[str] = []
    for media in photos[EXACT_ITEMS:]:
        if len(lines) == NEAR_ITEMS:
            break
        try:
            data = vault.get(media.sha256)
            known = pdq_full(_variant(data))
            full = pdq_full(data).hash
        except (VaultError, UnsupportedMediaError, OSError):
            continue
        if hamming_distance(known.hash, full) <= 31 and known.quality >= 50:
            lines.append(f"{known.hash},{known.quality}\n")
    industry = folder / "demo-industry-pdq.txt"
    industry.write_text("# demo industry PDQ list (re-encoded variants)\n" + "".join(lines))
    benign = [
        f"{i.sha1}  {Path(i.path).name}\n" for i in items if Path(i.path).name in BENIGN_NAMES
    ]
    nsrl = folder / "demo-nsrl.sha1"
    nsrl.write_text("".join(sorted(benign)), encoding="utf-8")
    return {"demo-national": national, "demo-industry-pdq": industry, "demo-nsrl": nsrl}


def run_demo_known(ctx: ServiceContext, case_number: str = DEMO_CASE) -> DemoKnownResult:
    """Write, import and match the demo sets; write the report. Safe to run again."""
    examiner = ctx.with_actor(ctx.actor_name or DEMO_EXAMINER)
    result = DemoKnownResult(set_files=write_demo_sets(examiner, case_number))
    requests = {
        "demo-national": ImportRequest(
            name="demo-national",
            source="Demo national unit (benign sample data)",
            legal_basis="Demonstration only",
        ),
        "demo-industry-pdq": ImportRequest(
            name="demo-industry-pdq",
            format="plain_list",
            hash_type="pdq",
            scheme="industry",
            code="B2",
            source="Demo industry partner (benign sample data)",
        ),
        "demo-nsrl": ImportRequest(
            name="demo-nsrl", format="plain_list", kind="benign", source="Demo NSRL-like list"
        ),
    }
    for name, request in requests.items():
        try:
            import_hash_set(examiner, result.set_files[name], request)
            result.imported.append(name)
        except AlreadyExistsError:
            result.skipped.append(name)
    done = match_case(examiner, case_number)
    result.classes = done.classes
    with examiner.transaction() as session:
        rows = session.execute(
            select(MediaMatch.id, MediaMatch.method)
            .join(Occurrence, Occurrence.media_id == MediaMatch.media_id)
            .join(Exhibit, Exhibit.id == Occurrence.exhibit_id)
            .join(Case, Case.id == Exhibit.case_id)
            .where(Case.number == case_number)
            .distinct()
        ).all()
    for _, method in rows:
        result.matches_by_method[method] = result.matches_by_method.get(method, 0) + 1
    result.report = write_report(examiner, case_number)
    return result
