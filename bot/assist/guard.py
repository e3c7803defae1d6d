"""Checks on what the model wrote, before anyone sees it.

Escaping is not done here (each adapter escapes for its platform). What is done:

* placeholders the model invented ([PERSON_9] when there is no ninth person) are removed;
* output that brings in something absent from the session is *flagged*: a capitalised name
  the session never used, any digit (the prompt asks for none, and the session's numbers
  were all replaced), a link, markup, or text that reads as instructions or role-play
  (a sign that injected text in the data steered the model). Flagged output is not shown;
  the caller falls back to our own wording;
* the length is capped, at a sentence end where possible.

Flags are short codes ("new_name", "digits", "link", "instructions", "markup", "empty") so
they can be counted without recording content.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.assist.names import NOT_NAMES, words
from bot.assist.pseudonymise import PLACEHOLDER

_CAPITALISED = re.compile(r"\b[A-Z][a-z]*(?:['’-]?[A-Z][a-z]+)+\b|\b[A-Z][a-z]+\b")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n]|^\s*(?:[-*•]|\d{1,2}[.)]))[\s\"'“‘(*_]*$")
_LINK = re.compile(r"https?://|www\.|\b[\w-]+\.(?:com|org|net|io|uk|ru|xyz)\b", re.IGNORECASE)
_MARKUP = re.compile(r"<[a-zA-Z/!][^>]*>|```|\]\(|<@|<!|&lt;|\{\{|\{%")
_INSTRUCTIONS = re.compile(
    r"\b(ignore|disregard|forget)\b.{0,40}\b(instructions?|rules|prompt|above|previous)\b"
    r"|\b(system prompt|developer message|jailbreak|you are now|new instructions|as an ai)\b"
    r"|</?session_data>",
    re.IGNORECASE | re.DOTALL,
)
# Capitalised words a challenge or summary may use that the session may not contain.
_ALLOWED = words(
    """
    i i'd i'm i've if is it its in on at as by for to of or and but so the a an be do does did
    what why how who when where which whose would could should might may can will shall must
    have has had are was were there here this that these those their they them she he his her
    you your yours we our us consider perhaps what's who's
    ai worker workers parent parents child children mum dad family carer carers
    disguised compliance devil's advocate start again hypothesis hypotheses evidence
    """
)


@dataclass(frozen=True)
class Checked:
    text: str
    flags: tuple[str, ...] = field(default=())

    @property
    def usable(self) -> bool:
        return not self.flags and bool(self.text)


def check(
    output: str,
    sent: str,
    known_placeholder: Callable[[str], bool],
    is_name: Callable[[str], bool],
    max_chars: int,
) -> Checked:
    """`sent` is exactly what the model was given (pseudonymised); the output may use its words."""
    flags: list[str] = []
    text = PLACEHOLDER.sub(lambda m: m.group(0) if known_placeholder(m.group(0)) else "", output)
    text = re.sub(r"[^\S\n]{2,}", " ", text)
    text = re.sub(r"\s+([.,;:!?])", r"\1", text)
    text = "".join(ch for ch in text if ch == "\n" or ch.isprintable()).strip()
    if not text:
        return Checked("", ("empty",))
    vocabulary = {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'’-]*", sent)}
    plain = PLACEHOLDER.sub(" ", text)
    if re.search(r"\d", plain):
        flags.append("digits")
    if _LINK.search(plain):
        flags.append("link")
    if _MARKUP.search(text):
        flags.append("markup")
    if _INSTRUCTIONS.search(text):
        flags.append("instructions")
    for match in _CAPITALISED.finditer(plain):
        word = match.group(0)
        lowered = word.lower()
        if lowered in vocabulary or lowered in _ALLOWED or lowered in NOT_NAMES:
            continue
        at_start = bool(_SENTENCE_START.search(plain[: match.start()]))
        if not at_start or is_name(word):
            flags.append("new_name")
            break
    return Checked(_cap(text, max_chars), tuple(flags))


def _cap(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "), cut.rfind("\n"))
    return (cut[: end + 1] if end > limit // 2 else cut.rstrip() + "…").strip()
