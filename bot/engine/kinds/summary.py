"""A summary drafted by AI help: shown to the worker, who approves it, edits it or leaves it out.

Nothing of a draft enters the note unless the worker approved it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.engine.kinds.choice import ChoiceKind
from bot.engine.outcome import DraftSummary, Reply
from bot.engine.state import AiDraft
from supervision_models.schema import Step

if TYPE_CHECKING:
    from bot.engine.turn_base import TurnBase


class SummaryKind(ChoiceKind):
    free_text = True

    def on_text(self, turn: TurnBase, step: Step, text: str) -> None:
        session = turn.active
        if session.awaiting == "summary_edit" or len(text.split()) >= 4:
            session.ai_summary = AiDraft(text=text, approved=True, edited_by_worker=True)
            session.awaiting = None
            turn.touch(session)
            turn.say("ai_summary_kept", outcome="edited")
            turn.advance()
            return
        super().on_text(turn, step, text)

    def unclear_twice(self, turn: TurnBase, step: Step, words: str) -> None:
        # Unclear about a draft means it stays out of the note: only approval lets it in.
        turn.active.held_text = None
        self.choose(turn, step, "discard", words="", noted=True)

    def choose(self, turn: TurnBase, step: Step, value: str, *, words: str, noted: bool) -> None:
        session = turn.active
        session.held_text = None
        if session.ai_summary is None:  # no draft to act on (it never arrived): ask for one
            turn.ask()
            return
        if value == "edit":
            session.awaiting = "summary_edit"
            turn.touch(session)
            turn.ask()
            return
        if value == "approve":
            session.ai_summary.approved = True
        else:
            session.ai_summary = None  # discarded: nothing of it enters the note
        turn.touch(session)
        turn.say("ai_summary_kept", outcome="approved" if value == "approve" else "discarded")
        turn.advance()

    def before_ask(self, turn: TurnBase, step: Step) -> bool:
        """Ask for a draft if there is none, or show the edit box. True when that was the reply."""
        session = turn.active
        if session.ai_summary is None:
            session.awaiting = "ai_summary"
            turn.touch(session)
            turn.effects.append(DraftSummary(session.id))
            return True
        if session.awaiting == "summary_edit":
            turn.replies.append(
                Reply(
                    template="chat/ai_summary_edit.j2",
                    vars={"draft": session.ai_summary.text},
                    kind="prompt",
                    buttons=turn.nav_buttons(),
                    free_text=True,
                    step_id=step.id,
                )
            )
            return True
        return False

    def on_drafted(self, turn: TurnBase, text: str | None) -> None:
        session = turn.active
        session.awaiting = None
        turn.touch(session)
        if text is None or not text.strip():
            # AI help let us down: pass over the step (and out of `back`, so it can't trap anyone).
            turn.advance(remember=False)
            return
        session.ai_summary = AiDraft(text=text.strip())
        turn.ask()
