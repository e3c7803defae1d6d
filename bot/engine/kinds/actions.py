"""Actions: every line kept, owner and date read from the worker's words, read back to correct.

An action whose owner or date cannot be read is still kept, shown as "not stated", and the
read-back asks for what is missing ("2: owner is my manager", "3 by fri", "drop 1").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.engine.kinds.base import StepKind
from bot.engine.state import ActionItem
from bot.engine.understand import actions, items
from bot.engine.understand.corrections import Correction
from supervision_models.schema import Step

if TYPE_CHECKING:
    from bot.engine.turn_base import TurnBase


class ActionsKind(StepKind):
    reads_back = True

    def on_text(self, turn: TurnBase, step: Step, text: str) -> None:
        turn.record(text)
        self.add(turn, step, actions.split_actions(text))
        turn.after_answer(step, text)

    def add(self, turn: TurnBase, step: Step, lines: list[str]) -> None:
        session = turn.active
        held = [a.what for a in self.held(turn, step)]
        parsed = [actions.parse_action(line, turn.ctx.now) for line in lines]
        fresh = set(items.unique_items([p.what for p in parsed], held))
        repeated = [p.what for p in parsed if p.what not in fresh]
        if repeated:
            turn.say("already_listed", items=repeated)
        for p in parsed:
            if p.what not in fresh:
                continue
            fresh.discard(p.what)
            session.actions.append(
                ActionItem(
                    id=f"{session.id}:a{len(session.actions) + 1}",
                    case_ref=session.case_ref,
                    what=p.what,
                    who=p.who,
                    due=p.due,
                    due_text=p.due_text,
                    session_id=session.id,
                    step_id=step.id,
                )
            )
        turn.touch(session)

    def held(self, turn: TurnBase, step: Step) -> list[ActionItem]:
        return [a for a in turn.active.actions if a.step_id == step.id]

    def read_back(self, turn: TurnBase, step: Step) -> None:
        listed = [
            {"n": n, "what": a.what, "who": a.who, "mine": actions.is_worker(a.who), "due": turn.due_words(a)}
            for n, a in enumerate(self.held(turn, step), start=1)
        ]
        turn.read_back(
            "chat/readback_actions.j2",
            step,
            actions=listed,
            missing=[a["n"] for a in listed if not a["who"] or not a["due"]],
        )

    def on_confirm(self, turn: TurnBase, step: Step, text: str) -> None:
        turn.confirm_or_correct(
            step,
            text,
            self.correct,
            lambda more: self.add(turn, step, actions.split_actions(more)),
            [a.what for a in self.held(turn, step)],
        )

    def correct(self, turn: TurnBase, step: Step, change: Correction) -> bool:
        held = self.held(turn, step)
        if change.op == "add":
            self.add(turn, step, actions.split_actions(change.value))
            return True
        if change.index is None or not 1 <= change.index <= len(held):
            return False
        target = held[change.index - 1]
        if change.op == "drop":
            turn.active.actions = [a for a in turn.active.actions if a.id != target.id]
        elif change.op == "replace" and change.value:
            target.what = change.value
        elif change.op == "set" and change.field == "owner" and change.value:
            target.who = actions.parse_owner(change.value) or change.value
        elif change.op == "set" and change.field == "due" and change.value:
            target.due = actions.parse_due(change.value, turn.ctx.now)
            target.due_text = change.value
        elif change.op == "set" and change.field == "what" and change.value:
            target.what = change.value
        else:
            return False
        return True
