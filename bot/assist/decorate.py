"""Adding AI text to replies the engine has already decided on (the service's hook).

The engine stays pure and decides every step; afterwards the service asks this module to
decorate some replies with AI text, passed to the template as `ai_text` (and, for a group's
devil's advocate, `ai_synthesis`). The templates show it beneath our own wording, labelled
as AI-suggested; when AI help gives nothing, the reply is exactly what it would have been.

Which replies: the devil's-advocate prompt (a step with the "challenge" lens) and the
follow-up to a vague answer (`followups/vague_*` templates).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import replace

from bot.assist import uses
from bot.assist.assistant import AiReply, Assistant
from bot.assist.budget import Ledger
from bot.engine.group_state import GroupSession
from bot.engine.outcome import Reply
from bot.engine.state import Session
from supervision_models.registry import ModelRegistry, UnknownModelError
from supervision_models.schema import ReflectionModel


class AiHelp:
    def __init__(self, assistant: Assistant, models: ModelRegistry) -> None:
        self.assistant = assistant
        self.models = models

    @property
    def available(self) -> bool:
        return self.assistant.available

    def _model(self, model_id: str, version: int) -> ReflectionModel | None:
        try:
            return self.models.get(model_id, version)
        except UnknownModelError:
            return None

    async def summary(self, session: Session | None, ledger: Ledger) -> AiReply:
        model = self._model(session.model_id, session.model_version) if session else None
        if session is None or model is None:
            return AiReply()
        return await self.assistant.run(uses.summary(session, model), ledger)

    async def decorate(
        self, replies: Sequence[Reply], session: Session | None, ledger: Ledger
    ) -> tuple[list[Reply], bool]:
        """Replies with AI text added where it helps; True when the worker should be told once."""
        out = list(replies)
        model = self._model(session.model_id, session.model_version) if session else None
        if session is None or model is None:
            return out, False
        tell = False
        for i, reply in enumerate(out):
            request: uses.UseRequest | None = None
            if reply.kind == "prompt" and reply.step_id and _is_challenge(model, reply.step_id):
                request = uses.challenge(session, model)
            elif reply.kind == "followup" and reply.step_id and reply.template.startswith("followups/vague_"):
                request = uses.followup(session, model, reply.step_id)
            if request is None:
                continue
            answer = await self.assistant.run(request, ledger)
            tell = tell or answer.tell_unavailable
            if answer.text:
                out[i] = replace(reply, vars={**reply.vars, "ai_text": answer.text})
        return out, tell

    async def decorate_group(
        self, replies: Sequence[Reply], session: GroupSession | None, owner: str, ledger: Ledger
    ) -> tuple[list[Reply], bool]:
        """A group's devil's-advocate round: a neutral synthesis of the hypotheses and a challenge."""
        out = list(replies)
        model = self._model(session.model_id, session.model_version) if session else None
        if session is None or model is None:
            return out, False
        tell = False
        for i, reply in enumerate(out):
            if not (reply.kind == "prompt" and reply.step_id and _is_challenge(model, reply.step_id)):
                continue
            synthesis, challenge = await asyncio.gather(
                self.assistant.run(uses.synthesis(session, owner), ledger),
                self.assistant.run(uses.group_challenge(session, owner), ledger),
            )
            tell = tell or synthesis.tell_unavailable or challenge.tell_unavailable
            extra = {"ai_synthesis": synthesis.text, "ai_text": challenge.text}
            if any(extra.values()):
                out[i] = replace(reply, vars={**reply.vars, **{k: v for k, v in extra.items() if v}})
        return out, tell


def _is_challenge(model: ReflectionModel, step_id: str) -> bool:
    try:
        step = model.step(step_id)
    except KeyError:
        return False
    return step.lens == "challenge" and step.kind == "text"
