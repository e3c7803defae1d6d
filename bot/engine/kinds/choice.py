"""A question with options, answered by a button, a number or the worker's own words.

Words are read for the option they mean ("no she's a baby" is *No*, and "she's a baby" is
kept as the worker's comment). When no option is clear, the question is asked once more with
the options shown; the second time the words are kept as a comment and the conversation moves
on, so nobody is stuck in a loop. Typed words are never stored as the step's answer: the answer
is the option chosen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.engine.kinds.base import StepKind
from bot.engine.understand import choices
from supervision_models.schema import Choice, Step

if TYPE_CHECKING:
    from bot.engine.turn_base import TurnBase

# Options that hold "none of these" answers: where words are filed when no option was clear.
FALLBACK_VALUES = ("other", "unsure", "not_sure", "something_else")


class ChoiceKind(StepKind):
    free_text = False

    def on_text(self, turn: TurnBase, step: Step, text: str) -> None:
        session = turn.active
        options = self.options(turn, step)
        reading = choices.read_choice(text, options)
        if reading.value is not None:
            exact = _exact(text, reading.value, options)
            self.choose(
                turn, step, reading.value, words=_join(session.held_text, reading.rest), noted=not exact
            )
            return
        if session.held_text is None:
            session.held_text = text
            turn.touch(session)
            tied = [c.label for c in options if c.value in reading.candidates]
            turn.say(
                "choice_not_understood",
                options=[c.label for c in options],
                candidates=tied,
            )
            turn.ask(reminder=True)
            return
        self.unclear_twice(turn, step, _join(session.held_text, text))

    def on_choice(self, turn: TurnBase, step: Step, value: str) -> None:
        if not any(c.value == value for c in self.options(turn, step)):
            super().on_choice(turn, step, value)
            return
        self.choose(turn, step, value, words=turn.active.held_text or "", noted=False)

    def unclear_twice(self, turn: TurnBase, step: Step, words: str) -> None:
        """Still no clear option: keep the words where they belong and move on."""
        fallback = next((c for c in self.options(turn, step) if c.value in FALLBACK_VALUES), None)
        if fallback is not None:
            self.choose(turn, step, fallback.value, words=words, noted=True)
            return
        session = turn.active
        session.held_text = None
        turn.record(words, item_id=turn.item_id_at(), field="comment", private=self.private_words(step))
        turn.say("choice_kept_words", step_title=step.title)
        turn.advance()

    def choose(self, turn: TurnBase, step: Step, value: str, *, words: str, noted: bool) -> None:
        session = turn.active
        chosen = next(c for c in self.options(turn, step) if c.value == value)
        item_id = turn.item_id_at()
        session.held_text = None
        turn.record(chosen.label, item_id=item_id)
        if words:
            turn.record(words, item_id=item_id, field="comment", private=self.private_words(step))
        session.choices[step.id if item_id is None else f"{step.id}:{item_id}"] = value
        self.apply(turn, step, value, item_id)
        turn.touch(session)
        if noted:
            turn.say("choice_noted", label=chosen.label, comment=words or None)
        if words and turn.risk_alert(words):
            return  # the worker's words beside the choice suggest immediate risk: that comes first
        turn.advance()

    def apply(self, turn: TurnBase, step: Step, value: str, item_id: str | None) -> None:
        """What the chosen option changes beyond the record (overridden by kinds)."""

    def private_words(self, step: Step) -> bool:
        return step.private


class ShareKind(ChoiceKind):
    """Whether the worker shares their feelings answers. Anything typed here is theirs alone."""

    def apply(self, turn: TurnBase, step: Step, value: str, item_id: str | None) -> None:
        turn.active.share_feelings = value == "share"

    def private_words(self, step: Step) -> bool:
        return True

    def unclear_twice(self, turn: TurnBase, step: Step, words: str) -> None:
        # Unsure means private: sharing is only ever the worker's clear choice.
        self.choose(turn, step, "keep_private", words=words, noted=True)


def _exact(text: str, value: str, options: tuple[Choice, ...]) -> bool:
    """A number, a value or a whole label: nothing was inferred, so nothing to read back."""
    typed = " ".join(text.lower().strip().strip(".!").split())
    for n, option in enumerate(options, start=1):
        if option.value == value:
            return typed in {str(n), option.value.replace("_", " "), option.value, option.label.lower()}
    return False


def _join(held: str | None, rest: str) -> str:
    return " / ".join(part for part in (held, rest) if part and part.strip())
