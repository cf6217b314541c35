"""Reserved: exchange: export records and ICSE feed packages (issue 6).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 04:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Nothing yet: the revision keeps the chain linear while the area is built."""


def downgrade() -> None:
    """Nothing yet."""
