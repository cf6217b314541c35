"""Reserved: series, victims, offenders, identifiers and their links (issue 9).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 04:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Nothing yet: the revision keeps the chain linear while the area is built."""


def downgrade() -> None:
    """Nothing yet."""
