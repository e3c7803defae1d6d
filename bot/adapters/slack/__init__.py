"""Slack: reflections in a direct message, the /reflect command, App Home, over HTTP or Socket Mode.

The adapter only translates; the conversation is the engine's. One request flows:

    http.py / socket.py   verify, parse, hand to Bolt        (acknowledged within 3 seconds)
    app.py                Bolt listeners: translate, accept (the inbox, before the ack), ack
    translate.py          Slack payload -> Inbound / Incoming (pure)
    dispatch.py           ReflectionService.accept, then drain the worker's lane (a tracked task)
    render.py             Outgoing -> Block Kit, escaped and within Slack's limits (pure)
    sender.py             Slack's side of the outbox: render, post, what to retry, what to give up
    home.py, modal.py     the App Home view and the long-answer modal (pure)
    texts.py              the few words the Slack surface adds
    tasks.py              background work that can be awaited on shutdown
    oauth.py              OAuth installs: GET /slack/install and /slack/oauth_redirect (Bolt's flow)
    workspaces.py         which token speaks for a workspace: SLACK_BOT_TOKEN, or its own install
                          (rotated before it expires)
    zones.py              each worker's time zone from users.info, cached, for reminders

A person is keyed by workspace: the team id, or "enterprise.team" on Enterprise Grid
(translate.workspace_key), so one user id in two workspaces is two people.

The app manifest is slack/manifest.yaml; the install guide is docs/slack.md. Installs are
stored by storage/slack_installations.py (slack_sdk's stores, tokens encrypted), which the
server hands in (adapters import no storage).
"""
