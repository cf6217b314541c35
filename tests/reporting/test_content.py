"""The public content: both languages have the same pages, quizzes and interface keys."""

from __future__ import annotations

import pytest

from sentinela.errors import InvalidInputError, NotFoundError
from sentinela.reporting.content import LANGUAGES, load_content, pick_language
from sentinela.reporting.errors import FormInvalid


def test_languages_have_the_same_shape() -> None:
    pt, en = (load_content(lang) for lang in LANGUAGES)
    assert set(pt.ui) == set(en.ui)
    assert set(pt.validation) == set(en.validation)
    assert [p.slug for p in pt.page] == [p.slug for p in en.page]
    assert [p.audience for p in pt.page] == [p.audience for p in en.page]
    for qp, qe in zip(pt.quiz, en.quiz, strict=True):
        assert qp.id == qe.id
        assert [len(q.options) for q in qp.question] == [len(q.options) for q in qe.question]
        assert [[o.score for o in q.options] for q in qp.question] == [
            [o.score for o in q.options] for q in qe.question
        ]
        assert [r.min_score for r in qp.result] == [r.min_score for r in qe.result]
    assert {q.id for q in en.quiz} == {"young_people", "parents"}


def test_quiz_scoring_bands() -> None:
    quiz = load_content("en").find_quiz("parents")
    assert quiz.score([2, 1, 1, 1, 1]) == (0, quiz.result[0])
    total, band = quiz.score([0, 0, 0, 0, 0])
    assert total == 8 and band.min_score == 6
    with pytest.raises(InvalidInputError):
        quiz.score([0])
    with pytest.raises(InvalidInputError):
        quiz.score([0, 0, 0, 0, 7])


def test_language_choice() -> None:
    assert pick_language("en") == "en"
    assert pick_language("fr", "en-GB,en;q=0.8") == "en"
    assert pick_language(None, "pt-BR") == "pt-PT"
    assert pick_language(None, "") == "pt-PT"
    with pytest.raises(NotFoundError):
        load_content("fr")
    with pytest.raises(NotFoundError):
        load_content("en").find_page("nope")


def test_form_errors_are_explained_in_each_language() -> None:
    pt, en = load_content("pt-PT"), load_content("en")
    too_many = FormInvalid("give at most 3 URLs in one report", "too_many_urls", limit=3)
    assert en.explain(too_many) == "Give at most 3 addresses in one report."
    assert pt.explain(too_many) == "Indique no máximo 3 endereços numa denúncia."
    assert pt.explain(FormInvalid("x", "no_such_code")) == pt.ui["error_heading"]
    assert pt.explain(InvalidInputError("plain English")) == pt.ui["error_heading"]
    assert "{" not in " ".join(pt.validation.values()).replace("{limit}", "").replace(
        "{number}", ""
    )
