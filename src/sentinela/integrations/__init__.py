"""Integrations with other tools; each lives in its own subpackage and optional extra."""
