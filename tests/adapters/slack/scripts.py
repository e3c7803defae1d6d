"""Invented reflections used by the Slack scenario tests (no real people, places or cases).

Answers are keyed by (question kind, step id) as the adapter tags them on the actions block,
so the scripts follow the model even when steps are added; an unscripted step is skipped.
"""

from __future__ import annotations

from typing import Any

from bot.engine.state import Session
from tests.adapters.slack.driver import SlackWorld, Worker

CASE = "HX-2291"
SENSES_VAGUE = "It was pretty bad"
SENSES_CONCRETE = (
    "Feet sticking to the kitchen floor, a smell of stale smoke, and the telly loud the whole visit"
)
CHILD_DAY = "The younger child gets herself up and walks to school; there was no breakfast in the house"
CHILD_WORDS = "She said mum sleeps a lot and she makes the cereal herself"
HYPOTHESES = ("Mum is low and struggling to get up in the mornings", "Dad's drinking has started again")
EVIDENCE = (
    "Mum was still in bed at eleven",
    "Mum talked openly with me about the school letters",
    "A smell of alcohol in the hall",
    "Dad says he stopped in the spring",
)
CHALLENGE = "Maybe mum is coping better than the house suggests and the school view is out of date"
ACTIONS = (
    "Ask the GP about mum's health / me / Friday\nCheck attendance with the school / team manager / 3 June"
)

POST_VISIT: dict[tuple[str, str], Any] = {
    ("prompt", "case_ref"): CASE,
    ("prompt", "visit_type"): ("click", "choice:unannounced@"),
    ("prompt", "senses"): SENSES_VAGUE,
    ("followup", "senses"): SENSES_CONCRETE,
    ("prompt", "child_day"): CHILD_DAY,
    ("prompt", "seen_alone"): "yes",
    ("prompt", "child_words"): CHILD_WORDS,
    ("prompt", "feelings"): "Uneasy during the visit, and flat and tired by the end of it",
    ("prompt", "functional_anxiety"): "If I felt that flat after an hour, she may feel it every day",
    ("prompt", "worry_sorting"): "Mostly about her; a little about the review date",
    ("prompt", "support"): "A debrief with my manager tomorrow morning",
    ("prompt", "hypotheses"): "\n".join(HYPOTHESES),
    ("confirm", "hypotheses"): "yes",
    ("prompt", "hypothesis_evidence"): list(EVIDENCE),
    ("prompt", "leading"): "1",
    ("prompt", "devils_advocate"): CHALLENGE,
    ("prompt", "strengths"): "The younger child was clean, chatty and proud of her drawing",
    ("prompt", "parent_view"): "Mum says the school are against her and nobody listens",
    ("prompt", "worries"): "We don't know how the older child is getting on at college",
    ("prompt", "classification"): "ticking clock",
    ("prompt", "actions"): ACTIONS,
    ("confirm", "actions"): "yes",
    ("prompt", "share_feelings"): "keep private",
}


def note_sections(messages: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """A note posted as messages, as (header, text under it) pairs in order."""
    sections: list[tuple[str, str]] = []
    for message in messages:
        for block in message["blocks"]:
            if block["type"] == "header":
                sections.append((block["text"]["text"], ""))
            elif block["type"] == "section":
                title, text = sections[-1] if sections else ("", "")
                if sections:
                    sections[-1] = (title, text + block["text"]["text"])
                else:
                    sections.append(("", block["text"]["text"]))
    return sections


def under(sections: list[tuple[str, str]], words: str) -> str:
    """The header a piece of text sits under."""
    for title, text in sections:
        if words in text:
            return title
    raise AssertionError(f"{words!r} is not in the note")


async def sessions(
    world: SlackWorld, worker: Worker, statuses: tuple[str, ...] = ("complete",)
) -> list[Session]:
    async with world.runtime.store.read() as tx:
        return await tx.sessions_for(owners=[worker.owner], statuses=statuses)


async def active_session(world: SlackWorld, worker: Worker) -> Session | None:
    async with world.runtime.store.read() as tx:
        conversation = await tx.load_conversation(worker.key.as_str())
        if conversation is None or conversation.active_session_id is None:
            return None
        return await tx.load_session(conversation.active_session_id)


async def start_and_reach(worker: Worker, step: str) -> None:
    """Start a post-visit reflection by DM and answer from the script until `step` is asked."""
    await worker.say("reflect")
    for _ in range(40):
        asked = worker.question()
        assert asked is not None
        if asked == ("prompt", step):
            return
        answer = POST_VISIT.get(asked, "skip")
        if isinstance(answer, list):
            answer = answer[0]
        if isinstance(answer, tuple):
            await worker.click(answer[1])
        else:
            await worker.say(answer)
    raise AssertionError(f"never reached {step}")
