"""A teacher reads a scenario's versions, compares two of them and moves an assignment nobody
started to the newest, on a desktop and a phone: the diff's box scrolls sideways, the page not."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.e2e.test_csp import LISTEN

pytestmark = pytest.mark.e2e

# Run in the server's own database: the teacher's own copy of the coat scenario in two
# versions, and a class of theirs whose assignment still runs version 1.
SETUP = """
from scenarios import services as s
from simulator import services
from simulator.models import Classroom, User
from django.conf import settings
from pathlib import Path
teacher = User.objects.get(username="teacher")
source = (Path(settings.BASE_DIR) / "fixtures/scenarios/p1-coat-size.zh.yaml").read_text("utf-8")
source = source.replace("id: p1-coat-size\\n", "id: {slug}\\n")
first, _ = s.store_scenario(source, owner=teacher)
classroom = Classroom.objects.create(name="{classroom}", instructor=teacher)
services.assign_scenario(classroom, scenario_version=first)
second = source.replace("title: 大衣选哪个码\\n", "title: 大衣选码（店铺新规）\\n").replace(
    "  patience: 1.5\\n", "  patience: 2\\n"
)
second, _ = s.store_scenario(second, owner=teacher)
print(second.scenario_id)
"""


@pytest.mark.parametrize(("width", "height"), [(1440, 900), (390, 844)], ids=["desktop", "phone"])
def test_teacher_compares_versions_and_moves_an_assignment(server, browser, shot, width, height):
    slug, classroom = f"my-coat-{width}", f"电商24{width}班"
    # The shell prints what it imported first; the id is the last line.
    output = server.manage("shell", "-c", SETUP.format(slug=slug, classroom=classroom))
    scenario_id = output.split()[-1]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    context.add_init_script(LISTEN)
    page = context.new_page()
    login(page, server, "teacher")

    page.goto(f"{server.url}/scenarios/{scenario_id}/#versions")
    history = page.locator("#versions")
    expect(page.locator("h1")).to_have_text("大衣选码（店铺新规）")
    expect(history.locator(".history-table tbody tr")).to_have_count(2)
    expect(history.locator(".history-table tbody tr").first).to_contain_text("王老师")
    expect(history.locator(".uses-table")).to_contain_text(classroom)
    history.scroll_into_view_if_needed()
    shot(page, f"30-versions-{width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    history.get_by_role("link", name="与 v1 相比的改动").click()
    expect(page.locator("h1")).to_have_text("从版本 1 到版本 2 的改动")
    expect(page.locator(".diff-added")).to_have_count(2)
    expect(page.locator(".diff-removed").first).to_contain_text("title: 大衣选哪个码")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    box = page.locator(".diff-box")
    if width < 700:
        assert box.evaluate("b => b.scrollWidth > b.clientWidth")  # long lines scroll in the box
    box.scroll_into_view_if_needed()
    shot(page, f"31-version-diff-{width}")

    page.goto(f"{server.url}/scenarios/{scenario_id}/?version=1")
    expect(page.locator('[data-role="older-version"]')).to_contain_text("你正在查看版本 1")
    expect(page.locator("h1")).to_have_text("大衣选哪个码")
    shot(page, f"32-older-version-{width}")

    page.get_by_role("link", name=classroom).first.click()
    row = page.locator(".assignments-table tbody tr").first
    expect(row).to_contain_text("v2 更新")
    row.scroll_into_view_if_needed()
    shot(page, f"33-classroom-versions-{width}")

    page.goto(f"{server.url}/scenarios/{scenario_id}/#versions")
    page.locator("#versions").get_by_role("button", name="改用 v2").click()
    expect(page.locator(".flash-success")).to_contain_text(
        "的任务已改用“大衣选码（店铺新规）”的版本 2。"
    )
    expect(page.locator(".uses-table")).to_contain_text("已是最新")
    # In English every word of the page but the scenario's own is English.
    page.get_by_role("button", name="English").click()
    page.goto(f"{server.url}/scenarios/{scenario_id}/diff/?old=2&new=1")
    expect(page.locator("h1")).to_have_text("Changes from version 2 to version 1")
    expect(page.locator(".diff-summary")).to_contain_text("2 lines added")
    shot(page, f"34-version-diff-en-{width}")
    page.get_by_role("button", name="简体中文").click()
    assert page.evaluate("window.__violations") == []
    context.close()
