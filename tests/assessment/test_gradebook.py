"""The grade book of a classroom, its heat map, progress charts and exports."""

from __future__ import annotations

import csv
import io
import re

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from assessment.charts import sparkline
from assessment.exports import safe
from assessment.models import Assessment
from simulator import services as simulator_services
from tests.assessment.conftest import COAT_CHAT


def client_for(user, **headers) -> Client:
    client = Client(headers=headers)
    client.force_login(user)
    return client


@pytest.fixture
def two_attempts(chat, assignment, student):
    """The student's first attempt scored 80, the second 30: best and latest differ."""
    first = chat(assignment, student, COAT_CHAT)
    second = chat(assignment, student, COAT_CHAT[:2])
    Assessment.objects.filter(conversation=first).update(total=80.0, passed=True)
    Assessment.objects.filter(conversation=second).update(total=30.0, passed=False)
    return first, second


def gradebook_html(teacher, classroom, pick="best", **headers) -> str:
    url = reverse("assessment:gradebook", args=[classroom.pk]) + f"?pick={pick}"
    response = client_for(teacher, **headers).get(url)
    assert response.status_code == 200
    return response.content.decode()


def cell_total(html: str, username: str) -> str:
    row = re.search(rf'<tr data-student="{username}">.*?</tr>', html, re.S).group(0)
    return re.search(r'data-total="([\d.]+)"', row).group(1)


def test_the_teacher_chooses_best_or_latest_attempt(teacher, classroom, two_attempts, classmate):
    first, second = two_attempts
    best = gradebook_html(teacher, classroom, "best")
    latest = gradebook_html(teacher, classroom, "latest")

    assert cell_total(best, "student01") == "80.0"
    assert reverse("assessment:transcript", args=[first.pk]) in best
    assert cell_total(latest, "student01") == "30.0"
    assert reverse("assessment:transcript", args=[second.pk]) in latest
    assert "2 次练习" in best
    # A student who has not played yet has an empty cell, not a zero.
    row = re.search(r'<tr data-student="student02">.*?</tr>', best, re.S).group(0)
    assert "data-total" not in row


def test_the_toggle_swaps_only_the_grade_book_fragment(teacher, classroom, two_attempts):
    html = gradebook_html(teacher, classroom, "latest", **{"HX-Request": "true"})
    assert html.lstrip().startswith('<div id="gradebook"')
    assert 'data-pick="latest" aria-current="true"' in html


def test_progress_is_a_line_over_the_students_attempts(teacher, classroom, two_attempts):
    html = gradebook_html(teacher, classroom)
    row = re.search(r'<tr data-student="student01">.*?</tr>', html, re.S).group(0)
    points = re.search(r'<polyline points="([^"]+)"', row).group(1).split()
    assert len(points) == 2
    # The second attempt was worse: its point lies lower (a larger y).
    assert float(points[1].split(",")[1]) > float(points[0].split(",")[1])


def test_sparkline_puts_100_at_the_top_and_0_at_the_bottom():
    line = sparkline([100, 0], width=100, height=40)
    (top, bottom) = line.points
    assert (top.x, top.y) == (3, 3)
    assert (bottom.x, bottom.y) == (97, 37)
    assert line.trend == -100


def test_the_heat_map_shows_class_averages_per_criterion(
    teacher, classroom, chat, assignment, student, classmate
):
    chat(assignment, student, COAT_CHAT)
    chat(assignment, classmate, COAT_CHAT[:2])
    html = gradebook_html(teacher, classroom)
    assessments = list(Assessment.objects.filter(current=True))
    seven = [
        100 * c["score"] / c["max"]
        for a in assessments
        for c in a.report["criteria"]
        if c["key"] == "seven_steps" and c["applicable"]
    ]
    row = re.search(r'<tr data-criterion="seven_steps">.*?</tr>', html, re.S).group(0)
    assert f"{round(sum(seven) / len(seven))}%" in row
    # The method steps too: verify was missed in both chats.
    step = re.search(r'<tr data-step="verify">.*?</tr>', html, re.S).group(0)
    assert "heat-h0" in step
    assert ">0%<" in step or "<strong>0%</strong>" in step


@pytest.mark.parametrize("who", ["student", "outsider", "other_teacher"])
def test_only_the_classs_teacher_opens_the_grade_book_and_exports(request, classroom, who):
    client = client_for(request.getfixturevalue(who))
    for name in ("gradebook", "gradebook_csv", "gradebook_xlsx"):
        assert client.get(reverse(f"assessment:{name}", args=[classroom.pk])).status_code == 404


def test_csv_export_opens_in_excel_and_cannot_run_formulas(
    teacher, classroom, two_attempts, student
):
    student.first_name = '=HYPERLINK("http://evil")'
    student.save()
    response = client_for(teacher).get(reverse("assessment:gradebook_csv", args=[classroom.pk]))

    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for UTF-8
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["学生", "用户名"]
    assert "大衣选哪个码" in rows[0][2]
    mine = next(r for r in rows if r[1] == "student01")
    assert mine[0] == '\'=HYPERLINK("http://evil")'
    assert mine[2] == "80.0"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+86 138", "'+86 138"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("王小明", "王小明"),
        (-2.5, -2.5),
    ],
)
def test_cells_a_spreadsheet_would_run_are_neutralised(value, expected):
    assert safe(value) == expected


def test_xlsx_export_has_a_sheet_per_assignment_and_one_of_criterion_marks(
    teacher, classroom, coat_scenario, two_attempts
):
    simulator_services.assign_scenario(classroom, scenario_version=coat_scenario)  # unplayed
    response = client_for(teacher).get(
        reverse("assessment:gradebook_xlsx", args=[classroom.pk]) + "?pick=latest"
    )
    book = openpyxl.load_workbook(io.BytesIO(response.content))

    assert book.sheetnames == ["大衣选哪个码", "大衣选哪个码 (2)", "评分项得分"]
    first = book["大衣选哪个码"]
    header = [c.value for c in first[1]]
    assert header[:5] == ["学生", "用户名", "练习次数", "总分", "通过"]
    row = next(r for r in first.iter_rows(min_row=2, values_only=True) if r[1] == "student01")
    assert row[2:5] == (2, 30.0, "否")
    marks = list(book["评分项得分"].iter_rows(min_row=2, values_only=True))
    assert marks, "every applicable criterion mark of the counted attempt"
    assert all(r[1] == "student01" and 0 <= r[4] <= r[5] for r in marks)


def test_the_classroom_page_links_to_the_grade_book(teacher, classroom, assignment):
    html = client_for(teacher).get(reverse("simulator:classroom", args=[classroom.pk])).content
    html = html.decode()
    assert reverse("assessment:gradebook", args=[classroom.pk]) in html
    assert not re.search(r"<td>\d+/\d+</td>", html)


def test_the_teacher_releases_an_exams_reports_at_once_and_sees_open_disputes(
    teacher, classroom, coat_scenario, chat, student, classmate, outsider
):
    from simulator.models import Assignment

    exam = simulator_services.assign_scenario(
        classroom, scenario_version=coat_scenario, mode=Assignment.Mode.EXAM
    )
    chat(exam, student, COAT_CHAT)
    chat(exam, classmate, COAT_CHAT[:2])
    html = gradebook_html(teacher, classroom)
    assert f'data-release-all="{exam.pk}"' in html
    assert "公布 2 份报告" in html

    url = reverse("assessment:release_assignment", args=[exam.pk])
    assert client_for(outsider).post(url).status_code == 404
    assert client_for(teacher).post(url).status_code == 302
    assert not Assessment.objects.filter(released_at__isnull=True).exists()

    from assessment import services

    mine = Assessment.objects.get(conversation__student=student)
    services.dispute_mark(mine, criterion="seven_steps", reason="我核对了", student=student)
    row = re.search(
        r'<tr data-student="student01">.*?</tr>', gradebook_html(teacher, classroom), re.S
    ).group(0)
    assert "data-open-dispute" in row
    assert f'data-release-all="{exam.pk}"' not in gradebook_html(teacher, classroom)


def test_an_exam_counts_exam_attempts_in_the_grade_book_and_its_export(
    teacher, classroom, coat_scenario, chat, student
):
    from simulator.models import Assignment

    exam = simulator_services.assign_scenario(
        classroom, scenario_version=coat_scenario, mode=Assignment.Mode.EXAM
    )
    chat(exam, student, COAT_CHAT)
    chat(exam, student, COAT_CHAT[:2])
    row = re.search(
        r'<tr data-student="student01">.*?</tr>', gradebook_html(teacher, classroom), re.S
    ).group(0)
    assert "2 次考试" in row
    assert "练习" not in row

    url = reverse("assessment:gradebook_xlsx", args=[classroom.pk])
    book = openpyxl.load_workbook(io.BytesIO(client_for(teacher).get(url).content))
    header = [c.value for c in book["大衣选哪个码"][1]]
    assert header[2] == "考试次数"
    teacher.language = "en"
    teacher.save()
    with translation.override("zh-hans"):  # the view switches to English: undo it after
        english = client_for(teacher).get(url)
    header = [c.value for c in openpyxl.load_workbook(io.BytesIO(english.content)).active[1]]
    assert header[2] == "Exam attempts"


def test_a_full_override_counts_every_step_in_the_step_heat_map(
    teacher, classroom, chat, assignment, student
):
    from assessment import services

    practice = chat(assignment, student, COAT_CHAT)
    step = re.search(r'<tr data-step="verify">.*?</tr>', gradebook_html(teacher, classroom), re.S)
    assert "heat-h0" in step.group(0)  # the scorer saw no verification
    assessment = practice.assessments.get()
    seven = next(c for c in assessment.report["criteria"] if c["key"] == "seven_steps")
    services.override_mark(
        assessment, criterion="seven_steps", new_score=seven["max"], reason="都做到了", by=teacher
    )
    step = re.search(r'<tr data-step="verify">.*?</tr>', gradebook_html(teacher, classroom), re.S)
    assert "100%" in step.group(0)
