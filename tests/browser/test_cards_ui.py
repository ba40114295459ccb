"""会员服务卡 in headless Chromium against the whole local stack (cards with the reference bank and
social-security adapters), as the demo grassroots clerk (jiceng) whose union has the demo roster's
关联企业类 members: in 卡片信息管理 pick 未办卡 members (their member numbers arrive asynchronously)
and 加入待办; in 待办会员列表 提交系统校验 and watch the progress bar until the adapter's answers are in
(~1 s), remove those 未通过, 提交办卡 with the dialog and read the new batch number; find the batch in
办卡批次管理, wait for the bank's answers (~2–3 s) and see each member's outcome in its detail, open
打印清册 (the PDF in the page); back in 卡片信息管理 the members are 已办卡 with a masked card number.
A screenshot of every step lands in tests/artifacts/browser/.
"""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import Locator, Page, expect

if TYPE_CHECKING:  # conftest.py is not importable as a module: its fixture `ui` hands the helpers over
    from conftest import UI

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

CHOSEN = 5  # members taken through the flow
ELIGIBLE_TIMEOUT = 180.0  # the demo roster is numbered by the members service after the runner is up
CHECK_TIMEOUT_MS = 60_000  # the social-security adapter answers in ~1 s
BANK_TIMEOUT = 90.0  # the bank adapter answers each card in 2–3 s
MASKED_CARD = re.compile(r"^\d{4} \*{4} \*{4} \d{4}$")
OUTLET = {
    "batch-branch": "工商银行黄浦支行",
    "batch-outlet": "南京东路网点",
    "batch-outlet-address": "上海市黄浦区南京东路100号",
    "batch-contact": "王老师",
    "batch-contact-phone": "13900001111",
}


def open_menu(page: Page, key: str, path: str) -> None:
    page.locator(f'[data-test="menu-{key}"]').click()
    expect(page).to_have_url(re.compile(rf"{path}$"))


def wait_for_eligible(ui: UI) -> None:
    """At least CHOSEN of jiceng's members can be added (numbered, 未办卡)."""
    deadline = time.monotonic() + ELIGIBLE_TIMEOUT
    with ui.stack.api_login("jiceng") as http:
        while True:
            r = http.get("/api/cards/cards", params={"status": "未办卡", "size": 200})
            addable = [c for c in r.json()["items"] if c["addable"]] if r.status_code == 200 else []
            if len(addable) >= CHOSEN:
                return
            assert time.monotonic() < deadline, f"only {len(addable)} addable members of jiceng: {r.text[:300]}"
            time.sleep(2)


def cards_listed(page: Page, status: str, name: str = "") -> dict[str, Any]:
    """卡片信息管理 searched by 办理状态 (and name); the list's answer."""
    page.locator('[data-test="card-filter-name"]').fill(name)
    with page.expect_response(lambda r: "/api/cards/cards?" in r.url and r.request.method == "GET") as answer:
        page.locator('[data-test="card-search"]').click()
    assert answer.value.status == 200, answer.value.text()
    body = answer.value.json()
    assert all(c["status"] == status for c in body["items"]), body["items"][:3]
    return body


def checkable(table: Locator, ui: UI) -> Locator:
    return ui.rows(table).filter(has=table.page.locator(".el-checkbox:not(.is-disabled)"))


def test_cards_from_未办卡_to_已办卡_by_the_grassroots_clerk(ui: UI) -> None:  # noqa: PLR0915 - one flow, step by step
    wait_for_eligible(ui)
    page = ui.page()
    ui.login(page, "jiceng")

    # 卡片信息管理: 未办卡 members, the first CHOSEN selectable rows → 加入待办
    open_menu(page, "card-info", "/card-info")
    ui.pick(page, page.locator('[data-test="card-filter-status"]'), "未办卡")
    cards_listed(page, "未办卡")
    table = page.locator('[data-test="card-table"]')
    rows = checkable(table, ui)
    expect(rows.first).to_be_visible()
    assert rows.count() >= CHOSEN, rows.count()
    names = []
    for i in range(CHOSEN):
        rows.nth(i).locator(".el-checkbox").click()
        names.append(rows.nth(i).locator("td:nth-child(3)").inner_text().strip())
    expect(page.locator('[data-test="card-add"]')).to_contain_text(f"（{CHOSEN}）")
    ui.shot(page, "card-info-selected")
    with page.expect_response(lambda r: r.url.endswith("/api/cards/cards/pending") and r.request.method == "POST") as a:
        page.locator('[data-test="card-add"]').click()
    assert a.value.status == 201 and a.value.json() == {"added": CHOSEN}, a.value.text()
    expect(ui.message(page)).to_contain_text(f"已将 {CHOSEN} 名会员加入待办")

    # 待办会员列表: 提交系统校验 for our rows, the progress bar until the adapter has answered
    open_menu(page, "card-pending", "/card-pending")
    pending = page.locator('[data-test="pending-table"]')
    ours = ui.rows(pending).filter(has_text=re.compile("|".join(map(re.escape, names))))
    expect(ours).to_have_count(CHOSEN)
    for i in range(CHOSEN):
        ours.nth(i).locator(".el-checkbox").click()
    with page.expect_response(lambda r: r.url.endswith("/api/cards/pending/checks")) as a:
        page.locator('[data-test="pending-check"]').click()
    assert a.value.status == 202 and a.value.json()["rows"] == CHOSEN, a.value.text()
    progress = page.locator('[data-test="pending-progress"]')
    expect(progress.locator('[data-test="pending-progress-bar"]')).to_be_visible()
    ui.shot(page, "pending-checking")
    expect(progress).to_contain_text("校验中 0 人", timeout=CHECK_TIMEOUT_MS)
    expect(ours.locator('[data-test="pending-check-state"]', has_text="校验中")).to_have_count(0)
    ui.shot(page, "pending-checked")
    states = ours.locator('[data-test="pending-check-state"]').all_inner_texts()
    assert "已通过" in states, f"no member passed the social-security check: {states}"

    # 移除全部校验未通过及未校验会员 (whatever else waits unchecked goes too), then 提交办卡 is open
    if any(s != "已通过" for s in states) or "未校验 0 人" not in progress.inner_text():
        page.locator('[data-test="pending-remove-unready"]').click()
        with page.expect_response(lambda r: r.url.endswith("/api/cards/pending/remove-unready")) as a:
            ui.confirm(page)
        assert a.value.status == 200, a.value.text()
    passed = states.count("已通过")
    expect(progress).to_contain_text(f"待办会员共 {passed} 人：校验通过 {passed} 人")
    submit = page.locator('[data-test="pending-submit"]')
    expect(submit).to_be_enabled()
    submit.click()
    dialog = page.locator('[data-test="batch-submit-dialog"]')
    expect(dialog).to_be_visible()
    for field, value in OUTLET.items():
        dialog.locator(f'[data-test="{field}"]').fill(value)
    ui.shot(page, "batch-submit-dialog")
    with page.expect_response(lambda r: r.url.endswith("/api/cards/batches") and r.request.method == "POST") as a:
        dialog.locator('[data-test="batch-submit"]').click()
    assert a.value.status == 201, a.value.text()
    assert a.value.request.headers.get("idempotency-key"), "a retried submission must be recognisable"
    batch = a.value.json()
    assert batch["total"] == passed and re.fullmatch(r"cb-\d{15}", batch["batch_no"]), batch
    expect(dialog.locator('[data-test="batch-submit-no"]')).to_have_text(batch["batch_no"])
    ui.shot(page, "batch-submitted")
    dialog.locator('[data-test="batch-submit-close"]').click()
    expect(dialog).to_be_hidden()
    expect(ours).to_have_count(0)

    # 办卡批次管理: the batch, the bank's answers, the detail and 打印清册
    open_menu(page, "card-batches", "/card-batches")
    page.locator('[data-test="batch-filter-no"]').fill(batch["batch_no"])
    row = ui.rows(page.locator('[data-test="batch-table"]')).filter(has_text=batch["batch_no"])
    finished = wait_for_bank(page, row)
    expect(row).to_contain_text(OUTLET["batch-outlet-address"])
    ui.shot(page, "batch-answered")
    row.locator('[data-test="batch-open"]').click()
    drawer = page.locator('[data-test="batch-detail"]')
    outcomes = drawer.locator('[data-test="batch-card-outcome"]')
    expect(outcomes).to_have_count(passed)
    assert set(outcomes.all_inner_texts()) <= {"已办卡", "办卡失败"}
    assert finished["issued_count"] >= 1, f"the bank issued no card of {finished}"
    ui.shot(page, "batch-detail")
    drawer.locator(".el-drawer__close-btn").click()
    expect(drawer).to_be_hidden()

    with page.expect_response(lambda r: r.url.endswith("/roster.pdf")) as a:
        row.locator('[data-test="batch-roster"]').click()
    assert a.value.status == 200 and a.value.headers["content-type"] == "application/pdf", a.value.status
    roster = page.locator('[data-test="roster-dialog"]')
    expect(roster.locator('[data-test="roster-frame"]')).to_have_attribute("src", re.compile(r"^blob:"))
    pdf_path = f"/api/cards/batches/{batch['batch_no']}/roster.pdf"
    expect(roster.locator('[data-test="roster-open"]')).to_have_attribute("href", pdf_path)
    pdf = page.request.get(pdf_path)  # what 新窗口打开 and the viewer get, with this session
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF"), pdf.status
    assert pdf.headers["content-disposition"].startswith("inline")
    page.wait_for_timeout(1000)  # the viewer draws the first page
    ui.shot(page, "roster-preview")
    with page.expect_download() as download:
        roster.locator('[data-test="roster-xlsx"]').click()
    assert download.value.suggested_filename == f"办卡清册-{batch['batch_no']}.xlsx"
    roster.locator(".el-dialog__headerbtn").click()
    expect(roster).to_be_hidden()

    # 卡片信息管理: the issued members are 已办卡 with a masked card number
    issued = [c["name"] for c in batch_cards(page, batch["batch_no"]) if c["outcome"] == "已办卡"]
    open_menu(page, "card-info", "/card-info")
    ui.pick(page, page.locator('[data-test="card-filter-status"]'), "已办卡")
    listed = cards_listed(page, "已办卡", issued[0])
    mine = [c for c in listed["items"] if c["batch_no"] == batch["batch_no"]]
    assert mine and all(MASKED_CARD.match(c["card_number"]) for c in mine), mine
    card_row = ui.rows(page.locator('[data-test="card-table"]')).filter(has_text=batch["batch_no"]).first
    expect(card_row.locator('[data-test="card-status"]')).to_have_text("已办卡")
    expect(card_row).to_contain_text(mine[0]["card_number"])
    ui.shot(page, "card-issued")
    assert not ui.failed_calls[page], ui.failed_calls[page]


def wait_for_bank(page: Page, row: Locator) -> dict[str, Any]:
    """Search the batch until the bank has answered every card (办理状态 已完成); its list entry."""
    deadline = time.monotonic() + BANK_TIMEOUT
    while True:
        with page.expect_response(lambda r: "/api/cards/batches?" in r.url) as answer:
            page.locator('[data-test="batch-search"]').click()
        (found,) = answer.value.json()["items"]
        if found["state"] == "已完成":
            expect(row.locator('[data-test="batch-state"]')).to_have_text("已完成")
            return found  # type: ignore[no-any-return]
        assert time.monotonic() < deadline, f"the bank never finished the batch: {found}"
        page.wait_for_timeout(1000)


def batch_cards(page: Page, batch_no: str) -> list[dict[str, Any]]:
    r = page.request.get(f"/api/cards/batches/{batch_no}")
    assert r.status == 200, r.text()
    return r.json()["cards"]  # type: ignore[no-any-return]
