"""The four uses of AI help, as the data each one sends (before pseudonymisation).

The context is always the session's structured answers, rebuilt for each call: never a
transcript of the conversation, never the worker's private feelings answers (their own
wellbeing data stays out of every AI call), never the case reference.

1. challenge: a devil's-advocate challenge written against the worker's own hypotheses;
2. followup: a concrete follow-up when an answer is vague;
3. summary: a drafted summary that the worker approves, edits or discards;
4. synthesis: a neutral synthesis of a group's round of hypotheses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.engine.flow import session_hypotheses
from bot.engine.group_state import GroupSession
from bot.engine.state import Session
from supervision_models.schema import ReflectionModel


@dataclass(frozen=True)
class UseRequest:
    """What one use needs: the data to send and every text the session holds (for placeholders)."""

    use: str
    session_id: str
    owner: str
    payload: dict[str, Any]
    session_texts: tuple[str, ...]
    known_names: tuple[str, ...] = ()


def _texts(session: Session) -> tuple[str, ...]:
    """Every text in the session in a stable order, so placeholders stay the same across calls."""
    texts = [a.text for a in session.answers]
    for h in session.hypotheses:
        texts += [h.statement, h.evidence_for or "", h.evidence_against or ""]
    for a in session.actions:
        texts += [a.what, a.who or "", a.due_text or ""]
    return tuple(t for t in texts if t)


def _observations(session: Session, model: ReflectionModel) -> list[dict[str, str]]:
    steps = {s.id: s for s in model.steps}
    kept = {"observation", "concern", "reflection"}
    found = []
    for answer in session.live_answers():
        step = steps.get(answer.step_id)
        if step is None or answer.private or step.kind != "text" or answer.category not in kept:
            continue
        found.append({"step": step.title, "kind": answer.category, "answer": answer.text})
    return found


def _hypotheses(session: Session) -> list[dict[str, Any]]:
    return [
        {
            "n": n,
            "statement": h.statement,
            "leading": h.status == "leading",
            "evidence_for": h.evidence_for or "",
            "evidence_against": h.evidence_against or "",
        }
        for n, h in enumerate(session_hypotheses(session), start=1)
    ]


def challenge(session: Session, model: ReflectionModel, known_names: Sequence[str] = ()) -> UseRequest:
    held = _hypotheses(session)
    if held and not any(h["leading"] for h in held) and len(held) == 1:
        held[0]["leading"] = True
    payload = {"hypotheses": held, "observations": _observations(session, model)}
    return UseRequest("challenge", session.id, session.owner, payload, _texts(session), tuple(known_names))


def followup(
    session: Session, model: ReflectionModel, step_id: str, known_names: Sequence[str] = ()
) -> UseRequest | None:
    step = model.step(step_id)
    answers = [a for a in session.live_answers(step_id) if a.followup is None]
    if not answers or step.private:  # a private feelings answer is never sent
        return None
    payload = {"step": step.title, "lens": step.lens, "answer": answers[-1].text}
    return UseRequest("followup", session.id, session.owner, payload, _texts(session), tuple(known_names))


def summary(session: Session, model: ReflectionModel, known_names: Sequence[str] = ()) -> UseRequest:
    payload = {
        "reflection": model.title,
        "answers": _observations(session, model),
        "hypotheses": _hypotheses(session),
        "actions": [
            {"what": a.what, "who": a.who or "", "by_when": a.due_text or ""} for a in session.actions
        ],
    }
    return UseRequest("summary", session.id, session.owner, payload, _texts(session), tuple(known_names))


def _group_texts(session: GroupSession) -> tuple[str, ...]:
    return tuple(c.final_text for c in session.contributions if c.final_text)


def _group_names(session: GroupSession) -> tuple[str, ...]:
    return tuple(p.name for p in session.attendees())


def synthesis(session: GroupSession, owner: str) -> UseRequest | None:
    """The group's hypotheses round, without who offered which."""
    offered = [
        c.final_text for c in session.contributions if c.round_id == "hypotheses" and c.kind == "hypothesis"
    ]
    if len(offered) < 2:
        return None
    payload = {"hypotheses": offered}
    return UseRequest("synthesis", session.id, owner, payload, _group_texts(session), _group_names(session))


def group_challenge(session: GroupSession, owner: str) -> UseRequest | None:
    offered = [
        c.final_text for c in session.contributions if c.round_id == "hypotheses" and c.kind == "hypothesis"
    ]
    if not offered:
        return None
    story = [c.final_text for c in session.contributions if c.round_id == "story"]
    payload = {
        "hypotheses": [{"n": n, "statement": s} for n, s in enumerate(offered, start=1)],
        "observations": [{"step": "The presenter's story", "answer": s} for s in story],
    }
    return UseRequest("challenge", session.id, owner, payload, _group_texts(session), _group_names(session))
