"""The scenario library pages: who may see them, the filters, and what a preview shows."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import translation

from scenarios import services
from scenarios.models import Scenario
from tests.conftest import SCENARIO_DIR, load_version

SVG = "{http://www.w3.org/2000/svg}"


def own_copy(owner, *, slug: str, title: str):
    """A teacher's own scenario: the coat scenario under another id and title."""
    source = (SCENARIO_DIR / "p1-coat-size.zh.yaml").read_text("utf-8")
    source = source.replace("id: p1-coat-size\n", f"id: {slug}\n").replace(
        "title: 大衣选哪个码\n", f"title: {title}\n"
    )
    version, _status = services.store_scenario(source, owner=owner)
    return version


@pytest.fixture
def library(db):
    return {
        name: load_version(f"{name}.yaml")
        for name in ("p1-coat-size.zh", "a1-wrong-colour.zh", "p3-air-fryer.zh", "p1-coat-size.en")
    }


@pytest.fixture
def teacher_client(client, teacher):
    client.force_login(teacher)
    return client


def titles(response) -> list[str]:
    return [row.version.title for row in response.context["rows"]]


# ----------------------------------------------------------------- who sees what


def test_the_library_lists_library_and_own_scenarios_not_another_teachers(
    teacher_client, teacher, other_teacher, library
):
    own_copy(teacher, slug="my-coat", title="我的大衣情景")
    own_copy(other_teacher, slug="their-coat", title="别人的大衣情景")

    response = teacher_client.get(reverse("scenarios:library"))

    assert response.status_code == 200
    assert "我的大衣情景" in titles(response)
    assert "别人的大衣情景" not in titles(response)
    assert {"大衣选哪个码", "Which coat size?", "空气炸锅选4.5L还是6L"} <= set(titles(response))
    page = response.content.decode()
    assert "别人的大衣情景" not in page
    mine = next(r for r in response.context["rows"] if r.version.title == "我的大衣情景")
    assert mine.mine


def test_each_row_shows_kind_language_difficulty_shop_type_and_summary(teacher_client, library):
    with translation.override("zh-hans"):
        response = teacher_client.get(reverse("scenarios:library"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    row = re.search(r'<tr data-scenario="p3-air-fryer">.*?</tr>', response.content.decode(), re.S)

    assert row is not None
    text = row.group(0)
    assert "售前咨询" in text
    assert "简体中文" in text
    assert "进阶" in text
    assert "小家电" in text
    assert "细节型顾客在两款空气炸锅间犹豫" in text
    assert reverse("scenarios:scenario", args=[library["p3-air-fryer.zh"].scenario_id]) in text


def test_the_language_shows_as_a_name_not_a_code(client, teacher, library):
    teacher.language = "en"
    teacher.save()
    client.force_login(teacher)

    response = client.get(reverse("scenarios:library"), HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()

    row = re.search(r'<tr data-scenario="p1-coat-size-en">.*?</tr>', page, re.S).group(0)
    assert "English" in row
    assert ">en<" not in row
    assert "Simplified Chinese" in page


@pytest.mark.parametrize("name", ["scenarios:library", "scenarios:scenario"])
def test_students_and_visitors_cannot_open_the_library(client, student, library, name):
    args = [library["p1-coat-size.zh"].scenario_id] if name == "scenarios:scenario" else []
    url = reverse(name, args=args)

    assert client.get(url).status_code == 302  # to the login page
    client.force_login(student)
    assert client.get(url).status_code == 404


def test_another_teachers_scenario_is_not_found(teacher_client, other_teacher, library):
    theirs = own_copy(other_teacher, slug="their-coat", title="别人的大衣情景")

    response = teacher_client.get(reverse("scenarios:scenario", args=[theirs.scenario_id]))

    assert response.status_code == 404


def test_a_missing_scenario_is_not_found(teacher_client, library):
    assert teacher_client.get(reverse("scenarios:scenario", args=[99999])).status_code == 404


def test_the_library_accepts_get_only(teacher_client, library):
    assert teacher_client.post(reverse("scenarios:library")).status_code == 405


# ----------------------------------------------------------------- filters


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "after_sale"}, {"发错颜色了"}),
        ({"language": "en"}, {"Which coat size?"}),
        ({"shop_type": "appliances"}, {"空气炸锅选4.5L还是6L"}),
        ({"kind": "pre_sale", "language": "zh-hans"}, {"大衣选哪个码", "空气炸锅选4.5L还是6L"}),
        ({"kind": "pre_sale", "shop_type": "food"}, set()),
    ],
)
def test_the_filters_narrow_the_list(teacher_client, library, query, expected):
    a1 = library["a1-wrong-colour.zh"].title
    expected = {a1 if title == "发错颜色了" else title for title in expected}

    response = teacher_client.get(reverse("scenarios:library"), query)

    assert set(titles(response)) == expected


def test_an_unknown_filter_value_filters_nothing(teacher_client, library):
    response = teacher_client.get(reverse("scenarios:library"), {"kind": "nonsense"})

    assert len(titles(response)) == len(library)


def test_the_filter_answers_htmx_with_the_rows_only(teacher_client, library):
    response = teacher_client.get(
        reverse("scenarios:library"), {"language": "en"}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()

    assert page.lstrip().startswith("{% load") is False
    assert 'id="library-results"' in page
    assert "<html" not in page
    assert "Which coat size?" in page
    assert "大衣选哪个码" not in page


def test_the_filter_form_works_without_javascript(teacher_client, library):
    page = teacher_client.get(reverse("scenarios:library")).content.decode()
    form = re.search(r'<form class="card library-filter"[^>]*>', page).group(0)

    assert 'method="get"' in form
    assert f'action="{reverse("scenarios:library")}"' in form
    assert 'hx-get="' in form
    assert '<button class="btn" type="submit">' in page


def test_a_version_stored_without_library_facts_still_lists(teacher_client, library):
    version = library["p1-coat-size.zh"]
    version.summary, version.difficulty, version.shop_type = "", None, ""
    version.save()

    response = teacher_client.get(reverse("scenarios:library"))
    row = re.search(
        r'<tr data-scenario="p1-coat-size">.*?</tr>', response.content.decode(), re.S
    ).group(0)

    assert row.count("—") == 3  # summary, difficulty, shop type


def test_the_list_shows_the_newest_version_only(teacher_client, library):
    source = (SCENARIO_DIR / "p1-coat-size.zh.yaml").read_text("utf-8")
    services.store_scenario(source.replace("title: 大衣选哪个码\n", "title: 大衣选码（新版）\n"))

    response = teacher_client.get(reverse("scenarios:library"))

    assert "大衣选码（新版）" in titles(response)
    assert "大衣选哪个码" not in titles(response)
    assert Scenario.objects.get(slug="p1-coat-size").versions.count() == 2


# ----------------------------------------------------------------- a scenario's page


@pytest.fixture
def coat_page(teacher_client, library):
    version = library["p1-coat-size.zh"]
    response = teacher_client.get(reverse("scenarios:scenario", args=[version.scenario_id]))
    assert response.status_code == 200
    return response


def test_the_preview_shows_what_the_student_sees(coat_page):
    page = coat_page.content.decode()
    script = coat_page.context["preview"].script

    assert "顾客在看店里的羊毛混纺双面大衣" in page  # the brief
    assert '<div class="ws-brief">' in page  # the workspace's own partial
    first = re.search(r'data-role="first-message">.*?</li>', page, re.S).group(0)
    assert script.states["opening"].say[0] in first
    other = re.search(r'data-role="other-opening">.*?</li>', page, re.S).group(0)
    assert script.states["opening"].say[1] in other
    assert "驼色 M: 1" in page  # the customer panel's stock line, as in the workspace
    assert "满300减30" in page


def test_the_preview_shows_the_teacher_the_persona_and_the_facts(coat_page):
    page = coat_page.content.decode()

    assert "犹豫型" in page
    assert "只有被问到穿着场合或搭配时" in page  # the hidden facts
    products = re.search(r"<h4>商品</h4>.*?</table>", page, re.S).group(0)
    assert "羊毛混纺双面大衣" in products
    assert "¥399" in products
    stock = re.search(r"<h4>库存</h4>.*?</table>", page, re.S).group(0)
    assert re.search(r"黑色 L</td><td><span class=\"stock stock-out\">0<", stock)
    assert "7天无理由退换(未穿着、吊牌完好)" in page
    assert "¥10" in page  # the compensation limit


def test_the_script_diagram_has_a_box_with_each_states_label(coat_page):
    page = coat_page.content.decode()
    script = coat_page.context["preview"].script
    svg = re.search(r"<svg class=\"flow\".*?</svg>", page, re.S).group(0)

    tree = ElementTree.fromstring(svg)  # noqa: S314 (our own page): well-formed XML
    boxes = {g.get("data-state"): g for g in tree.iter(f"{SVG}g") if g.get("data-state")}
    assert set(boxes) == set(script.states)
    for name, box in boxes.items():
        texts = [t.text for t in box.iter(f"{SVG}text")]
        assert texts[0] == name
        assert texts[1], name  # a caption: the customer's line or the ending
    assert "is-start" in boxes["opening"].get("class")
    assert "outcome-success" in boxes["closed"].get("class")
    assert "outcome-lost" in boxes["annoyed"].get("class")
    labels = [t.text for t in tree.iter(f"{SVG}text") if t.text and "沉默" in t.text]
    assert "沉默 60 秒" in labels
    # An ending many states lead to is an exit line in each box, not a bundle of arrows.
    exits = [a.get("data-exit") for a in boxes["opening"].iter(f"{SVG}a") if a.get("data-exit")]
    assert exits == ["annoyed"]
    assert "服务禁语 → annoyed" in "".join(boxes["opening"].itertext())
    width = float(tree.get("width"))
    assert width > 390  # wider than a phone: the box scrolls sideways
    assert 'class="flow-box"' in page


def test_the_step_list_has_every_state_with_its_lines_and_transitions(coat_page):
    page = coat_page.content.decode()
    preview = coat_page.context["preview"]

    assert preview.steps[0].name == "opening"
    assert {s.name for s in preview.steps} == set(preview.script.states)
    opening = re.search(r'id="step-opening">.*?<ul class="step-moves">.*?</ul>', page, re.S)
    assert opening is not None
    assert "开放式提问" in opening.group(0)
    assert 'href="#step-reveal"' in opening.group(0)
    closed = re.search(r'id="step-closed">.*?<p class="step-end">.*?</p>', page, re.S).group(0)
    assert "成交/解决" in closed  # the outcome, as the transcript words it
    assert "5/5" in closed


def test_the_preview_is_complete_in_english(client, teacher, library):
    teacher.language = "en"
    teacher.save()
    client.force_login(teacher)
    version = library["p1-coat-size.en"]

    page = client.get(
        reverse("scenarios:scenario", args=[version.scenario_id]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    assert "As the student sees it" in page
    assert "Hesitant" in page
    assert "silence 60 s" in page
    # Only the language switch names Chinese in Chinese.
    page = re.sub(r'<button[^>]*lang="zh-hans"[^>]*>简体中文</button>', "", page)
    assert not re.search(r"[\u4e00-\u9fff]", page), re.findall(r".{20}[\u4e00-\u9fff]+", page)


def test_the_instructor_home_and_the_navigation_link_the_library(teacher_client, library):
    page = teacher_client.get(reverse("simulator:home")).content.decode()

    assert page.count(f'href="{reverse("scenarios:library")}"') >= 2  # the navigation, the home
    coat = library["p1-coat-size.zh"]
    assert f'href="{reverse("scenarios:scenario", args=[coat.scenario_id])}"' in page


def test_the_student_navigation_has_no_library_link(client, student):
    client.force_login(student)

    assert (
        reverse("scenarios:library") not in client.get(reverse("simulator:home")).content.decode()
    )
