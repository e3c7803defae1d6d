"""Dates as UK workers type them, read relative to `now` (passed in: no clock here).

Conventions (each shown back to the worker, who can correct it):

- "today", "tonight", "this afternoon", "eod", "asap", "urgently", "straight away" -> today
  ("asap" counts as a date, so an "asap" action has an owner-and-date when it has an owner).
- "tmrw", "tomoz", "tomorrow" and their typos -> tomorrow; "day after tomorrow" -> +2.
- A weekday ("fri", "by friday", "wed am", "this thurs") -> the next such day, never today
  and never past. "next fri" -> the Friday of next calendar week (Monday to Sunday), as
  said in the UK; "monday week" / "a week on monday" -> a week after the next Monday.
- "end of wk", "this week", "eow" -> this week's Friday (today if it is Friday, next Friday
  at a weekend); "next wk", "end of next week" -> next week's Friday: a week is due by its
  last working day.
- "end of the month", "eom" -> its last day; "next month" -> the last day of next month.
- "in 3 weeks", "in 2 wks", "within 10 working days", "a fortnight", "48 hrs" -> counted on.
- "14/12", "03/12/2026", "14.12.26" -> day first; without a year, the next such date.
- "14 dec", "3rd of March", "dec 14", "the 14th" -> the next such date.
- "xmas"/"christmas" -> 24 December; "by 5pm" (a time alone) -> today.
- "early next week", "after the weekend" -> next Monday; "before the weekend" -> Friday;
  "this weekend" -> Saturday. "by march" -> 1 March; "in january", "jan 2027" -> its last day.
Words naming an event with no date ("after half term", "by the review", "at next visit",
"end of term", "weekly") are kept as `due_text` with no date. Numbers that are not dates are
left alone ("2/3 times a week", "24/7", "1st visit").
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from rapidfuzz.distance import OSA

from bot.engine.understand.words import NUMBER_WORDS

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_WEEKDAYS = {
    "mon": 0,
    "tue": 1,
    "wed": 2,
    "thu": 3,
    "fri": 4,
    "sat": 5,
    "sun": 6,
}
_WEEKDAY = (
    r"(?:mon(?:day)?|mond|tue(?:s|sday)?|tues|wed(?:s|nesday|nes)?|weds|thu(?:r|rs|rsday)?|thurs|"
    r"fri(?:day)?|sat(?:urday)?|sun(?:day)?)"
)
_NUMBER_WORDS = {**NUMBER_WORDS, "a": 1, "an": 1, "couple of": 2, "a couple of": 2, "few": 3, "a few": 3}
_COUNT = r"(?:\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fourteen|(?:a\s+)?couple\s+of|(?:a\s+)?few)"
_TIME = (
    r"(?:\s*(?:at\s+)?(?:\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)|\d{1,2}[:.]\d{2}|am|pm|"
    r"(?:in\s+the\s+)?(?:morning|afternoon|evening|first\s+thing|lunchtime|lunch)|noon|midday|eod|cob))?"
)
_TOMORROW = (
    r"(?:to?m+o?r+o?w+s?|tomorow|tommorow|tommorrow|tomorrw|tommorw|tomorro|tmrw|tmrow|tmorrow|tmr|tmoz|tomoz|"
    r"tomo|2moro|2morrow|2mrw|2morro|tmw|tmrrw|tomorroww)"
)
# "tmrw", "tomoz", "2moro" ... as a word of their own, for readers of other phrases (a visit).
TOMORROW_WORD = re.compile(rf"(?<![\w-]){_TOMORROW}(?![\w-])", re.IGNORECASE)

# Prepositions that belong to the date words ("by fri", "before the 14th").
_LEAD = re.compile(
    r"(?:\b(?:by|before|on|for|due|until|till|til|no\s+later\s+than|nlt|latest|from|ahead\s+of|w/?c|"
    r"week\s+commencing|the\s+week\s+of|at\s+the\s+latest\s+by|hopefully|ideally|aim\s+for|around|"
    r"approx|roughly|asap\s+and\s+by|first\s+thing|cop|cob|eod|close\s+of\s+play|close\s+of\s+business|end\s+of\s+day|"
    r"\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)|\d{1,2}[:.]\d{2})\s+)+$",
    re.IGNORECASE,
)
_EVENT = (
    r"(?:half\s*term|the\s+holidays|hols|end\s+of\s+term|term|easter|summer|review|reviews|"
    r"conference|icpc|rcpc|cp\s+conference|case\s+conference|core\s+group|cg|court|hearing|panel|strat|"
    r"strategy(?:\s+meeting|\s+discussion)?|meeting|discharge|birth|baby\s+is\s+born|due\s+date|next\s+visit|"
    r"visit|cla\s+review|lac\s+review|plo(?:\s+meeting)?|ptm|tac|cin(?:\s+meeting|\s+review)?|contact|"
    r"she\s+\w+|he\s+\w+|they\s+\w+|mum\s+\w+|dad\s+\w+|the\s+\w+)"
)


@dataclass(frozen=True)
class DateMatch:
    start: int  # character span in the text, with its preposition
    end: int
    due: date | None
    text: str  # the worker's date words ("by fri", "today 4pm", "after half term")


def parse_due(text: str, now: datetime) -> date | None:
    """The date a piece of text names anywhere in it, or None."""
    found = find_date(text, now)
    return found.due if found is not None else None


def find_date(text: str, now: datetime) -> DateMatch | None:
    """The first date (or undated event: "by the review") named in `text`."""
    today = now.date()
    found: list[tuple[DateMatch, bool]] = []  # the match, whether a preposition leads it
    for pattern, resolve in _PATTERNS:
        for match in pattern.finditer(text):
            due = resolve(match, today)
            if isinstance(due, _Missing):
                continue
            start = _with_lead(text, match.start())
            led = start < match.start() or bool(
                re.match(r"(?:by|before|on|until|till|from|for)\b", match.group(0), _I)
            )
            found.append((DateMatch(start, match.end(), due, ""), led))
    found.extend(_misspelt_weekdays(text, today))
    best: DateMatch | None = None
    if found:
        longest = [
            (m, led)
            for m, led in found
            if not any(
                o.start <= m.start and m.end <= o.end and (o.end - o.start) > (m.end - m.start)
                for o, _ in found
            )
        ]
        best = min(longest, key=lambda pair: (not pair[1], pair[0].start))[0]
    if best is None:
        event = _UNDATED.search(text)
        if event is None:
            return None
        best = DateMatch(event.start(), event.end(), None, "")
    words = text[best.start : best.end].strip(" ,.;:-")
    words = re.sub(r"^(?:on|due|for)\s+", "", words, flags=re.IGNORECASE)
    return DateMatch(best.start, best.end, best.due, words)


_DAY_WORDS = frozenset(
    {"midday", "someday", "holiday", "birthday", "everyday", "today", "payday", "weekday", "yesterday", "heyday",
     "mayday", "doomsday", "noonday", "sunday", "monday", "workday", "schoolday", "friday", "fundy", "tuesday"}
)  # fmt: skip
_FULL_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _misspelt_weekdays(text: str, today: date) -> list[tuple[DateMatch, bool]]:
    """ "wensday", "thrusday", "firday": a weekday typed with a slip or two."""
    found: list[tuple[DateMatch, bool]] = []
    for word in re.finditer(r"\b[a-zA-Z]{5,10}\b", text):
        typed = word.group(0).lower()
        if (
            typed in _FULL_WEEKDAYS
            or typed in _DAY_WORDS
            or re.fullmatch(_WEEKDAY, typed)
            or typed.endswith("days")
        ):
            continue
        if typed.endswith(("day", "ady", "dya")):
            allowed = 2
        elif typed.endswith("dy"):
            allowed = 1
        else:
            continue  # "sundae", "friendly": not a weekday
        close = [
            i for i, d in enumerate(_FULL_WEEKDAYS) if OSA.distance(typed, d, score_cutoff=allowed) <= allowed
        ]
        if len(close) != 1 or typed[0] != _FULL_WEEKDAYS[close[0]][0]:
            continue
        start = _with_lead(text, word.start())
        found.append((DateMatch(start, word.end(), _next_weekday(today, close[0]), ""), start < word.start()))
    return found


def _with_lead(text: str, start: int) -> int:
    lead = _LEAD.search(text[:start])
    start = lead.start() if lead else start
    event = _EVENT_LEAD.search(text[:start])
    return event.start() if event else start


# "before conference on the 14th": the event belongs to the date words.
_EVENT_LEAD = re.compile(
    r"\b(?:by|before|after|ahead\s+of|prior\s+to)\s+(?:the\s+)?(?:\w+\s+){0,2}?"
    r"(?:review|conference|icpc|rcpc|core\s+group|court|hearing|panel|meeting|strat|visit|cg|discussion)\s+"
    r"(?:on\s+|which\s+is\s+|is\s+|,\s*)?$",
    re.IGNORECASE,
)


class _Missing:
    pass


_NO = _Missing()
_Resolved = date | None | _Missing


def _next_weekday(today: date, weekday: int) -> date:
    ahead = (weekday - today.weekday()) % 7 or 7
    return today + timedelta(days=ahead)


def _friday_of(day: date) -> date:
    return day + timedelta(days=4 - day.weekday())


def _end_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def _add_working_days(day: date, count: int) -> date:
    while count > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def _weekday_number(word: str) -> int:
    return _WEEKDAYS[word.lower()[:3]]


def _count(word: str) -> int:
    word = " ".join(word.lower().split())
    return int(word) if word.isdigit() else _NUMBER_WORDS.get(word, 1)


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _next_date(today: date, month: int, day: int) -> date | _Missing:
    this_year = _valid(today.year, month, day)
    if this_year is None:
        return _NO
    if this_year >= today:
        return this_year
    return _valid(today.year + 1, month, day) or _NO


def _resolve_numeric(m: re.Match[str], today: date) -> _Resolved:
    day, month, year = int(m.group("d")), int(m.group("m")), m.group("y")
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return _NO
    if year:
        full = int(year) + (2000 if len(year) == 2 else 0)
        return _valid(full, month, day) or _NO
    return _next_date(today, month, day)


def _resolve_day_month(m: re.Match[str], today: date) -> _Resolved:
    day, month = int(m.group("d")), _MONTHS[m.group("mon").lower()[:3]]
    if m.group("y"):
        return _valid(int(m.group("y")), month, day) or _NO
    return _next_date(today, month, day)


def _resolve_nth(m: re.Match[str], today: date) -> _Resolved:
    day = int(m.group("d"))
    if not 1 <= day <= 31:
        return _NO
    candidate = _valid(today.year, today.month, day)
    if candidate is not None and candidate >= today:
        return candidate
    following = _add_months(today.replace(day=1), 1)
    return _valid(following.year, following.month, day) or _NO


def _resolve_today(m: re.Match[str], today: date) -> _Resolved:
    return today


def _resolve_tomorrow(m: re.Match[str], today: date) -> _Resolved:
    return today + timedelta(days=2 if m.group("after") else 1)


def _resolve_weekday(m: re.Match[str], today: date) -> _Resolved:
    word = m.group("wd")
    which = (m.group("which") or "").lower()
    if word.lower()[:3] in {"sat", "sun"} and not which and not m.group("prep") and not m.group("week"):
        return _NO  # "sat with mum" is not Saturday
    weekday = _weekday_number(word)
    if which == "next":
        monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
        due = monday + timedelta(days=weekday)
    else:
        due = _next_weekday(today, weekday)
    if m.group("week"):
        due += timedelta(days=7)
    return due


def _resolve_week(m: re.Match[str], today: date) -> _Resolved:
    words = m.group(0).lower()
    if "after next" in words:
        return _friday_of(today) + timedelta(days=14)
    if re.search(r"next|following|nxt", words):
        return _friday_of(today) + timedelta(days=7)
    if today.weekday() > 4:  # a weekend: the coming Friday
        return _friday_of(today) + timedelta(days=7)
    return _friday_of(today)


def _resolve_month(m: re.Match[str], today: date) -> _Resolved:
    words = m.group(0).lower()
    if "next" in words:
        return _end_of_month(_add_months(today.replace(day=1), 1))
    return _end_of_month(today)


def _resolve_span(m: re.Match[str], today: date) -> _Resolved:
    count = _count(m.group("n"))
    unit = m.group("unit").lower()
    if unit.startswith(("working", "wd", "business")):
        return _add_working_days(today, count)
    if unit.startswith("fortnight"):
        return today + timedelta(days=14 * count)
    if unit.startswith(("w",)):
        return today + timedelta(weeks=count)
    if unit.startswith(("mon", "mth")):
        return _add_months(today, count)
    if unit.startswith(("h",)):
        return today + timedelta(days=max(1, count // 24))
    return today + timedelta(days=count)


def _resolve_fortnight(m: re.Match[str], today: date) -> _Resolved:
    return today + timedelta(days=14)


def _resolve_xmas(m: re.Match[str], today: date) -> _Resolved:
    return _next_date(today, 12, 24)


def _resolve_month_name(m: re.Match[str], today: date) -> _Resolved:
    """ "by march" -> 1 March; "mid jan" -> 15 January; "in / for / end of jan" -> 31 January."""
    month = _MONTHS[m.group("mon").lower()[:3]]
    prep = " ".join(m.group("prep").lower().split())
    year = today.year if month >= today.month else today.year + 1
    if (
        prep in {"by", "before", "until", "till", "ahead of"}
        or "start" in prep
        or "beginning" in prep
        or prep == "early"
    ):
        first = date(year, month, 1)
        return first if first >= today else today
    if prep == "mid":
        return date(year, month, 15)
    return _end_of_month(date(year, month, 1))


def _resolve_weekend(m: re.Match[str], today: date) -> _Resolved:
    """ "before/by the weekend" -> Friday; "this/the weekend" -> Saturday; "next weekend" -> a week on."""
    which = " ".join(m.group("which").lower().split())
    saturday = _next_weekday(today, 5) if today.weekday() != 5 else today
    if which in {"before the", "by the"}:
        return _friday_of(today) if today.weekday() <= 4 else _friday_of(today) + timedelta(days=7)
    if which == "next":
        return saturday + timedelta(days=7)
    return saturday


def _resolve_next_monday(m: re.Match[str], today: date) -> _Resolved:
    return today - timedelta(days=today.weekday()) + timedelta(days=7)


def _resolve_month_year(m: re.Match[str], today: date) -> _Resolved:
    month = _MONTHS[m.group("mon").lower()[:3]]
    return _end_of_month(date(int(m.group("y")), month, 1))


def _resolve_weekday_nth(m: re.Match[str], today: date) -> _Resolved:
    """ "wednesday 11th": the date; "thurs 3rd" when the 3rd is not a Thursday this month is
    the next month whose 3rd is one."""
    if m.group("mon"):
        return _resolve_day_month(m, today)
    first = _resolve_nth(m, today)
    if not isinstance(first, date):
        return first
    weekday = _weekday_number(m.group("wd"))
    month = first.replace(day=1)
    for _ in range(12):
        candidate = _valid(month.year, month.month, first.day)
        if candidate is not None and candidate >= today and candidate.weekday() == weekday:
            return candidate
        month = _add_months(month, 1)
    return first


def _resolve_nth_next_month(m: re.Match[str], today: date) -> _Resolved:
    following = _add_months(today.replace(day=1), 1)
    return _valid(following.year, following.month, int(m.group("d"))) or _NO


def _resolve_start_next_month(m: re.Match[str], today: date) -> _Resolved:
    return _add_months(today.replace(day=1), 1)


def _resolve_first_week(m: re.Match[str], today: date) -> _Resolved:
    month = _MONTHS[m.group("mon").lower()[:3]]
    year = today.year if month >= today.month else today.year + 1
    return date(year, month, 7)


def _resolve_weekday_next_week(m: re.Match[str], today: date) -> _Resolved:
    monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
    return monday + timedelta(days=_weekday_number(m.group("wd")))


_I = re.IGNORECASE
_Resolver = Callable[[re.Match[str], date], _Resolved]
_PATTERNS: list[tuple[re.Pattern[str], _Resolver]] = []


def _add(pattern: str, resolve: _Resolver) -> None:
    _PATTERNS.append((re.compile(pattern, _I), resolve))


_add(
    r"(?<![\d/.])(?!24/7)(?P<d>\d{1,2})[/.](?P<m>\d{1,2})(?:[/.](?P<y>\d{4}|\d{2}))?(?![\d/]|\.\d)"
    r"(?!\s*(?:times|x\b|a\s+week|a\s+day|per\b|of\b|kids|children|nights|days|weeks|visits))" + _TIME,
    _resolve_numeric,
)
_add(r"(?<![\d/.-])(?P<d>\d{1,2})-(?P<m>\d{1,2})-(?P<y>\d{4}|\d{2})(?![\d-])" + _TIME, _resolve_numeric)
_add(
    r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>"
    + _MONTH
    + r")\b\.?(?:\s+(?P<y>20\d{2}))?"
    + _TIME,
    _resolve_day_month,
)
_add(
    r"\b(?P<mon>" + _MONTH + r")\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>20\d{2}))?" + _TIME,
    _resolve_day_month,
)
_add(
    r"\b(?:(?:on|by|before|until|till|for|from)\s+(?:the\s+)?|the\s+)(?P<d>\d{1,2})(?:st|nd|rd|th)\b"
    r"(?!\s+(?:of\s+)?" + _MONTH + r"\b)"
    r"(?!\s+(?:visit|time|meeting|session|appointment|birthday|one|week|day|child|baby|kid))" + _TIME,
    _resolve_nth,
)
_add(
    r"\b(?:today|tonight|this\s+(?:morning|afternoon|evening|pm|am)|(?:by\s+)?(?:the\s+)?end\s+of\s+(?:the\s+)?day|"
    r"eod|cob|close\s+of\s+(?:play|business)|asap|a\.s\.a\.p|urgently|urgent|straight\s+away|right\s+away|"
    r"immediately|same\s+day|later\s+today|right\s+now)\b" + _TIME,
    _resolve_today,
)
_add(r"\b(?P<after>(?:the\s+)?day\s+after\s+)?" + _TOMORROW + r"\b" + _TIME, _resolve_tomorrow)
_add(
    r"(?P<prep>\b(?:by|before|on|until|till|from|for)\s+)?\b(?:(?P<which>next|this|coming|following)\s+)?(?:a\s+week\s+on\s+)?"
    r"(?P<wd>" + _WEEKDAY + r")\b\.?(?P<week>\s+week)?" + _TIME,
    _resolve_weekday,
)
_add(
    r"\b(?:(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?(?:next\s+|following\s+)?(?:wk|week)|eow|"
    r"(?:next|nxt|following|this|the\s+following)\s+(?:wk|week)|(?:the\s+)?week\s+after\s+next|within\s+(?:the|a)\s+week|"
    r"later\s+this\s+week|later\s+in\s+the\s+week)\b",
    _resolve_week,
)
_add(
    r"\b(?:(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?(?:next\s+)?month|eom|next\s+month|this\s+month|within\s+a\s+month)\b",
    _resolve_month,
)
_add(
    r"\b(?:in|within|over\s+the\s+next|in\s+the\s+next|next)\s+(?P<n>"
    + _COUNT
    + r")\s*(?P<unit>working\s+days?|"
    r"business\s+days?|wd|days?|wks?|weeks?|months?|mths?|fortnights?|hours?|hrs?)\b(?:\s+time)?",
    _resolve_span,
)
_add(
    r"\b(?P<n>" + _COUNT + r")\s*(?P<unit>working\s+days?|days?|wks?|weeks?|months?|mths?|hours?|hrs?)\s+"
    r"(?:time|from\s+now|from\s+today)\b",
    _resolve_span,
)
_add(r"\b(?P<n>24|48|72)\s*(?P<unit>hours|hrs|hr|h)\b", _resolve_span)
_add(r"\b(?:in\s+|within\s+)?a\s+fortnight\b|\bfortnight\b", _resolve_fortnight)
_add(r"\b(?:xmas|christmas|chrimbo|crimbo)\b", _resolve_xmas)
_add(
    r"(?P<prep>\b(?:by|before|in|for|during|until|till|ahead\s+of|(?:by\s+)?(?:the\s+)?(?:end|start|beginning)(?:\s+of)?|early|mid|late)\s+)"
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|march|mar|apr(?:il)?|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|"
    r"nov(?:ember)?|dec(?:ember)?|may)\b(?!\s+\d)",
    _resolve_month_name,
)
_add(
    r"\b(?P<which>before\s+the|by\s+the|this|the|at\s+the|over\s+the|next|on\s+the)\s+weekend\b",
    _resolve_weekend,
)
_add(
    r"(?P<wd>\b" + _WEEKDAY + r")\s+(?:the\s+)?(?P<d>\d{1,2})(?:st|nd|rd|th)?\b(?!\s*(?:am|pm|[:.]\d))"
    r"(?:\s+(?:of\s+)?(?P<mon>" + _MONTH + r"))?",
    _resolve_weekday_nth,
)
_add(r"\b(?P<n>\d{1,3})\s*(?P<unit>working\s+days?|days|wks|weeks)\s*[.!]*$", _resolve_span)
_add(r"\b(?:early|(?:the\s+)?(?:start|beginning)\s+of)\s+next\s+(?:wk|week)\b", _resolve_next_monday)
_add(r"\b(?:the\s+)?(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+of\s+next\s+month\b", _resolve_nth_next_month)
_add(r"\b(?:early|(?:the\s+)?(?:start|beginning)\s+of)\s+next\s+month\b", _resolve_start_next_month)
_add(r"\b(?:1st|first)\s+week\s+(?:of|in)\s+(?P<mon>" + _MONTH + r")\b", _resolve_first_week)
_add(r"(?P<wd>\b" + _WEEKDAY + r")\s+(?:of\s+)?next\s+(?:wk|week)\b", _resolve_weekday_next_week)
_add(r"\b(?:this\s+eve|tonite|tonight|within\s+the\s+day)\b", _resolve_today)
# Office words for the end of today, and "w/c 14th" (the week commencing): the Monday named.
_add(
    r"\b(?:by\s+|before\s+)?(?:(?:the\s+)?(?:end|close)\s+of\s+(?:play|day|business)|cop|eop|eod|cob)\b"
    r"(?!\s+(?:on\s+)?" + _WEEKDAY + r"\b)",
    _resolve_today,
)
_add(
    r"\b(?:by\s+)?(?:(?:the\s+)?(?:end|close)\s+of\s+(?:play|day|business)|cop|eop|eod|cob)\s+(?:on\s+)?"
    r"(?P<wd>" + _WEEKDAY + r")\b(?P<which>)(?P<prep>)(?P<week>)",
    _resolve_weekday,
)
_add(
    r"\b(?:w/c|wc|w\.c\.|week\s+commencing|week\s+beginning|w/b)\s+(?:the\s+)?(?P<d>\d{1,2})(?:st|nd|rd|th)?\b",
    _resolve_nth,
)
_add(r"\bwithin\s+the\s+month\b", _resolve_month)
_add(r"\bafter\s+the\s+weekend\b", _resolve_next_monday)
_add(r"\b(?P<mon>" + _MONTH + r")\s+(?P<y>20\d{2})\b", _resolve_month_year)
_add(
    r"(?:\b(?:by|before|at|for|until|till)\s+)(?:\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)|\d{1,2}[:.]\d{2}|noon|midday|lunchtime)",
    _resolve_today,
)

_UNDATED = re.compile(
    r"\b(?:by|before|after|until|till|ahead\s+of|prior\s+to|following)\s+(?:the\s+)?(?:next\s+)?"
    r"(?:half\s*term|holidays|hols|end\s+of\s+term|easter|summer|review|conference|icpc|rcpc|cp\s+conference|"
    r"case\s+conference|core\s+group|court|hearing|panel|strat|strategy(?:\s+meeting|\s+discussion)?|"
    r"discharge|birth|due\s+date|next\s+visit|cla\s+review|lac\s+review|plo(?:\s+meeting)?|tac|cin\s+(?:meeting|review))\b"
    r"|\b(?:ongoing|tbc|tba|weekly|fortnightly|monthly|daily|every\s+week|each\s+week|when\s+possible)\s*[.!]*$"
    r"|\b(?:(?:at|by|before|after|for)\s+)?(?:the\s+)?next\s+(?:appt|appointment|visit|session|meeting|core\s+group|"
    r"review|supervision|contact|conference|cg|clinic)\b"
    r"|\b(?:at|by|before|after)\s+(?:the\s+)?(?:core\s+group|review|conference|cg|icpc|rcpc|strat|strategy|tac|cin)\b"
    r"|\b(?:(?:by|before|after|at|for)\s+(?:the\s+)?)?(?:end\s+of\s+term|next\s+term|new\s+year|half\s*term|(?:spring|summer|autumn)\s+term)\b",
    _I,
)
