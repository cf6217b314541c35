"""Use cases. Each service function owns its transaction and writes the audit event in it.

The CLI and the web app are thin layers: they parse input, call one of these functions and
render what it returns.
"""
