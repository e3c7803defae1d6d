"""The few words the Slack surface adds around the engine's messages.

Everything said *in* a reflection comes from the templates in prompts/. These are Slack's own
chrome: a button that opens the long-answer box, the modal's labels, the App Home headings,
and what to say when Slack or the database fails. They live together so a council can review
(or translate) them in one place.
"""

from __future__ import annotations

from typing import Final

LONG_ANSWER_BUTTON: Final = "Write a longer answer"
MODAL_TITLE: Final = "Your answer"  # Slack allows 24 characters
MODAL_SUBMIT: Final = "Send"
MODAL_CLOSE: Final = "Cancel"
MODAL_LABEL: Final = "Take your time. This goes into our DM as your answer."
MODAL_HINT: Final = "Use roles rather than names (mum, the younger child, the health visitor)."

SLASH_ACK: Final = "I've opened a reflection in our direct message. See you there."
SLASH_ACK_ELSEWHERE: Final = (
    "Reflections happen in our direct message, so nothing you write is seen in this channel. "
    "I've messaged you there."
)

REPLY_FAILED: Final = (
    "I saved what you said, but Slack didn't let me show my reply. Send me any message and I'll "
    "post it again."
)
NOTE_NOT_FOUND: Final = "I couldn't find that note. It may belong to another workspace or account."
NOTE_FALLBACK: Final = "Your supervision note"
NOTE_FALLBACK_PART: Final = "Your supervision note (part {n} of {total})"
NOTE_FILE_COMMENT: Final = "The same note as a file, to keep or paste into your supervision record."

HOME_TITLE: Final = "Reflective supervision"
HOME_INTRO: Final = (
    "Think through a visit, check in after a hard one, or pick up where you left off. "
    "Everything happens in our direct message; you can also type *reflect* there or use */reflect*."
)
HOME_START: Final = "Start a reflection"
HOME_OTHER: Final = "Other reflections"
HOME_PAUSED: Final = "Paused reflections"
HOME_NOTES: Final = "Recent notes"
HOME_ACTIONS: Final = "Open actions"
HOME_HYPOTHESES: Final = "Current hypotheses"
HOME_NONE_PAUSED: Final = "Nothing paused."
HOME_NONE_NOTES: Final = "No notes yet. Your notes appear here when you finish a reflection."
HOME_NONE_ACTIONS: Final = "No open actions."
HOME_NONE_HYPOTHESES: Final = "No hypotheses held yet."
HOME_RESUME: Final = "Resume"
HOME_VIEW_NOTE: Final = "Send me the note"
HOME_NO_CASE: Final = "no case reference"
HOME_PROVISIONAL: Final = "Hypotheses are provisional: ideas to test, not conclusions."
HOME_MORE: Final = "…and {n} more."

EXPORT_FILE_COMMENT = (
    "Here is the export you asked for. It is audited; please store it in the supervision file."
)
