"""Drive Microsoft's Microsoft 365 Agents Playground (a local Teams emulator) from pytest.

``start_playground(bot_url)`` is an *async* context manager (the bot under test usually runs in
the test's own event loop, so nothing here may block it). It

1. starts ``agentsplayground start -e BOT_URL -c msteams --dt -p 0`` from
   ``tests/playground/node_modules`` in its own process group, stdin held open, cwd and log file in
   a temporary directory, no browser auto-open, no telemetry/Azure-metadata traffic;
2. reads the real port from its stdout (``Listening on N``; printed only when stdout is not a TTY)
   and waits for ``GET /_debug/ping``;
3. launches Debian's Chromium headless through Playwright, blocks every request that is not to
   loopback (the UI asks a Microsoft CDN for fonts), opens the UI, waits for the personal chat to be
   installed (the UI sends ``installationUpdate`` + ``conversationUpdate`` to the bot on load);
4. yields a :class:`Playground`; on exit closes Chromium and kills the process group.

What the Playground does, in short (0.2.28):

* Views: "Personal Chat" (conversationType ``personal``), "Group Chat" (``groupChat``), and a team
  "My Team" with channels "General" (conversation id ``team-id``) and "Announcements"
  (``channel-announcements-id``); a channel post starts a thread ``<channel>;messageid=<n>`` that
  the bot's reply lands in. Opening a view for the first time sends ``installationUpdate`` and
  ``conversationUpdate`` to the bot for that conversation.
* In group chats and channels the bot only receives messages that @mention it (as in Teams); the
  UI's mention picker is used for that (``send(..., mention_bot=True)``, the default there).
* The UI always types as ``currentUser`` (Alex Wilber, ``user-id-0``). Other users (Megan Bowen
  ``user-id-1`` ...) can only talk through *custom activities* (the "Mock an Activity > Custom
  activity" menu, i.e. ``POST /_internal/v1/customActivities``): see :meth:`Playground.send_as`.
  Mock activities (user added, bot removed, install...) go the same way: :meth:`mock_activity`.
* Everything the UI shows arrives over two websockets that this harness records:
  ``/_ws_conversation/.../stream`` (messages as rendered) and ``/_ws/log/stream`` (the log panel:
  every activity sent to and received from the bot, with full JSON bodies).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

REPO_ROOT = Path(__file__).resolve().parents[2]
PLAYGROUND_DIR = REPO_ROOT / "tests" / "playground"
PLAYGROUND_BIN = PLAYGROUND_DIR / "node_modules" / "@microsoft" / "m365agentsplayground" / "cli.js"
CHROMIUM_ENV = "REFLECT_TEST_CHROMIUM"  # override the browser path
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # No DNS at all except loopback names: the UI references fonts on res-1.cdn.office.net.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]
START_TIMEOUT_S = 60.0
EDITOR = "[data-lexical-editor=true]"
SIDEBAR = '[role="region"][aria-label="Chat and Teams Channel"]'
PLAYGROUND_NAME = "Microsoft 365 Agents Playground"  # "from" of activities sent to the bot

# Elements outside the conversation pane: sidebar, top toolbar, editors and the log panel (which
# is a contenteditable div).
_NOT_CONVERSATION = f'{SIDEBAR}, [contenteditable="true"], [role="toolbar"]'
_RENDERED_JS = """([needle, notConversation]) => {
    const norm = s => (s || '').replace(/\\s+/g, ' ');
    needle = norm(needle);
    const has = el => norm(el.innerText).includes(needle);
    for (const el of document.querySelectorAll('p, span, div, button')) {
        if (!has(el)) continue;
        // only the innermost element holding the whole needle, so that page-wide wrappers
        // do not match text that is only in the sidebar or the log panel
        if (Array.from(el.children).some(has)) continue;
        if (el.closest(notConversation)) continue;
        // an editor's placeholder ("Type a message...") sits next to the contenteditable
        if (el.parentElement && el.parentElement.querySelector(':scope > [contenteditable]')) continue;
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.height > 0) return true;
    }
    return false;
}"""
_LOOPBACK = re.compile(r"^(https?|wss?)://(localhost|127\.0\.0\.1|\[::1\])(:\d+)?(/|$)")


class PlaygroundUnavailable(RuntimeError):
    """The Playground, Node, Chromium or Playwright is missing or did not start."""


def playground_unavailable_reason() -> str | None:
    """Why the Playground cannot run here (None when everything needed is installed)."""
    if shutil.which("node") is None:
        return "node is not on PATH (install Node.js 20)"
    if not PLAYGROUND_BIN.exists():
        return f"{PLAYGROUND_BIN} missing: run `npm ci --prefix {PLAYGROUND_DIR.relative_to(REPO_ROOT)}`"
    chromium = os.environ.get(CHROMIUM_ENV, DEFAULT_CHROMIUM)
    if not Path(chromium).exists():
        return f"Chromium not found at {chromium} (apt-get install chromium, or set {CHROMIUM_ENV})"
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        return "python package playwright is not installed"
    return None


@dataclass
class BotMessage:
    """One message the bot posted, as the Playground renders it."""

    conversation_id: str  # for channels: "<channel id>;messageid=<post id>"
    message_id: str
    text: str  # message text, or the text of an Adaptive Card (TextBlocks, inputs, button titles)
    raw: dict[str, Any] = field(repr=False)


def _card_text(node: Any) -> list[str]:
    out: list[str] = []
    if isinstance(node, dict):
        for key in ("text", "title", "placeholder", "label"):
            if isinstance(node.get(key), str):
                out.append(node[key])
        for key, value in node.items():
            if key not in ("data", "text", "title"):
                out.extend(_card_text(value))
    elif isinstance(node, list):
        for item in node:
            out.extend(_card_text(item))
    return out


def _message_text(message: Mapping[str, Any]) -> str:
    parts = [message["text"]] if message.get("text") else []
    for att in message.get("attachments") or []:
        parts.extend(_card_text(att.get("content")))
    return "\n".join(parts)


def _in_conversation(conversation_id: str, view_id: str | None) -> bool:
    return view_id is None or conversation_id == view_id or conversation_id.startswith(view_id + ";")


class Playground:
    """A running Playground plus a Chromium page on its UI. Create with :func:`start_playground`."""

    def __init__(self, *, url: str, port: int, page: Any, process: subprocess.Popen[bytes], workdir: Path):
        self.url = url
        self.port = port
        self.page = page  # playwright.async_api.Page, for anything not wrapped here
        self.process = process
        self.workdir = workdir
        self.log_file = workdir / "playground.log"
        self.config: dict[str, Any] = {}  # GET /_internal/v1/testConfig
        self.view = "personal"  # personal | group | channel
        self.conversation_id: str = ""  # the open view's conversation (channel id for channels)
        self._messages: dict[str, BotMessage] = {}
        self._log: list[dict[str, Any]] = []
        self._changed = asyncio.Event()
        self._mark: set[str] = set()  # message ids present at the last send/click

    # ------------------------------------------------------------------ recording (websockets)
    def _on_websocket(self, ws: Any) -> None:
        ws.on("framereceived", self._on_frame)

    def _on_frame(self, payload: str | bytes) -> None:
        try:
            data = json.loads(payload)
        except (ValueError, TypeError):
            return
        if "logAction" in data and isinstance(data.get("log"), dict):
            self._log.append(data["log"])
        action = data.get("action")
        msg = data.get("message")
        if action in ("createMessage", "updateMessage") and isinstance(msg, dict):
            bot_id = self.config.get("bot", {}).get("id")
            if msg.get("from", {}).get("id") == bot_id or bot_id is None:
                key = str(msg.get("messageId"))
                old = self._messages.get(key)
                conv = data.get("actionConversationId") or (old.conversation_id if old else "")
                merged = {**(old.raw if old else {}), **msg}
                self._messages[key] = BotMessage(conv, key, _message_text(merged), merged)
        self._changed.set()

    async def _wait_until(self, predicate: Callable[[], Any], timeout: float, what: str) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            result = predicate()
            if result:
                return result
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"timed out after {timeout}s waiting for {what}")
            self._changed.clear()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._changed.wait(), min(remaining, 0.5))

    # ------------------------------------------------------------------ reading
    def bot_message_objects(self, *, all_views: bool = False) -> list[BotMessage]:
        view = None if all_views else self.conversation_id
        return [m for m in self._messages.values() if _in_conversation(m.conversation_id, view)]

    def bot_messages(self, *, all_views: bool = False) -> list[str]:
        """Texts of the bot's messages in the open view (cards flattened to their visible text)."""
        return [m.text for m in self.bot_message_objects(all_views=all_views)]

    def activities(self, *, to_bot: bool | None = None) -> list[dict[str, Any]]:
        """Log-panel entries that carry an activity: ``{"from", "to", "activityName",
        "request": {"body": <activity JSON>}, "response": {"statusCode", "body"}, ...}``.
        ``to_bot=True`` keeps what the Playground sent to the bot, False what the bot sent."""
        out = [e for e in self._log if isinstance(e.get("request"), dict)]
        if to_bot is not None:
            out = [e for e in out if (e.get("from") == PLAYGROUND_NAME) == to_bot]
        return out

    def log_lines(self) -> list[str]:
        return [str(e.get("displayText", "")) for e in self._log]

    async def wait_for_activity(
        self,
        predicate: Callable[[dict[str, Any]], bool],
        timeout: float = 20.0,
        *,
        to_bot: bool | None = True,
    ) -> dict[str, Any]:
        """Wait for a log entry whose activity body satisfies ``predicate``; returns the entry."""

        def find() -> dict[str, Any] | None:
            for entry in self.activities(to_bot=to_bot):
                if predicate(entry["request"].get("body") or {}):
                    return entry
            return None

        entry: dict[str, Any] = await self._wait_until(find, timeout, "a matching activity in the log")
        return entry

    async def wait_for_bot_text(
        self, substring: str, timeout: float = 20.0, *, new: bool = True, check_dom: bool = True
    ) -> str:
        """Wait until the bot posts a message containing ``substring`` in the open view and
        Chromium shows it. ``new=True`` ignores messages that existed at the last send/click.
        ``check_dom=False`` skips the rendered-text check (use it for markup such as ``<at>``)."""
        seen = self._mark if new else set()

        def find() -> str | None:
            for m in self.bot_message_objects():
                if m.message_id not in seen and substring in m.text:
                    return m.text
            return None

        text: str = await self._wait_until(
            find, timeout, f"bot text {substring!r} (got {self.bot_messages()!r})"
        )
        if check_dom:
            await self.wait_for_rendered_text(substring, timeout)
        return text

    async def wait_for_rendered_text(self, substring: str, timeout: float = 20.0) -> None:
        """Wait until ``substring`` is visible in the conversation pane (not the sidebar preview,
        the log panel or an editor)."""
        await self.page.wait_for_function(
            _RENDERED_JS, arg=[substring, _NOT_CONVERSATION], timeout=timeout * 1000, polling=200
        )

    # ------------------------------------------------------------------ views
    def _conversation_for(self, view: str, channel: str = "General") -> str:
        cfg = self.config
        if view == "personal":
            return str(cfg["personalChat"]["id"])
        if view == "group":
            return str(cfg["groupChats"][0]["id"])
        for team in cfg.get("teams", []):
            for ch in team.get("channels", []):
                if ch.get("name") == channel:
                    return str(ch["id"])
        raise KeyError(f"no channel named {channel!r}")

    async def _open(self, label: str, view: str, conversation_id: str) -> None:
        await self.page.get_by_role("treeitem", name=label, exact=True).click()
        self.view, self.conversation_id = view, conversation_id
        await self.page.locator(EDITOR).first.wait_for(state="visible")
        # First visit of a view installs the bot there; wait so our first message comes after it.
        await self.wait_for_activity(
            lambda a: (
                a.get("type") == "conversationUpdate"
                and (a.get("conversation") or {}).get("id") == conversation_id
            ),
            timeout=20.0,
        )
        self._mark = set(self._messages)

    async def open_personal_chat(self) -> None:
        await self._open("Personal Chat", "personal", self._conversation_for("personal"))

    async def open_group_chat(self) -> None:
        name = self.config["groupChats"][0].get("name", "Group Chat")
        await self._open(name, "group", self._conversation_for("group"))

    async def open_channel(self, channel: str = "General") -> None:
        team = self.config["teams"][0]["name"]
        await self._open(f"{team} - {channel}", "channel", self._conversation_for("channel", channel))

    # ------------------------------------------------------------------ acting
    async def _type(self, text: str) -> None:
        # insert_text keeps "\n" as a line break; Shift+Enter would start a paragraph, and the
        # Playground joins paragraphs with no separator ("a\nb" would arrive as "ab").
        if text:
            await self.page.keyboard.insert_text(text)

    async def send(self, text: str, *, mention_bot: bool | None = None, reply: bool = False) -> None:
        """Type ``text`` as the current user and send it. In group chats and channels the bot is
        @mentioned first (``mention_bot`` defaults to True there), since only then does it
        receive the message. In a channel a new post is started unless ``reply=True`` (then it
        answers the newest post, which the Playground lists first)."""
        if mention_bot is None:
            mention_bot = self.view != "personal"
        page = self.page
        editors = page.locator(EDITOR)
        # channel: editor 0 is "Start a new post"; posts are listed newest first, each with a reply box
        channel_editor = editors.nth(1) if reply else editors.first
        editor = channel_editor if self.view == "channel" else editors.last
        self._mark = set(self._messages)
        await editor.click()
        if mention_bot:
            bot_name = self.config["bot"]["name"]
            await page.keyboard.type("@")
            await page.get_by_role("menuitem", name=bot_name).click()
            await page.keyboard.insert_text(" ")
        await self._type(text)

        def is_send(r: Any) -> bool:
            return r.request.method == "POST" and "/_conversation/v1/conversations/" in r.url

        async with page.expect_response(is_send, timeout=20_000) as info:
            if self.view == "channel" and not reply:
                await page.get_by_role("button", name="Post", exact=True).click()
            else:
                await page.keyboard.press("Enter")
        response = await info.value
        if response.status != 200:
            raise AssertionError(f"Playground refused the message: {response.status} {await response.text()}")

    async def fill_card_input(self, label: str, value: str) -> None:
        """Fill an input of the newest card that has one labelled/placeholdered ``label``."""
        card = self.page.locator(".ac-adaptiveCard").filter(has=self.page.get_by_label(label)).last
        await card.get_by_label(label).fill(value)

    async def click_card_button(self, label: str, *, timeout: float = 20.0) -> None:
        """Click the Action.Submit/Execute button titled ``label`` on the newest card that has it,
        and wait until the Playground has forwarded the submit to the bot."""
        button = self.page.locator(f'.ac-adaptiveCard .ac-actionSet button[title="{label}"]').last
        await button.wait_for(state="visible", timeout=timeout * 1000)
        self._mark = set(self._messages)

        def is_submit(r: Any) -> bool:
            return r.request.method == "POST" and (
                "/_conversation/v1/submit" in r.url or "/_conversation/v1/invoke" in r.url
            )

        async with self.page.expect_response(is_submit, timeout=timeout * 1000) as info:
            await button.click()
        response = await info.value
        if response.status != 200:
            raise AssertionError(f"card submit failed: {response.status} {await response.text()}")

    def user(self, who: str) -> dict[str, Any]:
        """A mock user from the config, by id or display name (currentUser included)."""
        for u in [self.config["currentUser"], *self.config.get("users", [])]:
            if who in (u.get("id"), u.get("name")):
                return dict(u)
        raise KeyError(f"no mock user {who!r}; have {[u['name'] for u in self.config['users']]}")

    async def _template(self, conversation_id: str, kind: str | None) -> dict[str, Any]:
        params = {"conversationId": conversation_id} | ({"type": kind} if kind else {})
        async with (
            aiohttp.ClientSession() as s,
            s.get(f"{self.url}/_internal/v1/customActivities/template", params=params) as r,
        ):
            if r.status != 200:
                raise AssertionError(f"template {kind}: {r.status} {await r.text()}")
            return dict(await r.json())

    async def post_custom_activity(self, activity: Mapping[str, Any]) -> None:
        """What "Mock an Activity > Custom activity" does: the JSON goes to the bot as is."""
        self._mark = set(self._messages)
        async with (
            aiohttp.ClientSession() as s,
            s.post(f"{self.url}/_internal/v1/customActivities", json=dict(activity)) as r,
        ):
            if r.status != 200:
                raise AssertionError(f"custom activity refused: {r.status} {await r.text()}")

    async def send_as(
        self, who: str, text: str, *, mention_bot: bool | None = None, conversation_id: str | None = None
    ) -> dict[str, Any]:
        """Send a message to the bot as another mock user (id or name, e.g. "Megan Bowen") into
        the open view's conversation. The message itself is not drawn in the chat (the UI only
        draws the current user's messages); the bot's reply is. Returns the activity sent."""
        conv = conversation_id or self.conversation_id
        if mention_bot is None:
            mention_bot = self.view != "personal"
        u = self.user(who)
        act = await self._template(conv, None)
        bot = self.config["bot"]
        entities: list[dict[str, Any]] = []
        if mention_bot:
            tag = f"<at>{bot['name']}</at>"
            text = f"{tag} {text}"
            entities.append(
                {"type": "mention", "mentioned": {"id": bot["id"], "name": bot["name"]}, "text": tag}
            )
        act.update(
            type="message",
            text=text,
            textFormat="plain",
            locale="en-US",
            entities=entities,
            **{"from": {"id": u["id"], "name": u["name"], "aadObjectId": u.get("aadObjectId")}},
        )
        if self.view == "channel" and "channelData" not in act:
            team = self.config["teams"][0]
            act["channelData"] = {
                "tenant": {"id": self.config["tenantId"]},
                "team": {"id": team["id"]},
                "channel": {"id": conv.split(";")[0]},
            }
        await self.post_custom_activity(act)
        return act

    async def mock_activity(self, kind: str, **overrides: Any) -> dict[str, Any]:
        """Send one of the Playground's built-in mock activities for the open conversation:
        install, uninstall, botAdded, userAdded, botRemoved, userRemoved, channelCreated,
        channelRenamed, channelDeleted, teamRenamed, teamDeleted, sendEmail, mentionInWord.
        ``overrides`` replace top-level fields (e.g. membersAdded=[{"id": "user-id-1"}])."""
        act = await self._template(self.conversation_id, kind)
        act.update(overrides)
        await self.post_custom_activity(act)
        return act

    async def screenshot(self, path: str | os.PathLike[str]) -> None:
        await self.page.screenshot(path=str(path), full_page=True)


def _write_config(workdir: Path, config: Mapping[str, Any] | str | os.PathLike[str] | None) -> Path | None:
    if config is None:
        return None
    if isinstance(config, (str, os.PathLike)):
        return Path(config)
    path = workdir / ".m365agentsplayground.yml"
    path.write_text(json.dumps(dict(config), indent=2))  # JSON is YAML
    return path


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


async def _read_port(proc: subprocess.Popen[bytes], timeout: float) -> int:
    assert proc.stdout is not None
    loop = asyncio.get_running_loop()
    deadline = time.monotonic() + timeout
    seen: list[str] = []
    while time.monotonic() < deadline:
        line_b = await asyncio.wait_for(
            loop.run_in_executor(None, proc.stdout.readline), timeout=max(0.1, deadline - time.monotonic())
        )
        if not line_b:
            raise PlaygroundUnavailable(f"agentsplayground exited ({proc.poll()}): {''.join(seen)[-2000:]}")
        line = line_b.decode(errors="replace")
        seen.append(line)
        m = re.search(r"Listening on (\d+)", line)
        if m:
            return int(m.group(1))
    raise PlaygroundUnavailable(
        f"agentsplayground printed no port within {timeout}s: {''.join(seen)[-2000:]}"
    )


async def _wait_ping(url: str, proc: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as s:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise PlaygroundUnavailable(f"agentsplayground exited with {proc.returncode}")
            with contextlib.suppress(aiohttp.ClientError, asyncio.TimeoutError):
                async with s.get(f"{url}/_debug/ping", timeout=aiohttp.ClientTimeout(total=2)) as r:
                    if r.status == 200:
                        return
            await asyncio.sleep(0.2)
    raise PlaygroundUnavailable(f"{url}/_debug/ping did not answer within {timeout}s")


@contextlib.asynccontextmanager
async def start_playground(
    bot_endpoint_url: str,
    *,
    channel_id: str = "msteams",
    config: Mapping[str, Any] | str | os.PathLike[str] | None = None,
    personal_chat_id: str | None = None,
    viewport: tuple[int, int] = (1400, 900),
    timeout: float = START_TIMEOUT_S,
) -> AsyncIterator[Playground]:
    """Start the Playground against ``bot_endpoint_url`` (e.g. http://127.0.0.1:PORT/api/messages)
    and open its UI in headless Chromium. Raises :class:`PlaygroundUnavailable` if it cannot.

    ``config``: a dict (written as ``.m365agentsplayground.yml``) or a path to such a file, to
    change tenant, bot, currentUser, users, chats and team; ``personal_chat_id`` fixes the
    personal chat's conversation id (``--conversation-id``)."""
    reason = playground_unavailable_reason()
    if reason:
        raise PlaygroundUnavailable(reason)
    from playwright.async_api import Error as PlaywrightError
    from playwright.async_api import async_playwright

    workdir = Path(tempfile.mkdtemp(prefix="playground-"))
    env = {
        **os.environ,
        "TEAMSAPPTESTER_BROWSER": "none",  # else it runs xdg-open on the UI URL
        "APPLICATION_INSIGHTS_NO_STATSBEAT": "true",  # else it probes 169.254.169.254 even with --dt
        "M365_AGENTS_PLAYGROUND_LOGFILE": str(workdir / "playground.log"),  # default: ./devTools/
        "NO_UPDATE_NOTIFIER": "1",
    }
    env.pop("BOT_ENDPOINT", None)
    cfg_path = _write_config(workdir, config)
    if cfg_path is not None:
        env["M365_AGENTS_PLAYGROUND_CONFIG_PATH"] = str(cfg_path)
    cmd = ["node", str(PLAYGROUND_BIN), "start", "-e", bot_endpoint_url, "-c", channel_id, "--dt", "-p", "0"]
    if personal_chat_id:
        cmd += ["--conversation-id", personal_chat_id]
    proc = subprocess.Popen(
        cmd,
        cwd=workdir,  # it looks for .m365agentsplayground.yml and writes devTools/ here
        env=env,
        stdin=subprocess.PIPE,  # held open for the life of the process
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # own process group: killed as a whole on teardown
    )
    drain: asyncio.Future[bytes] | None = None
    try:
        port = await _read_port(proc, timeout)
        url = f"http://127.0.0.1:{port}"
        await _wait_ping(url, proc, timeout)
        # Keep draining stdout so the pipe never fills and blocks node.
        loop = asyncio.get_running_loop()
        assert proc.stdout is not None
        drain = loop.run_in_executor(None, proc.stdout.read)
        async with async_playwright() as pw:
            try:
                browser = await pw.chromium.launch(
                    executable_path=os.environ.get(CHROMIUM_ENV, DEFAULT_CHROMIUM),
                    args=CHROMIUM_ARGS,
                    headless=True,
                    timeout=timeout * 1000,
                )
            except PlaywrightError as exc:
                raise PlaygroundUnavailable(f"Chromium did not start: {exc}") from exc
            try:
                context = await browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
                context.set_default_timeout(timeout * 1000)
                await context.route(lambda u: not _LOOPBACK.match(u), lambda route: route.abort())
                page = await context.new_page()
                pg = Playground(url=url, port=port, page=page, process=proc, workdir=workdir)
                async with aiohttp.ClientSession() as s, s.get(f"{url}/_internal/v1/testConfig") as r:
                    pg.config = (await r.json())["config"]
                page.on("websocket", pg._on_websocket)
                await page.goto(url)
                await page.locator(EDITOR).first.wait_for(state="visible")
                pg.view, pg.conversation_id = "personal", pg._conversation_for("personal")
                await pg.wait_for_activity(
                    lambda a: (
                        a.get("type") == "conversationUpdate"
                        and (a.get("conversation") or {}).get("id") == pg.conversation_id
                    ),
                    timeout=timeout,
                )
                pg._mark = set(pg._messages)
                yield pg
            finally:
                with contextlib.suppress(Exception):
                    await browser.close()
    finally:
        if proc.stdin:
            with contextlib.suppress(OSError):
                proc.stdin.close()
        _kill_group(proc)
        if drain is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(drain, 5)
        if os.environ.get("REFLECT_TEST_KEEP_PLAYGROUND_LOGS") != "1":
            shutil.rmtree(workdir, ignore_errors=True)
