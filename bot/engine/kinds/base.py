"""The one interface every step kind implements.

A kind owns how its question is understood: what the options are, what typed words or a
pressed button mean, what is read back for the worker to confirm or correct, and the extra
template values its prompt needs. Everything else (recording, moving, commands) is the turn's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from supervision_models.schema import Choice, Step

if TYPE_CHECKING:
    from bot.engine.turn_base import TurnBase


class StepKind:
    """Defaults suit a free-text question; kinds override what they read differently."""

    #: The worker may type an answer in their own words (choices are understood from words too,
    #: but their buttons are the main way in).
    free_text: bool = True
    #: Items built from the answer are read back and wait for "yes" or a correction.
    reads_back: bool = False

    def options(self, turn: TurnBase, step: Step) -> tuple[Choice, ...]:
        return step.choices

    def on_text(self, turn: TurnBase, step: Step, text: str) -> None:
        item_id = turn.item_id_at()
        turn.record(text, item_id=item_id)
        turn.after_answer(step, text)

    def on_choice(self, turn: TurnBase, step: Step, value: str) -> None:
        turn.say("stale_button", kind="warning")
        turn.ask()

    def on_followup_text(self, turn: TurnBase, step: Step, rule: str, text: str) -> None:
        """A follow-up's answer was recorded; build whatever items it holds."""

    def read_back(self, turn: TurnBase, step: Step) -> None:
        """Say what was understood and wait for confirmation (only when `reads_back`)."""

    def on_confirm(self, turn: TurnBase, step: Step, text: str) -> None:
        """The worker's reply to a read-back: "yes", a correction, or more items."""
        turn.confirm_done(step)

    def vars(self, turn: TurnBase, step: Step) -> dict[str, Any]:
        return {}
