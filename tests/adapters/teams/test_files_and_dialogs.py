"""Teams parity on the real endpoint: exports as files (file consent), the long-answer dialog,
Universal Actions (Action.Execute) and the message extension.

The Agents Playground (0.2.28, tests/playground) answers none of `fileConsent/invoke`,
`task/fetch` or `task/submit` for a bot, so these flows are driven here with the activities
Teams itself posts, against the real server (`bot.server.build_app`, SQLite file,
migrations) and a local connector that also stands in for OneDrive's upload URL.
"""

from __future__ import annotations

import io
import sqlite3
from typing import Any

import docx
import pypdf

from bot.adapters.teams import files
from bot.adapters.teams.universal import Execute, card_response, execute_card, with_refresh
from tests.adapters.teams.activities import (
    ADELE,
    ALEX,
    GROUP_CHAT,
    MEGAN,
    PERSONAL_CHAT,
    PERSONAL_KEY,
    TENANT,
    execute,
    group_message,
    invoke,
)
from tests.adapters.teams.driver import Connector, Posted, TeamsWorld, say


async def a_short_note(world: TeamsWorld, connector: Connector) -> None:
    for text in ("reflect", "hx 2291", "unannounced, nursery rang this morning", "finish"):
        await say(world, connector, text)


def consent_cards(connector: Connector) -> list[dict[str, Any]]:
    return [
        a
        for p in connector.posted
        for a in p.body.get("attachments") or []
        if a.get("contentType") == files.CONSENT
    ]


def held_rows(world: TeamsWorld) -> list[tuple[str, str, str]]:
    database = str(world.runtime.settings.database_url).split("///", 1)[1]
    with sqlite3.connect(database) as db:
        return db.execute("select token, title, data from teams_held_files").fetchall()


def accept(connector: Connector, card: dict[str, Any], name: str, **kw: Any) -> dict[str, Any]:
    return invoke(
        "fileConsent/invoke",
        {
            "type": "fileUpload",
            "action": "accept",
            "context": card["content"]["acceptContext"],
            "uploadInfo": {
                "name": name,
                "uploadUrl": connector.upload_url(name),
                "contentUrl": f"https://contoso-my.sharepoint.example/personal/alex/{name}",
                "uniqueId": "1A2B3C",
                "fileType": name.rsplit(".", 1)[1],
            },
        },
        service_url=connector.service_url,
        **kw,
    )


async def test_an_export_asked_for_in_the_personal_chat_arrives_as_a_docx_after_consent(
    world: TeamsWorld, connector: Connector
) -> None:
    await a_short_note(world, connector)
    connector.clear()
    assert await say(world, connector, "export month docx") == 202
    said = "\n".join(connector.texts())
    assert "slack" not in said.lower() and "reflect export" not in said
    [card] = consent_cards(connector)
    assert card["name"].endswith(".docx") and card["content"]["sizeInBytes"] > 1000
    assert "Confidential" in card["content"]["description"]
    assert card["content"]["acceptContext"] == card["content"]["declineContext"]
    # while the card waits the file is held encrypted: neither its bytes nor its title readable
    [(token, title, data)] = held_rows(world)
    assert card["content"]["acceptContext"] == {"held": token}
    assert "HX-2291" not in title and "Supervision record" not in title
    assert not data.startswith("UEsDB")  # base64 of a docx (zip) would start so

    connector.clear()
    status, _ = await world.invoke(accept(connector, card, "supervision-record.docx"))
    assert status == 200
    [upload] = connector.uploads
    size = len(upload.data)
    assert upload.headers["Content-Range"] == f"bytes 0-{size - 1}/{size}"
    assert size == card["content"]["sizeInBytes"]
    document = docx.Document(io.BytesIO(upload.data))  # a real Word document
    words = "\n".join(p.text for p in document.paragraphs) + "".join(
        c.text for t in document.tables for r in t.rows for c in r.cells
    )
    assert "HX-2291" in words
    [info] = [a for p in connector.posted for a in p.body.get("attachments") or []]
    assert info["contentType"] == files.INFO and info["name"] == "supervision-record.docx"
    assert info["content"] == {"uniqueId": "1A2B3C", "fileType": "docx"}
    assert "OneDrive" in connector.posted[-1].text
    assert held_rows(world) == []  # nothing kept once it is handed over

    # the same card pressed again (a second device): nothing uploaded twice, and a kind word
    connector.clear()
    status, _ = await world.invoke(accept(connector, card, "supervision-record.docx"))
    assert status == 200 and len(connector.uploads) == 1
    assert "no longer waiting" in connector.texts()[0]


async def test_a_pdf_upload_throttled_once_still_arrives_and_a_declined_export_is_deleted(
    world: TeamsWorld, connector: Connector
) -> None:
    await a_short_note(world, connector)
    connector.clear()
    await say(world, connector, "export month pdf")
    [card] = consent_cards(connector)
    connector.upload_failures.append((429, {"Retry-After": "0"}))
    status, _ = await world.invoke(accept(connector, card, "record.pdf"))
    assert status == 200
    [upload] = connector.uploads  # the 429 was retried
    reader = pypdf.PdfReader(io.BytesIO(upload.data))
    assert "HX-2291" in "".join(page.extract_text() for page in reader.pages)

    connector.clear()
    await say(world, connector, "export month md")
    [card] = consent_cards(connector)
    assert len(held_rows(world)) == 1
    decline = invoke(
        "fileConsent/invoke",
        {"type": "fileUpload", "action": "decline", "context": card["content"]["declineContext"]},
        service_url=connector.service_url,
    )
    connector.clear()
    status, _ = await world.invoke(decline)
    assert status == 200 and held_rows(world) == [] and len(connector.uploads) == 1
    assert "No problem" in connector.texts()[0] and "deleted my copy" in connector.texts()[0]


async def test_someone_else_cannot_take_a_held_export_nor_send_it_elsewhere(
    world: TeamsWorld, connector: Connector
) -> None:
    await a_short_note(world, connector)
    await say(world, connector, "export month docx")
    [card] = consent_cards(connector)
    # Megan, in her own personal chat, replays Alex's token: not hers, nothing uploaded
    other = accept(connector, card, "x.docx", sender=MEGAN, conversation="a:personal-chat-megan")
    assert (await world.invoke(other))[0] == 200
    assert connector.uploads == [] and len(held_rows(world)) == 1
    # an upload URL off this machine (anonymous mode): refused, and the copy deleted
    away = accept(connector, card, "x.docx")
    away["value"]["uploadInfo"]["uploadUrl"] = "https://files.example.net/steal"
    connector.clear()
    assert (await world.invoke(away))[0] == 200
    assert connector.uploads == [] and held_rows(world) == []
    assert "could not save" in connector.texts()[0]


async def test_when_teams_keeps_refusing_the_consent_card_no_copy_of_the_export_is_kept(
    world: TeamsWorld, connector: Connector
) -> None:
    await a_short_note(world, connector)
    connector.clear()
    connector.fail_next(200, 500, 500, 500, 500, 500, 500)  # the reply goes; the card is refused
    await say(world, connector, "export month docx")
    assert "export" in connector.texts()[0].lower()
    assert consent_cards(connector) == [] and connector.requests >= 4  # it was tried, and retried
    assert held_rows(world) == []


def dialog_button(posted: Posted) -> dict[str, Any]:
    return posted.button("Answer in a larger box")


async def current(world: TeamsWorld) -> tuple[str | None, Any]:
    async with world.runtime.store.read() as tx:
        conversation = await tx.load_conversation(PERSONAL_KEY.as_str())
        assert conversation is not None and conversation.active_session_id is not None
        session = await tx.load_session(conversation.active_session_id)
    assert session is not None
    return (session.cursor.step_id if session.cursor else None), session


async def test_a_long_answer_written_in_the_dialog_counts_as_if_typed(
    world: TeamsWorld, connector: Connector
) -> None:
    for text in ("reflect", "hx 2291", "unannounced, nursery rang this morning"):
        await say(world, connector, text)
    assert (await current(world))[0] == "senses"
    button = dialog_button(connector.posted[-1])
    assert button["data"]["msteams"] == {"type": "task/fetch"}

    status, opened = await world.invoke(
        invoke("task/fetch", {"data": button["data"]}, service_url=connector.service_url)
    )
    assert status == 200 and opened["task"]["type"] == "continue"
    card = opened["task"]["value"]["card"]
    assert card["contentType"] == "application/vnd.microsoft.card.adaptive"
    [box] = [b for b in card["content"]["body"] if b["type"] == "Input.Text"]
    assert box["isMultiline"] is True and box["isRequired"] is True
    [send] = card["content"]["actions"]

    answer = (
        "bins overflowing by the back door, sour milk smell in the kitchen\n"
        "baby in a wet nappy in the bouncer, telly really loud, mum didnt turn it down"
    )
    connector.clear()
    submitted = invoke(
        "task/submit", {"data": {**send["data"], box["id"]: answer}}, service_url=connector.service_url
    )
    status, closed = await world.invoke(submitted)
    assert status == 200 and not closed  # an empty answer closes the dialog
    step, session = await current(world)
    assert step == "child_day"  # moved on exactly as a typed answer does
    [stored] = [a for a in session.answers if a.step_id == "senses"]
    assert stored.text == answer  # both lines, as written
    assert "day" in "\n".join(connector.texts()).lower()

    # the same submit redelivered: taken once
    await world.invoke(submitted)
    assert (await current(world))[0] == "child_day"


# ---------------------------------------------------------------------- Universal Actions


async def test_pressing_a_choice_sends_action_execute_and_the_card_shows_what_was_pressed(
    world: TeamsWorld, connector: Connector
) -> None:
    await say(world, connector, "reflect")
    await say(world, connector, "HX-2291")
    unannounced = connector.posted[-1].button("unannounced")
    assert unannounced["type"] == "Action.Execute" and unannounced["verb"] == "reflect.answer"
    connector.clear()
    url = connector.service_url
    status, body = await world.invoke(execute(unannounced["data"], service_url=url))
    assert status == 200
    assert body["statusCode"] == 200 and body["type"] == "application/vnd.microsoft.card.adaptive"
    assert "Unannounced" in body["value"]["body"][0]["text"]  # the pressed card, buttons gone
    assert (await current(world))[0] == "senses"
    assert "see, hear and smell" in "\n".join(connector.texts())

    # a second press on the same (stale) button: the engine refuses it, nothing moves
    await world.invoke(execute(unannounced["data"], service_url=url))
    assert (await current(world))[0] == "senses"
    # a verb nobody registered: an error body, never a 500
    status, body = await world.invoke(execute({"x": 1}, verb="no.such.verb", service_url=url))
    assert status == 200 and body["statusCode"] == 400 and body["type"] == "application/vnd.microsoft.error"


async def test_in_a_group_a_press_leaves_the_card_for_everyone_else(
    world: TeamsWorld, connector: Connector
) -> None:
    url = connector.service_url
    await world.post(group_message("group", MEGAN, ADELE, service_url=url))
    agree = next(a for p in connector.posted for a in p.actions() if a["data"].get("action") == "group:agree")
    place = {"conversation": GROUP_CHAT, "conversation_type": "groupChat", "service_url": url}
    for person in (ALEX, MEGAN, ADELE):
        _, body = await world.invoke(execute(agree["data"], sender=person, **place))
        assert body["type"] == "application/vnd.microsoft.activity.message"  # card unchanged
    assert "everyone has agreed" in "\n".join(connector.texts())


async def test_other_cards_plug_their_own_verbs_and_user_specific_views_in(
    world: TeamsWorld, connector: Connector
) -> None:
    """The interface the group-minutes confirmation card uses: register a verb, send a card
    with `refresh.userIds`, and answer each person's automatic refresh with their own view."""
    seen: list[Execute] = []

    async def confirm(_context: Any, press: Execute) -> dict[str, Any]:
        seen.append(press)
        who = press.user
        view = "your view" if press.refresh else "confirmed"
        return card_response(execute_card([{"type": "TextBlock", "text": f"{view} for {who}"}]))

    world.bot.agent.actions.register("minutes.confirm", confirm)
    card = with_refresh(execute_card([]), "minutes.confirm", {"minutes": 7}, [MEGAN["id"], ALEX["id"]])
    assert card["refresh"]["userIds"] == [MEGAN["id"], ALEX["id"]]
    assert card["refresh"]["action"] == {
        "type": "Action.Execute",
        "verb": "minutes.confirm",
        "data": {"minutes": 7},
    }

    place = {
        "conversation": GROUP_CHAT,
        "conversation_type": "groupChat",
        "service_url": connector.service_url,
    }
    refresh = execute({"minutes": 7}, verb="minutes.confirm", sender=MEGAN, **place)
    refresh["value"]["trigger"] = "automatic"
    status, body = await world.invoke(refresh)
    assert status == 200 and body["value"]["body"][0]["text"] == f"your view for {MEGAN['id']}"
    status, body = await world.invoke(execute({"minutes": 7}, verb="minutes.confirm", sender=ALEX, **place))
    assert body["value"]["body"][0]["text"] == f"confirmed for {ALEX['id']}"
    assert [p.refresh for p in seen] == [True, False] and seen[0].data == {"minutes": 7}


# ---------------------------------------------------------------------- the message extension


def message_action(name: str, html: str, **kw: Any) -> dict[str, Any]:
    value = {
        "commandId": "reflectOnMessage",
        "commandContext": "message",
        "messagePayload": {"id": "1700000000000", "body": {"contentType": "html", "content": html}},
    }
    return invoke(name, value, **kw)


async def test_reflect_on_this_message_starts_a_reflection_in_the_personal_chat_with_the_case_filled(
    world: TeamsWorld, connector: Connector
) -> None:
    url = connector.service_url
    await say(world, connector, "hi")  # the personal chat exists (the bot can reach it)
    connector.clear()
    place = {"conversation": GROUP_CHAT, "conversation_type": "groupChat", "service_url": url}
    booking = "<p>visit booked tues 2pm for <b>hx 5120</b>, can someone cover?</p>"
    status, opened = await world.invoke(message_action("composeExtension/fetchTask", booking, **place))
    assert status == 200 and opened["task"]["type"] == "continue"
    content = opened["task"]["value"]["card"]["content"]
    assert "HX-5120" in content["body"][0]["text"]
    [start] = content["actions"]
    assert start["data"]["case"] == "HX-5120"

    submit = message_action("composeExtension/submitAction", booking, **place)
    submit["value"]["data"] = start["data"]
    status, done = await world.invoke(submit)
    assert status == 200 and done["composeExtension"]["type"] == "message"
    assert "HX-5120" in done["composeExtension"]["text"]
    # the reflection went to the personal chat, and skipped the case question
    assert all(p.path.startswith(f"/_connector/v3/conversations/{PERSONAL_CHAT}/") for p in connector.posted)
    step, session = await current(world)
    assert session.case_ref == "HX-5120" and step == "visit_type"
    assert "booked" not in str(session)  # only the case reference was taken from the message


async def test_reflect_on_this_message_before_any_personal_chat_opens_one(
    world: TeamsWorld, connector: Connector
) -> None:
    place = {
        "conversation": GROUP_CHAT,
        "conversation_type": "groupChat",
        "service_url": connector.service_url,
    }
    submit = message_action(
        "composeExtension/submitAction", "<p>can someone cover tues</p>", sender=MEGAN, **place
    )
    submit["value"]["data"] = {"reflect": "start", "case": None}
    status, done = await world.invoke(submit)
    assert status == 200 and "personal chat" in done["composeExtension"]["text"]
    [created] = connector.created  # the bot opened Megan's personal chat with it
    assert created["members"] == [{"id": MEGAN["id"]}] and created["isGroup"] is False
    assert created["tenantId"] == TENANT
    chat = "a:created-personal-1"
    assert connector.posted and all(
        p.path.startswith(f"/_connector/v3/conversations/{chat}/") for p in connector.posted
    )
    assert "case reference" in "\n".join(connector.texts())  # no case in the message: it asks
    owner = await world.bot.agent.references.owner_of(TENANT, chat)
    assert owner == MEGAN["aadObjectId"]  # the chat is bound to her, as if she had written first

    # where Teams will not open one (the app is not installed for that person): say what to do
    connector.clear()
    connector.refuse_create = 403
    submit["from"] = ADELE
    status, done = await world.invoke(submit)
    assert "Open Reflect from Apps" in done["composeExtension"]["text"] and connector.posted == []


# ---------------------------------------------------------------------- replies retried


async def test_a_reply_refused_with_412_then_throttled_is_retried_and_arrives(
    world: TeamsWorld, connector: Connector
) -> None:
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    world.bot.agent.sleep = sleep
    connector.fail_next(412)
    connector.fail_next(429, headers={"Retry-After": "3"})
    assert await say(world, connector, "help") == 202
    assert connector.requests == 3 and len(connector.posted) >= 1
    assert "reflect" in connector.texts()[0].lower()
    assert len(waits) == 2 and 3.0 <= waits[1] <= 3.25  # Retry-After honoured, plus jitter
