"""The public site's words: prevention pages, quizzes and interface text, per language.

The content is data (``content/<lang>.toml``), so that people who write prevention material
can change it without touching code, and so that every language has the same pages and
quizzes (a test compares their shapes). Quiz answers are scored here and never stored.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sentinela.errors import ConfigurationError, InvalidInputError, NotFoundError
from sentinela.reporting.errors import FormInvalid

#: Languages of the public site, the default first.
LANGUAGES: tuple[str, ...] = ("pt-PT", "en")
DEFAULT_LANGUAGE = LANGUAGES[0]
_FROZEN = ConfigDict(frozen=True, extra="forbid")


class Page(BaseModel):
    """A prevention page."""

    model_config = _FROZEN

    slug: str = Field(pattern=r"^[a-z0-9-]+$")
    audience: str
    title: str
    summary: str
    paragraphs: tuple[str, ...]


class Option(BaseModel):
    """One answer to a quiz question, and how much risk it shows."""

    model_config = _FROZEN

    text: str
    score: int = Field(ge=0)


class Question(BaseModel):
    """A quiz question."""

    model_config = _FROZEN

    text: str
    options: tuple[Option, ...] = Field(min_length=2)


class QuizResult(BaseModel):
    """The advice given from ``min_score`` upwards (the highest band reached wins)."""

    model_config = _FROZEN

    min_score: int = Field(ge=0)
    text: str


class Quiz(BaseModel):
    """A short self-assessment."""

    model_config = _FROZEN

    id: str = Field(pattern=r"^[a-z_]+$")
    title: str
    intro: str
    question: tuple[Question, ...] = Field(min_length=1)
    result: tuple[QuizResult, ...] = Field(min_length=1)

    def score(self, answers: list[int]) -> tuple[int, QuizResult]:
        """The total score for ``answers`` (one option index per question) and its advice.

        Raises:
            InvalidInputError: not one valid answer per question.
        """
        if len(answers) != len(self.question):
            raise InvalidInputError("answer every question")
        total = 0
        for question, answer in zip(self.question, answers, strict=True):
            if not 0 <= answer < len(question.options):
                raise InvalidInputError("an answer is not one of the options")
            total += question.options[answer].score
        band = max(
            (r for r in self.result if r.min_score <= total),
            key=lambda r: r.min_score,
            default=self.result[0],
        )
        return total, band


class Content(BaseModel):
    """Everything the public site says in one language."""

    model_config = _FROZEN

    lang: str
    name: str
    ui: dict[str, str]
    validation: dict[str, str]
    page: tuple[Page, ...]
    quiz: tuple[Quiz, ...]

    def explain(self, exc: InvalidInputError) -> str:
        """What to tell a reporter about an invalid form, in this language.

        A :class:`FormInvalid` with a known code gets its ``[validation]`` message; any other
        error gets the generic ``error_heading`` rather than English text on a page that may
        be in another language.
        """
        if isinstance(exc, FormInvalid) and exc.code in self.validation:
            try:
                return self.validation[exc.code].format(**exc.params)
            except (KeyError, IndexError, ValueError):
                return self.ui["error_heading"]
        return self.ui["error_heading"]

    def find_page(self, slug: str) -> Page:
        """The page called ``slug``.

        Raises:
            NotFoundError: no such page.
        """
        for page in self.page:
            if page.slug == slug:
                return page
        raise NotFoundError(f"no page {slug!r}")

    def find_quiz(self, quiz_id: str) -> Quiz:
        """The quiz called ``quiz_id``.

        Raises:
            NotFoundError: no such quiz.
        """
        for quiz in self.quiz:
            if quiz.id == quiz_id:
                return quiz
        raise NotFoundError(f"no quiz {quiz_id!r}")


def pick_language(requested: str | None, accept_language: str = "") -> str:
    """The language to show: the one asked for, else the browser's preference, else pt-PT."""
    if requested in LANGUAGES:
        return requested
    for part in accept_language.split(","):
        tag = part.split(";", 1)[0].strip().lower()
        if tag.startswith("pt"):
            return "pt-PT"
        if tag.startswith("en"):
            return "en"
    return DEFAULT_LANGUAGE


@lru_cache(maxsize=len(LANGUAGES))
def load_content(lang: str) -> Content:
    """The content for ``lang`` (read once per process).

    Raises:
        NotFoundError: not one of :data:`LANGUAGES`.
        ConfigurationError: the packaged file is malformed.
    """
    if lang not in LANGUAGES:
        raise NotFoundError(f"no content in language {lang!r}")
    source = resources.files("sentinela.reporting").joinpath("content", f"{lang}.toml")
    try:
        return Content.model_validate(tomllib.loads(source.read_text(encoding="utf-8")))
    except (tomllib.TOMLDecodeError, ValidationError) as exc:
        raise ConfigurationError(f"public content {lang}: {exc}") from None
