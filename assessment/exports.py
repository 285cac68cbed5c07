"""The grade book as files teachers open in Excel: CSV (UTF-8 with BOM) and XLSX."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from assessment import messages
from assessment.gradebook import Gradebook

# A cell starting with one of these is read as a formula by Excel and LibreOffice (CSV
# injection): a student named "=HYPERLINK(…)" must stay text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe(value: Any) -> Any:
    """Numbers pass; text that a spreadsheet would run as a formula gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _title(assignment) -> str:
    return assignment.scenario_version.title


def gradebook_table(book: Gradebook) -> list[list[Any]]:
    """The grade book as rows: a header, then one row per student."""
    header = [_("Student"), _("Username")]
    header += [_title(a) for a in book.assignments]
    header.append(_("Average"))
    rows: list[list[Any]] = [header]
    for row in book.rows:
        line: list[Any] = [row.student.display_name, row.student.username]
        line += [cell.total if cell else "" for cell in row.cells]
        line.append(round(row.average, 1) if row.average is not None else "")
        rows.append(line)
    return rows


def gradebook_csv(book: Gradebook) -> bytes:
    """UTF-8 with a BOM, so Excel on Chinese Windows shows the names, not mojibake."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in gradebook_table(book):
        writer.writerow([safe(value) for value in line])
    return buffer.getvalue().encode("utf-8-sig")


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(title: str, taken: set[str]) -> str:
    # Excel: at most 31 characters, none of []:*?/\, unique regardless of case.
    base = _SHEET_FORBIDDEN.sub(" ", title).strip("' ") or _("Assignment")
    name, n = base[:31], 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def gradebook_xlsx(book: Gradebook) -> bytes:
    """A sheet per assignment (the counted attempt, its marks) and a sheet of every mark."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    bold = Font(bold=True)
    criteria = [heat.key for heat in book.criteria]
    for index, assignment in enumerate(book.assignments):
        sheet = workbook.create_sheet(_sheet_name(_title(assignment), taken))
        attempts = _("Exam attempts") if assignment.is_exam else _("Attempts")
        header = [_("Student"), _("Username"), attempts, _("Total"), _("Passed")]
        header += [messages.criterion_label(key) for key in criteria]
        sheet.append(header)
        for row in book.rows:
            cell = row.cells[index]
            line: list[Any] = [safe(row.student.display_name), safe(row.student.username)]
            if cell is None:
                line += [0, "", ""]
            else:
                marks = {m.criterion: m for m in cell.marks}
                line += [cell.attempts, cell.total, _("yes") if cell.passed else _("no")]
                line += [
                    marks[key].score if key in marks and marks[key].applicable else ""
                    for key in criteria
                ]
            sheet.append(line)
        _finish(sheet, bold)
    marks_sheet = workbook.create_sheet(_sheet_name(_("Criterion marks"), taken))
    marks_sheet.append(
        [_("Student"), _("Username"), _("Assignment"), _("Criterion"), _("Mark"), _("Maximum")]
    )
    for row in book.rows:
        for assignment, cell in zip(book.assignments, row.cells, strict=True):
            for mark in cell.marks if cell else ():
                if not mark.applicable:
                    continue
                marks_sheet.append(
                    [
                        safe(row.student.display_name),
                        safe(row.student.username),
                        safe(_title(assignment)),
                        messages.criterion_label(mark.criterion),
                        mark.score,
                        mark.max,
                    ]
                )
    _finish(marks_sheet, bold)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _finish(sheet, bold: Font) -> None:
    for cell in sheet[1]:
        cell.font = bold
    sheet.freeze_panes = "A2"
    for column in range(1, sheet.max_column + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 16
