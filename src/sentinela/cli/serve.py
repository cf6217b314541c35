"""`sentinela serve`: run the analyst workspace under uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

from sentinela.cli.state import state


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
) -> None:
    """Serve the analyst workspace (web pages and their JSON API).

    Session cookies are Secure: browsers send them to https:// sites and to localhost only,
    so put a TLS-terminating proxy in front of any other address.
    """
    import uvicorn

    from sentinela.web.app import create_app

    app = create_app(state(ctx).settings)
    typer.echo(f"Sentinela workspace on http://{host}:{port}/ (Ctrl+C to stop)")
    uvicorn.run(
        app, host=host, port=port, log_level="info", server_header=False, proxy_headers=False
    )
