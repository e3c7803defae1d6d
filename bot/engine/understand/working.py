"""Working patterns, leave and a worker's own check-in, as workers type them.

- Days and hours: "i work mon tue wed", "my hours are 8 till 4", "i work mon-thu 9-5, fri 9-1",
  "i dont work fridays", "part time mon to wed 9.30-3", "weekdays 8-4". A time range belongs
  to the days before it ("mon-thu 9-5, fri 9-1"); days with none keep their hours. Hours
  without am/pm are read as a working day is: "8 till 4" is 8:00 to 16:00, "9-1" 9:00 to 13:00.
- Leave: "away until 12 dec", "on leave till mon", "off til the 14th", "back on 3/1" (UK day
  first), read by the date reader (dates.py); "i'm back" ends it.
- A check-in: "check in with me every friday at 3", "every other monday 9am", "remind me to
  reflect every weds afternoon"; "stop my check-in", "stop check ins".

Each reader returns None when the words are not that statement, so a sentence that merely
mentions a day ("i work with mum on tuesdays") is left alone: every word of a pattern must
be a day, a time, or one of the few words people put around them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from bot.engine.understand.dates import find_date

_I = re.IGNORECASE

_DAY_WORDS: dict[str, int] = {}
for _n, _forms in enumerate(
    (
        "mon monday mondays mons mond",
        "tue tues tuesday tuesdays tuesdy",
        "wed weds wednesday wednesdays wednes wednesdy wensday",
        "thu thur thurs thursday thursdays thurdsay thrusday",
        "fri friday fridays fridy fri's",
        "sat saturday saturdays",
        "sun sunday sundays",
    )
):
    for _form in _forms.split():
        _DAY_WORDS[_form] = _n

_DAY = r"(?:" + "|".join(sorted((re.escape(w) for w in _DAY_WORDS), key=len, reverse=True)) + r")"
_CLOCK = r"(?:\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?|noon|midday)"
_RANGE = re.compile(
    rf"(?:from\s+)?(?P<a>{_CLOCK})\s*(?:-|–|to|till|til|until|untill|till?l|thru|through)\s*(?P<b>{_CLOCK})(?![\d:])",
    _I,
)
_DAY_RANGE = re.compile(rf"\b(?P<a>{_DAY})\s*(?:-|–|to|till|til|until|thru|through)\s*(?P<b>{_DAY})\b", _I)
_DAY_TOKEN = re.compile(rf"\b{_DAY}\b", _I)
_ALL_WEEK = re.compile(
    r"\b(?:weekdays|week\s*days|mon(?:day)?\s*to\s*fri(?:day)?|full[\s-]*time|every\s+day)\b", _I
)
_NEGATE = re.compile(
    r"\b(?:do\s*n'?t|dont|don't|do\s+not|dnt|never|not|no\s+longer)\s+(?:work|wrk|do)\w*"
    r"|\b(?:i\s*'?m|im|i\s+am)\s+(?:off|not\s+in)\b|\boff\s+(?:on|every)\b|\bnot\s+(?:on|in\s+on)\b",
    _I,
)
_LEAD_IN = re.compile(
    r"^(?:so\s+|fyi\s+|just\s+so\s+you\s+know\s+|btw\s+)?(?:i\s*'?m\s+|im\s+|i\s+|my\s+|me\s+|not\s+(?:working|in)\b)",
    _I,
)
_FILLER_WORDS = """i im i'm my me work works working worked do dont don't do not never usually normally only just
    days day hours hour are is am on and & + , the a from at part time part-time pt pattern shifts
    shift now currently these those week weeks every each off no longer but also have got get r
    usually generally tbh atm = in only or wrk wrks n dnt btw fyi til till
    until to - – start finish starting finishing in out office contracted hrs"""
_FILLER = frozenset(_FILLER_WORDS.split())


@dataclass(frozen=True)
class PatternWords:
    """What a working-pattern message said: hours for days, days dropped, or hours for all."""

    shifts: tuple[tuple[int, time | None, time | None], ...] = ()  # a day and its hours (None: keep)
    dropped: tuple[int, ...] = ()
    hours: tuple[time, time] | None = None  # "my hours are 8 till 4": every working day
    replaces: bool = False  # "i work mon tue wed": exactly these days


@dataclass(frozen=True)
class LeaveWords:
    back_on: date | None  # None: "i'm back" (leave ends now)


@dataclass(frozen=True)
class CheckInWords:
    weekday: int
    at: time | None  # None: a time of day to be decided by working hours ("first thing")
    every_weeks: int
    what: str  # checkin | reflect


@dataclass(frozen=True)
class StopCheckIn:
    pass


def weekday_named(text: str) -> int | None:
    """The first weekday named in the text ("weds", "thurs", "friday"), 0 Monday, or None."""
    match = _DAY_TOKEN.search(text)
    return _DAY_WORDS[match.group(0).lower()] if match else None


# ---------------------------------------------------------------- clock words


def read_clock(word: str, *, ending_after: time | None = None) -> time | None:
    """A time of a working day: "8", "8am", "4.30", "16:00", "noon". Without am/pm, 1 to 7 are
    afternoon (nobody starts work at 4am); an end at or before `ending_after` is afternoon."""
    text = word.strip().lower()
    if text in {"noon", "midday"}:
        return time(12, 0)
    match = re.fullmatch(r"(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?", text)
    if match is None:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if hour > 23 or minute > 59:
        return None
    if half:
        if hour > 12 or hour == 0:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    elif hour <= 12:
        if 1 <= hour <= 7:
            hour += 12
        if ending_after is not None and hour <= ending_after.hour and hour < 12:
            hour += 12
    return time(hour, minute)


def _range(match: re.Match[str]) -> tuple[time, time] | None:
    start = read_clock(match.group("a"))
    if (
        start is not None
        and start.hour >= 12
        and re.fullmatch(r"\d{1,2}(?:[:.]\d{2})?", match.group("a").strip())
    ):
        start = time(start.hour - 12, start.minute)  # a start with no am/pm is morning: "7-3"
    if start is None:
        return None
    end = read_clock(match.group("b"), ending_after=start)
    if end is None or end <= start:
        return None
    return start, end


# ---------------------------------------------------------------- working days and hours


def _only_filler(text: str) -> bool:
    words = re.findall(r"[a-z'&+-]+|\d+", text.lower())
    return all(w in _FILLER for w in words)


def read_pattern(text: str) -> PatternWords | None:
    """A worker describing their working days or hours, or None."""
    cleaned = " ".join(text.strip().rstrip(".!").split())
    starts = rf"^(?:{_DAY}|weekdays|part[\s-]*time|(?:working\s+)?(?:hours|hrs)|working\s+days)\b"
    if not _LEAD_IN.match(cleaned) and not re.match(starts, cleaned, _I):
        return None
    lowered = cleaned.lower()
    if not re.search(
        r"\b(?:work\w*|wrk|hours|hrs|days|part[\s-]*time|pt|shifts?|off|contracted|not\s+in)\b|^i\s+(?:only\s+)?do\b",
        lowered,
    ):
        return None
    # Find every day, day range and time range, in order, and what is left.
    found: list[_Span] = []

    def free(a: int, b: int) -> bool:
        return all(b <= span.start or a >= span.end for span in found)

    for m in _RANGE.finditer(cleaned):
        hours = _range(m)
        if hours is not None and free(m.start(), m.end()):
            found.append(_Span(m.start(), m.end(), (), hours))
    for m in _ALL_WEEK.finditer(cleaned):
        if free(m.start(), m.end()):
            found.append(_Span(m.start(), m.end(), (0, 1, 2, 3, 4), None))
    for m in _DAY_RANGE.finditer(cleaned):
        if free(m.start(), m.end()):
            a, b = _DAY_WORDS[m.group("a").lower()], _DAY_WORDS[m.group("b").lower()]
            found.append(_Span(m.start(), m.end(), tuple(range(a, b + 1)) if a <= b else (), None))
    for m in _DAY_TOKEN.finditer(cleaned):
        if free(m.start(), m.end()):
            found.append(_Span(m.start(), m.end(), (_DAY_WORDS[m.group(0).lower()],), None))
    if not found:
        return None
    rest = cleaned
    for span in sorted(found, key=lambda x: x.start, reverse=True):
        rest = rest[: span.start] + " " + rest[span.end :]
    rest = re.sub(r"\b[1-6]\s*(?:days?|d)\b", " ", rest, flags=_I)  # "i work 3 days mon weds fri"
    if not _only_filler(rest):
        return None
    found.sort(key=lambda x: x.start)
    day_spans = [span for span in found if span.hours is None]
    hour_spans = [span.hours for span in found if span.hours is not None]
    if day_spans and (
        _NEGATE.search(cleaned[: day_spans[0].start])
        or re.match(r"\s*off\b", cleaned[day_spans[-1].end :], _I)
    ):
        if hour_spans:
            return None
        return PatternWords(dropped=tuple(sorted({d for span in day_spans for d in span.days})))
    if not day_spans:
        if len(hour_spans) != 1:
            return None
        return PatternWords(hours=hour_spans[0])
    # Days take the hours that follow them; hours before any day go to the days after them.
    shifts: dict[int, tuple[time, time] | None] = {}
    pending: list[int] = []
    leading: tuple[time, time] | None = None
    for span in found:
        if span.hours is None:
            pending.extend(span.days)
        elif pending:
            shifts.update(dict.fromkeys(pending, span.hours))
            pending = []
        else:
            leading = span.hours
    shifts.update(dict.fromkeys(pending, leading))
    listed = tuple((d, h[0], h[1]) if h is not None else (d, None, None) for d, h in sorted(shifts.items()))
    return PatternWords(shifts=listed, replaces=True)


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    days: tuple[int, ...]
    hours: tuple[time, time] | None


# ---------------------------------------------------------------- leave

_BACK = re.compile(
    r"^(?:ok\s+|right\s+|hi\s+|hiya\s+)?(?:i\s*'?m|im|i\s+am|am)\s+(?:back|bak)(?:\s+(?:now|at\s+work|from\s+(?:leave|hols|holiday|annual\s+leave|sick|sick\s+leave)|today))?[\s!.]*$"
    r"|^back\s+(?:now|at\s+work|from\s+(?:leave|hols|holiday|annual\s+leave))[\s!.]*$"
    r"|^(?:end|cancel|stop)\s+(?:my\s+)?leave[\s!.]*$",
    _I,
)
_AWAY = re.compile(
    r"^(?:(?:i\s*'?m|im|i\s+am|am|i'll\s+be|ill\s+be|i\s+will\s+be)\s+)?"
    r"(?:away|on\s+leave|on\s+annual\s+leave|on\s+a/?l|on\s+al|on\s+hol(?:iday|s)?|off(?:\s+sick|\s+work)?|out\s+of\s+(?:the\s+)?office|ooo|oof|"
    r"off\s+on\s+(?:leave|annual\s+leave|hol(?:iday|s)?)|sick|annual\s+leave|a/l|leave|on\s+mat(?:ernity)?\s+leave)"
    r"(?:\s+(?:now|from\s+today|from\s+tomorrow|from\s+tmrw))?\s+"
    r"(?:until|till|til|untill|till?l|to|thru|through|up\s+to|back)\s+(?P<when>.+)$",
    _I,
)
_BACK_ON = re.compile(
    r"^(?:(?:i\s*'?m|im|i\s+am|i'll\s+be|ill\s+be|i\s+will\s+be)\s+)?(?:back|bk|bak|returning|back\s+at\s+work|back\s+in)\s+(?:on\s+|from\s+)?(?P<when>.+)$",
    _I,
)


def read_leave(text: str, now: datetime) -> LeaveWords | None:
    """Leave starting now and the day the worker is back, or "i'm back" (None: not leave).

    "until 12 dec" is read as back on 12 December: reminders wait until that day."""
    cleaned = " ".join(text.strip().split())
    if _BACK.match(cleaned):
        return LeaveWords(None)
    match = _AWAY.match(cleaned) or _BACK_ON.match(cleaned)
    if match is None:
        return None
    words = match.group("when").strip(" .!")
    found = find_date(words, now)
    if found is None and re.match(r"\d{1,2}(?:st|nd|rd|th)\b", words, _I):
        words = "the " + words  # "til 12th": the 12th
        found = find_date(words, now)
    if found is None or found.due is None or found.due <= now.date():
        return None
    leftover = (words[: found.start] + words[found.end :]).strip(" .,!")
    if leftover and not re.fullmatch(r"(?:pls|please|thanks|ta|x+|thx|then|morning|am)", leftover, _I):
        return None
    return LeaveWords(found.due)


# ---------------------------------------------------------------- a worker's own check-in

_STOP = re.compile(
    r"^(?:pls\s+|please\s+)?(?:stop|cancel|end|turn\s+off|no\s+more|remove|delete|pause)\s+(?:my\s+|the\s+|all\s+)?"
    r"(?:weekly\s+|regular\s+|own\s+)?(?:check[\s-]*ins?|checkins?|chec?k[\s-]*ins?|checking\s+in|reflect(?:ion)?\s+reminders?)"
    r"(?:\s+(?:pls|please|thanks|thx))?[\s!.]*$",
    _I,
)
_EVERY = re.compile(
    rf"\bev(?:e|a)?ry\s+(?P<other>other\s+|second\s+|2nd\s+|alternate\s+)?(?P<day>{_DAY})\b"
    rf"|\b(?P<fortnightly>fortnightly|biweekly)\s+(?:on\s+)?(?P<fday>{_DAY})\b"
    rf"|\b(?:on\s+)?(?P<pday>{_DAY})\s+(?P<pfort>fortnightly|every\s+(?:2|two)\s+weeks)\b"
    rf"|\bevery\s+(?:2|two)\s+weeks\s+on\s+(?P<tday>{_DAY})\b",
    _I,
)
_ASKING = re.compile(
    r"^(?:(?:can|could)\s+(?:you|u)\s+|pls\s+|please\s+)?"
    r"(?:check[\s-]*in|checkin|chk\s*in|chek[\s-]*in|ev(?:e|a)?ry|fortnightly|set\s+(?:up\s+)?(?:a\s+)?(?:weekly\s+)?check[\s-]*in|"
    r"(?:remind|nudge|prompt|ping|ask)\s+me(?:\s+to\s+(?:reflect|check[\s-]*in|do\s+(?:a|my)\s+(?:check[\s-]*in|checkin|reflection))"
    r"|\s+(?:every|fortnightly)))",
    _I,
)
_AT = re.compile(
    rf"(?:\bat|@)\s*(?P<at>{_CLOCK})(?![\d:])|(?P<bare>\d{{1,2}}(?:[:.]\d{{2}})?\s*(?:am|pm)|\d{{1,2}}[:.]\d{{2}})",
    _I,
)
_PART_OF_DAY = {
    "first thing": time(9, 0),
    "morning": time(10, 0),
    "am": time(10, 0),
    "lunchtime": time(12, 30),
    "lunch": time(12, 30),
    "afternoon": time(14, 0),
    "pm": time(14, 0),
    "end of the day": time(16, 30),
    "end of day": time(16, 30),
    "eod": time(16, 30),
}


def read_checkin(text: str) -> CheckInWords | StopCheckIn | None:
    cleaned = " ".join(text.strip().split())
    if _STOP.match(cleaned):
        return StopCheckIn()
    if not _ASKING.match(cleaned):
        return None
    every = _EVERY.search(cleaned)
    if every is None:
        return None
    day_word = every.group("day") or every.group("fday") or every.group("pday") or every.group("tday")
    fortnight = bool(
        every.group("other") or every.group("fortnightly") or every.group("pfort") or every.group("tday")
    )
    after = cleaned[every.end() :] if every.group("day") or every.group("fday") else cleaned
    at: time | None = None
    clock = _AT.search(after) or _AT.search(cleaned)
    if clock is not None:
        at = read_clock(clock.group("at") or clock.group("bare"))
    else:
        for words, moment in _PART_OF_DAY.items():
            if re.search(rf"\b{words}\b", after, _I):
                at = moment
                break
    what = "reflect" if re.search(r"\breflect", cleaned, _I) else "checkin"
    return CheckInWords(_DAY_WORDS[day_word.lower()], at, 2 if fortnight else 1, what)


__all__ = [
    "CheckInWords",
    "LeaveWords",
    "PatternWords",
    "StopCheckIn",
    "read_checkin",
    "read_clock",
    "read_leave",
    "read_pattern",
    "read_region",
    "weekday_named",
]


# ---------------------------------------------------------------- bank-holiday region

_REGION_WORDS = {
    "scotland": "scotland",
    "scottish": "scotland",
    "northern ireland": "northern-ireland",
    "n ireland": "northern-ireland",
    "n. ireland": "northern-ireland",
    "ni": "northern-ireland",
    "belfast": "northern-ireland",
    "england": "england-and-wales",
    "wales": "england-and-wales",
    "england and wales": "england-and-wales",
    "england & wales": "england-and-wales",
}
_REGION = re.compile(
    r"^(?:(?:i\s*'?m|im|i\s+am|we\s*'?re|were|i\s+work|we\s+work|i'?m\s+based|im\s+based|based)\s+in"
    r"|(?:my\s+)?(?:bank\s+hols?|bank\s+holidays?|bhs?|region)(?:\s+(?:are|is|for|in|=))?(?:\s+(?:for|in|from))?)\s+(?:the\s+)?"
    r"(?P<where>"
    + "|".join(sorted((re.escape(w) for w in _REGION_WORDS), key=len, reverse=True))
    + r")(?:\s+(?:btw|fyi|pls|please|now|x|thanks|thx))?[\s!.]*$",
    _I,
)


def read_region(text: str) -> str | None:
    """ "i'm in scotland", "bank holidays northern ireland" -> the region's id, or None."""
    match = _REGION.match(" ".join(text.strip().split()))
    return _REGION_WORDS[match.group("where").lower()] if match else None
