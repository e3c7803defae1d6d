"""Teams activities to `Incoming`: keys, mentions, card submits, and what is ignored."""

from __future__ import annotations

from typing import Any

from microsoft_agents.activity import Activity

from bot.adapters.teams import translate
from bot.turns import ConversationKey, Mention
from tests.adapters.teams.activities import (
    ADELE,
    ALEX,
    BOT,
    CHANNEL,
    GROUP_CHAT,
    MEGAN,
    PERSONAL_CHAT,
    TENANT,
    activity,
    group_message,
    submit,
)


def parse(data: dict[str, Any]) -> Activity:
    return Activity.model_validate(data)


def test_a_personal_message_is_keyed_by_tenant_chat_and_entra_id() -> None:
    incoming = translate.incoming(parse(activity(text="  reflect  ", activity_id="act-1")))
    assert incoming is not None
    assert incoming.key == ConversationKey("teams", TENANT, PERSONAL_CHAT, "aad-alex")
    assert incoming.text == "reflect"
    assert incoming.event_id == "act-1"
    assert incoming.conversation == "personal"
    assert incoming.action is None and incoming.mentions == ()


def test_without_an_entra_id_the_teams_id_is_used() -> None:
    sender = {"id": "29:guest", "name": "Guest"}
    incoming = translate.incoming(parse(activity(text="hi", sender=sender)))
    assert incoming is not None and incoming.key.user == "29:guest"


def test_the_tenant_comes_from_channel_data_or_the_conversation() -> None:
    data = activity(text="hi")
    del data["channelData"]
    incoming = translate.incoming(parse(data))
    assert incoming is not None and incoming.key.workspace == TENANT
    del data["conversation"]["tenantId"]
    assert translate.incoming(parse(data)) is None  # no tenant: not ours to key


def test_a_card_submit_in_a_personal_chat_is_an_action() -> None:
    incoming = translate.incoming(parse(submit("choice:yes@seen_alone.0.", activity_id="act-9")))
    assert incoming is not None
    assert incoming.action == "choice:yes@seen_alone.0." and incoming.text is None
    assert incoming.event_id == "act-9"


def test_a_card_submit_in_a_group_is_text_with_the_sender() -> None:
    data = submit("group:agree", sender=MEGAN, conversation=GROUP_CHAT, conversation_type="groupChat")
    incoming = translate.incoming(parse(data))
    assert incoming is not None
    assert incoming.conversation == "group"
    assert incoming.text == "group:agree" and incoming.action is None
    assert incoming.key.user == "29:megan" and incoming.sender_name == "Megan Bowen"


def test_group_mentions_strip_the_bot_and_name_the_others_in_order() -> None:
    data = group_message("group", MEGAN, ADELE)
    parsed = parse(data)
    assert translate.mentions_bot(parsed) and translate.addressed(parsed)
    incoming = translate.incoming(parsed)
    assert incoming is not None
    assert incoming.text == "group @Megan Bowen @Adele Vance"
    assert incoming.mentions == (Mention("29:megan", "Megan Bowen"), Mention("29:adele", "Adele Vance"))
    # in a group the Teams id identifies people, so mentions and senders match
    assert incoming.key == ConversationKey("teams", TENANT, GROUP_CHAT, ALEX["id"])
    assert incoming.sender_name == "Alex Wilber"


def test_a_mention_in_the_middle_of_a_sentence_keeps_the_sentence() -> None:
    data = group_message("I agree with")
    data["text"] += f" <at>{MEGAN['name']}</at> about school"
    data["entities"].append(
        {
            "type": "mention",
            "mentioned": {"id": MEGAN["id"], "name": MEGAN["name"]},
            "text": "<at>Megan Bowen</at>",
        }
    )
    incoming = translate.incoming(parse(data))
    assert incoming is not None
    assert incoming.text == "I agree with @Megan Bowen about school"
    assert incoming.mentions == (Mention("29:megan", "Megan Bowen"),)


def test_in_a_channel_the_session_key_is_the_channel_not_the_thread() -> None:
    data = group_message("group", conversation=f"{CHANNEL};messageid=1716", conversation_type="channel")
    place = translate.where(parse(data))
    assert place is not None and place.channel == CHANNEL and place.group
    incoming = translate.incoming(parse(data))
    assert incoming is not None and incoming.key.channel == CHANNEL


def test_a_channel_without_channel_data_falls_back_to_the_thread_root() -> None:
    data = group_message("group", conversation=f"{CHANNEL};messageid=1716", conversation_type="channel")
    data["channelData"] = {"tenant": {"id": TENANT}}
    place = translate.where(parse(data))
    assert place is not None and place.channel == CHANNEL


def test_unaddressed_group_messages_are_marked_as_such() -> None:
    parsed = parse(group_message("just chatting", to_bot=False))
    assert not translate.addressed(parsed)
    incoming = translate.incoming(parsed)
    assert incoming is not None and incoming.text == "just chatting"


def test_line_breaks_survive_and_non_breaking_spaces_do_not() -> None:
    incoming = translate.incoming(parse(activity(text="first idea\nsecond\xa0idea")))
    assert incoming is not None and incoming.text == "first idea\nsecond idea"


def test_what_the_engine_has_no_use_for_is_ignored() -> None:
    assert translate.incoming(parse(activity("typing"))) is None
    assert translate.incoming(parse(activity(text="   "))) is None
    assert translate.incoming(parse(activity(value={"somebody": "else's card"}))) is None
    bot_sender = {"id": "28:other-bot", "name": "Other", "role": "bot"}
    assert translate.incoming(parse(activity(text="hello", sender=bot_sender))) is None


def test_the_bot_among_members_added_is_recognised() -> None:
    parsed = parse(activity("conversationUpdate", membersAdded=[ALEX, BOT]))
    assert translate.bot_in(parsed.members_added, parsed)
    parsed = parse(activity("conversationUpdate", membersAdded=[ALEX]))
    assert not translate.bot_in(parsed.members_added, parsed)
