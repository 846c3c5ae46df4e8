"""The analyzer's XLSX export: the figures of :func:`capacityhub.plans.analysis.analyse`, sheet by sheet."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from capacityhub.core.multilingual import resolve


def _header(sheet, row):
    sheet.append(row)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)


def analysis_workbook(analysis):
    """An XLSX file of ``analysis``: counts and shares (by group, with the previous cycle), numbers, the
    free-text
    answers with their authors, and the list of submissions counted."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Counts")[:31]
    groups = analysis.groups
    header = [_("Section"), _("Question"), _("Answer"), _("Count"), _("Share"), _("Answered")]
    for group in groups:
        header += ["{} ({})".format(group.label, _("count")), "{} ({})".format(group.label, _("share"))]
    if analysis.previous_cycle is not None:
        header += [_("Previous cycle (count)"), _("Previous cycle (share)")]
    _header(sheet, header)
    numbers = workbook.create_sheet(_("Numbers")[:31])
    _header(
        numbers,
        [
            _("Section"),
            _("Question"),
            _("Answers"),
            _("Total"),
            _("Mean"),
            _("Median"),
            _("Minimum"),
            _("Maximum"),
        ],
    )
    texts = workbook.create_sheet(_("Free text")[:31])
    _header(texts, [_("Section"), _("Question"), _("Option"), _("Respondent"), _("Text")])
    for section in analysis.definition.sections:
        section_title = resolve(section.title)[0]
        for figure in analysis.section_figures(section.key):
            label = figure.question.label()
            for option in figure.options:
                row = [section_title, label, option.label, option.count, option.share, figure.respondents]
                for group in groups:
                    count, share = option.by_group.get(group.code, (0, None))
                    row += [count, share]
                if analysis.previous_cycle is not None:
                    row += [option.previous_count, option.previous_share]
                sheet.append(row)
            if figure.numbers:
                n = figure.numbers
                numbers.append(
                    [
                        section_title,
                        label,
                        n["count"],
                        n["sum"],
                        float(n["mean"]),
                        n["median"],
                        n["min"],
                        n["max"],
                    ]
                )
            for text in figure.texts:
                option = figure.question.option(text.option) if text.option else None
                texts.append([section_title, label, option.label() if option else "", text.author, text.text])
    share_columns = [5] + [8 + 2 * i for i in range(len(groups))]
    if analysis.previous_cycle is not None:
        share_columns.append(7 + 2 * len(groups) + 1)
    for column in share_columns:
        for row in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            row[0].number_format = "0%"
    listing = workbook.create_sheet(_("Submissions")[:31])
    _header(listing, [_("Respondent"), _("Country code"), _("Received"), _("Late"), _("Address")])
    for submission in analysis.submissions:
        listing.append(
            [
                submission.respondent_name(),
                submission.country.iso2 if submission.country_id else "",
                submission.received_at.replace(tzinfo=None) if submission.received_at else None,
                bool(submission.is_late),
                submission.get_absolute_url(),
            ]
        )
    for ws in workbook.worksheets:
        for index in range(1, ws.max_column + 1):
            ws.column_dimensions[get_column_letter(index)].width = 18 if index > 2 else 40
        ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
