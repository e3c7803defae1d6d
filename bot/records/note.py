"""Compiling a session into its supervision note (Jinja2 templates in prompts/notes/).

The note keeps the worker's words verbatim under each lens, and keeps observations,
hypotheses, feelings and unverified concerns visibly apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from jinja2 import Environment, FileSystemLoader

from bot.engine.flow import carried_hypotheses, carried_open_actions, session_hypotheses
from bot.engine.state import Session
from bot.records.quality import IndicatorResult, indicators
from bot.wording import PROMPTS_DIR, make_environment
from supervision_models.schema import ReflectionModel

Audience = Literal["worker", "supervisor"]


@lru_cache(maxsize=8)
def note_labels(directory: Path = PROMPTS_DIR) -> dict[str, Any]:
    """The words of a note that are not the worker's: notes/labels.yaml of a prompts folder
    (prompts/ by default; another language is another folder)."""
    with (directory / "notes" / "labels.yaml").open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.safe_load(handle)
    return loaded


def lens_title(lens: str, directory: Path = PROMPTS_DIR) -> str:
    titles: dict[str, str] = note_labels(directory)["lens_titles"]
    return titles.get(lens, lens.title())


@dataclass(frozen=True)
class Entry:
    step_title: str
    category: str
    text: str
    followup: bool
    comment: bool = False  # the worker's words typed beside a choice, kept with it


@dataclass(frozen=True)
class LensSection:
    lens: str
    title: str
    entries: list[Entry]
    private: bool


@dataclass(frozen=True)
class NoteView:
    session: Session
    model: ReflectionModel
    audience: Audience
    sections: list[LensSection]
    hypotheses: list[dict[str, Any]]
    carried: list[dict[str, Any]]
    actions: list[dict[str, Any]]
    action_reviews: list[dict[str, Any]]
    evidence: list[dict[str, str]]
    indicators: list[IndicatorResult]
    private_withheld: bool
    # The worker's words at the structured questions (hypotheses, actions), quoted as typed
    # beside the items read from them, so the record shows what was said as well as what was read.
    as_typed: dict[str, list[str]] = field(default_factory=dict)
    category_labels: dict[str, str] = field(default_factory=lambda: dict(note_labels()["category_labels"]))
    # The AI-drafted summary, only once the worker approved it (as drafted or in their own edit).
    summary: ApprovedSummary | None = None


@dataclass(frozen=True)
class ApprovedSummary:
    """A summary an AI service drafted and the worker approved: never the worker's own words."""

    text: str
    edited_by_worker: bool


def build_note_view(
    session: Session, model: ReflectionModel, audience: Audience = "worker", directory: Path = PROMPTS_DIR
) -> NoteView:
    show_private = audience == "worker" or session.share_feelings
    steps = {s.id: s for s in model.steps}
    order: list[str] = []
    for model_step in model.steps:
        if model_step.lens not in order:
            order.append(model_step.lens)
    grouped: dict[str, list[Entry]] = {lens: [] for lens in order}
    private_lenses: set[str] = set()
    withheld = False
    structured = {
        "hypotheses",
        "hypothesis_evidence",
        "leading",
        "actions",
        "review_hypotheses",
        "review_actions",
    }
    for answer in session.live_answers():
        step = steps.get(answer.step_id)
        if step is None or step.kind in structured or step.kind == "case_ref":
            continue
        # The worker's own wellbeing: an answer flagged private, anything said at a private step
        # (follow-ups and comments included), and words typed at the sharing question itself.
        private = answer.private or step.private or step.kind == "share"
        if private and not show_private:
            withheld = True
            continue
        if private:
            private_lenses.add(step.lens)
        grouped[step.lens].append(
            Entry(
                step.title,
                answer.category,
                answer.text,
                answer.followup is not None,
                answer.field == "comment",
            )
        )
    # Follow-up answers on structured steps (e.g. a second hypothesis) are in the items below.
    sections = [
        LensSection(lens, lens_title(lens, directory), entries, lens in private_lenses)
        for lens, entries in grouped.items()
        if entries
    ]
    words = note_labels(directory)
    statuses: dict[str, str] = words["hypothesis_status"]
    not_reviewed: str = words["not_reviewed"]
    hypotheses = [
        {
            "statement": h.statement,
            "evidence_for": h.evidence_for,
            "evidence_against": h.evidence_against,
            "status": statuses.get(h.status, h.status.replace("_", " ").capitalize()),
        }
        for h in session_hypotheses(session)
    ]
    review_words: dict[str, str] = words["hypothesis_review"]
    carried = [
        {
            "statement": h.statement,
            "now": review_words.get(session.hypothesis_updates.get(h.id, ""), not_reviewed),
        }
        for h in carried_hypotheses(session)
    ]
    actions = [
        {
            "what": a.what,
            "who": a.who,
            "due": a.due.strftime(words["due_date_format"]) if a.due else a.due_text,
            "status": a.status,
        }
        for a in session.actions
    ]
    action_words: dict[str, str] = words["action_review"]
    action_reviews = [
        {"what": a.what, "now": action_words.get(session.action_updates.get(a.id, ""), not_reviewed)}
        for a in carried_open_actions(session)
    ]
    evidence = [{"source": e.source, "text": e.text} for e in session.evidence]
    as_typed: dict[str, list[str]] = {"hypotheses": [], "actions": []}
    for answer in session.live_answers():
        step = steps.get(answer.step_id)
        if step is not None and step.kind in as_typed and answer.field != "comment":
            as_typed[step.kind].append(answer.text)
    draft = session.ai_summary
    summary = ApprovedSummary(draft.text, draft.edited_by_worker) if draft and draft.approved else None
    return NoteView(
        session=session,
        model=model,
        audience=audience,
        sections=sections,
        hypotheses=hypotheses,
        carried=carried,
        actions=actions,
        action_reviews=action_reviews,
        evidence=evidence,
        indicators=indicators(session, model),
        private_withheld=withheld,
        as_typed=as_typed,
        category_labels=dict(words["category_labels"]),
        summary=summary,
    )


class NoteCompiler:
    def __init__(self, env: Environment | None = None) -> None:
        self.env = env or make_environment()
        loader = self.env.loader
        found = loader.searchpath[0] if isinstance(loader, FileSystemLoader) and loader.searchpath else None
        self.directory = Path(found) if found else PROMPTS_DIR

    def markdown(self, session: Session, model: ReflectionModel, audience: Audience = "worker") -> str:
        view = build_note_view(session, model, audience, self.directory)
        return self.env.get_template("notes/supervision_note.md.j2").render(note=view).strip() + "\n"
