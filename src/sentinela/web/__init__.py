"""The analyst workspace: a FastAPI app over the same services as the CLI.

Build it with :func:`sentinela.web.app.create_app`; nothing happens at import time.
"""
