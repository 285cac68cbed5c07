"""The editor's form face over the YAML document: rendered from it, written back without loss."""

from __future__ import annotations

import pytest
from django.utils.datastructures import MultiValueDict

from scenarios import editor
from scenarios.schema import check_source, parse_source
from tests.conftest import SCENARIO_DIR

LIBRARY = sorted(SCENARIO_DIR.glob("*.yaml"))
P1 = (SCENARIO_DIR / "p1-coat-size.zh.yaml").read_text(encoding="utf-8")


def form_data(tree, **changes: str | list[str]) -> MultiValueDict:
    """What the browser sends for the form face of `tree`, with some fields changed."""
    data = MultiValueDict()
    for name, value in editor.submitted(editor.form_view(tree)):
        data.appendlist(name, value)
    for name, value in changes.items():
        data.setlist(name, value if isinstance(value, list) else [value])
    return data


def name(kind: str, *loc) -> str:
    return editor.wire_name(kind, loc)


def roundtrip(source: str, **changes) -> str:
    tree = editor.load(source)
    editor.apply(tree, form_data(tree, **changes))
    return editor.dump(tree)


def test_the_library_has_thirty_scenarios():
    assert len(LIBRARY) == 30


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.name)
def test_the_form_of_a_library_scenario_writes_back_the_same_document(path):
    source = path.read_text(encoding="utf-8")
    tree = editor.load(source)

    changed = editor.apply(tree, form_data(tree), renames=True)

    assert changed is False  # nothing written: comments, order and layout untouched
    assert parse_source(editor.dump(tree)) == parse_source(source)
    assert editor.form_view(tree).unshown == ()  # the form shows every field of the library


def test_an_edited_field_changes_that_field_only_and_keeps_the_comments():
    out = roundtrip(P1, **{name("text", "persona", "name"): "小雨点"})

    assert parse_source(out).persona.name == "小雨点"
    assert out.startswith("# P1 大衣选哪个码")  # the file's comment survives
    before, after = parse_source(P1), parse_source(out)
    assert after.model_copy(update={"persona": before.persona}) == before


def test_a_number_flag_and_choice_are_written_with_their_types():
    out = parse_source(
        roundtrip(
            P1,
            **{
                name("num", "persona", "patience"): "0.5",
                name("bool", "shop", "policy", "freight_insurance"): ["false", "true"],
                name("choice", "persona", "type"): "decisive",
                name("nchoice", "difficulty"): "3",
            },
        )
    )
    assert (out.persona.patience, out.persona.type, out.difficulty) == (0.5, "decisive", 3)
    assert out.shop.policy.freight_insurance is True


def test_lines_become_the_customers_variants_and_a_single_line_stays_one_line():
    out = roundtrip(
        P1,
        **{
            name("lines", "states", "opening", "say"): "在吗？\r\n\r\n亲，这件怎么选码？",
            name("lines", "states", "waiting_answer", "say"): "嗯嗯",
        },
    )
    script = parse_source(out)
    assert script.states["opening"].say == ["在吗？", "亲，这件怎么选码？"]
    assert script.states["waiting_answer"].say == ["嗯嗯"]


def test_moves_keep_their_order_and_an_added_move_is_appended():
    loc = ("states", "opening", "transitions", 1, "on")
    out = parse_source(roundtrip(P1, **{name("moves", *loc): ["", "ask_open", "listen"]}))
    assert out.states["opening"].transitions[1].on == ["ask_open", "listen"]


def test_a_size_chart_row_and_a_stock_count_are_edited_in_their_tables():
    product = ("shop", "products", 0)
    out = parse_source(
        roundtrip(
            P1,
            **{
                name("pk", *product, "specs"): ["肩宽", "胸围", "衣长", ""],
                name("pv-text", *product, "specs"): [
                    "S 38cm / M 40cm / L 42cm / XL 44cm",
                    "S 96cm / M 100cm / L 104cm / XL 108cm",
                    "S 95cm / M 97cm",
                    "",
                ],
                name("pk", *product, "options"): ["颜色", "尺码", ""],
                name("pv-list", *product, "options"): ["驼色，黑色、灰色", "S, M, L, XL", ""],
            },
        )
    )
    coat = out.shop.products[0]
    assert coat.specs["衣长"] == "S 95cm / M 97cm"
    assert coat.options["颜色"] == ["驼色", "黑色", "灰色"]


def test_a_bad_number_is_kept_and_reported_on_its_line_not_lost():
    out = roundtrip(P1, **{name("num", "shop", "products", 0, "price"): "三百九"})

    script, problems = check_source(out)
    assert script is None
    [problem] = [p for p in problems if p.path == "shop.products[0].price"]
    assert problem.code == "not_number"
    assert out.splitlines()[problem.line - 1].strip() == "price: 三百九"


def test_renaming_a_state_renames_every_reference_to_it():
    tree = editor.load(P1)
    editor.apply(tree, form_data(tree, **{name("key", "states", "doubt"): "unsure"}))
    script = parse_source(editor.dump(tree))

    assert "doubt" not in script.states
    assert list(script.states).index("unsure") == list(parse_source(P1).states).index("doubt")
    targets = [t.to for s in script.states.values() for t in s.transitions]
    assert "unsure" in targets
    assert "doubt" not in targets


def test_a_rename_waits_until_the_form_is_rendered_again():
    tree = editor.load(P1)
    changed = editor.apply(
        tree, form_data(tree, **{name("key", "states", "doubt"): "unsure"}), renames=False
    )
    assert changed is False
    assert "doubt" in tree["states"]


def test_renaming_an_ending_renames_the_states_that_end_with_it():
    tree = editor.load(P1)
    editor.apply(tree, form_data(tree, **{name("key", "endings", "sale"): "bought"}))
    script = parse_source(editor.dump(tree))
    assert "bought" in script.endings
    assert any(s.end == "bought" for s in script.states.values())


def test_fields_the_form_does_not_show_survive_untouched():
    # A field another part of the product may add to the language (engine memory, mood).
    source = P1.replace("  patience: 1.5\n", "  patience: 1.5\n  mood: {anger: 2}\n").replace(
        "      - {on: [ask_open], to: reveal}\n",
        "      - {on: [ask_open], to: reveal, remember: {asked: true}}\n",
        1,
    )
    tree = editor.load(source)
    view = editor.form_view(tree)
    editor.apply(tree, form_data(tree, **{name("text", "title"): "大衣选码"}))
    out = editor.dump(tree)

    assert view.unshown == ("persona.mood", "states.opening.transitions[1].remember")
    assert "  mood: {anger: 2}\n" in out
    assert "{on: [ask_open], to: reveal, remember: {asked: true}}" in out
    assert "title: 大衣选码\n" in out


O1 = (SCENARIO_DIR / "o1-address-gift-note.zh.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("source", "op", "check"),
    [
        (P1, 'add:["shop","products"]', lambda s: len(s["shop"]["products"]) == 2),
        (P1, 'remove:["shop","products",0]', lambda s: s["shop"]["products"] == []),
        (
            P1,
            'add:["states","opening","transitions"]',
            lambda s: s["states"]["opening"]["transitions"][-1] == {"on": ["any"], "to": "opening"},
        ),
        (
            P1,
            'up:["states","opening","transitions",1]',
            lambda s: s["states"]["opening"]["transitions"][0]["on"] == ["ask_open"],
        ),
        (P1, 'add:["order"]', lambda s: s["order"]["items"][0]["sku"] == "A1"),
        (O1, 'remove:["order"]', lambda s: "order" not in s),
        (
            P1,
            'add:["endings"]',
            lambda s: s["endings"]["ending_6"] == {"outcome": "success", "rating": 5},
        ),
    ],
    ids=[
        "add-product",
        "remove-product",
        "add-transition",
        "move-up",
        "add-order",
        "remove-order",
        "add-ending",
    ],
)
def test_add_remove_and_move_up(source, op, check):
    tree = editor.load(source)
    assert editor.operate(tree, op, MultiValueDict()) is True
    assert check(editor.load(editor.dump(tree)))


def test_a_new_state_gets_the_typed_name_and_a_taken_name_is_refused():
    tree = editor.load(P1)
    editor.operate(tree, 'add:["states"]', MultiValueDict({"new_state": ["ask_size"]}))
    assert "ask_size" in tree["states"]

    with pytest.raises(editor.EditError, match="ask_size"):
        editor.operate(tree, 'add:["states"]', MultiValueDict({"new_state": ["ask_size"]}))
    with pytest.raises(editor.EditError):
        editor.operate(tree, 'add:["states"]', MultiValueDict({"new_state": ["问 尺码"]}))


def test_a_new_state_without_transitions_is_reported_until_it_has_one():
    tree = editor.load(P1)
    editor.operate(tree, 'add:["states"]', MultiValueDict({"new_state": ["ask_size"]}))
    _script, problems = check_source(editor.dump(tree))
    assert {p.code for p in problems if p.path == "states.ask_size"} >= {"no_transitions"}


def test_the_source_face_takes_the_source_as_typed_and_the_form_waits_for_readable_yaml():
    broken = P1.replace("  name: 小雨\n", "  name: [小雨\n")

    editing = editor.edit(broken, MultiValueDict(), face="source", op="face:form")

    assert editing.face == "source"  # the form cannot show YAML it cannot read
    assert editing.view is None
    assert editing.source == broken
    assert editing.errors == 1
    assert editing.problems[0].line is not None


def test_names_that_are_not_the_forms_are_ignored():
    tree = editor.load(P1)
    data = form_data(tree)
    data.setlist("text:[not json", ["x"])
    data.setlist('text:[{"a":1}]', ["x"])
    data.setlist("csrfmiddlewaretoken", ["x"])
    assert editor.apply(tree, data) is False


def test_a_problem_is_named_by_the_forms_label_and_its_group():
    out = roundtrip(P1, **{name("num", "shop", "products", 0, "price"): "三百九"})
    tree = editor.load(out)
    view = editor.form_view(tree)
    [product] = [p for p in view.products if p.path == "shop.products[0]"]

    label = view.label_of("shop.products[0].price")

    fields = {f.loc[-1]: f for f in product.fields}
    assert label == f"{fields['name'].value} · {fields['price'].label}"
    assert label != view.label_of("shop.products[0].name")
    # A problem below a field (one variant of a line) is named by that field.
    state = next(iter(tree["states"]))
    assert view.label_of(f"states.{state}.say[1]") == view.label_of(f"states.{state}.say")
    assert view.label_of(f"states.{state}.say").startswith(f"{state} · ")
    assert view.label_of("no_such_key") == ""
