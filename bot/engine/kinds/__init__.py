"""One module per step kind; `kind_for` maps a step to the object that understands it."""

from __future__ import annotations

from bot.engine.kinds.actions import ActionsKind
from bot.engine.kinds.base import StepKind
from bot.engine.kinds.case_ref import CaseRefKind
from bot.engine.kinds.choice import ChoiceKind, ShareKind
from bot.engine.kinds.evidence import HypothesisEvidenceKind, PledgeEvidenceKind
from bot.engine.kinds.hypotheses import HypothesesKind
from bot.engine.kinds.review import LeadingKind, ReviewActionsKind, ReviewHypothesesKind
from bot.engine.kinds.summary import SummaryKind
from supervision_models.schema import Step

KINDS: dict[str, StepKind] = {
    "text": StepKind(),
    "case_ref": CaseRefKind(),
    "choice": ChoiceKind(),
    "share": ShareKind(),
    "leading": LeadingKind(),
    "review_hypotheses": ReviewHypothesesKind(),
    "review_actions": ReviewActionsKind(),
    "hypotheses": HypothesesKind(),
    "hypothesis_evidence": HypothesisEvidenceKind(),
    "evidence": PledgeEvidenceKind(),
    "actions": ActionsKind(),
    "ai_summary": SummaryKind(),
}


def kind_for(step: Step) -> StepKind:
    return KINDS[step.kind]


__all__ = ["KINDS", "StepKind", "kind_for"]
