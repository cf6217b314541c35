"""Ingest an exhibit, then triage it: the one step examiners run on a new exhibit.

Ingest and triage stay separate services (triage also runs on its own, after an import or on
``sentinela match``); this module is the use case that chains them, so the CLI and any later
front end get the same behaviour: an exhibit is never left ingested but untriaged.
"""

from __future__ import annotations

from dataclasses import dataclass

from sentinela.ingest.jobs import JobView
from sentinela.ingest.pipeline import IngestOptions, ingest_exhibit
from sentinela.ingest.progress import ProgressSink
from sentinela.services.case_matching import CaseMatch, triage_exhibit
from sentinela.services.context import ServiceContext


@dataclass(frozen=True)
class Examination:
    """What ingesting and triaging one exhibit did."""

    job: JobView
    triage: CaseMatch


def ingest_and_triage(
    ctx: ServiceContext,
    case_number: str,
    label: str,
    options: IngestOptions | None = None,
    progress: ProgressSink | None = None,
) -> Examination:
    """Ingest (or resume) the exhibit, then give each of its media items a triage class.

    Raises:
        The errors of :func:`~sentinela.ingest.pipeline.ingest_exhibit` and of
        :func:`~sentinela.services.case_matching.triage_exhibit`.
    """
    job = ingest_exhibit(ctx, case_number, label, options, progress)
    return Examination(job, triage_exhibit(ctx, case_number, label))
