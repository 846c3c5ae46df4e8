"""The synthesis report as files: PDF (the report's HTML printed by WeasyPrint) and DOCX (python-docx, with
bar charts drawn as shaded table cells), and the building of a :class:`SynthesisReport` with its progress."""

import io

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from capacityhub.core.multilingual import resolve

from .choices import ReportFormat, ReportState
from .models import SynthesisReport
from .synthesis import build_synthesis


def _percent(value):
    return "–" if value is None else "{} %".format(number_format(round(value * 100), decimal_pos=0))


def render_html(synthesis):
    return render_to_string("plans/synthesis_document.html", {"synthesis": synthesis, "document": True})


def render_pdf(synthesis, *, uncompressed=False):
    from weasyprint import HTML

    return HTML(string=render_html(synthesis), base_url=None).write_pdf(uncompressed_pdf=uncompressed)


# -- DOCX ------------------------------------------------------------------------------------------------
def _shade(cell, colour):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    properties.append(shading)


def _bar(cell, share, width=20):
    """A horizontal bar: ``width`` narrow cells of a nested table, the first ``share × width`` shaded."""
    table = cell.add_table(rows=1, cols=width)
    filled = round((share or 0) * width)
    for index, bar_cell in enumerate(table.rows[0].cells):
        if index < filled:
            _shade(bar_cell, "1F6F43")


def _option_table(document, figure, previous=False):
    columns = [_("Answer"), _("Count"), _("Share"), _("Chart")]
    if previous:
        columns += [_("Previous cycle")]
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, columns, strict=True):
        cell.text = text
    for option in figure.options:
        cells = table.add_row().cells
        cells[0].text = option.label
        cells[1].text = str(option.count)
        cells[2].text = _percent(option.share)
        _bar(cells[3], option.share)
        if previous:
            cells[4].text = _percent(option.previous_share)
    return table


def _quotes(document, title, quotes):
    if not quotes:
        return
    document.add_heading(title, level=4)
    for quote in quotes:
        paragraph = document.add_paragraph(style="Quote")
        paragraph.add_run("“{}”".format(quote.text))
        paragraph.add_run(" — {}".format(quote.author)).bold = True


def render_docx(synthesis):
    from docx import Document

    cycle = synthesis.cycle
    document = Document()
    document.core_properties.title = str(cycle)
    document.add_heading(_("Synthesis report"), level=0)
    document.add_paragraph(resolve(cycle.title)[0])
    if synthesis.plan is not None:
        document.add_paragraph(_("Plan: {plan}").format(plan=synthesis.plan.display_title()))
    document.add_paragraph(
        _("Deadline: {deadline}. Report generated on {date}.").format(
            deadline=date_format(cycle.deadline, "DATE_FORMAT"),
            date=date_format(synthesis.generated_at, "DATE_FORMAT"),
        )
    )
    if cycle.is_demo:
        document.add_paragraph(_("Demonstration data: these figures are generated, not real submissions."))
    reception = synthesis.reception
    document.add_heading(_("Submissions received"), level=1)
    document.add_paragraph(
        _(
            "{total} submissions were received and published: {national} national, {organizations} from "
            "organizations; {late} after the deadline."
        ).format(
            total=reception.total,
            national=reception.national,
            organizations=reception.organizations,
            late=reception.late,
        )
    )
    table = document.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    table.rows[0].cells[0].text = _("Region or group")
    table.rows[0].cells[1].text = _("Submissions")
    for group in reception.by_group:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = group.label, str(group.respondents)
    previous = synthesis.previous_cycle is not None
    if synthesis.plan is not None:
        document.add_heading(_("Progress by area and element"), level=1)
        for area, units in synthesis.areas:
            document.add_heading("({}) {}".format(area.number, resolve(area.title)[0]), level=2)
            for unit in units:
                if unit.element is not None:
                    document.add_heading(
                        "{} {}".format(unit.element.number, resolve(unit.element.title)[0]), level=3
                    )
                if unit.status is not None:
                    document.add_paragraph(
                        _("Status of implementation ({count} answers)").format(count=unit.status.respondents)
                    )
                    _option_table(document, unit.status, previous=previous)
                for indicator in unit.indicators:
                    numbers = indicator.numbers or {}
                    document.add_paragraph(
                        "{}: {}".format(
                            indicator.question.label(),
                            _("total {sum}, median {median} ({count} answers)").format(
                                sum=numbers.get("sum", 0),
                                median=numbers.get("median", "–"),
                                count=numbers.get("count", 0),
                            ),
                        )
                    )
                _quotes(document, _("Summary of results"), unit.results)
        document.add_heading(_("Good practices and lessons learned"), level=1)
        for _area, units in synthesis.areas:
            for unit in units:
                if unit.good_practices or unit.lessons:
                    document.add_heading(
                        "{} {}".format(unit.node.number, resolve(unit.node.title)[0]), level=2
                    )
                    _quotes(document, _("Good practices"), unit.good_practices)
                    _quotes(document, _("Lessons learned"), unit.lessons)
    else:
        document.add_heading(_("Answers by section"), level=1)
        for section, figures in synthesis.sections:
            document.add_heading(resolve(section.title)[0], level=2)
            for figure in figures:
                document.add_paragraph(
                    "{} ({})".format(
                        figure.question.label(), _("{count} answers").format(count=figure.respondents)
                    )
                )
                if figure.options:
                    _option_table(document, figure, previous=previous and figure.previous_key)
                elif figure.numbers:
                    document.add_paragraph(
                        _("total {sum}, median {median} ({count} answers)").format(
                            sum=figure.numbers["sum"],
                            median=figure.numbers["median"],
                            count=figure.numbers["count"],
                        )
                    )
    document.add_heading(_("List of submissions"), level=1)
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, [_("Respondent"), _("Received"), _("Late")], strict=True):
        cell.text = text
    for submission in synthesis.analysis.submissions:
        cells = table.add_row().cells
        cells[0].text = submission.respondent_name()
        cells[1].text = date_format(submission.received_at, "DATE_FORMAT") if submission.received_at else "–"
        cells[2].text = _("Late") if submission.is_late else ""
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# -- building a report file ------------------------------------------------------------------------------
def report_filename(report):
    cycle_title = slugify(resolve(report.cycle.title, report.language)[0])[:60] or "cycle-{}".format(
        report.cycle_id
    )
    return "synthesis-{}-{}.{}".format(cycle_title, report.language, report.format)


def build_report(report):
    """Build ``report``'s file, telling its progress as it goes; a failure is recorded, not raised."""

    def progress(percent, message):
        SynthesisReport.objects.filter(pk=report.pk).update(
            progress=percent, message=str(message)[:500], state=ReportState.RUNNING
        )

    try:
        with translation.override(report.language):
            progress(1, _("Started"))
            synthesis = build_synthesis(report.cycle, progress=progress)
            progress(70, _("Writing the file"))
            content = render_pdf(synthesis) if report.format == ReportFormat.PDF else render_docx(synthesis)
            progress(95, _("Saving the file"))
            report.file.save(report_filename(report), ContentFile(content), save=False)
            report.state, report.progress, report.message = ReportState.DONE, 100, _("Ready")
            report.finished_at = timezone.now()
            report.save(update_fields=["file", "state", "progress", "message", "finished_at"])
    except Exception as error:  # noqa: BLE001 - the page shows the failure; the log has the traceback
        import logging

        logging.getLogger(__name__).exception("Synthesis report %s failed", report.pk)
        SynthesisReport.objects.filter(pk=report.pk).update(
            state=ReportState.FAILED, message=str(error)[:500], finished_at=timezone.now()
        )
    report.refresh_from_db()
    return report
