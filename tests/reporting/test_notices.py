"""Notice rendering: language by country, kinds, the JSON document."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from sentinela.reporting.notices import NoticeContent, NoticeItem, render_notice

WHEN = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _content(kind: str, country: str, n: int = 2) -> NoticeContent:
    items = tuple(NoticeItem(i, f"http://h.test/{i}", WHEN, "ab" * 32) for i in range(1, n + 1))
    return NoticeContent(
        7, kind, 1 if kind == "notice" else 4, "Host", "abuse@h.test", country, "Unit", WHEN, items
    )


@pytest.mark.parametrize(
    ("kind", "country", "subject", "phrase"),
    [
        ("notice", "NL", "Notice of illegal content", "Please remove"),
        ("resend", "NL", "Reminder", "We notified you before"),
        ("escalation", "NL", "Escalation", "This notice is\nescalated"),
        ("notice", "PT", "Notificação de conteúdo ilegal", "Remova ou bloqueie"),
        ("escalation", "pt", "Escalamento", "Notificámo-lo 3 vezes"),
    ],
)
def test_rendering(kind: str, country: str, subject: str, phrase: str) -> None:
    out = render_notice(_content(kind, country), "unit@sentinela.invalid")
    assert out.subject.startswith(subject) and "[TD-1, TD-2]" in out.subject
    assert phrase in out.text and "http://h.test/2" in out.text
    doc = json.loads(out.document)
    assert (doc["format"], doc["version"], doc["kind"], doc["notice"]) == (
        "sentinela.takedown_notice",
        1,
        kind,
        7,
    )
    assert [i["reference"] for i in doc["items"]] == ["TD-1", "TD-2"]


def test_long_subjects_are_shortened() -> None:
    out = render_notice(_content("notice", "NL", n=9), "u@x.test")
    assert out.subject.endswith("TD-5 (+4)]")
