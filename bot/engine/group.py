"""Facilitating group supervision as an action learning set: pure, like the rest of the engine.

`handle_group(session, event, ctx)` takes the channel's group session (or None), a message
from one member, and returns the new session, replies for the whole group, and effects.
The rounds, their speakers and how they run come from the `group_supervision` model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.core.group import MemberReview
from bot.engine.commands import read_confirm
from bot.engine.group_state import Contribution, ContributionKind, GroupSession, Participant
from bot.engine.outcome import Reply, ReplyButton
from bot.engine.signals import identifiers, risk
from bot.engine.state import ActionItem
from bot.engine.understand import actions, case_refs, items
from bot.engine.understand.contribution_kinds import is_advice
from bot.engine.understand.corrections import Correction, read_corrections
from supervision_models.registry import ModelRegistry
from supervision_models.schema import ReflectionModel, Step

GROUP_MODEL = "group_supervision"
_AGREE = {"agree", "agreed", "i agree", "yes", "ok", "okay", "we agree", "👍"}
_MENTION_PREFIX = re.compile(r"^\s*(<at>[^<]*</at>\s*)+")
# At review: "correct 2: i said joint visit not home visit", "correction to 2 - ...", "2: ...".
_CORRECTION = re.compile(
    r"^\s*(?:(?P<verb>correct(?:ion)?|corect|corrct|change|amend|edit|fix)\s*(?:to\s+)?(?:no\.?\s*|number\s+|#)?"
    r"(?P<n>\d{1,3})\b\s*[:\-–,.]?\s*|(?P<bare>\d{1,3})\s*[:\-–]\s*)"
    r"(?:(?:should|to)\s+(?:say|read|be)\s*:?\s*|to\s+)?(?P<text>.*)$",
    re.IGNORECASE | re.DOTALL,
)
_FILE_ANYWAY = re.compile(r"\b(?:anyway|regardless|any\s+way|now|as\s+it\s+is)\b", re.IGNORECASE)
_NOT_RIGHT = re.compile(
    r"^\s*(?:no|nope|not\s+quite|not\s+right|thats\s+wrong|that'?s\s+wrong|wrong|not\s+correct|incorrect|"
    r"that'?s\s+not\s+(?:right|what\s+i\s+said)|i\s+didn'?t\s+say\s+that)\b",
    re.IGNORECASE,
)
_BUT = re.compile(
    r"\b(?:but|except|apart\s+from|wrong|not|isn'?t|wasn'?t|didn'?t|missing|missed|mistake)\b", re.IGNORECASE
)
_MINE = {"mine", "my contributions", "show mine", "group:mine", "what did i say", "my bits", "show me mine"}
# Where advice is told apart from the round's own kind: not the presenter's, the observer's,
# the facilitator's own rounds, the actions (where a plan belongs) or the check-out.
_ADVICE_SPEAKERS = {"members", "everyone", "anyone", "devils_advocate"}


@dataclass(frozen=True)
class GroupText:
    sender: Participant
    text: str
    mentions: tuple[Participant, ...] = ()


@dataclass(frozen=True)
class GroupContext:
    now: datetime
    new_id: str
    models: ModelRegistry
    channel_key: str
    # Role holders of earlier sessions in this channel, newest first: participant id -> role.
    previous_roles: tuple[dict[str, str], ...] = ()


@dataclass(frozen=True)
class CompileMinutes:
    group_id: str


@dataclass
class GroupOutcome:
    session: GroupSession | None
    replies: list[Reply] = field(default_factory=list)
    effects: list[CompileMinutes] = field(default_factory=list)
    changed: bool = False


def is_group_start(text: str) -> bool:
    words = _strip_mentions(text).lower().split()
    return bool(words) and (
        words[0] in {"group", "als"} or words[:2] in (["start", "group"], ["group", "supervision"])
    )


def handle_group(session: GroupSession | None, event: GroupText, ctx: GroupContext) -> GroupOutcome:
    turn = _GroupTurn(session.model_copy(deep=True) if session else None, event, ctx)
    turn.run()
    return GroupOutcome(turn.session, turn.replies, turn.effects, turn.changed)


def _strip_mentions(text: str) -> str:
    return _MENTION_PREFIX.sub("", text).strip()


class _GroupTurn:
    def __init__(self, session: GroupSession | None, event: GroupText, ctx: GroupContext) -> None:
        self.session = session
        self.event = event
        self.ctx = ctx
        self.text = _strip_mentions(event.text)
        self.replies: list[Reply] = []
        self.effects: list[CompileMinutes] = []
        self.changed = False

    # ------------------------------------------------------------------ plumbing

    def say(
        self, template: str, kind: str = "info", buttons: tuple[ReplyButton, ...] = (), **values: Any
    ) -> None:
        self.replies.append(
            Reply(template=f"group/{template}.j2", vars=values, kind=kind, buttons=buttons)  # type: ignore[arg-type]
        )

    def touch(self) -> None:
        assert self.session is not None
        self.session.updated_at = self.ctx.now
        self.changed = True

    @property
    def model(self) -> ReflectionModel:
        assert self.session is not None
        return self.ctx.models.get(self.session.model_id, self.session.model_version)

    @property
    def round(self) -> Step:
        assert self.session is not None
        return self.model.steps[self.session.round_index]

    def is_facilitator(self) -> bool:
        return self.session is not None and self.event.sender.id == self.session.facilitator.id

    # ------------------------------------------------------------------ dispatch

    def run(self) -> None:
        words = self.text.lower().split()
        command = words[0] if words else ""
        if self.session is None or self.session.status in {"filed", "cancelled"}:
            if is_group_start(self.event.text):
                self.start()
            elif command == "help":
                self.say("help", facilitator=None)
            else:
                self.say("not_running")
            return
        session = self.session
        if is_group_start(self.event.text):
            self.say("already_running", facilitator=session.facilitator.name)
            return
        if command == "help":
            self.say("help", facilitator=session.facilitator.name)
            return
        if command in {"join", "here"}:
            self.join(self.event.sender, announce=True)
            return
        if session.status == "forming":
            self.forming()
            return
        if session.status == "review":
            self.review(command, words)
            return
        if command == "cancel" and len(words) == 1:
            self.facilitator_only(self.cancel)
            return
        if command in {"next", "end", "finish"} and len(words) == 1:
            self.facilitator_only(self.next_round if command == "next" else self.end)
            return
        if command == "timebox" and len(words) >= 2:
            self.facilitator_only(lambda: self.set_timebox(words[1:]))
            return
        if command == "who" and len(words) == 1:
            self.say("who", names=[p.name for p in self.quiet()], round_title=self.round.title)
            return
        self.contribution()

    def facilitator_only(self, action: Any) -> None:
        if not self.is_facilitator():
            assert self.session is not None
            self.say("facilitator_only", facilitator=self.session.facilitator.name)
            return
        action()

    # ------------------------------------------------------------------ forming the group

    def start(self) -> None:
        model = self.ctx.models.get(GROUP_MODEL)
        now = self.ctx.now
        self.session = GroupSession(
            id=self.ctx.new_id,
            channel_key=self.ctx.channel_key,
            model_id=model.id,
            model_version=model.version,
            facilitator=self.event.sender,
            started_at=now,
            updated_at=now,
        )
        self.changed = True
        mentions = [m for m in self.event.mentions if m.id != self.event.sender.id]
        self.say("started", facilitator=self.event.sender.name)
        if mentions:
            self.session.presenter = mentions[0]
            for person in mentions[1:]:
                self.join(person)
            self.session.forming = "members" if len(mentions) == 1 else None
        if self.session.forming == "presenter":
            self.say("ask_presenter", reminder=False)
        elif self.session.forming == "members":
            self.say("ask_members", presenter=self.session.presenter.name if self.session.presenter else "")
        else:
            self.begin()

    def forming(self) -> None:
        session = self.session
        assert session is not None
        if not self.is_facilitator():
            self.join(self.event.sender, announce=True)
            return
        mentions = [m for m in self.event.mentions if m.id != session.facilitator.id]
        if session.forming == "presenter":
            if not mentions:
                self.say("ask_presenter", reminder=True)
                return
            session.presenter = mentions[0]
            for person in mentions[1:]:
                self.join(person)
            session.forming = "members"
            self.touch()
            self.say("ask_members", presenter=session.presenter.name)
            return
        for person in mentions:
            self.join(person)
        if self.text.lower() in {"done", "that's everyone", "thats everyone", "go", "start"} or mentions:
            session.forming = None
            self.begin()

    def join(self, person: Participant, announce: bool = False) -> None:
        session = self.session
        assert session is not None
        if session.person(person.id) is not None:
            return
        session.members.append(person)
        self.touch()
        if announce:
            self.say("joined", name=person.name)

    def begin(self) -> None:
        session = self.session
        assert session is not None
        self.assign_roles()
        session.status = "in_progress"
        session.round_index = 0
        self.touch()
        self.enter_round()

    def assign_roles(self) -> None:
        """Devil's advocate and observer rotate: whoever held the role least recently."""
        session = self.session
        assert session is not None
        presenter_id = session.presenter.id if session.presenter else None
        candidates = [p.id for p in session.members if p.id not in {session.facilitator.id, presenter_id}]

        def last_held(pid: str, role: str) -> int:
            for age, roles in enumerate(self.ctx.previous_roles):
                if roles.get(pid) == role:
                    return age
            return len(self.ctx.previous_roles) + 1  # never: the best candidate

        def pick(role: str, exclude: set[str]) -> str:
            pool = [c for c in candidates if c not in exclude]
            if not pool:
                return session.facilitator.id
            return max(pool, key=lambda pid: (last_held(pid, role), -candidates.index(pid)))

        session.devils_advocate_id = pick("devils_advocate", set())
        session.observer_id = pick("observer", {session.devils_advocate_id})

    # ------------------------------------------------------------------ rounds

    def round_vars(self) -> dict[str, Any]:
        session = self.session
        assert session is not None
        step = self.round
        hypotheses = [c.final_text for c in session.contributions if c.kind == "hypothesis"]
        return {
            "round_title": step.title,
            "round_number": session.round_index + 1,
            "round_total": len(self.model.steps),
            "facilitator": session.facilitator.name,
            "presenter": session.presenter.name if session.presenter else None,
            "devils_advocate": _name(session, session.devils_advocate_id),
            "observer": _name(session, session.observer_id),
            "speakers": [p.name for p in self.speakers()],
            "attendees": [{"name": p.name, "roles": session.roles_of(p.id)} for p in session.attendees()],
            "timebox": session.timeboxes.get(step.id),
            "case_ref": session.case_ref,
            "hypotheses": [{"n": n, "statement": h} for n, h in enumerate(hypotheses, start=1)],
            "leading": hypotheses[0] if hypotheses else None,
        }

    def enter_round(self) -> None:
        session = self.session
        assert session is not None
        step = self.round
        session.round_started_at = self.ctx.now
        self.touch()
        buttons = (ReplyButton("labels:agree", "group:agree"),) if step.round == "agree" else ()
        self.replies.append(
            Reply(
                template=step.prompt, vars=self.round_vars(), kind="prompt", buttons=buttons, step_id=step.id
            )
        )
        if step.round == "announce":
            self.next_round()

    def next_round(self) -> None:
        session = self.session
        assert session is not None
        if session.round_index + 1 >= len(self.model.steps):
            self.end()
            return
        session.round_index += 1
        self.enter_round()

    def speakers(self) -> list[Participant]:
        session = self.session
        assert session is not None
        everyone = session.attendees()
        who = self.round.speakers
        if who in {"anyone", "everyone"}:
            return everyone
        if who == "members":
            return [p for p in everyone if not session.presenter or p.id != session.presenter.id]
        wanted = {
            "presenter": session.presenter.id if session.presenter else None,
            "devils_advocate": session.devils_advocate_id,
            "observer": session.observer_id,
            "facilitator": session.facilitator.id,
        }[who]
        return [p for p in everyone if p.id == wanted]

    def contributed(self) -> set[str]:
        session = self.session
        assert session is not None
        return {
            c.speaker_id
            for c in session.contributions
            if c.round_id == self.round.id and c.kind not in {"aside", "answer"}
        }

    def quiet(self) -> list[Participant]:
        done = self.contributed()
        return [p for p in self.speakers() if p.id not in done]

    def set_timebox(self, args: list[str]) -> None:
        session = self.session
        assert session is not None
        if not args[0].isdigit() or not 1 <= int(args[0]) <= 180:
            self.say("timebox_help")
            return
        minutes = int(args[0])
        rounds = self.model.steps[session.round_index :] if "all" in args[1:] else [self.round]
        for step in rounds:
            session.timeboxes[step.id] = minutes
        self.touch()
        self.say("timebox_set", minutes=minutes, every_round="all" in args[1:], round_title=self.round.title)

    # ------------------------------------------------------------------ contributions

    def record(self, kind: ContributionKind) -> Contribution:
        session = self.session
        assert session is not None
        contribution = Contribution(
            seq=len(session.contributions) + 1,
            round_id=self.round.id,
            speaker_id=self.event.sender.id,
            text=self.text,
            at=self.ctx.now,
            kind=kind,
        )
        session.contributions.append(contribution)
        self.touch()
        return contribution

    def contribution(self) -> None:
        session = self.session
        assert session is not None
        sender = self.event.sender
        step = self.round
        self.join(sender)
        if not self.text or (self.event.text == "group:agree" and step.round != "agree"):
            return  # nothing said, or a late press of the ground-rules button: not a contribution
        speaker_ids = {p.id for p in self.speakers()}
        lowered = self.text.lower().strip(".! ")
        is_presenter = session.presenter is not None and sender.id == session.presenter.id

        if step.kind == "case_ref":
            problem = case_refs.case_ref_problem(self.text)
            if lowered == "skip" or problem is None:
                if problem is None:
                    session.case_ref = case_refs.normalise_case_ref(self.text)
                self.next_round()
            else:
                self.say("case_ref_problem", kind="warning", problem=problem)
            return
        if step.round == "agree":
            if lowered in _AGREE or self.event.text == "group:agree":
                if sender.id not in self.contributed():
                    self.record("agreement")
                if not self.quiet():
                    self.say("all_agreed")
                    self.next_round()
                return
            self.record("aside")
            return

        in_turn = sender.id in speaker_ids
        advice = (
            not is_presenter
            and step.kind != "actions"
            and step.speakers in _ADVICE_SPEAKERS
            and step.lens != "feelings"
            and is_advice(self.text)
        )
        if step.round == "questions":
            kind: ContributionKind = "answer" if is_presenter else ("advice" if advice else "question")
        elif step.round == "one_each" and lowered == "pass":
            kind = "pass"
        elif not in_turn:
            kind = "aside"
        elif advice:
            kind = "advice"
        else:
            kind = "hypothesis" if step.kind == "hypotheses" else "contribution"
        contribution = self.record(kind)
        self.check_safety()

        if kind == "aside":
            self.remind_once("hold", "hold_for_speaker", speakers=[p.name for p in self.speakers()])
        elif kind == "advice" and step.round == "questions":
            self.remind_once("questions", "questions_only", name=sender.name)
        if step.kind == "actions" and in_turn:
            self.add_actions(contribution)
        if step.round == "one_each" and kind != "aside":
            self.after_one_each()
        self.check_timebox()

    def remind_once(self, reason: str, template: str, **values: Any) -> None:
        session = self.session
        assert session is not None
        mark = f"{self.round.id}:{self.event.sender.id}:{reason}"
        if mark in session.reminded:
            return
        session.reminded.append(mark)
        self.say(template, kind="warning", **values)

    def after_one_each(self) -> None:
        session = self.session
        assert session is not None
        quiet = self.quiet()
        if not quiet:
            self.say(
                "everyone_contributed", round_title=self.round.title, facilitator=session.facilitator.name
            )
            return
        speakers = self.speakers()
        not_invited = [p for p in quiet if f"{self.round.id}:{p.id}" not in session.invited]
        if not_invited and len(speakers) - len(quiet) >= max(1, len(speakers) // 2):
            session.invited.extend(f"{self.round.id}:{p.id}" for p in not_invited)
            self.say("invite_quiet", names=[p.name for p in not_invited])

    def add_actions(self, source: Contribution) -> None:
        session = self.session
        assert session is not None
        added = self.parse_actions(source)
        self.touch()
        self.say("actions_noted", actions=added)

    def parse_actions(self, source: Contribution) -> list[dict[str, Any]]:
        """The actions in one contribution, added to the session and remembered as its own."""
        session = self.session
        assert session is not None
        added = []
        for line in items.split_items(source.final_text):
            what, who, due, due_text = actions.parse_action(line, source.at)
            action = ActionItem(
                id=f"{session.id}:a{self.next_action_number()}",
                case_ref=session.case_ref,
                what=what,
                who=who,
                due=due,
                due_text=due_text,
                session_id=session.id,
                step_id=source.round_id,
            )
            session.actions.append(action)
            session.action_sources[action.id] = source.seq
            added.append({"what": what, "who": who, "due": due.strftime("%a %d %b") if due else due_text})
        return added

    def next_action_number(self) -> int:
        session = self.session
        assert session is not None
        numbers = [int(a.id.rsplit(":a", 1)[1]) for a in session.actions if ":a" in a.id]
        return max(numbers, default=0) + 1

    def check_safety(self) -> None:
        self.check_safety_of(self.text)

    def check_safety_of(self, text: str) -> None:
        session = self.session
        assert session is not None
        if risk.suggests_immediate_risk(text):
            session.risk_flagged = True
            self.say("risk_alert", kind="alert")
        # Colleagues in the room are named by the chat itself: only the family's names are flagged.
        colleagues = [person.name for person in session.attendees()]
        hits = identifiers.find_identifiers(text, colleagues=colleagues)
        if hits:
            self.say("identifiers_reminder", kind="warning", kinds=sorted({h.kind for h in hits}))

    def check_timebox(self) -> None:
        session = self.session
        assert session is not None
        step = self.round
        minutes = session.timeboxes.get(step.id)
        if minutes is None or session.round_started_at is None or step.id in session.overtime_warned:
            return
        if (self.ctx.now - session.round_started_at).total_seconds() > minutes * 60:
            session.overtime_warned.append(step.id)
            self.say(
                "overtime", minutes=minutes, round_title=step.title, facilitator=session.facilitator.name
            )

    # ------------------------------------------------------------------ ending and review

    def end(self) -> None:
        session = self.session
        assert session is not None
        session.status = "review"
        session.ended_at = self.ctx.now
        session.review_requested = True
        self.touch()
        self.say(
            "draft_minutes", minutes=minutes_vars(session, self.model), facilitator=session.facilitator.name
        )
        reviewers = session.reviewers()
        self.replies.append(
            Reply(
                template="group/review_ask.j2",
                vars={"names": [p.name for p in reviewers], "facilitator": session.facilitator.name},
                kind="confirm",
                buttons=review_buttons(),
                step_id=REVIEW_STEP,
                view_for=tuple(p.id for p in reviewers),
            )
        )

    def review(self, command: str, words: list[str]) -> None:
        """After `end`: each member confirms or corrects their own contributions, then the
        facilitator files (asked first when someone has not answered)."""
        session = self.session
        assert session is not None
        lowered = " ".join(words).strip(".!")
        correction = _CORRECTION.match(self.text)
        if correction and (correction.group("verb") or correction.group("bare")):
            self.correct(int(correction.group("n") or correction.group("bare")), correction.group("text"))
            return
        if session.file_asked and self.is_facilitator() and self.answer_file_question(command, lowered):
            return
        if command in {"file", "approve"} and len(words) <= 3:
            forced = len(words) > 1 and bool(_FILE_ANYWAY.search(lowered))
            if len(words) == 1 or forced:
                self.facilitator_only(lambda: self.file(forced))
                return
        if command in {"minutes", "draft"} and len(words) <= 2:
            self.say(
                "draft_minutes",
                minutes=minutes_vars(session, self.model),
                facilitator=session.facilitator.name,
            )
            return
        if lowered in _MINE or self.event.text == "group:mine":
            self.show_mine()
            return
        pressed = self.event.text if self.event.text.startswith("group:") else None
        if pressed == "group:confirm" or (pressed is None and (command == "confirm" or _confirms(self.text))):
            self.confirm()
            return
        if pressed == "group:correct" or _NOT_RIGHT.match(self.text) or _BUT.search(self.text):
            self.say("review_how_to_correct", mine=self.mine(), name=self.event.sender.name)
            return
        self.say("review_help", facilitator=session.facilitator.name)

    def mine(self) -> list[dict[str, Any]]:
        session = self.session
        assert session is not None
        mine: list[dict[str, Any]] = member_view(session, self.model, self.event.sender.id)["contributions"]
        return mine

    def show_mine(self) -> None:
        session = self.session
        assert session is not None
        self.say(
            "your_contributions",
            buttons=review_buttons() if self.mine() else (),
            **member_view(session, self.model, self.event.sender.id),
        )

    def progress(self) -> dict[str, Any]:
        session = self.session
        assert session is not None
        return {
            "waiting": [p.name for p in session.not_reviewed()],
            "facilitator": session.facilitator.name,
        }

    def confirm(self) -> None:
        session = self.session
        assert session is not None
        sender = self.event.sender
        if not session.contributions_of(sender.id):
            self.say("nothing_to_confirm", name=sender.name)
            return
        earlier = session.reviews.get(sender.id)
        if earlier is None or earlier.answer != "corrected":
            session.reviews[sender.id] = MemberReview(answer="confirmed", at=self.ctx.now)
        self.touch()
        self.say("review_confirmed", name=sender.name, corrected=earlier is not None, **self.progress())

    def correct(self, number: int, new_text: str) -> None:
        session = self.session
        assert session is not None
        sender = self.event.sender
        target = next((c for c in session.contributions if c.seq == number), None)
        if target is None:
            self.say("no_such_contribution", number=number)
            return
        if target.speaker_id != sender.id:
            self.say("correct_own_only", number=number)
            return
        new_text = new_text.strip()
        if not new_text or target.kind in {"agreement", "pass"}:
            self.say("correct_how", number=number)
            return
        target.corrected_text = new_text
        target.corrected_at = self.ctx.now
        earlier = session.reviews.get(sender.id)
        session.reviews[sender.id] = MemberReview(
            answer="corrected", at=self.ctx.now, corrections=(earlier.corrections if earlier else 0) + 1
        )
        if target.round_id in {s.id for s in self.model.steps if s.kind == "actions"}:
            self.reparse_actions(target)
        self.touch()
        self.check_safety_of(new_text)
        self.say("corrected", number=number, name=sender.name, **self.progress())

    def reparse_actions(self, source: Contribution) -> None:
        """A corrected line of actions: its old actions go, the corrected words are read again."""
        session = self.session
        assert session is not None
        gone = {aid for aid, seq in session.action_sources.items() if seq == source.seq}
        session.actions = [a for a in session.actions if a.id not in gone]
        for aid in gone:
            del session.action_sources[aid]
        self.parse_actions(source)

    def answer_file_question(self, command: str, lowered: str) -> bool:
        """The facilitator's answer to "file anyway?"; False when it is not an answer."""
        session = self.session
        assert session is not None
        if self.event.text == "group:file_anyway" or (
            command in {"file", "yes", "ok", "okay", "go"} and _FILE_ANYWAY.search(lowered)
        ):
            self.file(forced=True)
            return True
        if command in {"file", "approve"}:
            return False  # asked again: asked again, with who is still to answer
        reading = read_confirm(self.text)
        if self.event.text == "group:wait" or reading == "no":
            session.file_asked = False
            self.touch()
            self.say("file_waiting", **self.progress())
            return True
        if reading == "yes":
            self.file(forced=True)
            return True
        return False

    def file(self, forced: bool = False) -> None:
        session = self.session
        assert session is not None
        waiting = session.not_reviewed()
        if waiting and not forced:
            session.file_asked = True
            self.touch()
            self.say(
                "file_anyway_ask",
                kind="confirm",
                buttons=(
                    ReplyButton("labels:file_anyway", "group:file_anyway", "primary"),
                    ReplyButton("labels:file_wait", "group:wait"),
                ),
                **self.progress(),
            )
            return
        session.status = "filed"
        session.file_asked = False
        self.touch()
        self.effects.append(CompileMinutes(session.id))
        self.say("filed", review=review_vars(session))

    def cancel(self) -> None:
        session = self.session
        assert session is not None
        session.status = "cancelled"
        session.ended_at = self.ctx.now
        self.touch()
        self.say("cancelled")


def _confirms(text: str) -> bool:
    """ "confirm", "ok thats right", "yes fine", "all good", "spot on": yours are right. Not a
    question, nor a yes with a but ("ok but 3 is wrong")."""
    if "?" in text or _BUT.search(text):
        return False
    return read_confirm(text) == "yes" or read_corrections(text) == [Correction("confirm")]


def _name(session: GroupSession, participant_id: str | None) -> str | None:
    person = session.person(participant_id)
    return person.name if person else None


REVIEW_STEP = "group:review"  # the message asking for the review (Teams: the review card)
REVIEW_VIEW_STEP = "group:review_view"  # one member's own view of it


def review_view_buttons() -> tuple[ReplyButton, ...]:
    """On one member's own view: confirm theirs, or send the correction typed in the card."""
    return (
        ReplyButton("labels:confirm_mine", "group:confirm", "primary"),
        ReplyButton("labels:correct_typed", "group:correct_typed"),
    )


def review_buttons() -> tuple[ReplyButton, ...]:
    """Shortcuts for the review: each press counts for whoever pressed it."""
    return (
        ReplyButton("labels:confirm_mine", "group:confirm", "primary"),
        ReplyButton("labels:correct_mine", "group:correct"),
        ReplyButton("labels:show_mine", "group:mine"),
    )


def _item(session: GroupSession, contribution: Contribution, names: dict[str, str]) -> dict[str, Any]:
    return {
        "n": contribution.seq,
        "speaker": names.get(contribution.speaker_id, "a member"),
        "text": contribution.final_text,
        "kind": contribution.kind,
        "corrected": contribution.corrected_text is not None,
        "original": contribution.text if contribution.corrected_text is not None else None,
    }


def member_view(session: GroupSession, model: ReflectionModel, participant_id: str) -> dict[str, Any]:
    """One member's own contributions, as they are asked to confirm them (the user-specific
    view of the review card in Teams, and `mine` typed anywhere)."""
    names = {p.id: p.name for p in session.attendees()}
    titles = {s.id: s.title for s in model.steps}
    person = session.person(participant_id)
    review = session.reviews.get(participant_id)
    return {
        "name": person.name if person else names.get(participant_id, "a member"),
        "contributions": [
            {**_item(session, c, names), "round_title": titles.get(c.round_id, "")}
            for c in session.contributions_of(participant_id)
        ],
        "answer": review.answer if review else None,
        "waiting": [p.name for p in session.not_reviewed()],
        "facilitator": session.facilitator.name,
    }


def review_vars(session: GroupSession) -> dict[str, Any]:
    """Who confirmed, who corrected and who did not answer, as the filed minutes say it."""
    confirmed, corrected = [], []
    for person in session.reviewers():
        review = session.reviews.get(person.id)
        if review is None:
            continue
        if review.answer == "corrected":
            corrected.append({"name": person.name, "count": review.corrections})
        else:
            confirmed.append(person.name)
    waiting = [p.name for p in session.not_reviewed()]
    return {
        "requested": session.review_requested,
        "confirmed": confirmed,
        "corrected": corrected,
        "not_responded": waiting,
        "everyone": session.review_requested and not waiting,
        "nobody": session.review_requested and not confirmed and not corrected,
    }


def minutes_vars(session: GroupSession, model: ReflectionModel) -> dict[str, Any]:
    """Everything the minutes show, as plain values for the templates and exports.

    The actions round's own lines are the actions table (said once, under its title); the
    observer's round is the observer's reflections on the process, a section of its own."""
    names = {p.id: p.name for p in session.attendees()}
    rounds = []
    observer: dict[str, Any] | None = None
    for step in model.steps:
        said = [c for c in session.contributions if c.round_id == step.id and c.kind != "agreement"]
        if step.kind == "actions":
            said = [c for c in said if c.kind != "contribution"]  # the lines became the table
        entry = {
            "id": step.id,
            "title": step.title,
            "items": [_item(session, c, names) for c in said],
            "actions": step.kind == "actions",
        }
        if step.speakers == "observer":
            observer = entry
            continue
        rounds.append(entry)
    return {
        "case_ref": session.case_ref,
        "started_at": session.started_at,
        "ended_at": session.ended_at,
        "status": session.status,
        "attendees": [
            {"name": p.name, "roles": [r.replace("_", " ") for r in session.roles_of(p.id)]}
            for p in session.attendees()
        ],
        "rounds": rounds,
        "observer": {
            "name": _name(session, session.observer_id),
            "items": observer["items"] if observer else [],
        },
        "actions": [
            {
                "what": a.what,
                "who": a.who,
                "due": a.due.strftime("%a %d %b %Y") if a.due else a.due_text,
            }
            for a in session.actions
        ],
        "risk_flagged": session.risk_flagged,
        "review": review_vars(session),
    }
