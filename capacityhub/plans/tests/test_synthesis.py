"""The synthesis report: the web page, the PDF (WeasyPrint) and the DOCX (python-docx) open and hold the
expected
sections, quotes with their sources and the comparison with the previous cycle; the background task reports
its
progress; ``manage.py synthesis_report`` writes the same files."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document

from capacityhub.core import services as core_services
from capacityhub.plans import services
from capacityhub.plans.choices import ReportState
from capacityhub.plans.documents import render_docx, render_pdf
from capacityhub.plans.models import SynthesisReport
from capacityhub.plans.synthesis import build_synthesis
from capacityhub.plans.testing import complete_answers, make_cycle
from capacityhub.reference.models import Country

pytestmark = pytest.mark.django_db

SECTIONS = ["Submissions received", "Progress by area and element", "Good practices and lessons learned"]


def publish(cycle, iso2, seed, **answers):
    submission = services.submission_start(cycle=cycle, country=Country.objects.get(iso2=iso2), actor=None)
    complete, explanations = complete_answers(cycle.questionnaire, seed=seed)
    complete = {k: v for k, v in complete.items() if not k.startswith("area-a-")}
    complete.update(answers)
    services.submission_save_answers(
        submission=submission, actor=None, answers=complete, explanations=explanations
    )
    core_services.record_transition(record=submission, action="publish", actor=None)
    return submission


@pytest.fixture
def cycle():
    previous = make_cycle(title={"en": "First cycle"})
    publish(previous, "KE", 1, **{"area-a-status": "not_started"})
    cycle = make_cycle(previous=previous, title={"en": "Second cycle"})
    publish(
        cycle, "KE", 2, **{"area-a-status": "achieved", "area-a-good-practices": "Train the trainers first."}
    )
    publish(cycle, "CO", 3, **{"area-a-status": "in_progress", "area-a-lessons": "Plan for staff turnover."})
    return cycle


def pdf_titles(pdf):
    """The PDF's bookmarks (WeasyPrint makes one per heading), from an uncompressed file."""
    titles = [
        re.sub(rb"\\(.)", rb"\1", t).decode("latin-1")
        for t in re.findall(rb"/Title \(((?:\\.|[^\\)])*)\)", pdf)
    ]
    for hexa in re.findall(rb"/Title <([0-9a-fA-F]+)>", pdf):
        titles.append(bytes.fromhex(hexa.decode()).decode("utf-16"))
    return titles


def test_the_synthesis(cycle):
    synthesis = build_synthesis(cycle)
    assert synthesis.reception.total == 2 and synthesis.plan.key == "cpb-cb-action-plan-2006"
    area, units = synthesis.areas[0]
    assert area.number == "a" and len(synthesis.areas) == 15
    status = {o.value: (o.count, o.previous_count) for o in units[0].status.options}
    assert status == {"not_started": (0, 1), "in_progress": (1, 0), "achieved": (1, 0)}
    assert [(q.author, q.text) for q in units[0].good_practices] == [("Kenya", "Train the trainers first.")]
    assert [(q.author, q.text) for q in units[0].lessons] == [("Colombia", "Plan for staff turnover.")]


def test_pdf_and_docx_hold_the_sections(cycle):
    synthesis = build_synthesis(cycle)
    pdf = render_pdf(synthesis, uncompressed=True)
    assert pdf.startswith(b"%PDF-")
    titles = pdf_titles(pdf)
    for section in [*SECTIONS, "List of submissions", "(a) Institutional capacity"]:
        assert section in titles, titles[:20]
    document = Document(io.BytesIO(render_docx(synthesis)))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for section in SECTIONS:
        assert section in headings
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Train the trainers first." in text and "— Kenya" in text
    assert any("Previous cycle" in cell.text for table in document.tables for cell in table.rows[0].cells)


def test_page(client, cycle):
    response = client.get(reverse("plans:cycle_synthesis", args=[cycle.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    for section in SECTIONS:
        assert section in html
    assert "Train the trainers first." in html and "Shares in grey: the previous cycle" in html


def test_background_task_builds_the_file(client, roles, cycle, django_capture_on_commit_callbacks):
    client.force_login(roles.focal_a)
    url = reverse("plans:cycle_synthesis_build", args=[cycle.pk])
    assert client.post(url, {"format": "docx"}).status_code == 403
    client.force_login(roles.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"format": "docx"})
    report = SynthesisReport.objects.get(cycle=cycle)
    assert response["Location"] == report.get_absolute_url()
    assert report.state == ReportState.DONE and report.progress == 100 and report.task_id
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Download" in page and 'http-equiv="refresh"' not in page
    client.logout()
    download = client.get(reverse("plans:report_download", args=[report.pk]))
    assert download.status_code == 200
    assert Document(io.BytesIO(b"".join(download.streaming_content))).paragraphs[0].text == "Synthesis report"


def test_a_failure_is_recorded(roles, cycle, monkeypatch, django_capture_on_commit_callbacks):
    def broken(synthesis):
        raise RuntimeError("no space left")

    monkeypatch.setattr("capacityhub.plans.documents.render_docx", broken)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.synthesis_report_request(cycle=cycle, report_format="docx", actor=roles.admin)
    report.refresh_from_db()
    assert report.state == ReportState.FAILED and "no space left" in report.message


def test_command(cycle, tmp_path):
    output = tmp_path / "synthesis.docx"
    call_command("synthesis_report", cycle="latest", format="docx", output=str(output), verbosity=0)
    assert "Good practices and lessons learned" in [p.text for p in Document(str(output)).paragraphs]
    output = tmp_path / "synthesis.pdf"
    call_command("synthesis_report", cycle=str(cycle.pk), format="pdf", output=str(output), verbosity=0)
    assert output.read_bytes().startswith(b"%PDF-")
