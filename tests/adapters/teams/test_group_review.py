"""The minutes' review in a Teams group chat, through the real Agents SDK endpoint: the review
card is a Universal Actions card refreshed per member; Action.Execute invokes get each member
their own contributions; confirming and correcting by the card or by typing do the same."""

from __future__ import annotations

from typing import Any

from bot.adapters.teams.agent import group_channel_key
from bot.core.group import GroupSession
from bot.turns import ConversationKey
from tests.adapters.teams.activities import (
    ADELE,
    ALEX,
    GROUP_CHAT,
    ISAIAH,
    MEGAN,
    TENANT,
    activity,
    group_message,
)
from tests.adapters.teams.driver import Connector, Posted, TeamsWorld

KEY = ConversationKey("teams", TENANT, GROUP_CHAT, ALEX["id"])
QUESTION = "what did the little one do while you talked to mum?"
ADVICE = "have you thought about a home visit with health"
HYPOTHESIS = "mum is low and cant see what the baby needs"


async def say(
    world: TeamsWorld, connector: Connector, who: dict[str, Any], text: str, *mentioned: Any
) -> None:
    status = await world.post(group_message(text, *mentioned, sender=who, service_url=connector.service_url))
    assert status == 202


async def invoke(
    world: TeamsWorld, connector: Connector, who: dict[str, Any], verb: str, **data: Any
) -> dict[str, Any]:
    """An Action.Execute from the review card, as Teams sends it; returns the card answered."""
    body = activity(
        "invoke",
        name="adaptiveCard/action",
        sender=who,
        conversation=GROUP_CHAT,
        conversation_type="groupChat",
        service_url=connector.service_url,
        value={"action": {"type": "Action.Execute", "verb": verb, "data": {"action": verb, **data}}},
    )
    async with world.http.post(f"{world.url}/api/messages", json=body) as response:
        assert response.status == 200
        answer = await response.json()
    assert answer["statusCode"] == 200 and answer["type"] == "application/vnd.microsoft.card.adaptive"
    return dict(answer["value"])


def card_text(card: dict[str, Any]) -> str:
    return "\n".join(
        run["text"] for block in card["body"] if block["type"] == "RichTextBlock" for run in block["inlines"]
    )


def card_verbs(card: dict[str, Any]) -> list[str]:
    return [a["verb"] for block in card["body"] if block["type"] == "ActionSet" for a in block["actions"]]


async def session(world: TeamsWorld) -> GroupSession:
    async with world.runtime.store.read() as tx:
        found = await tx.groups.load_open(group_channel_key(KEY))
    assert found is not None
    return found


async def to_review(world: TeamsWorld, connector: Connector) -> Posted:
    await say(world, connector, ALEX, "group", MEGAN, ADELE, ISAIAH)
    for who in (ALEX, MEGAN, ADELE, ISAIAH):
        await say(world, connector, who, "agree")
    await say(world, connector, ALEX, "HX-2291")
    await say(world, connector, MEGAN, "three visits, curtains shut, the baby very quiet")
    await say(world, connector, ALEX, "next")
    await say(world, connector, ADELE, QUESTION)
    await say(world, connector, ISAIAH, ADVICE)
    await say(world, connector, ALEX, "next")
    await say(world, connector, ADELE, HYPOTHESIS)
    connector.clear()
    await say(world, connector, ALEX, "end")
    return next(p for p in connector.posted if p.card and "refresh" in p.card)


def number_of(current: GroupSession, text: str) -> int:
    return next(c.seq for c in current.contributions if c.text == text)


async def test_the_review_card_refreshes_to_each_members_own_contributions(
    world: TeamsWorld, connector: Connector
) -> None:
    posted = await to_review(world, connector)
    assert posted.card is not None
    refresh = posted.card["refresh"]
    assert refresh["action"]["type"] == "Action.Execute" and refresh["action"]["verb"] == "group:view"
    assert set(refresh["userIds"]) == {MEGAN["id"], ADELE["id"], ISAIAH["id"]}  # Alex said nothing minuted
    assert posted.card["version"] == "1.5"
    assert {a["type"] for a in posted.card["body"][-1]["actions"]} == {"Action.Execute"}

    adele = await invoke(world, connector, ADELE, "group:view")
    isaiah = await invoke(world, connector, ISAIAH, "group:view")
    assert QUESTION in card_text(adele) and HYPOTHESIS in card_text(adele)
    assert ADVICE not in card_text(adele)
    assert ADVICE in card_text(isaiah) and QUESTION not in card_text(isaiah)
    assert card_verbs(adele) == ["group:confirm", "group:correct_typed"]
    assert any(block["type"] == "Input.Text" for block in adele["body"])
    alex = await invoke(world, connector, ALEX, "group:view")
    assert "no contributions" in card_text(alex) and card_verbs(alex) == []
    assert (await session(world)).reviews == {}  # looking is not confirming


async def test_members_confirm_and_correct_on_their_own_view_of_the_card(
    world: TeamsWorld, connector: Connector
) -> None:
    await to_review(world, connector)
    number = number_of(await session(world), ADVICE)
    connector.clear()
    adele = await invoke(world, connector, ADELE, "group:confirm")
    assert "confirmed, thank you" in card_text(adele)
    assert any("Adele Vance: your contributions are confirmed" in t for t in connector.texts())

    no_number = await invoke(world, connector, ISAIAH, "group:correct_typed", correction="i meant police")
    assert ADVICE in card_text(no_number)  # asked how, nothing changed
    assert (await session(world)).reviews.keys() == {ADELE["id"]}
    isaiah = await invoke(
        world,
        connector,
        ISAIAH,
        "group:correct_typed",
        correction=f"{number}: i said joint visit not home visit",
    )
    assert "i said joint visit not home visit (corrected)" in card_text(isaiah)
    assert "corrected, thank you" in card_text(isaiah)

    current = await session(world)
    assert {pid: r.answer for pid, r in current.reviews.items()} == {
        ADELE["id"]: "confirmed",
        ISAIAH["id"]: "corrected",
    }
    corrected = next(c for c in current.contributions if c.seq == number)
    assert corrected.text == ADVICE and corrected.kind == "advice"  # the original kept

    connector.clear()
    await say(world, connector, ALEX, "file")
    assert any("Megan Bowen hasn't confirmed" in t for t in connector.texts())
    await say(world, connector, ALEX, "file anyway")
    filed = "\n".join(connector.texts())
    assert "Megan Bowen did not respond" in filed
    after = await invoke(world, connector, ADELE, "group:view")
    assert "no longer in draft" in card_text(after)


async def test_the_same_review_typed_in_the_chat(world: TeamsWorld, connector: Connector) -> None:
    await to_review(world, connector)
    number = number_of(await session(world), ADVICE)
    connector.clear()
    await say(world, connector, ADELE, "mine")
    mine = "\n".join(connector.texts())
    assert QUESTION in mine and ADVICE not in mine
    await say(world, connector, ADELE, "ok thats right")
    await say(world, connector, ISAIAH, f"correct {number}: i said joint visit not home visit")
    await say(world, connector, MEGAN, "yes fine")
    current = await session(world)
    assert {pid: r.answer for pid, r in current.reviews.items()} == {
        ADELE["id"]: "confirmed",
        ISAIAH["id"]: "corrected",
        MEGAN["id"]: "confirmed",
    }
    isaiah = await invoke(world, connector, ISAIAH, "group:view")
    assert "i said joint visit not home visit (corrected)" in card_text(isaiah)
    connector.clear()
    await say(world, connector, ALEX, "file")
    assert any("Every member confirmed or corrected" in t for t in connector.texts())


def test_a_members_own_view_holds_their_words_as_plain_text_never_card_markdown() -> None:
    from bot.adapters.teams import render
    from bot.turns import Button, Outgoing

    view = Outgoing(
        text="Adele Vance, your contributions\n3. Questions only: see [this](https://example.invalid) **now**",
        buttons=(Button("Confirm mine", "group:confirm"), Button("Send correction", "group:correct_typed")),
        step_id="group:review_view",
    )
    card = render.view_card(view)
    runs = [b for b in card["body"] if b["type"] == "RichTextBlock"]
    assert runs[1]["inlines"] == [
        {"type": "TextRun", "text": "3. Questions only: see [this](https://example.invalid) **now**"}
    ]
    assert not any(b["type"] == "TextBlock" for b in card["body"])  # TextBlock would render markdown
    assert card_verbs(card) == ["group:confirm", "group:correct_typed"]


async def test_review_invokes_outside_a_group_or_with_odd_data_change_nothing(
    world: TeamsWorld, connector: Connector
) -> None:
    personal = activity(
        "invoke",
        name="adaptiveCard/action",
        service_url=connector.service_url,
        value={
            "action": {"type": "Action.Execute", "verb": "group:confirm", "data": {"action": "group:confirm"}}
        },
    )
    async with world.http.post(f"{world.url}/api/messages", json=personal) as response:
        assert response.status == 200 and await response.json() == {}
    await to_review(world, connector)
    for odd in (123, ["1: x"], {"n": 1}, "", "   "):
        card = await invoke(world, connector, ISAIAH, "group:correct_typed", correction=odd)
        assert ADVICE in card_text(card)  # shown how to correct; nothing corrected
    current = await session(world)
    assert current.reviews == {} and all(c.corrected_text is None for c in current.contributions)
