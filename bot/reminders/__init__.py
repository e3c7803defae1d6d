"""Prompting reflection at the right moment: after visits, before supervision, when actions
and pledges fall due. Reminders live in the database and are delivered once."""
