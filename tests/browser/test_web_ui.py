"""The web UI in headless Chromium against the whole local stack (`tools/run.py`, demo city and logins).

Each test logs in through the login page with the real captcha (its answer read from Redis), works
the screens as a clerk would and checks the outcome against the services' APIs. A screenshot of
every step lands in tests/artifacts/browser/.
"""

from __future__ import annotations

import re
import secrets
from typing import TYPE_CHECKING

import httpx
import pytest
from playwright.sync_api import Page, expect

from runtime.identity import make_uscc

if TYPE_CHECKING:  # conftest.py is not importable as a module: its fixture `ui` hands the helpers over
    from conftest import UI

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

# The sidebar of each demo login (services/gateway/src/gateway/domain/access.py, MENUS).
MEMBER_MENUS = {"members", "member-imports", "member-reviews", "member-compares"}
# 会员服务卡: every union; 撤销申请审核 for the district union and the platform.
CARD_MENUS = {"card-info", "card-pending", "card-batches"}
CARD_REVIEW = {*CARD_MENUS, "card-revocations"}
# 会员专享保障: the city configures, districts set splits and send batches, upper unions review,
# grassroots unions enrol, the insurer reads the batches.
ENROLL_CITY = {"enrollment-programmes", "enrollment-submissions", "enrollment-batches"}
ENROLL_REVIEW = {"enrollment-reviews", "enrollment-staged", "enrollment-submissions", "enrollment-batches"}
ENROLL_DISTRICT = {"enrollment-splits", *ENROLL_REVIEW}
ENROLL_GRASSROOTS = {
    "enrollment-confirmations",
    "enrollment-collective",
    "enrollment-instant",
    "enrollment-submissions",
}
PLATFORM_MENUS = {
    "workbench",
    "orgs",
    "org-info",
    "enterprises",
    "accounts",
    "registrations",
    "password-resets",
    "audit",
    *MEMBER_MENUS,
    *CARD_REVIEW,
    *ENROLL_CITY,
}
# 互助保障 参保编码: units apply, the insurer (and the admin) reviews
MUTUAL_AID_ORDER = ["mutual-aid-code-applications", "mutual-aid-handler", "mutual-aid-name-changes"]
MUTUAL_AID_UNIT = set(MUTUAL_AID_ORDER)
MUTUAL_AID_REVIEW = {"mutual-aid-code-review", "mutual-aid-name-change-review"}
# 互助保障 参保批次: units enrol, upper unions and the city read, the insurer (and the admin) also reviews
MA_BATCHES, MA_BATCH_REVIEW = {"mutual-aid-batches"}, {"mutual-aid-batches", "mutual-aid-batch-review"}
# 互助保障 年度设置: the city (and the admin) sets the rules; the insurer (and the admin) loads the year's files
MA_YEARS, MA_LOADS = {"mutual-aid-years"}, {"mutual-aid-suggested", "mutual-aid-headcounts"}
UNION_MENUS = {"workbench", "orgs", "org-info", "accounts", *MEMBER_MENUS, *CARD_MENUS}
# 缴费管理: payers follow their payables, vouchers, refunds and receipts; the insurer (and the admin)
# also reviews vouchers and keeps the receiving accounts; 对账 is both's
BILLING_PAYER_ORDER = [
    *("billing-payables", "billing-vouchers", "billing-refunds", "billing-receipts"),
    "billing-reconciliation",
]
BILLING_PAYER = set(BILLING_PAYER_ORDER)
BILLING_INSURER = {
    *("billing-payables", "billing-review", "billing-refunds", "billing-receipts", "billing-accounts"),
    "billing-reconciliation",
}
# 退休住院计划 预派账号 (tuixiu+参保编码): the insurer (and the admin) lists them and resets one
RETIREE_ACCOUNTS = {"retiree-accounts"}
# 退休住院计划: units work their batches (参保办理) and follow them (参保批次); upper unions and the city read the
# batches, the city sets a year; the insurer (and the admin) reviews, loads units and reviews name changes
RETIREE_UNIT_ORDER = ["retiree-enrol", "retiree-batches"]
RT_UNIT, RT_READ, RT_YEARS = set(RETIREE_UNIT_ORDER), {"retiree-batches"}, {"retiree-years"}
RT_INSURER = {"retiree-batches", "retiree-review", "retiree-units", "retiree-name-changes"}
MENUS_OF = {
    "admin": PLATFORM_MENUS
    | MUTUAL_AID_REVIEW
    | MA_BATCH_REVIEW
    | BILLING_INSURER
    | RETIREE_ACCOUNTS
    | MA_YEARS
    | MA_LOADS
    | RT_INSURER
    | RT_YEARS,
    # enterprise accounts are the platform admin's alone
    "shizong": PLATFORM_MENUS - {"password-resets"} | MA_BATCHES | BILLING_PAYER | MA_YEARS | RT_READ | RT_YEARS,
    "quju": UNION_MENUS | CARD_REVIEW | ENROLL_DISTRICT | MA_BATCHES | BILLING_PAYER | RT_READ,
    "erji": UNION_MENUS | ENROLL_REVIEW | MA_BATCHES | BILLING_PAYER | RT_READ,
    "jiceng": UNION_MENUS | ENROLL_GRASSROOTS | MUTUAL_AID_UNIT | MA_BATCHES | BILLING_PAYER | RT_UNIT,
    "qiye": {"workbench", *MUTUAL_AID_UNIT, *MA_BATCHES} | BILLING_PAYER | RT_UNIT,
    "zhibao": {"workbench", "enterprises", "enrollment-batches"}
    | MUTUAL_AID_REVIEW
    | MA_BATCH_REVIEW
    | BILLING_INSURER
    | RETIREE_ACCOUNTS
    | MA_LOADS
    | RT_INSURER,
}
ALL_MENUS = set().union(*MENUS_OF.values())
STANDALONE, SECONDARY = "单独基层工会", "二级工会"


def tag() -> str:
    """A short random mark for the names this run creates."""
    return secrets.token_hex(3).upper()


def random_uscc() -> str:
    return make_uscc(10_000_000 + secrets.randbelow(10**9))


def random_union_code() -> str:
    return "39" + "".join(str(secrets.randbelow(10)) for _ in range(10))  # no demo code starts with 39


def sidebar_menus(page: Page) -> set[str]:
    expect(page.locator('[data-test="sidebar"]')).to_be_visible()
    keys = page.locator('[data-test^="menu-"]:not([data-test^="menu-group-"])')
    return {str(k).removeprefix("menu-") for k in keys.evaluate_all("els => els.map(e => e.dataset.test)")}


def me(page: Page) -> dict:
    r = page.request.get("/api/me")
    assert r.status == 200, r.text()
    return r.json()


def workbench_loaded(page: Page) -> None:
    """业务工作台 has its figures (or knows it has none) and its chart."""
    expect(page.locator('[data-test="workbench-org"]')).not_to_be_empty()
    expect(page.locator('[data-test="workbench"] .el-loading-mask:visible')).to_have_count(0)


def search_orgs(page: Page, name: str) -> None:
    """Type a name into 工会组织名称 and press 查询; returns once the list answered."""
    page.locator('[data-test="org-filter-name"]').fill(name)
    with page.expect_response(lambda r: "/api/orgs?" in r.url and r.request.method == "GET") as answer:
        page.locator('[data-test="org-search"]').click()
    assert answer.value.status == 200, answer.value.text()


def whole_scope(page: Page) -> None:
    """Untick 仅直属下级: search everything under the user's org."""
    box = page.locator('[data-test="org-filter-only-children"]')
    expect(box).to_have_class(re.compile("is-checked"))
    with page.expect_response(lambda r: "/api/orgs?" in r.url):
        box.click()
    expect(box).not_to_have_class(re.compile("is-checked"))


# --- 1. login page ---------------------------------------------------------------------------------


def test_login_page_refuses_a_wrong_captcha_and_a_wrong_password_then_logs_in(ui: UI) -> None:
    page = ui.page()
    code = ui.open_login(page)
    expect(page.locator('img[data-test="captcha-image"]')).to_be_visible()
    ui.shot(page, "login-page")

    wrong = "0000" if code != "0000" else "2222"  # 0 is not in the captcha alphabet
    answer, code = ui.refused_login(page, "zhibao", ui.PASSWORD, wrong)
    assert answer.status == 400 and answer.json()["code"] == "auth.captcha_wrong"
    expect(page.locator('[data-test="login-error"]')).to_contain_text("验证码错误，请重新输入")
    expect(page).to_have_url(re.compile(r"/login$"))
    ui.shot(page, "wrong-captcha")

    answer, code = ui.refused_login(page, "zhibao", "Wrong@2024", code)
    assert answer.status == 401 and answer.json()["code"] == "auth.bad_credentials"
    remaining = answer.json()["remaining"]
    assert 0 < remaining < 5
    expect(page.locator('[data-test="login-error"]')).to_contain_text(f"账号或密码错误，还可尝试 {remaining} 次")
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.locator('[data-test="login-password"]')).to_have_value("")
    ui.shot(page, "wrong-password")

    ui.login(page, "zhibao", ui.PASSWORD, code=code)
    expect(page).to_have_url(re.compile(r"/workbench$"))
    expect(page.locator('[data-test="welcome"]')).to_be_visible()
    assert me(page)["account"] == "zhibao"
    ui.shot(page, "logged-in")


# --- 2. menus per tier -----------------------------------------------------------------------------


@pytest.mark.parametrize("account", list(MENUS_OF))
def test_each_demo_tier_sees_exactly_its_menus(ui: UI, account: str) -> None:
    page = ui.page()
    ui.login(page, account)
    expected = MENUS_OF[account]
    expect(page.locator('[data-test="menu-workbench"]')).to_be_visible()
    assert sidebar_menus(page) == expected
    for key in expected:
        expect(page.locator(f'[data-test="menu-{key}"]')).to_be_visible()
    for key in ALL_MENUS - expected:
        expect(page.locator(f'[data-test="menu-{key}"]')).to_have_count(0)
    assert set(me(page)["menus"]) == expected
    workbench_loaded(page)
    assert ui.failed_calls[page] == []  # the first page asks only for what the tier may see
    ui.shot(page, account)


# --- 3. workbench ----------------------------------------------------------------------------------


def test_workbench_shows_the_city_figures_and_the_joins_chart(ui: UI) -> None:
    page = ui.page()
    ui.login(page, "shizong")
    expect(page).to_have_url(re.compile(r"/workbench$"))
    cards = {
        "stat-members": "members",
        "stat-grassroots": "grassroots",
        "stat-covered-enterprises": "covered_enterprises",
        "stat-e-cards": "e_cards",
    }
    for card in cards:
        expect(page.locator(f'[data-test="{card}"] [data-test="stat-value"]')).to_be_visible()
    root = me(page)["org_id"]
    with ui.stack.org_api() as org:
        stats = org.get(f"/orgs/{root}/stats").json()
        assert org.get(f"/orgs/{root}").json()["kind"] == "市总工会"
    assert stats["grassroots"] > 0 and stats["covered_enterprises"] > 0
    for card, key in cards.items():
        expect(page.locator(f'[data-test="{card}"] [data-test="stat-value"]')).to_have_text(f"{stats[key]:,}")
    for key in ("standalone", "joint", "branch", "federation"):
        expect(page.locator(f'[data-test="count-{key}"] b')).to_have_text(f"{stats[key]:,}")
    expect(page.locator('[data-test="workbench-org"]')).to_have_text("上海市总工会")

    chart = page.locator('[data-test="joins-chart"]')
    expect(chart.locator("canvas").first).to_be_visible()
    expect(chart.locator('[data-test="joins-total"]')).to_contain_text("本月共计入会人数")
    box = chart.locator("canvas").first.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 200
    ui.shot(page, "workbench-month")
    with page.expect_response(lambda r: "/api/workbench/joins" in r.url and "granularity=month" in r.url) as answer:
        chart.locator('[data-test="joins-by-year"]').click()
    assert answer.value.status == 200
    expect(chart.locator('[data-test="joins-total"]')).to_contain_text("本年共计入会人数")
    expect(chart.locator("canvas").first).to_be_visible()
    assert ui.failed_calls[page] == []
    ui.shot(page, "workbench-year")


# --- 4. org pages ----------------------------------------------------------------------------------


def test_org_pages_as_a_district(ui: UI) -> None:
    stack = ui.stack
    page = ui.page()
    ui.login(page, "quju")
    district = me(page)
    inside = district["org_path"] + "."
    mark = tag()
    with stack.org_api() as org:
        grassroots = org.get("/orgs", params={"kind": STANDALONE, "size": 200}).json()["items"]
        own = next(o for o in grassroots if o["path"].startswith(inside))
        other = next(o for o in grassroots if not o["path"].startswith(inside))
        secondaries = org.get("/orgs", params={"parent_id": district["org_id"], "kind": SECONDARY}).json()["items"]
        assert len(secondaries) >= 2, secondaries
        source, target = secondaries[0], secondaries[1]
        movers = []  # two fresh grassroots unions under the first secondary union, moved by the test
        for n in ("甲", "乙"):
            body = {
                "name": f"浏览器测试转移{mark}{n}工会",
                "kind": STANDALONE,
                "parent_id": source["id"],
                "union_code": random_union_code(),
                "uscc": random_uscc(),
            }
            r = org.post("/orgs", json=body)
            assert r.status_code == 201, r.text
            movers.append(r.json())
        children = org.get("/orgs", params={"parent_id": source["id"], "size": 1}).json()["total"]

    page.locator('[data-test="menu-orgs"]').click()
    expect(page).to_have_url(re.compile(r"/orgs$"))
    expect(page.locator('[data-test="current-org"]')).to_contain_text(district["org_name"])
    table = page.locator('[data-test="org-table"]')
    ui.shot(page, "org-query")

    # query by name: its own grassroots union is found, another district's is not
    whole_scope(page)
    search_orgs(page, own["name"])
    expect(ui.rows(table).filter(has_text=own["name"])).to_have_count(1)
    ui.shot(page, "found-own-grassroots")
    search_orgs(page, other["name"])
    expect(ui.rows(table)).to_have_count(0)
    expect(table).to_contain_text("暂无数据")
    ui.shot(page, "other-district-not-found")

    # 新建组织 under the district
    name, code, uscc = f"浏览器测试{mark}新建工会", random_union_code(), random_uscc()
    page.locator('[data-test="org-create"]').click()
    dialog = page.locator('[data-test="org-create-dialog"]')
    expect(dialog).to_be_visible()
    ui.pick(page, dialog.locator('[data-test="org-form-kind"]'), STANDALONE)
    dialog.locator('[data-test="org-form-name"]').fill(name)
    dialog.locator('[data-test="org-form-union-code"]').fill(code)
    dialog.locator('[data-test="org-form-uscc"]').fill(uscc)
    ui.shot(page, "create-dialog")
    with page.expect_response(lambda r: r.url.endswith("/api/orgs") and r.request.method == "POST") as answer:
        dialog.locator('[data-test="org-create-save"]').click()
    assert answer.value.status == 201, answer.value.text()
    created = answer.value.json()
    expect(ui.message(page)).to_have_text(f"已新建“{name}”")
    expect(dialog).to_be_hidden()
    search_orgs(page, name)
    row = ui.rows(table).filter(has_text=name)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(code)
    expect(row).to_contain_text(uscc)
    assert created["parent_id"] == district["org_id"] and created["union_code"] == code
    ui.shot(page, "created")

    # 修改信息
    renamed = f"{name}（已修改）"
    row.locator('[data-test="org-edit"]').click()
    dialog = page.locator('[data-test="org-edit-dialog"]')
    expect(dialog.locator('[data-test="org-form-name"]')).to_have_value(name)
    dialog.locator('[data-test="org-form-name"]').fill(renamed)
    dialog.locator('[data-test="org-form-phone"]').fill("13912345678")
    with page.expect_response(lambda r: r.url.endswith(f"/api/orgs/{created['id']}")) as answer:
        dialog.locator('[data-test="org-edit-save"]').click()
    assert answer.value.status == 200, answer.value.text()
    expect(ui.message(page)).to_have_text("保存成功")
    expect(ui.rows(table).filter(has_text=renamed)).to_have_count(1)
    with stack.org_api() as org:
        saved = org.get(f"/orgs/{created['id']}").json()
    assert saved["name"] == renamed and saved["contact_phone"] == "13912345678"
    ui.shot(page, "edited")

    # 删除组织
    ui.rows(table).filter(has_text=renamed).locator('[data-test="org-delete"]').click()
    expect(page.locator(".el-message-box")).to_contain_text(renamed)
    with page.expect_response(lambda r: r.request.method == "DELETE") as answer:
        ui.confirm(page)
    assert answer.value.ok, answer.value.text()
    expect(ui.message(page)).to_have_text("删除成功")
    expect(ui.rows(table).filter(has_text=renamed)).to_have_count(0)
    with stack.org_api() as org:
        assert org.get(f"/orgs/{created['id']}").status_code == 404
    ui.shot(page, "deleted")

    # 删除组织 of one with children: the org service's refusal is shown
    search_orgs(page, source["name"])
    row = ui.rows(table).filter(has_text=source["name"]).first
    row.locator('[data-test="org-delete"]').click()
    with page.expect_response(lambda r: r.url.endswith(f"/api/orgs/{source['id']}")) as answer:
        ui.confirm(page)
    problem = answer.value.json()
    assert problem["code"] == "org.has_children", problem
    expect(ui.message(page, "error")).to_have_text(f"该组织下还有 {children} 个下级组织，不能删除")
    expect(row).to_be_visible()
    ui.shot(page, "delete-refused")

    # 批量转移: the two fresh unions from the first secondary union to the second
    page.goto(f"/orgs?parent={source['id']}")
    expect(page.locator('[data-test="org-breadcrumb"]')).to_contain_text(source["name"])
    search_orgs(page, f"浏览器测试转移{mark}")
    rows = ui.rows(table)
    expect(rows).to_have_count(2)
    for i in range(2):
        rows.nth(i).locator(".el-checkbox").click()
    batch = page.locator('[data-test="org-batch-move"]')
    expect(batch).to_contain_text("（2）")
    batch.click()
    dialog = page.locator('[data-test="org-move-dialog"]')
    expect(dialog).to_contain_text("批量转移")
    ui.pick(page, dialog.locator('[data-test="org-move-target"]'), target["name"], search=target["name"])
    ui.shot(page, "batch-move-dialog")
    with page.expect_response("**/api/orgs/move") as answer:
        dialog.locator('[data-test="org-move-submit"]').click()
    assert answer.value.status == 200, answer.value.text()
    expect(ui.message(page)).to_have_text("已转移 2 个组织")
    expect(rows).to_have_count(0)
    with stack.org_api() as org:
        for moved in movers:
            now = org.get(f"/orgs/{moved['id']}").json()
            assert now["parent_id"] == target["id"], now
            assert now["path"] == f"{target['path']}.{moved['id']}"
    ui.shot(page, "batch-moved")

    # 覆盖企业: add one in the drawer
    page.goto(f"/orgs?parent={target['id']}")
    search_orgs(page, movers[0]["name"])
    ui.rows(table).filter(has_text=movers[0]["name"]).locator('[data-test="org-enterprises"]').click()
    drawer = page.locator('[data-test="covered-drawer"]')
    expect(drawer).to_contain_text(f"覆盖企业 · {movers[0]['name']}")
    enterprise, enterprise_uscc = f"上海浏览器测试{mark}科技有限公司", random_uscc()
    drawer.locator('[data-test="covered-add"]').click()
    drawer.locator('[data-test="covered-name"]').fill(enterprise)
    drawer.locator('[data-test="covered-uscc"]').fill(enterprise_uscc)
    with page.expect_response(lambda r: r.url.endswith(f"/api/orgs/{movers[0]['id']}/enterprises")) as answer:
        drawer.locator('[data-test="covered-save"]').click()
    assert answer.value.status == 201, answer.value.text()
    expect(ui.message(page)).to_have_text("已添加覆盖企业")
    listed = drawer.locator(".el-table__body tr.el-table__row").filter(has_text=enterprise)
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text(enterprise_uscc)
    with stack.org_api() as org:
        covered = org.get(f"/orgs/{movers[0]['id']}/enterprises").json()
    assert [(e["name"], e["uscc"]) for e in covered] == [(enterprise, enterprise_uscc)]
    ui.shot(page, "covered-enterprise-added")

    stack.note("quju", "login", "create_org", "update_org", "delete_org", "move_orgs", "add_covered")


# --- 5. enterprise self-registration ---------------------------------------------------------------


def test_enterprise_registers_is_approved_and_logs_in_with_its_uscc(ui: UI) -> None:
    stack = ui.stack
    mark = tag()
    uscc, name, password = random_uscc(), f"上海浏览器测试{mark}贸易有限公司", f"Qy@{mark}2024"
    page = ui.page()
    ui.open_login(page)
    code = ui.with_captcha(page, lambda: page.locator('[data-test="register-link"]').click())
    expect(page).to_have_url(re.compile(r"/register$"))
    form = page.locator('[data-test="register-form"]')
    form.locator('[data-test="register-uscc"]').fill(uscc)
    form.locator('[data-test="register-name"]').fill(name)
    form.locator('[data-test="register-contact"]').fill("李静")
    form.locator('[data-test="register-phone"]').fill("13800138000")
    form.locator('[data-test="register-password"]').fill(password)
    form.locator('[data-test="register-confirm"]').fill(password)
    form.locator('[data-test="login-captcha"]').fill(code)
    ui.shot(page, "register-form")
    with page.expect_response(lambda r: r.url.endswith("/api/registrations") and r.request.method == "POST") as answer:
        form.locator('[data-test="register-submit"]').click()
    assert answer.value.status == 201, answer.value.text()
    assert answer.value.json()["status"] == "pending" and answer.value.json()["account"] == uscc
    expect(page.get_by_text("注册申请已提交")).to_be_visible()
    ui.shot(page, "registered")

    # pending: the right password is refused until approval
    code = ui.open_login(page)
    answer, _ = ui.refused_login(page, uscc, password, code)
    assert answer.status == 403 and answer.json()["code"] == "auth.account_pending"
    expect(page.locator('[data-test="login-error"]')).to_contain_text("企业注册正在审核中")
    ui.shot(page, "pending-login-refused")

    admin = ui.page()
    ui.login(admin, "admin")
    admin.locator('[data-test="menu-registrations"]').click()
    expect(admin).to_have_url(re.compile(r"/registrations$"))
    row = ui.rows(admin.locator('[data-test="registration-table"]')).filter(has_text=uscc)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(name)
    ui.shot(admin, "review-pending")
    row.locator('[data-test="registration-approve"]').click()
    expect(admin.locator(".el-message-box")).to_contain_text(name)
    with admin.expect_response(lambda r: r.url.endswith("/approve")) as answer:
        ui.confirm(admin)
    assert answer.value.status == 200, answer.value.text()
    assert answer.value.json()["status"] == "approved" and answer.value.json()["reviewed_by"]
    expect(ui.message(admin)).to_have_text("已通过")
    expect(row).to_have_count(0)  # the list shows pending requests
    ui.shot(admin, "approved")

    unit = ui.page()
    ui.login(unit, uscc, password)
    expect(unit).to_have_url(re.compile(r"/workbench$"))
    assert sidebar_menus(unit) == MENUS_OF["qiye"]
    expect(unit.locator('[data-test="menu-workbench"]')).to_contain_text("工作台")
    expect(unit.locator('[data-test="workbench-org"]')).to_have_text(name)
    info = me(unit)
    assert info["tier"] == "enterprise" and info["account"] == uscc
    menus = ["workbench", *BILLING_PAYER_ORDER, *MUTUAL_AID_ORDER, "mutual-aid-batches", *RETIREE_UNIT_ORDER]
    assert info["menus"] == menus
    expect(unit.locator('[data-test="joins-chart"]')).to_have_count(0)  # no place in the union tree
    workbench_loaded(unit)
    assert ui.failed_calls[unit] == []
    ui.shot(unit, "enterprise-workbench")
    stack.note("admin", "approve_registration")


# --- 5b. forgotten password of an enterprise (找回密码：未建会单位) ---------------------------------------


def registered_enterprise(ui: UI, uscc: str, name: str, contact: str, phone: str, password: str) -> None:
    """A self-registered unit the admin approved (through the API: test 5 covers those screens)."""
    stack = ui.stack
    with httpx.Client(base_url=stack.gateway, timeout=10) as http:
        captcha = http.get("/api/captcha").json()
        body = {"uscc": uscc, "name": name, "contact": contact, "phone": phone, "password": password}
        answer = {"captcha_id": captcha["captcha_id"], "captcha_code": stack.captcha_answer(captcha["captcha_id"])}
        r = http.post("/api/registrations", json=body | answer)
        assert r.status_code == 201, r.text
    with stack.api_login("admin") as admin:
        approved = admin.post(f"/api/registrations/{r.json()['id']}/approve")
        assert approved.status_code == 200, approved.text


def test_enterprise_applies_for_a_password_reset_and_must_change_the_temporary_password(ui: UI) -> None:
    mark = tag()
    uscc, name, contact, phone = random_uscc(), f"上海浏览器测试{mark}咨询有限公司", "周敏", "13800138001"
    old_password, new_password = f"Qy@{mark}2024", f"Xin#{mark}2025"
    registered_enterprise(ui, uscc, name, contact, phone, old_password)

    page = ui.page()
    ui.open_login(page)
    expect(page.locator('[data-test="forgot-password-link"]')).to_have_text("找回密码（未建会单位）")
    code = ui.with_captcha(page, lambda: page.locator('[data-test="forgot-password-link"]').click())
    expect(page).to_have_url(re.compile(r"/forgot-password$"))
    form = page.locator('[data-test="forgot-form"]')
    form.locator('[data-test="forgot-uscc"]').fill(uscc)
    form.locator('[data-test="forgot-contact"]').fill(contact)
    form.locator('[data-test="forgot-phone"]').fill("13800138009")  # not the registered phone
    form.locator('[data-test="forgot-reason"]').fill("经办人变更，密码遗失")
    form.locator('[data-test="login-captcha"]').fill(code)
    with page.expect_response(lambda r: r.url.endswith("/api/password-resets")) as answer:
        code = ui.with_captcha(page, lambda: form.locator('[data-test="forgot-submit"]').click())
    assert answer.value.status == 400 and answer.value.json()["code"] == "password_reset.mismatch"
    expect(page.locator('[data-test="forgot-error"]')).to_contain_text("与企业注册时登记的不一致")
    ui.shot(page, "mismatch")
    form.locator('[data-test="forgot-phone"]').fill(phone)
    form.locator('[data-test="login-captcha"]').fill(code)
    ui.shot(page, "form")
    with page.expect_response(lambda r: r.url.endswith("/api/password-resets")) as answer:
        form.locator('[data-test="forgot-submit"]').click()
    assert answer.value.status == 201, answer.value.text()
    done = page.locator('[data-test="forgot-done"]')
    expect(done).to_contain_text("密码重置申请已提交")
    expect(done).to_contain_text("平台将审核您的申请")
    expect(done).to_contain_text("联系电话告知临时密码")
    ui.shot(page, "applied")

    admin = ui.page()
    ui.login(admin, "admin")
    admin.locator('[data-test="menu-password-resets"]').click()
    expect(admin).to_have_url(re.compile(r"/password-resets$"))
    row = ui.rows(admin.locator('[data-test="password-reset-table"]')).filter(has_text=uscc)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(name)
    expect(row).to_contain_text(contact)
    expect(row).to_contain_text("138*****8001")
    expect(row).to_contain_text("经办人变更，密码遗失")
    ui.shot(admin, "review-pending")
    row.locator('[data-test="password-reset-approve"]').click()
    expect(admin.locator(".el-message-box")).to_contain_text(name)
    with admin.expect_response(lambda r: r.url.endswith("/approve")) as answer:
        ui.confirm(admin)
    assert answer.value.status == 200, answer.value.text()
    approved = answer.value.json()
    assert approved["status"] == "approved" and approved["reviewed_by"] == "admin" and approved["reviewed_at"]
    shown = admin.locator('[data-test="temporary-password"]')
    expect(shown).to_have_text(re.compile(r"^\S{12}$"))
    temporary = shown.inner_text().strip()
    assert temporary == approved["temporary_password"]
    expect(admin.locator('[data-test="temporary-password-dialog"]')).to_contain_text("联系电话")
    ui.shot(admin, "temporary-password")
    admin.locator('[data-test="temporary-password-close"]').click()
    expect(admin.locator('[data-test="temporary-password-dialog"]')).to_be_hidden()
    expect(row).to_have_count(0)  # the list shows pending applications
    ui.pick(admin, admin.locator('[data-test="password-reset-filter-status"]'), "已通过")
    with admin.expect_response(lambda r: "/api/password-resets?" in r.url and "status=approved" in r.url):
        admin.locator('[data-test="password-reset-search"]').click()
    expect(row).to_have_count(1)
    expect(row).to_contain_text("admin")  # 审核人
    ui.shot(admin, "approved")

    with pytest.raises(ui.LoginRefused), ui.stack.api_login(uscc, old_password):
        pass  # the old password is gone
    unit = ui.page()
    ui.login(unit, uscc, temporary)
    expect(unit).to_have_url(re.compile(r"/change-password$"))
    expect(unit.locator('[data-test="password-forced"]')).to_be_visible()
    assert me(unit)["must_change_password"] is True
    ui.shot(unit, "forced-change")
    unit.locator('[data-test="password-old"]').fill(temporary)
    unit.locator('[data-test="password-new"]').fill(new_password)
    unit.locator('[data-test="password-confirm"]').fill(new_password)
    with unit.expect_response("**/api/auth/password") as answer:
        unit.locator('[data-test="password-submit"]').click()
    assert answer.value.status == 204, answer.value.text()
    expect(unit).to_have_url(re.compile(r"/workbench$"))
    expect(unit.locator('[data-test="workbench-org"]')).to_have_text(name)
    assert me(unit)["must_change_password"] is False
    ui.shot(unit, "workbench-after-change")
    ui.stack.note("admin", "approve_password_reset")


# --- 6. accounts -----------------------------------------------------------------------------------


def restore_password(ui: UI, account: str, tried: list[str]) -> None:
    """Give a demo account its demo password back (other tests log in with it)."""
    for password in tried:
        try:
            with ui.stack.api_login(account, password) as http:
                r = http.post("/api/auth/password", json={"old_password": password, "new_password": ui.PASSWORD})
                assert r.status_code == 204, r.text
                return
        except ui.LoginRefused:
            continue
    raise AssertionError(f"{account} keeps a password none of {len(tried)} tried")


def test_district_resets_a_password_and_the_user_must_change_it(ui: UI) -> None:
    quju = ui.page()
    ui.login(quju, "quju")
    quju.locator('[data-test="menu-accounts"]').click()
    expect(quju).to_have_url(re.compile(r"/accounts$"))
    quju.locator('[data-test="account-filter-account"]').fill("erji")
    with quju.expect_response(lambda r: "/api/accounts?" in r.url):
        quju.locator('[data-test="account-search"]').click()
    table = quju.locator('[data-test="account-table"]')
    row = ui.rows(table).filter(has=quju.get_by_text("erji", exact=True))
    expect(row).to_have_count(1)
    ui.shot(quju, "accounts")

    new_password, temporary = f"New#{tag()}9x", ""
    try:
        row.locator('[data-test="account-reset-password"]').click()
        expect(quju.locator(".el-message-box")).to_contain_text("erji")
        with quju.expect_response(lambda r: r.url.endswith("/reset-password")) as answer:
            ui.confirm(quju)
        assert answer.value.status == 200, answer.value.text()
        shown = quju.locator('[data-test="temporary-password"]')
        expect(shown).to_have_text(re.compile(r"^\S{12}$"))
        temporary = shown.inner_text().strip()
        assert temporary == answer.value.json()["temporary_password"]
        ui.shot(quju, "temporary-password")
        quju.locator('[data-test="temporary-password-close"]').click()
        expect(quju.locator('[data-test="temporary-password-dialog"]')).to_be_hidden()

        erji = ui.page()
        ui.login(erji, "erji", temporary)
        expect(erji).to_have_url(re.compile(r"/change-password$"))
        expect(erji.locator('[data-test="password-forced"]')).to_be_visible()
        assert me(erji)["must_change_password"] is True
        erji.goto("/workbench")  # the router keeps sending it back
        expect(erji).to_have_url(re.compile(r"/change-password$"))
        ui.shot(erji, "forced-change")
        erji.locator('[data-test="password-old"]').fill(temporary)
        erji.locator('[data-test="password-new"]').fill(new_password)
        erji.locator('[data-test="password-confirm"]').fill(new_password)
        with erji.expect_response("**/api/auth/password") as answer:
            erji.locator('[data-test="password-submit"]').click()
        assert answer.value.status == 204, answer.value.text()
        expect(erji).to_have_url(re.compile(r"/workbench$"))
        expect(erji.locator('[data-test="workbench"]')).to_be_visible()
        assert me(erji)["must_change_password"] is False
        ui.shot(erji, "workbench-after-change")
    finally:
        restore_password(ui, "erji", [new_password, *([temporary] if temporary else [])])
    ui.stack.note("quju", "login", "reset_password")


# --- 7. operation log ------------------------------------------------------------------------------


def test_audit_log_shows_what_the_district_did(ui: UI) -> None:
    stack = ui.stack
    with stack.api_login("quju") as http:  # so that there is something even when run alone
        assert http.post("/api/auth/logout").status_code == 204
    stack.note("quju", "login", "logout")

    page = ui.page()
    ui.login(page, "admin")
    page.locator('[data-test="menu-audit"]').click()
    expect(page).to_have_url(re.compile(r"/audit$"))
    table = page.locator('[data-test="audit-table"]')
    page.locator('[data-test="audit-filter-account"]').fill("quju")
    with page.expect_response(lambda r: "/api/audit?" in r.url and "account=quju" in r.url) as answer:
        page.locator('[data-test="audit-search"]').click()
    total = answer.value.json()["total"]
    assert total > 0
    accounts = ui.rows(table).locator("td:nth-child(2)")
    expect(accounts.first).to_have_text("quju")
    assert set(accounts.all_inner_texts()) == {"quju"}
    ui.shot(page, "quju-entries")

    for action in sorted(stack.journal["quju"]):
        page.locator('[data-test="audit-filter-action"]').fill(action)
        with page.expect_response(lambda r, a=action: "/api/audit?" in r.url and f"action={a}" in r.url) as answer:
            page.locator('[data-test="audit-search"]').click()
        assert answer.value.json()["total"] > 0, action
        rows = ui.rows(table)
        expect(rows.first).to_contain_text(action)
        expect(rows.first).to_contain_text("quju")
        ui.shot(page, f"quju-{action}")


# --- 8. logout -------------------------------------------------------------------------------------


def test_logout_returns_to_login_and_ends_the_session(ui: UI) -> None:
    page = ui.page()
    ui.login(page, "jiceng")
    expect(page.locator('[data-test="workbench"]')).to_be_visible()
    sid = next(c["value"] for c in page.context.cookies() if c["name"] == "sid")
    ui.shot(page, "before-logout")
    with page.expect_response("**/api/auth/logout") as answer:
        page.locator('[data-test="logout"]').click()
    assert answer.value.status == 204
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.locator('[data-test="login-submit"]')).to_be_visible()
    assert page.request.get("/api/me").status == 401
    # the session is gone on the server, not only the cookie in this browser
    replay = page.request.get("/api/me", headers={"Cookie": f"sid={sid}"})
    assert replay.status == 401 and replay.json()["code"] == "session.expired"
    page.goto("/workbench")
    expect(page).to_have_url(re.compile(r"/login\?redirect="))
    ui.shot(page, "logged-out")
