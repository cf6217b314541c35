"""The examination report: collected from the database, rendered as HTML, JSON and CSV."""
