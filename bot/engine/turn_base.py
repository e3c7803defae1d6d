"""What every part of a turn shares: the state it works on and the interface step kinds use.

`Turn` (bot/engine/turn.py) is built from three parts: this state, `Asking` (how a question is
put and where the conversation goes next) and `Answering` (what happens to an answer). Each
method a part or a kind calls on another part is declared here once, so the parts stay
separate modules and mypy still checks every call.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from bot.engine.kinds import kind_for
from bot.engine.kinds.base import StepKind
from bot.engine.outcome import Effect, Outcome, Reply, ReplyButton
from bot.engine.signals.identifiers import IdentifierHit
from bot.engine.state import ActionItem, Answer, Context, Conversation, Session
from bot.engine.understand.corrections import Correction
from supervision_models.schema import ReflectionModel, Step


class TurnBase:
    def __init__(
        self, conversation: Conversation, active: Session | None, ctx: Context, owned: bool = False
    ) -> None:
        self.ctx = ctx
        self.conv = conversation if owned else conversation.model_copy(deep=True)
        self.session = active if owned or active is None else active.model_copy(deep=True)
        self.replies: list[Reply] = []
        self.effects: list[Effect] = []
        self._changed: dict[str, Session] = {}

    def outcome(self) -> Outcome:
        if self.session is not None and self.session.id in self._changed:
            self._changed[self.session.id] = self.session
        return Outcome(self.conv, list(self._changed.values()), self.replies, self.effects)

    def say(self, template: str, kind: str = "info", **values: Any) -> None:
        self.replies.append(Reply(template=f"chat/{template}.j2", vars=values, kind=kind))  # type: ignore[arg-type]

    def say_with(
        self, buttons: tuple[ReplyButton, ...], template: str, kind: str = "info", **values: Any
    ) -> None:
        self.say(template, kind, **values)
        self.replies[-1] = _with_buttons(self.replies[-1], buttons)

    def touch(self, session: Session) -> None:
        session.updated_at = self.ctx.now
        self._changed[session.id] = session

    @property
    def active(self) -> Session:
        assert self.session is not None
        return self.session

    @property
    def model(self) -> ReflectionModel:
        return self.ctx.models.get(self.active.model_id, self.active.model_version)

    def current_step(self) -> Step | None:
        if self.session is None or self.session.cursor is None:
            return None
        return self.model.step(self.session.cursor.step_id)

    def step_and_kind(self) -> tuple[Step, StepKind]:
        step = self.current_step()
        assert step is not None
        return step, kind_for(step)

    # ----------------------------------------------------------------- the parts' interface

    def complete(self) -> None:
        raise NotImplementedError

    def advance(self, remember: bool = True) -> None:
        raise NotImplementedError

    def ask(self, previous: str | None = None, reminder: bool = False) -> None:
        raise NotImplementedError

    def step_vars(self) -> dict[str, Any]:
        raise NotImplementedError

    def nav_buttons(self, followup: bool = False) -> tuple[ReplyButton, ...]:
        raise NotImplementedError

    def risk_buttons(self) -> tuple[ReplyButton, ...]:
        raise NotImplementedError

    def record(
        self,
        text: str,
        *,
        followup: str | None = None,
        item_id: str | None = None,
        field: str | None = None,
        extra: bool = False,
        private: bool | None = None,
    ) -> Answer:
        raise NotImplementedError

    def item_id_at(self, cursor: Any = None) -> str | None:
        raise NotImplementedError

    def after_answer(self, step: Step, text: str) -> None:
        raise NotImplementedError

    def after_answer_decided(self) -> None:
        raise NotImplementedError

    def risk_alert(self, text: str, hits: list[IdentifierHit] | None = None) -> bool:
        raise NotImplementedError

    def accept_case_ref(self, case_ref: str) -> None:
        raise NotImplementedError

    def read_back(self, template: str, step: Step, **values: Any) -> None:
        raise NotImplementedError

    def confirm_or_correct(
        self,
        step: Step,
        text: str,
        correct: Callable[[TurnBase, Step, Correction], bool],
        add_more: Callable[[str], None],
        listed: Sequence[str] = (),
    ) -> None:
        raise NotImplementedError

    def confirm_done(self, step: Step) -> None:
        raise NotImplementedError

    def use_roles(self) -> None:
        raise NotImplementedError

    def previous_answer(self, cursor: Any) -> str | None:
        raise NotImplementedError

    @staticmethod
    def due_words(action: ActionItem) -> str | None:
        raise NotImplementedError


def _with_buttons(reply: Reply, buttons: tuple[ReplyButton, ...]) -> Reply:
    return Reply(
        template=reply.template,
        vars=reply.vars,
        kind=reply.kind,
        buttons=buttons,
        free_text=reply.free_text,
        step_id=reply.step_id,
    )
