"""Whether a member's contribution in group supervision is advice: telling the presenter what
to do ("you should do a joint visit", "i'd suggest a strat", "maybe worth ringing the HV"),
however it is dressed ("have you thought about a joint visit with health?").

An action learning set keeps advice out of the questions round and the hypotheses, so the
minutes record it as advice, a kind of its own beside questions, challenges and hypotheses.
A question the presenter must think about ("have you thought about how she felt?", "what
would the child say?") is not advice, nor a hypothesis ("could be mum is scared of him"),
nor a challenge ("what if we're wrong about dad?"), nor the speaker's own curiosity ("i'd
want to know more about dad").

Read from the lower-cased words, typos forgiven where workers make them ("u shud", "id").
"""

from __future__ import annotations

import re

# Things one does about a case: a verb after "i'd", "you could", "try", or at the very start.
_DO = (
    r"(?:do|doing|ring|ringing|call|calling|phone|phoning|book|booking|refer|referring|get|getting|go|going|"
    r"speak|speaking|talk\s+to|chase|chasing|escalate|escalating|arrange|arranging|request|requesting|push|"
    r"pushing|involve|involving|contact|contacting|visit|visiting|check|checking|put|putting|make|making|"
    r"start|starting|hold|holding|convene|take|taking|bring|bringing|send|sending|email|emailing|see|seeing|"
    r"ask|asking|consider|considering|suggest|recommend|look\s+into|look\s+at\s+(?:getting|doing|a|an)|set\s+up|setting\s+up|"
    r"offer|offering|pull\s+in|loop\s+in|flag|flagging|raise|raising|go\s+back|leave|close|step\s+up|"
    r"step\s+down|move|apply|applying|use|try|trying|be\s+tempted|think\s+about\s+(?:doing|getting|a|an)|"
    r"invite|inviting|write|writing|record|insist|give|giving|keep|drop|gather)"
)
# What follows "have you thought about" when it is advice: a plan, not a wondering.
_PLAN = (
    r"(?:a|an|another|some|any|\w+ing|joint|strat|strategy|s47|section\s+47|icpc|rcpc|cp|cin|plo|legal|"
    r"referral|referrals|early\s+help|eh|mash|the\s+(?:hv|gp|school|dsl|police|nursery|health\s+visitor|"
    r"paediatrician|camhs|fgc|family\s+group|lado)|fgc|camhs|lado|police|health|school|nursery|the\s+health|"
    r"going|getting|ringing|calling)"
)
_WONDER = r"(?:what|why|how|whether|if|who|where|when|which)"

_ADVICE = [
    # addressed to the presenter: you should / you could ring / you need to
    r"\b(?:you|u|ya)\s+(?:should|shud|shld|shoud|need\s+to|needs\s+to|must|ought\s+to|have\s+to|gotta|"
    r"might\s+want\s+to|may\s+want\s+to|wanna|want\s+to|really\s+should|definitely\s+need\s+to)\b",
    rf"\b(?:you|u)\s+(?:could|cud|can|might|may)\s+(?:always\s+|just\s+|also\s+|maybe\s+)?{_DO}\b",
    r"\b(?:why\s+(?:don'?t|dont|not)|shouldn'?t|shouldnt|should)\s+(?:you|u|we)\b",
    rf"\bwhy\s+not\s+(?:just\s+)?{_DO}\b",
    r"^(?:should|shouldn'?t|shouldnt)\s+(?:this|it|that|she|he|they|the)\b",
    rf"\b(?:could|can|would)\s+(?:you|u)\s+(?:not\s+)?(?:just\s+)?{_DO}\b",
    # dressed as a question: have you thought about a joint visit / tried ringing
    rf"\bhave\s+(?:you|u)\s+(?:thought\s+(?:about|of)|considered|tried|looked\s+at|explored)\s+(?!{_WONDER}\b){_PLAN}\b",
    r"\bhave\s+(?:you|u)\s+(?:rung|called|phoned|booked|referred|asked\s+for|spoken\s+to|done\s+a|got\s+a)\b",
    r"\bhave\s+(?:you|u)\s+(?:tried|thought\s+about|considered)\s+\w+ing\b",
    rf"\b(?:what|how)\s+about\s+(?:a|an|another|doing|getting|ringing|calling|booking|asking|trying|"
    rf"referring|going|speaking|involving|a\s+joint|{_PLAN}\s+(?:visit|referral|meeting|check))\b",
    r"\b(?:would|could|wouldn'?t|wouldnt)\s+(?:it|a|an)\s+(?:be\s+(?:better|best|good|worth|an\s+idea|"
    r"wise|sensible)|help\s+to|make\s+sense\s+to)\b",
    r"\b(?:would|could|wouldn'?t)\s+(?:a|an)\s+[\w\s]{1,50}?\s+(?:help|work)\b",
    # the speaker's own plan offered: i'd suggest, i would ring, if i were you
    rf"\b(?:i'?d|id|i\s+would|i\s+wud|i\s+always)\s+(?:probably\s+|definitely\s+|also\s+|just\s+|"
    rf"honestly\s+|personally\s+|still\s+|really\s+)?(?:be\s+)?{_DO}\b",
    r"\b(?:i'?d|id|i\s+would)\s+(?:really\s+|definitely\s+)?want\s+(?:a|an|some|the\s+(?:hv|gp|police|school))\b",
    r"\bi\s+(?:suggest|recommend|reckon\s+you|think\s+you\s+(?:should|need|could|want|might)|"
    r"think\s+(?:we|u)\s+(?:should|need))\b",
    r"\b(?:my|one)\s+(?:advice|suggestion|recommendation|tip)\b",
    r"\bif\s+i\s+(?:were|was)\s+(?:you|u)\b|\bif\s+it\s+(?:was|were)\s+me\b|\bin\s+your\s+shoes\b",
    r"\bwhat\s+(?:you|u)\s+(?:need|want|should)\b|\bwhat\s+i'?d\s+do\b|\bwhat\s+i\s+would\s+do\b",
    # worth doing
    r"\b(?:maybe|might\s+be|could\s+be|would\s+be|may\s+be|probably|definitely|defo|def|its|it'?s|it\s+is|"
    r"well|deffo|prob)\s+worth\b",
    r"^worth\b",
    r"\b(?:it\s+)?(?:might|could|would|may)\s+help\s+to\b",
    r"\b(?:best|better)\s+(?:to|bet|thing\s+(?:is|would\s+be|to\s+do))\b",
    r"\b(?:make\s+sure\s+(?:you|u)|don'?t\s+forget\s+to|dont\s+forget\s+to|remember\s+to)\b",
    r"\b(?:it'?d|it\s+would|would)\s+be\s+(?:good|wise|sensible|helpful)\s+to\b",
    r"\bisn'?t\s+it\s+time\s+to\b|\bisnt\s+it\s+time\s+to\b|\btime\s+to\s+(?:escalate|step\s+up|go\s+to)\b",
    r"\bwe\s+(?:should|need\s+to|must|ought\s+to)\b",
    r"\b(?:you|u)\s+(?:need|needs)\s+(?:a|an|some|the|more)\b",
    r"\bis\s+it\s+(?:not\s+)?worth\b|\bisn'?t\s+it\s+worth\b",
    r"\b(?:a|an)\s+[\w\s]{1,40}?\s+would\s+be\s+(?:safer|better|good|best|helpful|useful|wise|sensible)\b",
    r"\bneeds?\s+to\s+go\s+to\s+(?:conference|strat|icpc|rcpc|legal|court|plo|panel|mash)\b",
    r"\b(?:needs?|warrants?)\s+(?:a|an)\s+(?:strat|strategy|referral|conference|icpc|joint|s47|section\s+47|"
    r"legal|plo|assessment|chronology|paed|medical)\b",
    r"\btake\s+(?:it|this)\s+to\s+(?:legal|strat|conference|court|panel|mash|tm|your\s+manager|the\s+lado)\b",
    r"^(?:maybe|perhaps|possibly)\s+(?:think\s+about|consider|try|do|get|ring|call|book|refer|chase|ask)\b",
    # a bare instruction at the start: just ring the gp / try a joint visit
    r"^(?:just|try|maybe\s+try|perhaps\s+try|maybe\s+just|def|defo|definitely)\s+\w+",
    rf"^(?:please\s+)?(?:ring|call|phone|book|refer|chase|escalate|arrange|request|push\s+for|speak\s+to|"
    rf"talk\s+to|get\s+(?:a|an|the|some|\w+\s+to)|do\s+(?:a|an|the)|put\s+in|send|email|consider|think\s+about\s+{_PLAN}|"
    rf"go\s+(?:back|and|to|in)|take\s+it\s+to|have\s+a\s+word|loop\s+in|flag\s+it|raise\s+it|set\s+up|invite)\b",
]
_ADVICE_RE = [re.compile(p) for p in _ADVICE]
# Wondering aloud, not advising: checked before the patterns above.
_NOT_ADVICE = [
    re.compile(
        r"\b(?:i'?d|id|i\s+would)\s+(?:want\s+to\s+know|like\s+to\s+know|love\s+to\s+know|be\s+(?:curious|"
        r"interested|wondering)|wonder|ask\s+myself|be\s+asking\s+myself|question\s+whether)\b"
    ),
    re.compile(
        r"\bhave\s+(?:you|u)\s+(?:thought\s+(?:about|of)|considered)\s+(?:what|why|how|whether|if|who)\b"
    ),
    re.compile(
        r"^just\s+(?:wondering|curious|thinking|a\s+thought|checking|to\s+check|to\s+clarify|asking)\b"
    ),
    re.compile(
        r"\b(?:you|u)\s+(?:could|can)\s+(?:see|tell|hear|sense|feel)\s+(?:she|he|they|that|it|the|how)\b"
    ),
]
_CLEAN = re.compile(r"[^\w'’ ]+")


def _clean(text: str) -> str:
    lowered = text.lower().replace("’", "'")
    return " ".join(_CLEAN.sub(" ", lowered).split())


def is_advice(text: str) -> bool:
    """Whether the words tell the presenter what to do (see the module docstring)."""
    cleaned = _clean(text)
    if not cleaned:
        return False
    if any(p.search(cleaned) for p in _NOT_ADVICE) and not re.search(
        r"\b(?:you|u)\s+(?:should|need\s+to|must)\b", cleaned
    ):
        return False
    return any(p.search(cleaned) for p in _ADVICE_RE)


__all__ = ["is_advice"]
