"""Where a session goes next: conditions, looping steps and transitions of a model."""

from __future__ import annotations

from bot.engine.state import ActionItem, Cursor, Hypothesis, PledgeBrief, Session
from supervision_models.schema import END, ReflectionModel, Step


def session_hypotheses(session: Session) -> list[Hypothesis]:
    """Hypotheses formed in this session (carried ones are reviewed separately)."""
    return [h for h in session.hypotheses if h.step_id is not None]


def carried_hypotheses(session: Session) -> list[Hypothesis]:
    if session.previous is None:
        return []
    return [h for h in session.previous.hypotheses if h.status != "set_aside"]


def carried_open_actions(session: Session) -> list[ActionItem]:
    if session.previous is None:
        return []
    return [a for a in session.previous.actions if a.status == "open"]


def condition_holds(step: Step, session: Session, ai_available: bool = False) -> bool:
    if step.when == "always":
        return True
    if step.when == "ai_available":
        return ai_available
    if step.when == "case_has_history":
        return bool(carried_hypotheses(session) or carried_open_actions(session))
    if step.when == "case_has_hypotheses":
        return bool(carried_hypotheses(session))
    return bool(carried_open_actions(session))


def positions(step: Step, session: Session, ai_available: bool = False) -> list[Cursor]:
    """Every place inside a step where the worker is asked something."""
    if not condition_holds(step, session, ai_available):
        return []
    if step.kind == "hypothesis_evidence":
        return [
            Cursor(step_id=step.id, item=i, field=field)
            for i in range(len(session_hypotheses(session)))
            for field in ("for", "against")
        ]
    if step.kind == "review_hypotheses":
        return [Cursor(step_id=step.id, item=i) for i in range(len(carried_hypotheses(session)))]
    if step.kind == "review_actions":
        return [Cursor(step_id=step.id, item=i) for i in range(len(carried_open_actions(session)))]
    if step.kind == "leading" and len(session_hypotheses(session)) < 2:
        return []  # nothing to choose between
    return [Cursor(step_id=step.id)]


def _following(model: ReflectionModel, step: Step, session: Session) -> str:
    chosen = session.choices.get(step.id)
    if chosen is not None and chosen in step.branches:
        return step.branches[chosen]
    if step.next is not None:
        return step.next
    index = model.index_of(step.id)
    return model.steps[index + 1].id if index + 1 < len(model.steps) else END


def first_position_from(
    model: ReflectionModel, session: Session, step_id: str, ai_available: bool = False
) -> Cursor | None:
    """The first askable place at or after `step_id`; None means the model is finished."""
    current = step_id
    while current != END:
        step = model.step(current)
        found = positions(step, session, ai_available)
        if found:
            return found[0]
        current = _following(model, step, session)
    return None


def next_position(
    model: ReflectionModel, session: Session, cursor: Cursor, ai_available: bool = False
) -> Cursor | None:
    step = model.step(cursor.step_id)
    inside = positions(step, session, ai_available)
    for i, position in enumerate(inside):
        if position.item == cursor.item and position.field == cursor.field and i + 1 < len(inside):
            return inside[i + 1]
    following = _following(model, step, session)
    return None if following == END else first_position_from(model, session, following, ai_available)


def token(cursor: Cursor) -> str:
    """A short mark of a position, carried on buttons so a stale click is recognised."""
    return f"{cursor.step_id}.{cursor.item}.{cursor.field or ''}"


def latest_pledge(sessions: list[Session]) -> PledgeBrief | None:
    """The newest completed practice pledge among `sessions`, as a pledge review looks back on it."""
    made = [s for s in sessions if s.model_id == "practice_pledge" and s.status == "complete"]
    if not made:
        return None
    last = max(made, key=lambda s: s.ended_at or s.updated_at)
    point = next((a.text for a in last.live_answers("point") if a.field is None), None)
    words = next((a.text for a in last.live_answers("pledge") if a.field is None), None)
    return PledgeBrief(session_id=last.id, point=point, text=words, made_at=last.ended_at or last.updated_at)
