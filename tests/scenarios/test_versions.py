"""A scenario's versions: its history on the page, an older version's preview, the line diff."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from scenarios import services
from scenarios.diff import line_diff
from tests.conftest import SCENARIO_DIR

COAT = (SCENARIO_DIR / "p1-coat-size.zh.yaml").read_text("utf-8")
SECOND = COAT.replace("title: 大衣选哪个码\n", "title: 大衣选码（第二版）\n").replace(
    "  patience: 1.5\n", "  patience: 2\n"
)


@pytest.fixture
def versions(db, teacher):
    """The coat scenario as the library ships it (v1), then as a teacher saved it (v2)."""
    first, _status = services.store_scenario(COAT)
    second, _status = services.store_scenario(SECOND, saved_by=teacher)
    return first, second


@pytest.fixture
def teacher_client(client, teacher):
    client.force_login(teacher)
    return client


@pytest.fixture
def english(teacher):
    teacher.language = "en"
    teacher.save()


# ----------------------------------------------------------------- the diff itself (no database)


def test_a_changed_line_is_one_removed_and_one_added_with_both_line_numbers():
    old = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n"
    new = "a\nb\nc\nd\ne\nF\ng\nh\ni\nj\nk\n"

    diff = line_diff(old, new, context=1)

    first, second = diff.hunks
    assert [(line.kind, line.old, line.new, line.text) for line in first.lines] == [
        ("same", 5, 5, "e"),
        ("removed", 6, None, "f"),
        ("added", None, 6, "F"),
        ("same", 7, 7, "g"),
    ]
    assert first.skipped == 4  # lines 1-4 fold away
    assert second.skipped == 2  # lines 8-9
    assert [(line.kind, line.new) for line in second.lines] == [("same", 10), ("added", 11)]
    assert (diff.added, diff.removed, diff.skipped_after) == (2, 1, 0)


def test_equal_sources_have_no_hunks():
    diff = line_diff(COAT, COAT)

    assert diff.same
    assert (diff.added, diff.removed) == (0, 0)


# ----------------------------------------------------------------- the scenario's page


def test_the_page_lists_every_version_with_who_saved_it(teacher_client, teacher, versions):
    first, _second = versions

    response = teacher_client.get(
        reverse("scenarios:scenario", args=[first.scenario_id]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )

    history = response.context["history"]
    assert [row.version.number for row in history.rows] == [2, 1]
    assert history.rows[0].version.saved_by == teacher
    assert history.rows[1].version.saved_by is None
    html = response.content.decode()
    assert "大衣选码（第二版）" in html
    assert "大衣选哪个码" in html
    assert "随库提供" in html  # who saved the shipped one
    assert "保存人" in html
    assert 'data-role="older-version"' not in html  # the newest is shown


def test_preview_of_an_older_version_shows_its_script_and_says_which(
    teacher_client, versions, english
):
    first, _second = versions
    url = reverse("scenarios:scenario", args=[first.scenario_id])

    response = teacher_client.get(url, {"version": 1}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.context["preview"].version == first
    assert response.context["preview"].script.persona.patience == 1.5
    html = response.content.decode()
    assert 'data-role="older-version"' in html
    assert "You are looking at version 1" in html
    assert "version 1 of 2" in html


@pytest.mark.parametrize("number", ["3", "0", "x", "-1"])
def test_a_version_the_scenario_lacks_is_missing(teacher_client, versions, number):
    url = reverse("scenarios:scenario", args=[versions[0].scenario_id])

    assert teacher_client.get(url, {"version": number}).status_code == 404


def test_another_teachers_own_scenario_has_no_history_for_me(
    client, teacher, other_teacher, versions
):
    source = COAT.replace("id: p1-coat-size\n", "id: their-coat\n")
    theirs, _status = services.store_scenario(source, owner=other_teacher)
    client.force_login(teacher)

    for name in ("scenarios:scenario", "scenarios:version_diff"):
        response = client.get(reverse(name, args=[theirs.scenario_id]), {"version": 1})
        assert response.status_code == 404, name


def test_a_student_gets_404_on_the_diff(client, student, versions):
    client.force_login(student)

    response = client.get(reverse("scenarios:version_diff", args=[versions[0].scenario_id]))

    assert response.status_code == 404


# ----------------------------------------------------------------- the diff page


def test_the_diff_shows_the_changed_lines_with_their_numbers(teacher_client, versions, english):
    first, _second = versions
    url = reverse("scenarios:version_diff", args=[first.scenario_id])

    response = teacher_client.get(url, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    diff = response.context["comparison"].diff
    changed = {(line.kind, line.old, line.new, line.text) for h in diff.hunks for line in h.lines}
    assert ("removed", 5, None, "title: 大衣选哪个码") in changed
    assert ("added", None, 5, "title: 大衣选码（第二版）") in changed
    assert ("removed", 15, None, "  patience: 1.5") in changed
    assert ("added", None, 15, "  patience: 2") in changed
    assert (diff.added, diff.removed) == (2, 2)
    html = response.content.decode()
    assert "Changes from version 1 to version 2" in html
    assert '<tr class="diff-added"><td class="diff-no"></td><td class="diff-no">15</td>' in html
    assert '<tr class="diff-removed"><td class="diff-no">15</td><td class="diff-no"></td>' in html
    assert ">2 lines added</span>" in html
    assert ">2 lines removed</span>" in html


def test_any_two_versions_compare_either_way(teacher_client, versions):
    url = reverse("scenarios:version_diff", args=[versions[0].scenario_id])

    response = teacher_client.get(url, {"old": 2, "new": 1})

    diff = response.context["comparison"].diff
    added = [line.text for h in diff.hunks for line in h.lines if line.kind == "added"]
    assert added == ["title: 大衣选哪个码", "  patience: 1.5"]


def test_a_version_compared_with_itself_says_the_scripts_are_the_same(
    teacher_client, versions, english
):
    url = reverse("scenarios:version_diff", args=[versions[0].scenario_id])

    response = teacher_client.get(url, {"old": 1, "new": 1}, HTTP_ACCEPT_LANGUAGE="en")

    assert "The two versions have the same script." in response.content.decode()


def test_comparing_with_a_version_that_does_not_exist_is_missing(teacher_client, versions):
    url = reverse("scenarios:version_diff", args=[versions[0].scenario_id])

    assert teacher_client.get(url, {"old": 1, "new": 7}).status_code == 404


def test_the_diff_page_is_complete_in_english(teacher_client, versions, english):
    url = reverse("scenarios:version_diff", args=[versions[0].scenario_id])

    html = teacher_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Changes from version 1 to version 2" in html
    # Everything but the scenario's own content (marked translate="no") and the language
    # switch's own name is English.
    outside = re.sub(r'<(\w+)[^>]*translate="no"[^>]*>.*?</\1>', "", html, flags=re.S)
    outside = re.sub(r"<title>.*?</title>", "", outside, flags=re.S)
    outside = re.sub(r'<button[^>]*lang="zh-hans"[^>]*>简体中文</button>', "", outside)
    assert not re.search(r"[\u4e00-\u9fff]", outside), re.findall(r".{30}[\u4e00-\u9fff]+", outside)


def test_the_history_costs_the_same_queries_however_many_versions(
    teacher_client, versions, django_assert_max_num_queries
):
    for n in range(5, 10):  # patience 2.5 to 4.5
        services.store_scenario(COAT.replace("  patience: 1.5\n", f"  patience: {n / 2}\n"))
    url = reverse("scenarios:scenario", args=[versions[0].scenario_id])

    with django_assert_max_num_queries(6):  # 5 today; one query per version would be 12
        response = teacher_client.get(url)

    assert len(response.context["history"].rows) == 7


def test_the_library_links_a_scenario_with_several_versions_to_its_history(
    teacher_client, versions
):
    html = teacher_client.get(reverse("scenarios:library")).content.decode()

    history = reverse("scenarios:scenario", args=[versions[0].scenario_id]) + "#versions"
    assert f'<a href="{history}" data-link="versions">v2</a>' in html
