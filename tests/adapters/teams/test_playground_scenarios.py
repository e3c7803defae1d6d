"""Whole conversations in Microsoft's Agents Playground (a local Teams), driven by headless Chromium.

The real server (`bot.server.build_app`, SQLite file, migrations, anonymous Teams auth) runs in
this test's event loop; the Playground posts to its /api/messages and shows the replies; the
test types in the Playground's own message box and presses the bot's Adaptive Card buttons.
Other members of a group speak through the Playground's custom activities (`send_as`).

Locally these tests are skipped when Node, `tests/playground/node_modules` (`npm ci --prefix
tests/playground`) or Chromium is missing; in CI they fail instead. Screenshots go to
$REFLECT_TEST_PLAYGROUND_SCREENSHOTS (a directory) when it is set.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import docx
import pytest

from bot.adapters.teams import markup
from bot.adapters.teams.agent import group_channel_key
from bot.engine.group_state import GroupSession
from bot.service import owner_of
from bot.turns import ConversationKey
from tests.adapters.teams.driver import TeamsWorld, run_connector, serve_teams, teams_settings
from tests.support import worded_visit
from tests.support.playground import EDITOR, Playground, PlaygroundUnavailable, start_playground
from tests.support.services import require_service

pytestmark = [
    pytest.mark.playground,
    pytest.mark.timeout(300),
    pytest.mark.filterwarnings("ignore::aiohttp.web.NotAppKeyWarning"),
]

SCREENSHOTS = os.environ.get("REFLECT_TEST_PLAYGROUND_SCREENSHOTS")
T = TypeVar("T")


@contextlib.asynccontextmanager
async def teams_and_playground(tmp_path: Path) -> AsyncIterator[tuple[TeamsWorld, Playground]]:
    async with serve_teams(teams_settings(str(tmp_path / "reflect.db"))) as world:
        problem = ""
        try:
            async with start_playground(f"{world.url}/api/messages") as pg:
                yield world, pg
                return
        except PlaygroundUnavailable as exc:
            problem = str(exc)
        require_service(f"Microsoft 365 Agents Playground unavailable: {problem}")


async def screenshot(pg: Playground, name: str, tmp_path: Path) -> Path:
    folder = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"teams-{name}.png"
    await pg.screenshot(path)
    return path


async def eventually(probe: Callable[[], Awaitable[T | None]], what: str, timeout: float = 20.0) -> T:
    """Poll until `probe` returns something (for turns that post no reply)."""
    deadline = time.monotonic() + timeout
    while True:
        found = await probe()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.1)


# ---------------------------------------------------------------------- a personal reflection

PARENT_VIEW = (
    "Mum says the school are against her & nobody listens [see letter](https://example.invalid/letter)"
)


async def answer(pg: Playground, text: str, next_question: str) -> None:
    await pg.send(text)
    await pg.wait_for_bot_text(next_question)


async def press(pg: Playground, label: str, next_question: str) -> None:
    await pg.click_card_button(label)
    await pg.wait_for_bot_text(next_question)


async def test_a_whole_reflection_typed_in_words_in_the_personal_chat(tmp_path: Path) -> None:
    """The sibling of the scripted personal reflection below, typed as a worker types in Teams:
    no option numbers, no buttons, several items in one message."""
    async with teams_and_playground(tmp_path) as (world, pg):
        await pg.wait_for_bot_text("Type *reflect*", new=False, check_dom=False)
        await answer(pg, "reflect", "from your system (something like HX-2291)")
        for message in worded_visit.TYPED:
            before = len(pg.bot_message_objects())
            await pg.send(message)
            await eventually(
                lambda before=before: asyncio.sleep(0, len(pg.bot_message_objects()) > before),
                f"a reply to {message!r}",
            )
        await pg.wait_for_bot_text("**Post-visit reflection: HX-5120**", check_dom=False)
        owner = owner_of(
            ConversationKey("teams", pg.config["tenantId"], "-", pg.config["currentUser"]["aadObjectId"])
        )
        async with world.runtime.store.read() as tx:
            [session] = await tx.sessions_for(owners=[owner], statuses=("complete",))
            stored = await tx.latest_note(session.id)
        worded_visit.check_record(session, session.started_at.date())
        assert stored is not None
        worded_visit.check_note(stored.markdown)
        assert not any("couldn't tell which option" in t for t in pg.bot_messages())


async def test_a_whole_post_visit_reflection_in_the_personal_chat(tmp_path: Path) -> None:
    async with teams_and_playground(tmp_path) as (world, pg):
        await pg.wait_for_bot_text("Type *reflect*", new=False, check_dom=False)  # the hello, once
        await answer(pg, "reflect", "from your system (something like HX-2291)")
        await answer(pg, "HX-2291", "What kind of visit or contact was this?")
        await press(pg, "Unannounced home visit", "what did the place feel like")
        # the buttons are Universal Actions (Action.Execute): the Playground shows the card the
        # bot answered the press with, so the pressed card's stale buttons are gone
        await pg.wait_for_rendered_text("You pressed: Unannounced home visit")
        stale = pg.page.locator('.ac-adaptiveCard .ac-actionSet button[title="Announced home visit"]')
        assert await stale.count() == 0
        sent = [
            e["request"]["body"]
            for e in pg.activities(to_bot=True)
            if isinstance(e["request"].get("body"), dict)
        ]
        assert any(b.get("type") == "invoke" and b.get("name") == "adaptiveCard/action" for b in sent)
        await answer(pg, "It was pretty bad", "What did that actually look like")
        await answer(
            pg,
            "Feet sticking to the kitchen floor, a smell of stale smoke, and the telly loud the whole visit",
            "Walk me through an ordinary day",
        )
        await answer(
            pg,
            "The younger child gets herself up and walks to school; there was no breakfast in the house",
            "on their own, away from the adults",
        )
        await press(pg, "Yes, on their own", "What did the child say or show you")
        await answer(
            pg,
            "She said mum sleeps a lot and she makes the cereal herself",
            "How did you feel during the visit",
        )
        await answer(
            pg, "Uneasy during the visit, and flat and tired by the end of it", "Stay with that feeling"
        )
        await answer(
            pg,
            "If I felt that flat after an hour, she may feel it every day",
            "Worries after a visit come from",
        )
        await press(pg, "Skip", "what support do you need")
        await answer(
            pg, "A debrief with my manager tomorrow morning", "What might be going on for the child?"
        )
        await answer(
            pg,
            "Mum is low and struggling to get up in the mornings\nDad's drinking has started again",
            "I have 2 hypotheses",
        )
        await answer(pg, "yes", "What supports this so far")
        await answer(pg, "Mum was still in bed at eleven", "What doesn't fit with this")
        await answer(pg, "Mum talked openly with me about the school letters", "What supports this so far")
        await answer(pg, "A smell of alcohol in the hall", "What doesn't fit with this")
        await answer(pg, "Dad says he stopped in the spring", "Which of these seems most likely")
        await answer(pg, "1", "Let me play devil's advocate")
        await answer(
            pg,
            "Maybe mum is coping better than the house suggests and the school view is out of date",
            "What's going well",
        )
        await answer(
            pg, "The younger child was clean, chatty and proud of her drawing", "If the parent or carer"
        )
        await answer(pg, PARENT_VIEW, "What don't you know yet")
        await answer(
            pg,
            "We don't know how the older child is getting on at college",
            "How would you describe the situation",
        )
        await press(pg, "Ticking clock", "What happens next?")
        await answer(
            pg,
            "Ask the GP about mum's health / me / Friday\nCheck attendance with the school / team manager / 3 June",
            "I have 2 actions",
        )
        await answer(pg, "yes", "Your answers about how you felt are")
        await pg.click_card_button("Keep them private")
        await pg.wait_for_bot_text("**Post-visit reflection: HX-2291**", check_dom=False)

        # the note, as Teams shows it
        shown = [m.text for m in pg.bot_message_objects()]
        start = next(i for i, t in enumerate(shown) if t.startswith("**Post-visit reflection: HX-2291**"))
        note_parts = shown[start:]
        await pg.wait_for_rendered_text("Feet sticking to the kitchen floor")
        # the quoted markdown link stayed words: at most the bare address is linked, as itself
        links = await pg.page.eval_on_selector_all(
            'a[href*="example.invalid"]', "els => els.map(e => e.innerText)"
        )
        assert all("example.invalid" in text for text in links), links
        await pg.wait_for_rendered_text("[see letter](https://example.invalid/letter)")
        path = await screenshot(pg, "personal", tmp_path)

        # ...and stored complete
        owner = owner_of(
            ConversationKey("teams", pg.config["tenantId"], "-", pg.config["currentUser"]["aadObjectId"])
        )
        async with world.runtime.store.read() as tx:
            [session] = await tx.sessions_for(owners=[owner], statuses=("complete",))
            stored = await tx.latest_note(session.id)
        assert session.case_ref == "HX-2291" and session.platform == "teams"
        assert stored is not None
        assert "\n\n".join(note_parts) == markup.to_teams(stored.markdown)  # all of it, in order
        for said in (
            "It was pretty bad",
            "Feet sticking to the kitchen floor",
            "She said mum sleeps a lot",
            "Dad's drinking has started again",
            "A smell of alcohol in the hall",
            "coping better than the house suggests",
            PARENT_VIEW,
            "older child is getting on at college",
            "Ask the GP about mum's health",
        ):
            assert said in stored.markdown
            assert said in markup.unescape("\n".join(note_parts))
        assert "Unannounced home visit" in stored.markdown  # the card press, not the stale one
        assert "Whose worries are these?" not in stored.markdown  # skipped by its button
        assert path.exists()


# ---------------------------------------------------------------------- group supervision

STORY = "Three visits in a month, the curtains always closed, and the younger child quiet and watchful."
HYPOTHESES = {
    "Adele Vance": "Mum is depressed and cannot see the children's needs",
    "Isaiah Langer": "Someone else is living there and mum is scared",
    "Patti Fernandez": "The younger child is looking after mum",
}
CORRECTED = "Another adult may be living there and mum may be frightened"
ACTION = "Ask the school about attendance / Megan Bowen / Friday"


async def send_mentioning(pg: Playground, text: str, people: list[str]) -> None:
    """Type as the current user in a group chat, or as a new post in a channel: @bot, the text,
    then @each person, picked from the Playground's mention menu (so the mentions are real
    entities, as in Teams)."""
    page = pg.page
    pg._mark = set(pg._messages)
    channel = pg.view == "channel"
    await (page.locator(EDITOR).first if channel else page.locator(EDITOR).last).click()
    for name in [pg.config["bot"]["name"], None, *people]:
        if name is None:
            await page.keyboard.insert_text(f"{text} ")
            continue
        await page.keyboard.type("@")
        await page.get_by_role("menuitem", name=name).click()
        await page.keyboard.insert_text(" ")

    def is_send(r: Any) -> bool:
        return r.request.method == "POST" and "/_conversation/v1/conversations/" in r.url

    async with page.expect_response(is_send, timeout=20_000) as info:
        if channel:
            await page.get_by_role("button", name="Post", exact=True).click()
        else:
            await page.keyboard.press("Enter")
    assert (await info.value).status == 200


async def open_session(world: TeamsWorld, pg: Playground) -> GroupSession | None:
    key = ConversationKey("teams", pg.config["tenantId"], pg.conversation_id, "-")
    async with world.runtime.store.read() as tx:
        return await tx.groups.load_open(group_channel_key(key))


async def said_by(world: TeamsWorld, pg: Playground, who: str, text: str) -> None:
    """Another member speaks; wait until the bot has recorded it (many turns post no reply)."""
    user = pg.user(who)["id"]
    before = await open_session(world, pg)
    count = len(before.contributions) if before else 0
    await pg.send_as(who, text)

    async def recorded() -> GroupSession | None:
        session = await open_session(world, pg)
        new = session.contributions[count:] if session else []
        return session if any(c.speaker_id == user for c in new) else None

    await eventually(recorded, f"{who}'s contribution")


def role_of(roles_text: str, role: str) -> str:
    match = re.search(rf"\*{re.escape(role)}\*: ([^(\n]+?) \(", roles_text)
    assert match, roles_text
    return match.group(1)


async def test_group_supervision_in_a_group_chat_member_by_member(tmp_path: Path) -> None:
    async with teams_and_playground(tmp_path) as (world, pg):
        await pg.open_group_chat()
        members = ["Megan Bowen", "Adele Vance", "Isaiah Langer", "Patti Fernandez"]
        await send_mentioning(pg, "group", members)
        await pg.wait_for_bot_text("Can everyone agree to these?")

        # ground rules: the facilitator presses the card button, the others type
        await pg.click_card_button("We agree")
        for who in members[:-1]:
            await said_by(world, pg, who, "agree")
        await pg.send_as(members[-1], "agree")
        roles = await pg.wait_for_bot_text("Here are today's roles:")
        assert "*Facilitator*: Alex Wilber" in roles and "*Presenter*: Megan Bowen" in roles
        devil, observer = role_of(roles, "Devil's advocate"), role_of(roles, "Observer")
        assert {devil, observer} <= {"Adele Vance", "Isaiah Langer", "Patti Fernandez"} and devil != observer
        await pg.wait_for_bot_text("No case in mind?")

        await pg.send("HX-2291")
        await pg.wait_for_bot_text("Tell the story of the case")
        await pg.send_as("Adele Vance", "Was dad there?")
        await pg.wait_for_bot_text("This round is for Megan Bowen")
        await said_by(world, pg, "Megan Bowen", STORY)

        await pg.send("next")
        await pg.wait_for_bot_text("what would you like to ask the presenter?")
        await pg.send_as("Isaiah Langer", "You should do an unannounced visit")
        await pg.wait_for_bot_text("turn it into a question")
        await said_by(world, pg, "Adele Vance", "What did the younger child do while you talked to mum?")
        await said_by(world, pg, "Megan Bowen", "Sat by the door with her coat on.")

        await pg.send("next")
        await pg.wait_for_bot_text("A round of hypotheses:")
        await said_by(world, pg, "Adele Vance", HYPOTHESES["Adele Vance"])
        await pg.send_as("Isaiah Langer", HYPOTHESES["Isaiah Langer"])
        quiet = await pg.wait_for_bot_text("haven't heard from")
        assert "Alex Wilber" in quiet and "Patti Fernandez" in quiet  # the quiet, invited by name
        await said_by(world, pg, "Patti Fernandez", HYPOTHESES["Patti Fernandez"])
        await pg.send("pass")
        await pg.wait_for_bot_text("Everyone has contributed to")
        await pg.send("timebox 5")
        await pg.wait_for_bot_text("has 5 minutes. I'll say when we go over.")

        await pg.send("next")
        await pg.wait_for_bot_text(f"({devil}), over to you")
        await said_by(world, pg, devil, "Maybe the closed curtains are about a night-shift job, not low mood")

        await pg.send("next")
        await pg.wait_for_bot_text("Let's put ourselves in the child's shoes")
        await said_by(world, pg, "Megan Bowen", "Lonely, and always listening out for mum")
        await said_by(world, pg, "Adele Vance", "Like being the grown-up at seven")
        await said_by(world, pg, "Alex Wilber", "Always on guard, waiting for the next thing to go wrong")

        await pg.send("next")
        await pg.wait_for_bot_text("having heard all that")
        await said_by(world, pg, "Megan Bowen", "I had not thought about who else might be in the house")

        await pg.send("next")
        await pg.wait_for_bot_text("What happens next?")
        await pg.send_as("Megan Bowen", ACTION)
        await pg.wait_for_bot_text("Noted")

        await pg.send("next")
        await pg.wait_for_bot_text(f"({observer}): what did you notice")
        await said_by(world, pg, observer, "We stayed curious, and the child stayed in view")

        await pg.send("next")
        await pg.wait_for_bot_text("To close, a check-out")
        await said_by(world, pg, "Isaiah Langer", "Thoughtful")

        await pg.send("end")
        await pg.wait_for_bot_text("please check your own contributions")
        draft = await pg.wait_for_bot_text("Group supervision minutes", new=False, check_dom=False)
        line = next(x for x in draft.split("\n") if HYPOTHESES["Isaiah Langer"] in x)
        number = re.match(r"(\d+)&#46; ", line)
        assert number, line
        # the members answer: Isaiah corrects, Megan and Adele confirm in words, Alex (the
        # facilitator, who spoke in the child's round) presses the card's button, Patti is silent
        await pg.send_as("Isaiah Langer", f"correct {number.group(1)}: {CORRECTED}")
        await pg.wait_for_bot_text(f"contribution {number.group(1)} is corrected")
        await pg.send_as("Megan Bowen", "ok thats right")
        await pg.wait_for_bot_text("Megan Bowen: your contributions are confirmed")
        await pg.send_as("Adele Vance", "yes fine")
        await pg.wait_for_bot_text("Adele Vance: your contributions are confirmed")
        await pg.click_card_button("Confirm mine")  # Action.Execute: an adaptiveCard/action invoke
        await pg.wait_for_bot_text("Alex Wilber: your contributions are confirmed")
        # the invoke's answer replaces the card for Alex alone: his own contributions
        await pg.wait_for_rendered_text("Alex Wilber, your contributions in the draft minutes: confirmed")
        await pg.wait_for_rendered_text("Always on guard, waiting for the next thing to go wrong")
        await screenshot(pg, "group-review-own-view", tmp_path)
        await pg.send("file")
        asked = await pg.wait_for_bot_text("File the minutes anyway?")
        assert "Patti Fernandez hasn't confirmed" in asked
        await pg.click_card_button("File anyway")
        await pg.wait_for_bot_text("Patti Fernandez did not respond")
        filed_note = await pg.wait_for_bot_text("**Group supervision minutes: HX-2291**", check_dom=False)
        await pg.wait_for_rendered_text(CORRECTED)
        path = await screenshot(pg, "group", tmp_path)

        # the filed minutes hold what was said, by whom, in which role
        key = ConversationKey("teams", pg.config["tenantId"], pg.conversation_id, "-")
        async with world.runtime.store.read() as tx:
            assert await tx.groups.load_open(group_channel_key(key)) is None
            from sqlalchemy import select

            from storage.tables import GroupSessionRow

            group_id = await tx.db.scalar(select(GroupSessionRow.id).where(GroupSessionRow.status == "filed"))
            assert group_id is not None
            loaded = await tx.groups.load(group_id)
        assert loaded is not None
        session, minutes = loaded
        assert minutes is not None and session.status == "filed" and session.case_ref == "HX-2291"
        for words in (
            STORY,
            "You should do an unannounced visit",
            "Sat by the door with her coat on.",
            HYPOTHESES["Adele Vance"],
            HYPOTHESES["Patti Fernandez"],
            CORRECTED + " _(corrected by its author)_",
            "night-shift job",
            "Like being the grown-up at seven",
            "who else might be in the house",
            "We stayed curious",
            "Ask the school about attendance",
            "- Megan Bowen: presenter",
            "- Alex Wilber: facilitator",
            f"- {devil}: devils advocate",
            f"- {observer}: observer",
            "## Observer's reflections on the process",
            "**Confirmed their contributions:** Alex Wilber, Megan Bowen, Adele Vance",
            "**Corrected their contributions:** Isaiah Langer (1 correction)",
            "**Did not respond:** Patti Fernandez",
        ):
            assert words in minutes, words
        assert "(advice): You should do an unannounced visit" in minutes
        assert HYPOTHESES["Isaiah Langer"] not in minutes  # corrected by its author
        assert CORRECTED in markup.unescape(filed_note)
        attendees = {p.name for p in session.attendees()}
        assert attendees == {"Alex Wilber", *members}
        assert path.exists()


async def test_group_supervision_in_a_teams_channel_runs_in_the_post_s_thread(tmp_path: Path) -> None:
    async with teams_and_playground(tmp_path) as (world, pg):
        await pg.open_channel("General")
        await send_mentioning(pg, "group", ["Megan Bowen", "Adele Vance"])
        await pg.wait_for_bot_text("Can everyone agree to these?")
        thread = pg.bot_message_objects()[-1].conversation_id
        assert thread.startswith(f"{pg.conversation_id};messageid=")  # the post's thread

        await pg.click_card_button("We agree")
        for who in ("Megan Bowen", "Adele Vance"):  # members reply in the thread
            await pg.send_as(who, "agree", conversation_id=thread)
        await pg.wait_for_bot_text("Here are today's roles:")
        await pg.send("skip", reply=True)
        await pg.wait_for_bot_text("Tell the story of the case")
        replies = [m for m in pg.bot_message_objects() if not m.text.startswith("Hello.")]  # not the hello
        assert {m.conversation_id for m in replies} == {thread}

        # one session for the channel, whichever thread people write in
        session = await open_session(world, pg)
        assert session is not None and session.status == "in_progress"
        assert session.channel_key == f"teams:{pg.config['tenantId']}:{pg.conversation_id}"
        assert {p.name for p in session.attendees()} == {"Alex Wilber", "Megan Bowen", "Adele Vance"}
        await screenshot(pg, "channel", tmp_path)


# ---------------------------------------------------------------------- message extension, files


async def custom_invoke(pg: Playground, name: str, value: dict[str, Any]) -> None:
    """An invoke from the current user into the open view, as "Custom activity" sends it."""
    me = pg.config["currentUser"]
    act = await pg._template(pg.conversation_id, None)
    act.update(
        type="invoke",
        name=name,
        value=value,
        **{"from": {"id": me["id"], "name": me["name"], "aadObjectId": me.get("aadObjectId")}},
    )
    await pg.post_custom_activity(act)


async def test_reflect_on_this_message_and_an_export_file_through_the_playground(tmp_path: Path) -> None:
    """The Playground (0.2.28) reads no app manifest, so it draws no message-action menu, and
    it implements neither file consent cards nor dialogs opened from a bot's card. Its
    "Custom activity" forwards the invokes Teams would send for them, logs the bot's invoke
    responses and shows what the bot says in the chat. The upload URL is a local stand-in
    for OneDrive."""
    async with run_connector() as onedrive, teams_and_playground(tmp_path) as (world, pg):
        await pg.wait_for_bot_text("Type *reflect*", new=False, check_dom=False)
        await answer(pg, "hi", "")  # any reply: the personal chat now exists for the bot
        personal = pg.conversation_id
        me = pg.config["currentUser"]
        await pg.open_group_chat()
        booking = "<p>visit booked tues 2pm for <b>hx 5120</b>, can someone cover pls</p>"
        message = {"id": "1", "body": {"contentType": "html", "content": booking}}
        await custom_invoke(
            pg,
            "composeExtension/submitAction",
            {
                "commandId": "reflectOnMessage",
                "commandContext": "message",
                "messagePayload": message,
                "data": {"reflect": "start", "case": "HX-5120"},
            },
        )

        def asked() -> list[Any]:
            return [m for m in pg.bot_message_objects(all_views=True) if "What kind of visit" in m.text]

        await pg._wait_until(asked, 20.0, "the reflection's first question")
        assert asked()[-1].conversation_id.split(";")[0] == personal  # in the personal chat
        owner = owner_of(ConversationKey("teams", pg.config["tenantId"], "-", me["aadObjectId"]))
        async with world.runtime.store.read() as tx:
            [session] = await tx.sessions_for(owners=[owner], statuses=("in_progress",))
        assert session.case_ref == "HX-5120"

        await pg.open_personal_chat()
        await answer(pg, "unannounced, nursery rang this morning", "what did the place feel like")
        # the long-answer dialog: the Playground has no dialogs for bots, so the two invokes
        # Teams sends (open, then send) go as custom activities; the answer lands as typed
        box = next(
            a
            for m in reversed(pg.bot_message_objects())
            for att in m.raw.get("attachments") or []
            for a in (att.get("content") or {}).get("actions") or []
            if a.get("title") == "Answer in a larger box"
        )
        await custom_invoke(pg, "task/fetch", {"data": box["data"]})

        def fetched() -> dict[str, Any] | None:  # the log entry, once it holds the bot's answer
            for e in pg.activities(to_bot=True):
                body = (e.get("response") or {}).get("body")
                if (e["request"].get("body") or {}).get("name") == "task/fetch" and isinstance(body, dict):
                    return e
            return None

        opened = await pg._wait_until(fetched, 20.0, "the dialog the bot opens")
        dialog = opened["response"]["body"]["task"]
        assert opened["response"]["statusCode"] == 200 and dialog["type"] == "continue"
        assert any(b.get("isMultiline") for b in dialog["value"]["card"]["content"]["body"])
        long_answer = "bins overflowing by the back door, sour milk smell\nbaby in a wet nappy, telly loud"
        answer_data = {"dialog": "answer", "mark": box["data"]["mark"], "answer": long_answer}
        await custom_invoke(pg, "task/submit", {"data": answer_data})
        await pg.wait_for_bot_text("ordinary day", check_dom=False)
        async with world.runtime.store.read() as tx:
            stored = await tx.load_session(session.id)
        assert stored is not None and [a.text for a in stored.answers if a.step_id == "senses"] == [
            long_answer
        ]
        await answer(pg, "finish", "Here is your note for supervision")
        await pg.send("export month docx")
        entry = await pg.wait_for_activity(
            lambda a: any(
                (x or {}).get("contentType") == "application/vnd.microsoft.teams.card.file.consent"
                for x in a.get("attachments") or []
            ),
            timeout=30.0,
            to_bot=False,
        )
        [consent] = entry["request"]["body"]["attachments"]
        upload_info = {
            "name": consent["name"],
            "uploadUrl": onedrive.upload_url(consent["name"]),
            "contentUrl": f"https://contoso-my.sharepoint.example/{consent['name']}",
            "uniqueId": "1A2B",
            "fileType": "docx",
        }
        await custom_invoke(
            pg,
            "fileConsent/invoke",
            {
                "type": "fileUpload",
                "action": "accept",
                "context": consent["content"]["acceptContext"],
                "uploadInfo": upload_info,
            },
        )
        await pg.wait_for_bot_text("to your OneDrive", check_dom=False)
        [upload] = onedrive.uploads
        document = docx.Document(io.BytesIO(upload.data))
        assert "HX-5120" in "\n".join(p.text for p in document.paragraphs) + "".join(
            c.text for t in document.tables for r in t.rows for c in r.cells
        )
        await screenshot(pg, "file-saved", tmp_path)
