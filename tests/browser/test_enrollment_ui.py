"""工会会员专享基本保障, 集中参保 from the grassroots union to the insurer, in headless Chromium
against the whole local stack (the reference social-security adapter answers the checks).

The demo grassroots clerk (jiceng) asks the register for its members' SS cards and employment in
集中参保待确认名单 and confirms them all (the SS-card channel: the demo roster holds no service card),
chooses A类 in 集中参保办理 — 26 元 a member = 市总 13 + 区局 13 + 基层 0 (manual 000) — and submits
to the upper union; the secondary union (erji) adds it to 待提交 in 参保审核; the district (quju)
sends 待提交参保列表 to the insurer with its handler: refused while 集中参保提交至职保中心 is not open,
accepted once the city has opened it; 参保批次管理 shows the batch CB… with the persons and the
premium. Last, the grassroots clerk's list is with the insurer and cannot be submitted again.

The year is next year (the one the screens pick in November); the city sets its windows around now
(collective and review open, the insurer's window opened during the test) and puts back the
manual's calendar (`enrollment.demo`) at the end. A screenshot of every step lands in
tests/artifacts/browser/.
"""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from enrollment.demo import PROGRAMME, member_basic_year
from runtime.clock import SHANGHAI

if TYPE_CHECKING:  # conftest.py is not importable as a module: its fixture `ui` hands the helpers over
    from conftest import UI

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

YEAR = datetime.now(SHANGHAI).year + 1  # collective enrollment runs in the year before
YEAR_PATH = f"/api/enrollment/programmes/{PROGRAMME}/years/{YEAR}"
A_PREMIUM, A_CITY, A_DISTRICT, A_GRASSROOTS = 2600, 1300, 1300, 0  # fen: A类 26 元 = 13 + 13 + 0
A_NAME = "A类会员专享基本保障"
HANDLER = {"name": "李经办", "phone": "13912345678", "email": "lijingban@example.com"}
ROSTER_TIMEOUT = 180.0  # the demo roster reaches the enrollment service's projection after the runner is up
CHECK_TIMEOUT = 90.0  # the social-security adapter answers in ~1 s
BATCH_NO = re.compile(r"^CB\d{12}$")  # CB + YYYYMMDD + 4 digits


def open_menu(page: Page, key: str) -> None:
    page.locator(f'[data-test="menu-{key}"]').click()
    expect(page).to_have_url(re.compile(rf"/{key}$"))


def shown_year(page: Page) -> None:
    """The page's 保障年度 is the year enrolled (the picker's default)."""
    expect(page.locator('[data-test="year-select"]')).to_contain_text(f"{YEAR}年")


def calendar(*, insurer_open: bool) -> dict[str, Any]:
    """The manual's year with 集中参保提交 and 集中参保审核 open now and 集中参保提交至职保中心 opening
    later (insurer_open=False) or open now — as the city sets it in 项目与保障类型."""
    year: dict[str, Any] = member_basic_year(YEAR).model_dump(mode="json")
    now = datetime.now(SHANGHAI).replace(microsecond=0)
    day = timedelta(days=1)
    around_now = {"opens_at": (now - day).isoformat(), "closes_at": (now + 30 * day).isoformat()}
    later = {"opens_at": (now + 30 * day).isoformat(), "closes_at": (now + 36 * day).isoformat()}
    year["windows"] |= {
        "collective": around_now,
        "review": around_now,
        "district_submit": around_now if insurer_open else later,
    }
    return year


def set_year(ui: UI, body: dict[str, Any]) -> None:
    with ui.stack.api_login("shizong") as http:
        r = http.put(YEAR_PATH, json=body)
        assert r.status_code == 200, r.text


def wait_for_roster(http: httpx.Client, org_id: int) -> int:
    """Every active member of the clerk's union is in the enrollment service's projection."""
    deadline = time.monotonic() + ROSTER_TIMEOUT
    while True:
        members = http.get("/api/members", params={"org_id": org_id, "size": 1})
        overview = http.get(f"{YEAR_PATH}/collective")
        assert members.status_code == 200, members.text
        assert overview.status_code == 200, overview.text
        total, known = members.json()["total"], overview.json()["counts"]["total_members"]
        if total and known == total:
            return int(total)
        assert time.monotonic() < deadline, f"enrollment knows {known} of the union's {total} members"
        time.sleep(2)


def wait_for_answers(http: httpx.Client, asked: int) -> None:
    """The register has answered for every member asked (their 校验时间 is set)."""
    deadline = time.monotonic() + CHECK_TIMEOUT
    while True:
        r = http.get(f"{YEAR_PATH}/collective/members", params={"size": 500})
        assert r.status_code == 200, r.text
        answered = sum(1 for m in r.json()["items"] if m["checked_at"])
        if answered >= asked:
            return
        assert time.monotonic() < deadline, f"the register answered {answered} of {asked} members"
        time.sleep(1)


def yuan(fen: int) -> str:
    """As the screens show money (lib/money.ts)."""
    return str(fen // 100) if fen % 100 == 0 else f"{fen / 100:.2f}"


@pytest.fixture
def enrollment_year(ui: UI) -> Any:
    """The year's windows around now for the test; the manual's calendar again afterwards."""
    set_year(ui, calendar(insurer_open=False))
    try:
        yield YEAR
    finally:
        set_year(ui, member_basic_year(YEAR).model_dump(mode="json"))


def test_collective_enrollment_from_the_grassroots_union_to_the_insurer(  # noqa: PLR0915 - one flow, step by step
    ui: UI, enrollment_year: int
) -> None:
    with ui.stack.api_login("jiceng") as http:
        union_id = http.get("/api/me").json()["org_id"]
        union_name = http.get(f"/api/orgs/{union_id}").json()["name"]
        wait_for_roster(http, union_id)

    # --- jiceng: 集中参保待确认名单 — 获取社保卡和就业状态, then 全部确认 --------------------------------------
    clerk = ui.page()
    ui.login(clerk, "jiceng")
    open_menu(clerk, "enrollment-confirmations")
    shown_year(clerk)
    with clerk.expect_response(lambda r: r.url.endswith("/collective/checks") and r.request.method == "POST") as a:
        clerk.locator('[data-test="confirm-check"]').click()
    assert a.value.status == 202, a.value.text()
    asked = a.value.json()["members"]
    assert asked > 0, a.value.text()
    expect(ui.message(clerk)).to_contain_text(f"已提交 {asked} 人的社保卡和就业状态校验")
    with ui.stack.api_login("jiceng") as http:
        wait_for_answers(http, asked)
    pending = ui.rows(clerk.locator('[data-test="collective-roster-table"]'))
    with clerk.expect_response(lambda r: "/collective/members?" in r.url) as a:
        clerk.get_by_role("button", name="刷新").click()
    waiting = a.value.json()["total"]
    assert waiting > 0, "nobody holds an SS card: nobody waits for confirmation"
    expect(pending.first).to_be_visible()
    ui.shot(clerk, "confirmations-checked")
    clerk.locator('[data-test="confirm-all"]').click()
    with clerk.expect_response(lambda r: r.url.endswith("/collective/confirmations")) as a:
        ui.confirm(clerk)
    assert a.value.status == 200 and a.value.json() == {"count": waiting}, a.value.text()
    expect(ui.message(clerk)).to_contain_text(f"已确认 {waiting} 人")
    expect(pending).to_have_count(0)

    # --- jiceng: 集中参保办理 — A类, the premium and its split for the insured, 提交至上级审核 --------------
    open_menu(clerk, "enrollment-collective")
    shown_year(clerk)
    with clerk.expect_response(lambda r: "/collective?" in r.url and "type_code=A" in r.url) as a:
        ui.pick(clerk, clerk.locator('[data-test="collective-type"]'), f"{A_NAME}（26元/人）")
    overview = a.value.json()
    persons = overview["counts"]["insured"]
    # everyone confirmed is insured, by one channel or the other (a confirmed member may hold a service
    # card by now: the card tests of the same session issue some)
    counts = overview["counts"]
    assert persons >= waiting and counts["member_card"] + counts["ss_card"] == persons, counts
    assert overview["premium"] == {
        "amount_fen": A_PREMIUM * persons,
        "city_fen": A_CITY * persons,
        "district_fen": A_DISTRICT * persons,
        "grassroots_fen": A_GRASSROOTS * persons,
    }, overview["premium"]
    summary = clerk.locator('[data-test="collective-summary"]')
    expect(summary.locator('[data-test="collective-insured"]')).to_have_text(str(persons))
    expect(summary.locator('[data-test="collective-premium"]')).to_have_text(yuan(A_PREMIUM * persons))
    expect(summary).to_contain_text(
        f"市总统一划拨：{yuan(A_CITY * persons)}元；区局/各级工会缴费：{yuan(A_DISTRICT * persons)}元；"
        f"基层单位缴费：{yuan(A_GRASSROOTS * persons)}元"
    )
    ui.shot(clerk, "collective-type-chosen")
    clerk.locator('[data-test="collective-submit"]').click()
    expect(clerk.locator(".el-message-box")).to_contain_text(
        f"参保人数 {persons} 人，保障费用 {yuan(A_PREMIUM * persons)} 元"
    )
    submissions = lambda r: r.url.endswith("/collective/submissions") and r.request.method == "POST"  # noqa: E731
    with clerk.expect_response(submissions) as a:
        ui.confirm(clerk)
    assert a.value.status == 201, a.value.text()
    sent = a.value.json()
    assert (sent["persons"], sent["amount_fen"], sent["type_code"]) == (persons, A_PREMIUM * persons, "A"), sent
    expect(ui.message(clerk)).to_contain_text(f"已提交 {persons} 人至上级工会审核")
    expect(clerk.locator('[data-test="collective-last"]')).to_contain_text(
        f"{A_NAME}，{persons} 人，{yuan(A_PREMIUM * persons)} 元，状态：待审核"
    )
    ui.shot(clerk, "collective-submitted")

    # --- erji: 参保审核 — 添加 our union's submission to 待提交 --------------------------------------------
    reviewer = ui.page()
    ui.login(reviewer, "erji")
    open_menu(reviewer, "enrollment-reviews")
    shown_year(reviewer)
    # one submission per channel (社保卡参保 here; 会员卡参保 too once members hold a service card)
    channels = {"会员卡参保": overview["counts"]["member_card"], "社保卡参保": overview["counts"]["ss_card"]}
    channels = {name: count for name, count in channels.items() if count}
    review_table = reviewer.locator('[data-test="enrollment-review-pending-table"]')
    ours = ui.rows(review_table).filter(has_text=union_name)
    expect(ours).to_have_count(len(channels))
    for channel, count in channels.items():
        row = ours.filter(has_text=channel)
        expect(row).to_contain_text(A_NAME)
        expect(row.locator("td").nth(5)).to_have_text(str(count))  # 参保人数
        expect(row.locator("td").nth(7)).to_have_text(yuan(A_PREMIUM * count))  # 保障费用(元)
        # 提交人: the clerk's account name (the demo names it after its union), not the account's id
        expect(row.locator("td").nth(8)).to_contain_text(f"{union_name}管理员")
    ui.shot(reviewer, "review-pending")
    for left in range(len(channels), 0, -1):
        with reviewer.expect_response(lambda r: r.url.endswith("/review/stage")) as a:
            ours.first.locator('[data-test="enrollment-review-stage-one"]').click()
        assert a.value.status == 200 and a.value.json() == {"count": 1}, a.value.text()
        expect(ui.message(reviewer)).to_contain_text("已添加 1 条至待提交参保列表")
        expect(ours).to_have_count(left - 1)

    # --- quju: 待提交参保列表 — 提交至职保中心, refused before its window, accepted inside it ---------------
    district = ui.page()
    ui.login(district, "quju")
    open_menu(district, "enrollment-staged")
    shown_year(district)
    staged = ui.rows(district.locator('[data-test="staged-table"]')).filter(has_text=union_name)
    expect(staged).to_have_count(len(channels))
    expect(district.locator('[data-test="staged-totals"]')).to_contain_text(
        f"合计参保人数：{persons}人（会员卡参保人数{overview['counts']['member_card']}人，"
        f"社保卡参保人数{overview['counts']['ss_card']}人）。保障费用：{yuan(A_PREMIUM * persons)}元；"
        f"市总统一划拨：{yuan(A_CITY * persons)}元；区局/各级工会缴费：{yuan(A_DISTRICT * persons)}元；"
        f"基层单位缴费：{yuan(A_GRASSROOTS * persons)}元"
    )
    ui.shot(district, "staged")
    district.locator('[data-test="staged-submit"]').click()
    dialog = district.locator('[data-test="enrollment-batch-submit-dialog"]')
    expect(dialog).to_be_visible()
    for key, value in HANDLER.items():
        dialog.locator(f'[data-test="enrollment-batch-handler-{key}"]').fill(value)
    batches = lambda r: r.url.endswith("/api/enrollment/batches") and r.request.method == "POST"  # noqa: E731
    with district.expect_response(batches) as a:
        dialog.locator('[data-test="enrollment-batch-submit"]').click()
    assert a.value.status == 409 and a.value.json()["code"] == "window.not_open", a.value.text()
    expect(dialog.locator('[data-test="enrollment-batch-submit-error"]')).to_contain_text(
        "集中参保提交至职保中心尚未开始"
    )
    ui.shot(district, "batch-refused-before-window")

    set_year(ui, calendar(insurer_open=True))  # the city opens the insurer's window now
    with district.expect_response(batches) as a:
        dialog.locator('[data-test="enrollment-batch-submit"]').click()
    assert a.value.status == 201, a.value.text()
    batch = a.value.json()
    assert BATCH_NO.match(batch["batch_no"]), batch
    assert (batch["persons"], batch["amounts"]["amount_fen"], batch["state"]) == (
        persons,
        A_PREMIUM * persons,
        "待缴费",
    ), batch
    by_type = [{"code": "A", "name": A_NAME, "persons": persons, "amount_fen": A_PREMIUM * persons}]
    assert batch["by_type"] == by_type, batch
    expect(dialog).to_be_hidden()
    expect(ui.message(district)).to_contain_text(f"已提交至职保中心，批次编号 {batch['batch_no']}")
    expect(staged).to_have_count(0)

    # --- quju: 参保批次管理 — the batch with its persons, premium and split -------------------------------
    open_menu(district, "enrollment-batches")
    district.locator('[data-test="enrollment-batch-filter-no"]').fill(batch["batch_no"])
    with district.expect_response(lambda r: "/api/enrollment/batches?" in r.url) as a:
        district.locator('[data-test="enrollment-batch-search"]').click()
    assert [b["batch_no"] for b in a.value.json()["items"]] == [batch["batch_no"]], a.value.text()
    row = ui.rows(district.locator('[data-test="enrollment-batch-table"]')).filter(has_text=batch["batch_no"])
    expect(row).to_have_count(1)
    expect(row).to_contain_text(
        f"{persons}（会员卡 {overview['counts']['member_card']} / 社保卡 {overview['counts']['ss_card']}）"
    )
    expect(row.locator("td").nth(5)).to_have_text(yuan(A_PREMIUM * persons))  # 保障费用(元)
    expect(row).to_contain_text(f"{YEAR}-01-20")  # the district pays the insurer by Jan 20 of the year
    expect(row).to_contain_text("待缴费")
    expect(row).to_contain_text(HANDLER["name"])
    assert HANDLER["phone"] not in row.inner_text()  # masked
    ui.shot(district, "batch-listed")
    with district.expect_response(lambda r: f"/batches/{batch['batch_no']}/lines" in r.url) as a:
        row.locator('[data-test="enrollment-batch-open"]').click()
    assert a.value.json()["total"] == persons, a.value.text()
    detail = district.locator('[data-test="enrollment-batch-detail"]')
    expect(detail).to_contain_text(
        f"市总统一划拨 {yuan(A_CITY * persons)} 元；区局/各级工会缴费 {yuan(A_DISTRICT * persons)} 元；"
        f"基层单位缴费 {yuan(A_GRASSROOTS * persons)} 元"
    )
    expect(detail).to_contain_text(f"{A_NAME} {persons} 人 {yuan(A_PREMIUM * persons)} 元")
    expect(district.locator('[data-test="lines-table"] .el-table__body tr.el-table__row').first).to_be_visible()
    ui.shot(district, "batch-detail")

    # --- jiceng: the list is with the insurer — submitting it again is refused ----------------------------
    clerk.reload()  # the clerk's screen is still the one it submitted from
    expect(clerk.locator('[data-test="collective-last"]')).to_contain_text("状态：待缴费")
    clerk.locator('[data-test="collective-submit"]').click()
    with clerk.expect_response(submissions) as a:
        ui.confirm(clerk)
    assert a.value.status == 409 and a.value.json()["code"] == "collective.frozen", a.value.text()
    expect(ui.message(clerk, "error")).to_have_text(
        "本单位的集中参保信息已由区局（产业）工会提交至职保中心，不能再修改；请按即时参保流程办理"
    )
    ui.shot(clerk, "collective-frozen")

    assert ui.failed_calls[clerk] == [f"409 POST {ui.stack.gateway}{YEAR_PATH}/collective/submissions"]
    assert ui.failed_calls[district] == [f"409 POST {ui.stack.gateway}/api/enrollment/batches"]
    assert not ui.failed_calls[reviewer], ui.failed_calls[reviewer]
