"""Grading: analysts give media a (scheme, code); consensus makes it the national classification.

The rule (configurable through :class:`ConsensusRule`): each analyst's latest grade of an
item counts once. When ``agreeing_grades`` different analysts agree and nobody disagrees, the
grade becomes the national classification. As soon as two analysts disagree, the item goes to
the adjudication queue of the lead of the case it was graded in (see ``adjudication.py``).

Why grades are inserted and the media row is locked: two analysts grading the same item at the
same moment each insert their own row, so neither is lost, and the consensus check for that
item runs under ``SELECT ... FOR UPDATE`` on its media row (SQLite serialises writers with
``BEGIN IMMEDIATE`` anyway), so the second transaction sees the first one's grade and reaches
the consensus the two make together.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from sentinela.audit import record
from sentinela.db.cases import Case
from sentinela.db.media import Media
from sentinela.db.users import User
from sentinela.db.workspace import Adjudication, Grade, NationalClassification
from sentinela.errors import InvalidInputError, UnknownNameError
from sentinela.hashsets.schemes import Scheme, default_catalogue
from sentinela.services.case_media import require_case_media, require_grader
from sentinela.services.context import ServiceContext
from sentinela.services.national import classify, retriage_after
from sentinela.services.permissions import require_member

#: The most items one grading action may cover (one near-duplicate group).
MAX_GROUP = 1000
#: Keys that may serve as shortcuts when codes are not single characters.
_FALLBACK_KEYS = "123456789"


@dataclass(frozen=True)
class ConsensusRule:
    """When grades become the national classification.

    Attributes:
        agreeing_grades: how many different analysts must agree (1 makes every grade final).
        adjudicator_may_have_graded: whether a supervisor may settle a disagreement about an
            item they graded themself (off by default: adjudication must be independent).
    """

    agreeing_grades: int = 2
    adjudicator_may_have_graded: bool = False

    def __post_init__(self) -> None:
        if self.agreeing_grades < 1:
            raise InvalidInputError("a consensus needs at least one grade")


@dataclass(frozen=True)
class Shortcut:
    """A code of the case's scheme and the key that grades with it."""

    code: str
    label: str
    key: str


@dataclass(frozen=True)
class GradeResult:
    """What one grade did. ``status``: pending, classified, adjudication or already_classified."""

    media_id: int
    grade_id: int
    status: str
    national_code: str | None


@dataclass(frozen=True)
class GradingOutcome:
    """The result of grading one item or one group."""

    case_number: str
    scheme: str
    code: str
    results: tuple[GradeResult, ...]
    retriaged: int


def load_scheme(name: str) -> Scheme:
    """The category scheme called ``name``.

    Raises:
        InvalidInputError: no such scheme.
    """
    try:
        return default_catalogue().scheme(name)
    except UnknownNameError as exc:
        raise InvalidInputError(str(exc)) from None


def check_code(scheme_name: str, code: str) -> str:
    """Validate a grade code against its scheme.

    Raises:
        InvalidInputError: the scheme is unknown or does not define ``code``.
    """
    load_scheme(scheme_name).validate_code(code)
    return code


def shortcuts(scheme_name: str) -> tuple[Shortcut, ...]:
    """Keyboard shortcuts for a scheme: the code itself when every code is one character,
    else the digits 1-9 in the scheme's order."""
    scheme = load_scheme(scheme_name)
    codes = list(scheme.codes.values())
    single = all(len(c.code) == 1 for c in codes)
    keys = [c.code.lower() for c in codes] if single else list(_FALLBACK_KEYS[: len(codes)])
    return tuple(Shortcut(c.code, c.label, k) for c, k in zip(codes, keys, strict=False))


def lock_media(session: Session, media_ids: list[int]) -> None:
    """Lock media rows in id order (PostgreSQL ``FOR UPDATE``; SQLite holds its write lock)."""
    session.execute(
        select(Media.id).where(Media.id.in_(media_ids)).order_by(Media.id).with_for_update()
    ).all()


def latest_grades(session: Session, media_id: int, scheme: str) -> dict[str, str]:
    """Each analyst's latest code for an item in ``scheme``, by user name."""
    rows = session.execute(
        select(User.username, Grade.code)
        .join(User, User.id == Grade.user_id)
        .where(Grade.media_id == media_id, Grade.scheme == scheme)
        .order_by(Grade.graded_at, Grade.id)
    ).all()
    return {str(username): str(code) for username, code in rows}


def grade_media(
    ctx: ServiceContext,
    case_number: str,
    media_ids: list[int],
    code: str,
    *,
    rule: ConsensusRule | None = None,
) -> GradingOutcome:
    """Grade one item or a whole near-duplicate group with the case's scheme.

    Raises:
        AccessDenied: not a grader or not a member, or an id the case does not hold.
        InvalidInputError: ``code`` is not in the case's scheme, or no / too many items.
    """
    r = rule or ConsensusRule()
    ids = sorted(set(media_ids))
    if not ids or len(ids) > MAX_GROUP:
        raise InvalidInputError(f"grade between 1 and {MAX_GROUP} items at a time")
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        case = require_member(session, case_number, actor)
        require_grader(actor)
        check_code(case.scheme, code)
        media = require_case_media(session, case, ids)
        lock_media(session, ids)
        results: list[GradeResult] = []
        classified: list[Media] = []
        for item in media:
            grade = Grade(
                media_id=item.id,
                user_id=actor.id,
                case_id=case.id,
                scheme=case.scheme,
                code=code,
                group_size=len(ids),
                graded_at=ctx.clock(),
            )
            session.add(grade)
            session.flush()
            record(
                session,
                actor=actor.username,
                action="grade.add",
                object_type="media",
                object_id=item.id,
                case_number=case.number,
                clock=ctx.clock,
                details={"scheme": case.scheme, "code": code, "group_size": len(ids)},
            )
            status, national = _evaluate(session, item, case, actor, r, ctx)
            if status == "classified":
                classified.append(item)
            results.append(GradeResult(item.id, grade.id, status, national))
        retriaged = retriage_after(session, classified, clock=ctx.clock)
        return GradingOutcome(case.number, case.scheme, code, tuple(results), retriaged)


def _evaluate(
    session: Session, item: Media, case: Case, actor: User, rule: ConsensusRule, ctx: ServiceContext
) -> tuple[str, str | None]:
    national = session.execute(
        select(NationalClassification).where(NationalClassification.media_id == item.id)
    ).scalar_one_or_none()
    if national is not None:
        return "already_classified", national.code
    adjudication = session.execute(
        select(Adjudication).where(Adjudication.media_id == item.id)
    ).scalar_one_or_none()
    if adjudication is not None:
        return "adjudication", None
    latest = latest_grades(session, item.id, case.scheme)
    codes = set(latest.values())
    if len(codes) > 1:
        session.add(
            Adjudication(
                media_id=item.id, case_id=case.id, scheme=case.scheme, opened_at=ctx.clock()
            )
        )
        record(
            session,
            actor=actor.username,
            action="adjudication.open",
            object_type="media",
            object_id=item.id,
            case_number=case.number,
            clock=ctx.clock,
            details={"scheme": case.scheme, "grades": dict(sorted(latest.items()))},
        )
        return "adjudication", None
    if len(latest) >= rule.agreeing_grades:
        (agreed,) = codes
        classify(
            session,
            item,
            scheme=case.scheme,
            code=agreed,
            method="consensus",
            deciders=list(latest),
            actor=actor.username,
            case_number=case.number,
            clock=ctx.clock,
        )
        return "classified", agreed
    return "pending", None
