"""Workspace settings that are not (yet) part of :class:`sentinela.settings.Settings`."""

from __future__ import annotations

from dataclasses import dataclass, field

from sentinela.services.auth import AuthPolicy
from sentinela.services.grading import ConsensusRule
from sentinela.services.review import QueueOptions


@dataclass(frozen=True)
class WorkspaceConfig:
    """Limits and rules of the web workspace.

    Attributes:
        auth: sign-in throttling, session lifetimes and password policy.
        consensus: how many agreeing grades make the national classification.
        queue: review queue page size and PDQ grouping threshold.
    """

    auth: AuthPolicy = field(default_factory=AuthPolicy)
    consensus: ConsensusRule = field(default_factory=ConsensusRule)
    queue: QueueOptions = field(default_factory=QueueOptions)
