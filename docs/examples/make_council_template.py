"""Makes council-word-template.docx and council-logo.png: an example of a council's own Word
template for exports (REFLECT_EXPORT_WORD_TEMPLATE) and logo (REFLECT_EXPORT_LOGO).

    .venv/bin/python docs/examples/make_council_template.py

A council would rather open the .docx in Word and change it there: the Jinja tags (docxtpl)
are ordinary text; docs/export-schema.md lists the variables. The council is invented.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt, RGBColor
from PIL import Image, ImageDraw

HERE = Path(__file__).parent


def logo(path: Path) -> None:
    image = Image.new("RGB", (360, 120), "#1F4E79")
    draw = ImageDraw.Draw(image)
    draw.ellipse((14, 14, 106, 106), fill="#F2C14E")
    draw.rectangle((130, 40, 340, 52), fill="white")
    draw.rectangle((130, 68, 300, 80), fill="#BDD7EE")
    image.save(path)


def table(document: Document, rows: list[list[str]], widths: list[int], header: bool = True) -> None:
    grid = document.add_table(rows=len(rows), cols=len(widths))
    grid.style = document.styles["Table Grid"]
    for r, values in enumerate(rows):
        for c, text in enumerate(values):
            cell = grid.rows[r].cells[c]
            cell.width = Mm(widths[c])
            run = cell.paragraphs[0].add_run(text)
            run.font.size = Pt(9.5)
            run.bold = (header and r == 0) or (not header and c == 0)


def template(path: Path) -> None:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    head = section.header.paragraphs[0]
    head.add_run("{{ logo }}")
    head.add_run("    Harbourside Borough Council · Children's Services    ").bold = True
    head.add_run("{{ marking }}").bold = True
    foot = section.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    foot.add_run("{{ marking }} · Supervision record · Harbourside Borough Council").font.size = Pt(8)

    title = document.add_paragraph("Harbourside Borough Council: supervision record", style="Title")
    title.runs[0].font.color.rgb = RGBColor(0x1F, 0x4E, 0x79)
    document.add_paragraph("{{ marking }}").runs[0].bold = True
    document.add_paragraph(
        "Records of {{ subject }}, prepared for {{ prepared_for }} on {{ exported_at }}. "
        "{{ count }} session(s). {{ copy }}"
    )
    document.add_paragraph("{%p for s in sessions %}")
    heading = document.add_paragraph("{{ s.title }}", style="Heading 1")
    heading.paragraph_format.page_break_before = True
    table(
        document,
        [
            ["Supervisee", "{{ s.supervision.supervisee.name if s.supervision.supervisee else 'group' }}"],
            ["Supervisor", "{{ s.supervisor_text }}"],
            ["Participants", "{{ s.supervision.participants|join(', ') }}"],
            ["Type of supervision", "{{ s.supervision.type_label }}"],
            ["Date and time", "{{ s.when }}"],
            ["Cases discussed", "{{ s.supervision.agenda|join(', ') }}"],
            ["Next supervision", "{{ s.next_supervision_text }}"],
            ["Status", "{{ s.status_label }}"],
        ],
        [50, 120],
        header=False,
    )
    document.add_paragraph("{%p if s.ai_summary %}")
    document.add_paragraph("Summary drafted by AI, approved by the worker", style="Heading 2")
    document.add_paragraph("{{ s.ai_summary.text }}")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("Discussion", style="Heading 2")
    document.add_paragraph("{%p for sec in s.sections %}")
    document.add_paragraph("{{ sec.title }}", style="Heading 3")
    document.add_paragraph("{%p for e in sec.entries %}")
    entry = document.add_paragraph()
    entry.add_run("{{ e.step_title }}: ").bold = True
    entry.add_run("{{ e.text }}")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("Decisions and actions", style="Heading 2")
    table(
        document,
        [
            ["What", "Who", "By when", "Status"],
            ["{%tr for a in s.actions %}", "", "", ""],
            ["{{ a.what }}", "{{ a.who or 'not set' }}", "{{ a.due_date or a.due_text or 'not set' }}", "{{ a.status_now }}"],
            ["{%tr endfor %}", "", "", ""],
        ],
        [85, 30, 30, 25],
    )
    document.add_paragraph("Signatures", style="Heading 2")
    table(
        document,
        [
            ["Version", "Agreed by the supervisee", "Signed by the supervisor"],
            ["{%tr for v in s.versions %}", "", ""],
            [
                "{{ v.version }}",
                "{% for x in v.agreed %}{{ x.by.name }}, {{ x.at[:10] }}{% else %}not yet{% endfor %}",
                "{% for x in v.signed %}{{ x.by.name }}, {{ x.at[:10] }}{% else %}not yet{% endfor %}",
            ],
            ["{%tr endfor %}", "", ""],
        ],
        [30, 70, 70],
    )
    document.add_paragraph("{%p endfor %}")
    document.core_properties.title = "Harbourside supervision record template"
    document.core_properties.author = "Harbourside Borough Council"
    for paragraph in document.paragraphs:  # a heading stays with what it heads
        if paragraph.style is not None and paragraph.style.name.startswith("Heading"):
            paragraph.paragraph_format.keep_with_next = True
    for grid in document.tables:
        for row in grid.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True
    document.save(path)


if __name__ == "__main__":
    logo(HERE / "council-logo.png")
    template(HERE / "council-word-template.docx")
