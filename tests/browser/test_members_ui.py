"""会员管理 in headless Chromium against the whole local stack, as the demo grassroots clerk (jiceng):
download the import template, fill it with a roster of its own union (50 good rows, 2 bad ones),
upload it as 关联企业类 with one of the union's covered enterprises, watch the progress bar reach
已完成, read 查看导入结果 (row, column, reason of each rejected row) and find the new members in
会员信息 with masked ID numbers; then add one member with the form, edit it and request its
transfer to another district's 临时工会; and 会员比对 as the clerk of a union of its own: upload the
complete roster, read 查看处理详情, handle each member missing from it (转出 / 退休 / 死亡 / 犯罪 / 保留)
and download the people missing from the platform. A screenshot of every step lands in
tests/artifacts/browser/.
"""

from __future__ import annotations

import re
import secrets
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

import httpx
import pytest
from openpyxl import load_workbook
from playwright.sync_api import Locator, Page, Response, expect

from runtime.identity import make_id_number, make_uscc, mask_id_number

if TYPE_CHECKING:  # conftest.py is not importable as a module: its fixture `ui` hands the helpers over
    from conftest import UI

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

DIGITS = "甲乙丙丁戊己庚辛壬癸"  # names may not contain digits: the row number in Chinese
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许"
GOOD_ROWS = 50
IMPORT_TIMEOUT_MS = 90_000
# A dialog closes once its request answered and the list reloaded: slow when the 2-core machine is busy.
CLOSED_MS = 20_000
COMPARE_TIMEOUT_MS = 90_000
PROJECTION_TIMEOUT = 60.0  # a new union reaches the gateway's and the members service's org projections
SHANGHAI = ZoneInfo("Asia/Shanghai")


def name_mark() -> str:
    """A name prefix of this run (the members list searches names by prefix)."""
    return "测" + "".join(secrets.choice(SURNAMES) for _ in range(3))


def person_name(mark: str, i: int) -> str:
    return f"{mark}{DIGITS[i // 10 % 10]}{DIGITS[i % 10]}"


def clerk_union(http: httpx.Client) -> dict[str, Any]:
    """The clerk's union: name, union code and one of its covered enterprises (关联企业类)."""
    me = http.get("/api/me").json()
    org = http.get(f"/api/orgs/{me['org_id']}").json()
    covered = http.get(f"/api/orgs/{me['org_id']}/enterprises").json()
    assert covered, f"the demo grassroots union {org['name']} covers no enterprise"
    return {"id": org["id"], "name": org["name"], "union_code": org["union_code"], "path": org["path"],
            "enterprise": covered[0]}  # fmt: skip


def roster(template: Path, union: dict[str, Any], mark: str, target: Path) -> dict[str, Any]:
    """The downloaded template filled with GOOD_ROWS members of the union and two bad rows: a wrong
    check digit (its Excel row `bad_id`) and a short phone number (row `bad_phone`)."""
    book = load_workbook(template)
    sheet = book["会员信息"]
    header = [str(c.value).rstrip("*") for c in sheet[1]]
    base, unit = secrets.randbelow(10**6), union["enterprise"]["name"]
    people = []
    for i in range(GOOD_ROWS + 2):
        male = i % 2 == 0
        id_number = make_id_number("310101", date(1970, 1, 1) + timedelta(days=137 * i + base % 97), i, male)
        people.append({
            "姓名": person_name(mark, i), "证件类型": "身份证", "证件号码": id_number,
            "手机号码": f"139{(base * 100 + i) % 10**8:08d}", "性别": "男" if male else "女",
            "所在工会": union["name"], "工会编号": union["union_code"], "工作单位/服务平台": unit,
            "会员标签": "", "工作单位地址": "上海市黄浦区中山东一路18号",
        })  # fmt: skip
    bad_id, bad_phone = 12, GOOD_ROWS + 1  # indexes into people
    wrong = "0" if people[bad_id]["证件号码"][-1] != "0" else "1"
    people[bad_id]["证件号码"] = people[bad_id]["证件号码"][:17] + wrong
    people[bad_phone]["手机号码"] = "1381234"
    for row, person in enumerate(people, start=2):
        for col, label in enumerate(header, start=1):
            sheet.cell(row, col, person[label])
    book.save(target)
    good = [p for k, p in enumerate(people) if k not in (bad_id, bad_phone)]
    return {"good": good, "bad_id": (bad_id + 2, people[bad_id]), "bad_phone": (bad_phone + 2, people[bad_phone])}


def open_menu(page: Page, key: str, path: str) -> None:
    page.locator(f'[data-test="menu-{key}"]').click()
    expect(page).to_have_url(re.compile(rf"{path}$"))


def radio(group: Locator, text: str) -> None:
    group.locator("label.el-radio", has_text=text).click()


def search_members(page: Page, name: str) -> dict[str, Any]:
    """查询 by name: the answer to that search (not to the page's first load, which may still be on its way)."""

    def searched(r: Response) -> bool:
        query = parse_qs(urlparse(r.url).query)
        return "/api/members?" in r.url and r.request.method == "GET" and query.get("name") == [name]

    page.locator('[data-test="member-filter-name"]').fill(name)
    with page.expect_response(searched) as answer:
        page.locator('[data-test="member-search"]').click()
    assert answer.value.status == 200, answer.value.text()
    return answer.value.json()


# --- 批量导入 → 查看导入结果 → 会员信息 ------------------------------------------------------------------


def test_roster_import_by_the_grassroots_clerk_and_its_result(ui: UI, tmp_path: Path) -> None:
    with ui.stack.api_login("jiceng") as http:
        union = clerk_union(http)
    page = ui.page()
    ui.login(page, "jiceng")
    open_menu(page, "member-imports", "/member-imports")
    ui.shot(page, "imports-page")

    with page.expect_download() as download:
        page.locator('[data-test="import-template"]').click()
    template = tmp_path / "会员导入模板.xlsx"
    download.value.save_as(template)
    header = [c.value for c in load_workbook(template)["会员信息"][1]]
    assert header[:7] == ["姓名*", "证件类型*", "证件号码*", "手机号码*", "性别*", "所在工会*", "工会编号*"], header
    assert header[-1] == "工作单位地址"

    mark = name_mark()
    made = roster(template, union, mark, tmp_path / "会员名册.xlsx")
    radio(page.locator('[data-test="import-data-type"]'), "关联企业类")
    page.locator('[data-test="import-enterprise-name"]').fill(union["enterprise"]["name"])
    page.locator('[data-test="import-enterprise-uscc"]').fill(union["enterprise"]["uscc"])
    page.locator('[data-test="import-file"] input[type="file"]').set_input_files(tmp_path / "会员名册.xlsx")
    ui.shot(page, "roster-chosen")
    with page.expect_response(lambda r: r.url.endswith("/api/imports") and r.request.method == "POST") as answer:
        page.locator('[data-test="import-submit"]').click()
    assert answer.value.status == 202, answer.value.text()

    progress = page.locator('[data-test="import-progress"]')
    expect(progress).to_be_visible()
    ui.shot(page, "import-progress")
    expect(progress.locator(".el-tag")).to_have_text("已完成", timeout=IMPORT_TIMEOUT_MS)
    expect(progress.locator('[role="progressbar"]')).to_have_attribute("aria-valuenow", "100")
    expect(progress).to_contain_text(f"已入库 {GOOD_ROWS} 行")
    expect(progress).to_contain_text(f"新增 {GOOD_ROWS}")
    expect(progress).to_contain_text("未通过 2")
    ui.shot(page, "import-done")

    page.locator('[data-test="import-result"]').click()
    dialog = page.locator('[data-test="import-result-dialog"]')
    expect(dialog).to_be_visible()
    rows = ui.rows(dialog.locator('[data-test="import-rejections"]'))
    expect(rows).to_have_count(2)
    found = {tuple(rows.nth(i).locator("td").all_inner_texts()[:4]) for i in range(2)}
    (id_row, bad_id), (phone_row, bad_phone) = made["bad_id"], made["bad_phone"]
    assert found == {
        (str(id_row), "证件号码", "证件号码校验位错误", bad_id["姓名"]),
        (str(phone_row), "手机号码", "手机号码格式不正确，应为11位手机号", bad_phone["姓名"]),
    }, found
    ui.shot(page, "import-result")
    dialog.locator(".el-dialog__headerbtn").click()
    expect(dialog).to_be_hidden(timeout=CLOSED_MS)

    open_menu(page, "members", "/members")
    listed = search_members(page, mark)
    assert listed["total"] == GOOD_ROWS, listed["total"]
    table = page.locator('[data-test="member-table"]')
    expect(ui.rows(table)).to_have_count(20)
    expect(page.locator('[data-test="pager"]')).to_contain_text(f"共 {GOOD_ROWS} 条")
    masks = {mask_id_number(p["证件号码"]) for p in made["good"]}
    shown = set(ui.rows(table).locator("td:nth-child(4)").all_inner_texts())
    assert shown and shown <= masks, shown - masks
    assert not any(p["证件号码"] in page.content() for p in made["good"]), "a full ID number on screen"
    names = {p["姓名"] for p in made["good"]}
    assert set(ui.rows(table).locator("td:nth-child(2)").all_inner_texts()) <= names
    ui.shot(page, "imported-members")


# --- 新增会员 / 编辑 / 会员转移 -----------------------------------------------------------------------


def test_member_form_and_transfer_by_the_grassroots_clerk(ui: UI) -> None:
    with ui.stack.api_login("jiceng") as http:
        union = clerk_union(http)
        districts = http.get("/api/transfer-targets").json()["items"]
    other = next(d for d in districts if str(d["id"]) not in union["path"].split("."))
    page = ui.page()
    ui.login(page, "jiceng")
    open_menu(page, "members", "/members")

    mark = name_mark()
    name = person_name(mark, 0)
    id_number = make_id_number("310104", date(1988, 8, 8) + timedelta(days=secrets.randbelow(300)), 7, False)
    page.locator('[data-test="member-create"]').click()
    form = page.locator('[data-test="member-form-dialog"]')
    expect(form).to_be_visible()
    form.locator('[data-test="member-form-name"]').fill(name)
    form.locator('[data-test="member-form-id-number"]').fill(id_number[:17] + ("1" if id_number[-1] == "0" else "0"))
    form.locator('[data-test="member-form-phone"]').fill("1391234")
    form.locator('[data-test="member-form-work-unit"]').click()  # leave the fields: their rules run
    expect(form).to_contain_text("证件号码校验位错误")
    expect(form).to_contain_text("手机号码格式不正确，应为11位手机号")
    ui.shot(page, "form-rules")

    form.locator('[data-test="member-form-id-number"]').fill(id_number)
    form.locator('[data-test="member-form-phone"]').fill(f"137{secrets.randbelow(10**8):08d}")
    form.locator('[data-test="member-form-work-unit"]').fill(union["enterprise"]["name"])
    form.locator('[data-test="member-form-work-address"]').fill("上海市黄浦区南京东路100号")
    born = f"{id_number[6:10]}-{id_number[10:12]}-{id_number[12:14]}"  # from the ID: birth date and sex
    expect(form.locator('[data-test="member-form-birth-date"] input')).to_have_value(born)
    expect(form.locator('[data-test="member-form-gender"] label.el-radio.is-checked')).to_have_text("女")
    expect(form.locator('[data-test="member-form-org"]')).to_contain_text(union["name"])
    enterprise = union["enterprise"]
    ui.pick(page, form.locator('[data-test="member-form-enterprise"]'), enterprise["uscc"])
    ui.shot(page, "form-filled")
    with page.expect_response(lambda r: r.url.endswith("/api/members") and r.request.method == "POST") as answer:
        form.locator('[data-test="member-form-submit"]').click()
    assert answer.value.status == 201, answer.value.text()
    added = answer.value.json()
    assert added["source"] == "单个添加" and added["enterprise_uscc"] == enterprise["uscc"]
    assert added["id_number"] == mask_id_number(id_number) and added["org_id"] == union["id"]
    expect(form).to_be_hidden(timeout=CLOSED_MS)

    assert search_members(page, name)["total"] == 1
    table = page.locator('[data-test="member-table"]')
    row = ui.rows(table).filter(has_text=name)
    expect(row).to_contain_text(mask_id_number(id_number))
    ui.shot(page, "form-added")

    row.locator('[data-test="member-edit"]').click()
    expect(form.locator('[data-test="member-form-name"]')).to_have_value(name)
    form.locator('[data-test="member-form-work-unit"]').fill("上海某某物流有限公司")
    with page.expect_response(lambda r: "/api/members/" in r.url and r.request.method == "PATCH") as answer:
        form.locator('[data-test="member-form-submit"]').click()
    assert answer.value.status == 200, answer.value.text()
    assert answer.value.request.post_data_json == {"work_unit": "上海某某物流有限公司"}
    expect(form).to_be_hidden(timeout=CLOSED_MS)
    expect(row).to_contain_text(name)

    row.locator('[data-test="member-transfer"]').click()
    dialog = page.locator('[data-test="member-transfer-dialog"]')
    expect(dialog).to_be_visible()
    ui.pick(page, dialog.locator('[data-test="transfer-target-district"]'), other["name"], search=other["name"])
    target = dialog.locator('[data-test="transfer-target-org"]')
    expect(target).to_contain_text("转入区临时工会")
    dialog.locator('[data-test="member-transfer-submit"]').click()
    expect(dialog.locator('[data-test="member-transfer-error"]')).to_have_text("请填写转移原因")
    dialog.locator('[data-test="member-transfer-reason"]').fill("离职，转入区临时工会")
    ui.shot(page, "transfer-request")
    with page.expect_response(lambda r: r.url.endswith("/api/transfers") and r.request.method == "POST") as answer:
        dialog.locator('[data-test="member-transfer-submit"]').click()
    assert answer.value.status == 201, answer.value.text()
    (made,) = answer.value.json()
    assert made["state"] == "待审核" and made["member_id"] == added["id"]
    assert answer.value.request.post_data_json["target_district_id"] == other["id"]
    expect(dialog).to_be_hidden(timeout=CLOSED_MS)

    with ui.stack.api_login("jiceng") as http:
        offered = http.get("/api/transfer-targets", params={"district_id": other["id"]}).json()["items"]
        out = http.get("/api/transfers", params={"direction": "out", "member_name": name}).json()["items"]
    assert offered[0]["kind"] == "临时工会" and made["to_org_id"] == offered[0]["id"]
    assert [(t["id"], t["state"], t["to_org_name"]) for t in out] == [(made["id"], "待审核", offered[0]["name"])]
    open_menu(page, "member-reviews", "/member-reviews")
    ui.shot(page, "transfer-requested")


# --- 会员比对 → 查看处理详情 → 下载比对结果 ------------------------------------------------------------

# What the clerk decides for each member missing from the roster (in the list's order: by name).
HANDLINGS = ("转出", "退休", "死亡", "犯罪", "保留")
DELETING = {"退休", "死亡", "犯罪"}


def union_with_clerk(ui: UI, mark: str) -> dict[str, Any]:
    """A grassroots union of the demo district, new for this test, and its clerk's account (made by the
    district, first password changed): a comparison covers every active member of the clerk's union,
    so only a union of its own holds exactly the members the test knows in full."""
    with ui.stack.api_login("quju") as quju:
        district = quju.get("/api/me").json()
        body = {
            "name": f"浏览器测试比对{mark}工会", "kind": "单独基层工会", "parent_id": district["org_id"],
            "union_code": "39" + "".join(str(secrets.randbelow(10)) for _ in range(10)),
            "uscc": make_uscc(10_000_000 + secrets.randbelow(10**9)),
        }  # fmt: skip
        with ui.stack.org_api() as org:
            r = org.post("/orgs", json=body)
        assert r.status_code == 201, r.text
        union = r.json() | {"district_id": district["org_id"]}
        clerk = {"account": f"bidui-{secrets.token_hex(3)}", "name": f"比对经办{mark[1:]}", "tier": "grassroots",
                 "org_id": union["id"]}  # fmt: skip
        deadline = time.monotonic() + PROJECTION_TIMEOUT
        while (r := quju.post("/api/accounts", json=clerk)).status_code == 404:  # the gateway has not heard of it yet
            assert time.monotonic() < deadline, r.text
            time.sleep(1)
        assert r.status_code == 201, r.text
        created = r.json()
    password = f"Bd#{secrets.token_hex(4)}2025"
    temporary = created["temporary_password"]
    with ui.stack.api_login(clerk["account"], temporary) as http:
        r = http.post("/api/auth/password", json={"old_password": temporary, "new_password": password})
        assert r.status_code == 204, r.text
    return {"union": union, "account": clerk["account"], "name": clerk["name"], "id": created["id"],
            "password": password}  # fmt: skip


def compare_people(union: dict[str, Any], mark: str, count: int) -> list[dict[str, str]]:
    """People of the union as the roster template lists them (names sort in this order)."""
    base = secrets.randbelow(10**6)
    people = []
    for i in range(count):
        male = i % 2 == 1
        id_number = make_id_number("310104", date(1975, 3, 1) + timedelta(days=211 * i + base % 97), i + 7, male)
        people.append({
            "姓名": person_name(mark, i), "证件类型": "身份证", "证件号码": id_number,
            "手机号码": f"136{(base * 100 + i) % 10**8:08d}", "性别": "男" if male else "女",
            "所在工会": union["name"], "工会编号": union["union_code"], "工作单位/服务平台": "上海某某文化传播有限公司",
            "会员标签": "", "工作单位地址": "上海市徐汇区漕溪北路201号",
        })  # fmt: skip
    return people


def add_member(http: httpx.Client, union: dict[str, Any], person: dict[str, str]) -> dict[str, Any]:
    """On the platform, added by hand (retried until the members service has heard of the new union)."""
    body = {
        "name": person["姓名"], "id_type": "身份证", "id_number": person["证件号码"], "phone": person["手机号码"],
        "gender": person["性别"], "org_id": union["id"], "category": "企业外入会类",
        "work_unit": person["工作单位/服务平台"], "work_address": person["工作单位地址"],
    }  # fmt: skip
    deadline = time.monotonic() + PROJECTION_TIMEOUT
    while (r := http.post("/api/members", json=body)).status_code == 404:
        assert time.monotonic() < deadline, r.text
        time.sleep(1)
    assert r.status_code == 201, r.text
    return dict(r.json())


def write_roster(template: Path, people: list[dict[str, str]], target: Path) -> None:
    book = load_workbook(template)
    sheet = book["会员信息"]
    header = [str(c.value).rstrip("*") for c in sheet[1]]
    for row, person in enumerate(people, start=2):
        for col, label in enumerate(header, start=1):
            sheet.cell(row, col, person[label] or None)
    book.save(target)


def shown_at(moment: str) -> str:
    """As the screens show a moment (lib/time.ts formatDateTime: Shanghai time)."""
    return datetime.fromisoformat(moment).astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")


def handle(page: Page, row: Locator, action: str) -> Locator:
    """Open 处理 of a row and choose the action; returns the dialog, ready to submit."""
    row.locator('[data-test="compare-handle"]').click()
    dialog = page.locator('[data-test="compare-handling-dialog"]')
    expect(dialog).to_be_visible()
    radio(dialog.locator('[data-test="compare-handling-action"]'), action)
    if action == "转出":  # the clerk's own district's 临时工会, chosen by default
        expect(dialog.locator('[data-test="transfer-target-org"]')).to_contain_text("转入区临时工会")
    elif action in DELETING:
        expect(dialog).to_contain_text(f"将以“{action}”为由删除该会员")
    return dialog


def submit_handling(page: Page, dialog: Locator) -> tuple[Response, Response]:
    """确定, accepted: the answer, and the 查看处理详情 page reloaded after it."""
    handled = lambda r: r.url.endswith("/handling") and r.request.method == "POST"  # noqa: E731
    with (
        page.expect_response(lambda r: "/missing?" in r.url and r.request.method == "GET") as reload,
        page.expect_response(handled) as answer,
    ):
        dialog.locator('[data-test="compare-handling-submit"]').click()
    assert answer.value.status == 200, answer.value.text()
    expect(dialog).to_be_hidden(timeout=CLOSED_MS)
    return answer.value, reload.value


def test_roster_compare_handled_by_the_grassroots_clerk(ui: UI, tmp_path: Path) -> None:  # noqa: PLR0915 - one flow
    mark = name_mark()
    clerk = union_with_clerk(ui, mark)
    union = clerk["union"]
    people = compare_people(union, mark, 10)
    missing, kept, extra = people[:5], people[5:7], people[7:]  # platform only / both / roster only
    with ui.stack.api_login(clerk["account"], clerk["password"]) as http:
        ids = {p["姓名"]: add_member(http, union, p)["id"] for p in missing + kept}
        districts = http.get("/api/transfer-targets").json()["items"]
        other = next(d for d in districts if d["id"] != union["district_id"])
        # the last one already asked to move to another district: deleting them is refused until it is reviewed
        body = {"member_ids": [ids[missing[4]["姓名"]]], "target_district_id": other["id"], "reason": "调往外区工作"}
        r = http.post("/api/transfers", json=body)
        assert r.status_code == 201, r.text

    page = ui.page()
    ui.login(page, clerk["account"], clerk["password"])
    open_menu(page, "member-compares", "/member-compares")
    with page.expect_download() as download:
        page.locator('[data-test="compare-template"]').click()
    template = tmp_path / "会员比对模板.xlsx"
    download.value.save_as(template)
    template_header = [c.value for c in load_workbook(template)["会员信息"][1]]
    file_name = f"在册会员名单{mark}.xlsx"
    write_roster(template, [*kept, *extra, extra[0]], tmp_path / file_name)  # one person listed twice
    page.locator('[data-test="compare-file"] input[type="file"]').set_input_files(tmp_path / file_name)
    ui.shot(page, "roster-chosen")
    with page.expect_response(lambda r: r.url.endswith("/api/compares") and r.request.method == "POST") as answer:
        page.locator('[data-test="compare-submit"]').click()
    assert answer.value.status == 202, answer.value.text()
    expect(ui.message(page)).to_have_text("文件已上传，正在后台比对")

    row = ui.rows(page.locator('[data-test="compare-table"]')).filter(has_text=file_name)
    expect(row.locator(".el-tag")).to_have_text("比对完成", timeout=COMPARE_TIMEOUT_MS)
    # 操作账号 (the login), then 名单人数 (rows read), 平台有、名单无, 名单有、平台无 (the person listed
    # twice counts once)
    cells = row.locator("td").all_inner_texts()
    assert (cells[1], *cells[4:7]) == (clerk["account"], "6", "5", "3"), cells
    ui.shot(page, "compare-done")
    page.locator('[data-test="compare-filter-account"]').fill(clerk["account"])
    with page.expect_response(lambda r: "/api/compares?" in r.url and r.request.method == "GET") as answer:
        page.locator('[data-test="compare-filter-account"]').press("Enter")
    assert [c["file_name"] for c in answer.value.json()["items"]] == [file_name]

    with page.expect_response(lambda r: "/missing?" in r.url and r.request.method == "GET") as listed:
        row.locator('[data-test="compare-open"]').click()
    assert listed.value.status == 200, listed.value.text()
    detail = page.locator('[data-test="compare-detail-dialog"]')
    expect(detail).to_contain_text(f"{file_name}（")
    expect(detail).to_contain_text(f"，{clerk['account']}）")
    expect(detail).to_contain_text(re.compile(r"名单 6 人，\s*平台有、名单无 5 人，\s*名单有、平台无 3 人"))
    table = detail.locator('[data-test="compare-missing"]')
    expect(ui.rows(table)).to_have_count(len(missing))
    for person in missing:
        shown = ui.rows(table).filter(has_text=person["姓名"])
        expect(shown).to_contain_text(mask_id_number(person["证件号码"]))
        expect(shown).to_contain_text("待处理")
    assert not any(p["证件号码"] in page.content() for p in people), "a full ID number on screen"
    ui.shot(page, "missing-to-handle")

    def missing_row(person: dict[str, str]) -> Locator:
        return ui.rows(table).filter(has_text=person["姓名"])

    for person, action in zip(missing[:4], HANDLINGS[:4], strict=True):
        dialog = handle(page, missing_row(person), action)
        if action in ("转出", "退休"):
            ui.shot(page, f"handling-{action}")
        submit_handling(page, dialog)
        message = "已提交" if action == "转出" else f"已处理：{person['姓名']}（{action}）"
        expect(ui.message(page)).to_contain_text(message)
        expect(missing_row(person)).to_contain_text(action)

    keep = missing[4]  # 退休 is refused (a transfer waits for review); the clerk keeps them instead
    dialog = handle(page, missing_row(keep), "退休")
    with page.expect_response(lambda r: r.url.endswith("/handling")) as answer:
        dialog.locator('[data-test="compare-handling-submit"]').click()
    assert answer.value.status == 409 and answer.value.json()["code"] == "member.transfer_pending", answer.value.text()
    expect(dialog.locator('[data-test="compare-handling-error"]')).to_contain_text("该会员有待审核的转移申请，请先处理")
    ui.shot(page, "handling-refused")
    radio(dialog.locator('[data-test="compare-handling-action"]'), "保留")
    expect(dialog).to_contain_text("保留该会员，不做变更")
    _, reload = submit_handling(page, dialog)

    handled = {m["name"]: m for m in reload.json()["items"]}
    assert {name: m["handling"] for name, m in handled.items()} == {
        p["姓名"]: a for p, a in zip(missing, HANDLINGS, strict=True)
    }
    for person, action in zip(missing, HANDLINGS, strict=True):
        m = handled[person["姓名"]]
        assert (m["handled_by"], m["handled_by_name"]) == (str(clerk["id"]), clerk["name"]), m
        shown = missing_row(person)
        # the tag, then who (the name the gateway put beside the account id) and when
        expect(shown).to_contain_text(re.compile(rf"{action}\s*{clerk['name']} {shown_at(m['handled_at'])}"))
        expect(shown.locator('[data-test="compare-handle"]')).to_be_disabled()
    ui.shot(page, "missing-handled")

    extra_button = detail.locator('[data-test="compare-detail-extra"]')
    expect(extra_button).to_have_text("下载比对结果（3 人）")
    with page.expect_download() as download:
        extra_button.click()
    result = tmp_path / "比对结果.xlsx"
    download.value.save_as(result)
    rows = [list(r) for r in load_workbook(result)["会员信息"].iter_rows(values_only=True)]
    assert rows[0] == template_header, rows[0]  # ready for 批量导入: the template's columns, full ID numbers
    labels = [str(h).rstrip("*") for h in template_header]
    assert [[c or "" for c in r] for r in rows[1:]] == [[p[label] for label in labels] for p in extra], rows[1:]
    detail.locator(".el-dialog__headerbtn").click()
    expect(detail).to_be_hidden(timeout=CLOSED_MS)

    open_menu(page, "members", "/members")  # 转出 and 保留 stay 正常 (the transfer waits for review) …
    active = search_members(page, mark)["items"]
    assert {m["name"] for m in active} == {p["姓名"] for p in [missing[0], missing[4], *kept]}, active
    ui.shot(page, "members-active")
    ui.pick(page, page.locator('[data-test="member-filter-status"]'), "已删除")
    deleted = search_members(page, mark)["items"]  # … 退休 / 死亡 / 犯罪 are deleted, kept as history
    assert {m["name"]: (m["status"], m["deleted_reason"], m["deleted_by_name"]) for m in deleted} == {
        p["姓名"]: ("已删除", a, clerk["name"]) for p, a in zip(missing[1:4], HANDLINGS[1:4], strict=True)
    }
    expect(ui.rows(page.locator('[data-test="member-table"]'))).to_have_count(3)
    ui.shot(page, "members-deleted")

    with ui.stack.api_login(clerk["account"], clerk["password"]) as http:
        out = http.get("/api/transfers", params={"direction": "out", "member_name": missing[0]["姓名"]}).json()
    (transfer,) = out["items"]
    assert transfer["state"] == "待审核" and transfer["reason"] == "会员比对：不在上传的会员名单中", transfer
    assert "临时工会" in transfer["to_org_name"] and transfer["requested_by_name"] == clerk["name"], transfer
