"""A records export asked for in the DM comes back as a file in the same DM."""

from __future__ import annotations

from tests.adapters.slack import scripts
from tests.adapters.slack.driver import SlackWorld, visible_text


async def test_my_own_notes_exported_in_the_dm_arrive_as_a_file(world: SlackWorld) -> None:
    worker = world.worker()
    await scripts.start_and_reach(worker, "child_day")
    await worker.say("finish")
    replies = await worker.say("export all md")
    uploads = [c for c in world.mock.calls if c.method == "files.completeUploadExternal"]
    assert any("export" in visible_text(m).lower() for m in replies), [visible_text(m) for m in replies]
    assert len(uploads) == 2  # the note when the reflection finished, then the export
    names = [f.filename for f in world.mock.files.values()]
    assert "supervision-record-my-notes.md" in names, names
    exported = next(f for f in world.mock.files.values() if f.filename == "supervision-record-my-notes.md")
    assert b"HX-2291" in (exported.content or b"")
