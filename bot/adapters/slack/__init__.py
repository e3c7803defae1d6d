"""Slack: reflections in a direct message, the /reflect command, App Home, over HTTP or Socket Mode.

The adapter only translates; the conversation is the engine's. One request flows:

    http.py / socket.py   verify, parse, hand to Bolt        (acknowledged within 3 seconds)
    app.py                Bolt listeners: ack, translate, schedule
    translate.py          Slack payload -> Inbound / Incoming (pure)
    dispatch.py           ReflectionService.handle, then queue the replies (a tracked task)
    render.py             Outgoing -> Block Kit, escaped and within Slack's limits (pure)
    sender.py             post to the DM in order, through 429s
    home.py, modal.py     the App Home view and the long-answer modal (pure)
    texts.py              the few words the Slack surface adds
    tasks.py              background work that can be awaited on shutdown

The app manifest is slack/manifest.yaml; the install guide is docs/slack.md.
"""
