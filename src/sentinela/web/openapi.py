"""Write the OpenAPI document of the workspace's JSON API (``docs/openapi.json``).

Run ``python -m sentinela.web.openapi > docs/openapi.json``; a test fails when the committed
snapshot differs from what the code describes. Building the document needs no database.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from sentinela.settings import Settings
from sentinela.web.app import create_app


def openapi_document() -> dict[str, Any]:
    """The OpenAPI document (no database is touched)."""
    settings = Settings(mode="development", data_dir=Path("/nonexistent/sentinela-openapi"))
    document: dict[str, Any] = create_app(settings).openapi()
    return document


def render_document() -> str:
    """The document as committed: sorted keys, two-space indent, final newline."""
    return json.dumps(openapi_document(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> None:
    """Print the document to standard output."""
    sys.stdout.write(render_document())


if __name__ == "__main__":
    main()
