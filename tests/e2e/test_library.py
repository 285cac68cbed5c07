"""A teacher browses the scenario library, filters it, and previews a scenario on a desktop and
a phone: the diagram's box scrolls sideways, the page does not, and the policy blocks nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.e2e.test_csp import LISTEN

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(("width", "height"), [(1440, 900), (390, 844)], ids=["desktop", "phone"])
def test_teacher_filters_the_library_and_previews_a_scenario(server, browser, shot, width, height):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    context.add_init_script(LISTEN)
    page = context.new_page()
    login(page, server, "teacher")

    page.locator(".topnav").get_by_role("link", name="情景库").click()
    expect(page.locator("h1")).to_have_text("情景库")
    every = page.locator(".library-table tbody tr").count()
    page.select_option("#id_kind", "pre_sale")
    page.select_option("#id_shop_type", "clothing")
    # htmx swaps the rows and keeps the filters in the address.
    expect(page.locator('tr[data-scenario="p1-coat-size"]')).to_be_visible()
    expect(page.locator('tr[data-scenario="a1-wrong-colour"]')).to_have_count(0)
    assert 0 < page.locator(".library-table tbody tr").count() < every
    assert "kind=pre_sale" in page.url
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shot(page, f"20-library-{width}")

    page.locator('tr[data-scenario="p1-coat-size"] a').click()
    expect(page.locator("h1")).to_have_text("大衣选哪个码")
    expect(page.locator('[data-role="first-message"]')).to_contain_text("这款大衣我160")
    nodes = page.locator("svg.flow .flow-node")
    expect(nodes).to_have_count(18)
    expect(page.locator('svg.flow [data-state="opening"] .flow-name')).to_have_text("opening")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    box = page.locator(".flow-box")
    box.scroll_into_view_if_needed()
    start = page.locator("svg.flow .flow-node.is-start rect")
    if width < 700:
        # Wider than the phone: the box scrolls, and opens on the start state.
        assert box.evaluate("b => b.scrollWidth > b.clientWidth")
        assert box.evaluate("b => b.scrollLeft") > 0
    box_edges, start_edges = box.bounding_box(), start.bounding_box()
    assert box_edges["x"] <= start_edges["x"]
    assert start_edges["x"] + start_edges["width"] <= box_edges["x"] + box_edges["width"]
    shot(page, f"21-scenario-flow-{width}")

    page.locator('svg.flow [data-state="opening"] a').first.click()
    expect(page.locator("#step-opening")).to_be_in_viewport()
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, f"22-scenario-top-{width}")

    # Assign it from here: the class's page opens with this scenario chosen.
    title = page.locator("h1").inner_text()
    page.locator("[data-role=assign-to] summary").click()
    menu = page.locator(".assign-to-list")
    expect(menu).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shot(page, f"23-scenario-assign-to-{width}")
    menu.get_by_role("link").first.click()
    chosen = page.locator("select[name=scenario_version] option:checked")
    expect(chosen).to_contain_text(title)
    assert page.evaluate("window.__violations") == []
    context.close()


def test_a_student_cannot_open_the_library(server, browser):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    login(page, server, "student01")

    assert page.locator(".topnav").get_by_role("link", name="情景库").count() == 0
    response = page.goto(server.url + "/scenarios/")
    assert response.status == 404
    context.close()
