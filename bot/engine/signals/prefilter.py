"""Which of many patterns may match a text, found in one pass with RE2's multi-pattern set.

The risk reader holds some two hundred patterns and most answers match none of them; searching
each in turn with `re` was most of a turn's engine time. RE2 reads the text once for all of
them, and only the patterns it lets through are searched with `re`, whose answer is final.

RE2 has no lookarounds, so it is given each pattern without them. A lookaround only adds a
condition and consumes nothing, so a pattern without its lookarounds matches, at the same
place, wherever the original does: a pattern RE2 rules out cannot match. RE2's `\\w`, `\\d`,
`\\s` and `\\b` are ASCII, where `re`'s are Unicode, so RE2 reads a copy of the text in which
every other word character is `_`, digit `0` and space ` ` (the same class for both). A
pattern RE2 cannot take is always let through, so the set never hides a match.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import re2

_LOOKAROUNDS = ("(?=", "(?!", "(?<=", "(?<!")


def without_lookarounds(pattern: str) -> str:
    """The pattern with every lookaround group removed (escapes and classes respected)."""
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        if pattern.startswith(_LOOKAROUNDS, i):
            end = _group_end(pattern, i)
            if end is None:  # not a pattern re compiled: left whole, so RE2 refuses it
                return pattern
            i = end
            continue
        end = _atom_end(pattern, i)
        out.append(pattern[i:end])
        i = end
    return "".join(out)


def _atom_end(pattern: str, i: int) -> int:
    """Where the escape, character class or single character starting at i ends."""
    if pattern[i] == "\\":
        return i + 2
    if pattern[i] == "[":
        j = i + 1
        if j < len(pattern) and pattern[j] == "^":
            j += 1
        if j < len(pattern) and pattern[j] == "]":  # a leading ] is a literal
            j += 1
        while j < len(pattern) and pattern[j] != "]":
            j += 2 if pattern[j] == "\\" else 1
        return j + 1
    return i + 1


def _group_end(pattern: str, i: int) -> int | None:
    """Just past the ) that closes the group opening at i (None: it is never closed)."""
    depth, j = 0, i
    while j < len(pattern):
        char = pattern[j]
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return j + 1
        j = _atom_end(pattern, j)
    return None


# Spaces to re's `\s` that RE2's (tab, newline, form feed, return, space) leaves out.
_OTHER_ASCII_SPACES = str.maketrans(dict.fromkeys("\x0b\x1c\x1d\x1e\x1f", " "))


def _as_re2_reads(text: str) -> str:
    if text.isascii():
        return text.translate(_OTHER_ASCII_SPACES)
    return "".join(_ascii_class(char) for char in text)


def _ascii_class(char: str) -> str:
    if char.isascii():
        return char.translate(_OTHER_ASCII_SPACES)
    if char.isdecimal():
        return "0"
    if char.isspace():
        return " "
    if char.isalnum():
        return "_"
    return char  # punctuation, symbols (£), emoji: not word characters for either engine


class PatternSet:
    """Which of the patterns (by their index in the sequence given) may match a text; those
    that do are among them. Indices, not the patterns: hashing a compiled pattern hashes its
    whole program, which cost more than the searches saved."""

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        options = re2.Options()
        options.max_mem = 64 << 20  # a few hundred long alternations
        options.log_errors = False  # a pattern it cannot take is let through, not logged
        self._set = re2.Set.SearchSet(options)
        self._indices: list[int] = []  # RE2's index -> ours
        self.always: frozenset[int] = frozenset()  # those RE2 could not take
        always: set[int] = set()
        for index, pattern in enumerate(patterns):
            try:
                # (?s)(?m): `.` and `$` match at least where re's do (it has neither flag).
                self._set.Add("(?sm)" + without_lookarounds(pattern.pattern))
            except re2.error:  # a backreference, a lookaround in an unclosed group...
                always.add(index)
                continue
            self._indices.append(index)
        try:
            self._set.Compile()
        except re2.error:  # over its memory budget: every pattern is searched
            always.update(self._indices)
            self._indices = []
        self.always = frozenset(always)

    def candidates(self, text: str) -> frozenset[int]:
        if not self._indices:
            return self.always
        found = self._set.Match(_as_re2_reads(text))
        if not found:
            return self.always
        return self.always.union(self._indices[i] for i in found)
