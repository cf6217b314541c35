"""The demo that `make run` shows: a case built from benign test fixtures.

It is idempotent: running it again reuses the demo users, case and exhibits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from sentinela.db.cases import Case
from sentinela.db.exhibits import Exhibit
from sentinela.db.users import User
from sentinela.errors import NotFoundError
from sentinela.services import cases, exhibits, users
from sentinela.services.context import ServiceContext
from sentinela.services.demo_data import build_demo_exhibit
from sentinela.services.setup import initialise

DEMO_ADMIN = "demo-admin"
DEMO_EXAMINER = "demo-examiner"
DEMO_CASE = "DEMO-0001"

#: (label, file name in the shared test data, seized from)
DEMO_EXHIBITS: tuple[tuple[str, str, str], ...] = (
    ("EXH-001", "EXH-001.E01", "SD card, suspect's camera (E01 image)"),
    ("EXH-002", "EXH-001.dd", "SD card, suspect's camera (raw image)"),
)
#: The generated folder exhibit (benign photos made by code).
DEMO_FOLDER_LABEL = "EXH-003"
#: How many images the generated exhibit holds by default.
DEMO_IMAGES = 240


@dataclass
class DemoResult:
    """What the demo registered."""

    case_number: str
    exhibits: list[exhibits.ExhibitView] = field(default_factory=list)
    created: list[str] = field(default_factory=list)


def find_testdata(start: Path | None = None) -> Path:
    """Locate ``../shared/testdata`` (or, failing that, the checkout's ``tests/data/evidence``
    copy of the same card images)."""
    starts = [(start or Path.cwd()).absolute(), Path(__file__).resolve().parent]
    for here in starts:
        for base in (here, *here.parents):
            candidates = (
                base / "shared" / "testdata",
                base.parent / "shared" / "testdata",
                base / "tests" / "data" / "evidence",  # the checkout's copy of the same images
            )
            for candidate in candidates:
                if (candidate / "EXH-001.E01").exists() and (candidate / "EXH-001.dd").exists():
                    return candidate
    raise NotFoundError("cannot find shared/testdata next to the checkout; pass --testdata")


def _exists(ctx: ServiceContext, model: type[User] | type[Case], column: str, value: str) -> bool:
    with ctx.transaction() as session:
        return (
            session.execute(select(model).where(getattr(model, column) == value)).first()
            is not None
        )


def run_demo(ctx: ServiceContext, testdata: Path, *, images: int = DEMO_IMAGES) -> DemoResult:
    """Initialise, create the demo users and case, register the fixture exhibits and a
    generated folder of benign photos.

    Args:
        ctx: the service context (no actor needed: the demo creates its own users).
        testdata: the folder holding ``EXH-001.E01`` and ``EXH-001.dd``.
        images: how many images to generate (only when the folder does not exist yet).

    Returns:
        What was created, and every demo exhibit.
    """
    initialise(ctx)
    result = DemoResult(DEMO_CASE)
    if not _exists(ctx, User, "username", DEMO_ADMIN):
        users.add_user(
            ctx,
            DEMO_ADMIN,
            display_name="Demo administrator",
            roles=["admin"],
            unit="National Cybercrime Unit",
        )
        result.created.append(f"user {DEMO_ADMIN}")
    admin = ctx.with_actor(DEMO_ADMIN)
    if not _exists(ctx, User, "username", DEMO_EXAMINER):
        users.add_user(
            admin,
            DEMO_EXAMINER,
            display_name="Demo examiner",
            roles=["examiner", "victim_id_specialist"],
            unit="National Cybercrime Unit",
        )
        result.created.append(f"user {DEMO_EXAMINER}")
    examiner = ctx.with_actor(DEMO_EXAMINER)
    if not _exists(ctx, Case, "number", DEMO_CASE):
        cases.create_case(
            examiner,
            DEMO_CASE,
            title="Demo case (benign synthetic data)",
            unit="National Cybercrime Unit",
        )
        result.created.append(f"case {DEMO_CASE}")
    folder = build_demo_exhibit(
        ctx.settings.data_dir / "demo-exhibits" / "laptop-home", images=images
    )
    plan = [(label, testdata / name, seized_from) for label, name, seized_from in DEMO_EXHIBITS]
    plan.append((DEMO_FOLDER_LABEL, folder, "laptop, home folder (generated benign photos)"))
    for label, path, seized_from in plan:
        with ctx.transaction() as session:
            have = session.execute(
                select(Exhibit.id)
                .join(Case)
                .where(Case.number == DEMO_CASE, Exhibit.label == label)
            ).first()
        if have is None:
            exhibits.add_exhibit(examiner, DEMO_CASE, path, label=label, seized_from=seized_from)
            result.created.append(f"exhibit {label}")
        result.exhibits.append(exhibits.show_exhibit(examiner, DEMO_CASE, label))
    return result
