"""Reserved: public reports, decisions, preservation, notices and rechecks (issue 8).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 04:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Nothing yet: the revision keeps the chain linear while the area is built."""


def downgrade() -> None:
    """Nothing yet."""
