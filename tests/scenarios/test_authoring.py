"""Teachers author their own scenarios: clone, templates, import and export, the editor's
two faces over one document, and saving as a new version."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.datastructures import MultiValueDict

from scenarios import editor, services
from scenarios.models import Scenario, ScenarioVersion
from scenarios.schema import parse_source
from tests.conftest import SCENARIO_DIR
from tests.scenarios.formparse import form_fields

P1 = (SCENARIO_DIR / "p1-coat-size.zh.yaml").read_text(encoding="utf-8")
LIBRARY = sorted(SCENARIO_DIR.glob("*.yaml"))


@pytest.fixture
def library_p1(db):
    version, _status = services.store_scenario(P1)
    return version


@pytest.fixture
def teacher_client(client, teacher):
    client.force_login(teacher)
    return client


@pytest.fixture
def own(teacher, library_p1):
    return services.clone_scenario(library_p1, owner=teacher)


def posted(fields: list[tuple[str, str]], **changes: str) -> dict[str, list[str]]:
    """The form as the test client posts it: every value of a name (a MultiValueDict would
    send only the last)."""
    data = MultiValueDict()
    for name, value in fields:
        data.appendlist(name, value)
    for name, value in changes.items():
        data.setlist(name, [value])
    return dict(data.lists())


def textarea(html: str, name: str) -> str:
    match = re.search(rf'<textarea name="{name}"[^>]*>\n?(.*?)</textarea>', html, re.S)
    assert match, name
    from html import unescape

    return unescape(match.group(1))


# ------------------------------------------------------------------ clone, templates, import


def test_cloning_a_library_scenario_makes_the_teachers_own_copy(
    teacher_client, teacher, library_p1
):
    response = teacher_client.post(reverse("scenarios:clone", args=[library_p1.scenario_id]))

    copy = Scenario.objects.get(owner=teacher)
    assert response.status_code == 302
    assert response["Location"] == reverse("scenarios:edit", args=[copy.pk])
    version = copy.latest
    assert (version.number, version.saved_by, version.title) == (1, teacher, "大衣选哪个码（副本）")
    assert parse_source(version.source).id == copy.slug != "p1-coat-size"
    assert version.source.startswith("# P1 大衣选哪个码")  # comments come along
    assert library_p1.scenario.versions.count() == 1  # the library is untouched


def test_cloning_twice_gives_two_scenarios(teacher, library_p1):
    first = services.clone_scenario(library_p1, owner=teacher)
    second = services.clone_scenario(library_p1, owner=teacher)
    assert first.scenario.slug != second.scenario.slug


@pytest.mark.parametrize("kind", ["pre_sale", "order_confirmation", "after_sale"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_template_of_each_kind_starts_a_valid_scenario(teacher_client, teacher, kind, language):
    response = teacher_client.post(reverse("scenarios:new"), {"kind": kind, "language": language})

    scenario = Scenario.objects.get(owner=teacher)
    assert response["Location"] == reverse("scenarios:edit", args=[scenario.pk])
    script = parse_source(scenario.latest.source)
    assert (script.kind, script.language, script.id) == (kind, language, scenario.slug)
    assert {e.outcome for e in script.endings.values()} >= {"success"}


def test_a_malformed_import_names_line_and_field_and_saves_nothing(teacher_client, teacher):
    from django.core.files.uploadedfile import SimpleUploadedFile

    broken = P1.replace("id: p1-coat-size\n", "id: mine\n").replace(
        "      - {on: [greet], to: waiting_answer}\n", "      - {on: [greet], to: waiting_ansver}\n"
    )
    line = broken.splitlines().index("      - {on: [greet], to: waiting_ansver}") + 1
    upload = SimpleUploadedFile("mine.yaml", broken.encode("utf-8"), content_type="text/yaml")

    response = teacher_client.post(reverse("scenarios:import"), {"file": upload})

    page = response.content.decode()
    assert response.status_code == 200
    assert "mine.yaml 未导入" in page
    assert f"第 {line} 行" in page
    assert "states.opening.transitions[4].to" in page
    assert "waiting_answer" in page  # did you mean …
    assert not Scenario.objects.filter(owner=teacher).exists()
    assert not ScenarioVersion.objects.exists()


def test_an_import_keeps_a_free_id_and_renames_a_taken_one(teacher, library_p1):
    fresh = services.import_scenario(P1.replace("id: p1-coat-size\n", "id: mine\n"), owner=teacher)
    taken = services.import_scenario(P1.encode("utf-8"), owner=teacher)

    assert fresh.scenario.slug == "mine"
    assert taken.scenario.slug == f"p1-coat-size-t{teacher.pk}"
    assert parse_source(taken.source).id == taken.scenario.slug
    assert taken.scenario.owner == teacher
    assert library_p1.scenario.versions.count() == 1


def test_export_downloads_the_yaml_file(teacher_client, own):
    response = teacher_client.get(reverse("scenarios:export", args=[own.scenario_id]))

    assert response["Content-Type"] == "application/yaml; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{own.scenario.slug}.v1.yaml"'
    )
    assert response.content.decode("utf-8") == own.source


# ------------------------------------------------------------------ who may edit


def test_a_library_scenario_is_read_only(teacher_client, library_p1):
    url = reverse("scenarios:edit", args=[library_p1.scenario_id])
    assert teacher_client.get(url).status_code == 404
    sync = reverse("scenarios:edit_sync", args=[library_p1.scenario_id])
    assert teacher_client.post(sync, {"source": P1, "op": "save"}).status_code == 404
    assert library_p1.scenario.versions.count() == 1


def test_another_teachers_scenario_is_not_found(client, other_teacher, own):
    client.force_login(other_teacher)
    assert client.get(reverse("scenarios:edit", args=[own.scenario_id])).status_code == 404
    assert client.get(reverse("scenarios:export", args=[own.scenario_id])).status_code == 404


# ------------------------------------------------------------------ the editor


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.name)
def test_the_rendered_form_of_every_library_scenario_posts_back_the_same_document(
    teacher_client, teacher, path
):
    source = path.read_text(encoding="utf-8").replace("\nid: ", "\nid: own-", 1)
    if source.startswith("id: "):
        source = "id: own-" + source.removeprefix("id: ")
    version = services.create_own_scenario(source, owner=teacher)
    page = teacher_client.get(reverse("scenarios:edit", args=[version.scenario_id]))
    fields = form_fields(page.content.decode(), "editor")

    # Without htmx the sync answers the whole page, the source face included.
    response = teacher_client.post(
        reverse("scenarios:edit_sync", args=[version.scenario_id]), posted(fields)
    )

    written = textarea(response.content.decode(), "source")
    assert parse_source(written) == parse_source(version.source)
    assert written == version.source  # not a byte changed


def test_typing_in_the_form_updates_the_source_and_lists_problems(teacher_client, own):
    url = reverse("scenarios:edit", args=[own.scenario_id])
    fields = form_fields(teacher_client.get(url).content.decode(), "editor")
    to = editor.wire_name("choice", ("states", "opening", "transitions", 4, "to"))

    response = teacher_client.post(
        reverse("scenarios:edit_sync", args=[own.scenario_id]),
        posted(fields, **{editor.wire_name("text", ("title",)): "大衣怎么选", to: "nowhere"}),
        HTTP_HX_REQUEST="true",
    )

    page = response.content.decode()
    assert 'id="editor-source-slot" hx-swap-oob="innerHTML"' in page
    assert "title: 大衣怎么选\n" in textarea(page, "source")
    assert 'data-loc="states.opening.transitions[4].to"' in page
    assert "未知的状态“nowhere”" in page
    assert own.scenario.versions.count() == 1  # typing saves nothing


def test_the_source_face_reports_a_yaml_error_with_its_line(teacher_client, own):
    broken = own.source.replace("  name: 小雨\n", "  name: [小雨\n")
    response = teacher_client.post(
        reverse("scenarios:edit_sync", args=[own.scenario_id]),
        {"source": broken, "face": "source"},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert "editor-source-slot" not in page  # the source being typed is not replaced
    assert re.search(r'data-line="\d+"', page)
    assert "1 个错误" in page


def test_switching_faces_keeps_the_document(teacher_client, own):
    edited = own.source.replace("title: 大衣选哪个码（副本）", "title: 手改的标题")
    response = teacher_client.post(
        reverse("scenarios:edit_sync", args=[own.scenario_id]),
        {"source": edited, "face": "source", "op": "face:form"},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert 'name="face" value="form"' in page
    assert 'value="手改的标题"' in page  # the form shows what was typed in the source
    assert textarea(page, "source") == edited


def test_saving_creates_a_new_version_by_the_teacher(teacher_client, teacher, own):
    edited = own.source.replace("  patience: 1.5\n", "  patience: 2\n")

    response = teacher_client.post(
        reverse("scenarios:edit_sync", args=[own.scenario_id]),
        {"source": edited, "face": "source", "op": "save"},
        HTTP_HX_REQUEST="true",
    )

    assert response["HX-Redirect"] == reverse("scenarios:edit", args=[own.scenario_id])
    versions = list(own.scenario.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[1].source == edited
    assert versions[1].saved_by == teacher
    assert versions[0].source == own.source  # the old version is immutable


def test_saving_an_unchanged_document_makes_no_version(teacher_client, own):
    teacher_client.post(
        reverse("scenarios:edit_sync", args=[own.scenario_id]),
        {"source": own.source, "face": "source", "op": "save"},
    )
    assert own.scenario.versions.count() == 1


def test_a_document_with_errors_or_another_id_is_not_saved(teacher_client, own):
    url = reverse("scenarios:edit_sync", args=[own.scenario_id])
    bad = own.source.replace("  patience: 1.5\n", "  patience: 9\n")
    other_id = own.source.replace(f"id: {own.scenario.slug}\n", "id: p1-coat-size\n")

    first = teacher_client.post(
        url, {"source": bad, "face": "source", "op": "save"}, HTTP_HX_REQUEST="true"
    )
    second = teacher_client.post(
        url, {"source": other_id, "face": "source", "op": "save"}, HTTP_HX_REQUEST="true"
    )

    assert "未保存：请先修正 1 个错误。" in first.content.decode()
    assert "标识用来区分本情景的各个版本，不能修改" in second.content.decode()
    assert own.scenario.versions.count() == 1
    assert Scenario.objects.get(slug="p1-coat-size").versions.count() == 1


def test_adding_a_state_by_the_form_reports_it_until_it_has_a_transition(teacher_client, own):
    url = reverse("scenarios:edit", args=[own.scenario_id])
    fields = form_fields(teacher_client.get(url).content.decode(), "editor")

    response = teacher_client.post(
        reverse("scenarios:edit_sync", args=[own.scenario_id]),
        posted(fields, new_state="ask_size", op='add:["states"]'),
        HTTP_HX_REQUEST="true",
    )

    page = response.content.decode()
    assert 'hx-swap-oob="outerHTML"' in page  # the form face is rendered again
    assert 'value="ask_size"' in page
    assert "状态“ask_size”既没有转移也没有结局" in page


@pytest.fixture
def in_english(teacher):
    teacher.language = "en"
    teacher.save(update_fields=["language"])
    yield
    # The language middleware activates the user's language for the thread: give it back.
    translation.deactivate()


def test_the_editor_page_is_complete_in_english(client, teacher, own, in_english):
    client.force_login(teacher)
    page = client.get(reverse("scenarios:edit", args=[own.scenario_id])).content.decode()
    # Every CJK character on the page is the scenario's own content (inputs, the source).
    chrome = re.sub(r"<(textarea|option)[^>]*>.*?</\1>", "", page, flags=re.S)
    chrome = re.sub(r"<title>.*?</title>", "", chrome, flags=re.S)
    chrome = re.sub(r'(value|title|placeholder|data-loc)="[^"]*"', "", chrome)
    chrome = re.sub(r'translate="no"[^>]*>[^<]*', "", chrome)
    leftovers = [
        chrome[m.start() - 80 : m.end() + 10] for m in re.finditer(r"[\u4e00-\u9fff]+", chrome)
    ]
    assert leftovers == []
