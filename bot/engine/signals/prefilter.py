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
from collections.abc import Iterable

import re2

_LOOKAROUNDS = ("(?=", "(?!", "(?<=", "(?<!")


def without_lookarounds(pattern: str) -> str:
    """The pattern with every lookaround group removed (escapes and classes respected)."""
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        if pattern.startswith(_LOOKAROUNDS, i):
            i = _group_end(pattern, i)
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


def _group_end(pattern: str, i: int) -> int:
    """Just past the ) that closes the group opening at i."""
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
    raise ValueError("unbalanced group")


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
    """The patterns that may match a text; those that do are among them."""

    def __init__(self, patterns: Iterable[re.Pattern[str]]) -> None:
        options = re2.Options()
        options.max_mem = 64 << 20  # a few hundred long alternations
        options.log_errors = False  # a pattern it cannot take is let through, not logged
        self._set = re2.Set.SearchSet(options)
        self._patterns: list[re.Pattern[str]] = []
        self.always: set[re.Pattern[str]] = set()  # those RE2 could not take
        for pattern in dict.fromkeys(patterns):
            try:
                # (?s)(?m): `.` and `$` match at least where re's do (it has neither flag).
                index = self._set.Add("(?sm)" + without_lookarounds(pattern.pattern))
            except (re2.error, ValueError):  # RE2 can't read it, or a group is unbalanced
                self.always.add(pattern)
                continue
            assert index == len(self._patterns)
            self._patterns.append(pattern)
        try:
            self._set.Compile()
        except re2.error:  # over its memory budget: every pattern is searched
            self.always.update(self._patterns)
            self._patterns = []

    def candidates(self, text: str) -> set[re.Pattern[str]]:
        if not self._patterns:
            return set(self.always)
        found = self._set.Match(_as_re2_reads(text)) or ()
        return {self._patterns[index] for index in found} | self.always
