"""会员管理 in headless Chromium against the whole local stack, as the demo grassroots clerk (jiceng):
download the import template, fill it with a roster of its own union (50 good rows, 2 bad ones),
upload it as 关联企业类 with one of the union's covered enterprises, watch the progress bar reach
已完成, read 查看导入结果 (row, column, reason of each rejected row) and find the new members in
会员信息 with masked ID numbers; then add one member with the form, edit it and request its
transfer to another district's 临时工会. A screenshot of every step lands in tests/artifacts/browser/.
"""

from __future__ import annotations

import re
import secrets
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from openpyxl import load_workbook
from playwright.sync_api import Locator, Page, expect

from runtime.identity import make_id_number, mask_id_number

if TYPE_CHECKING:  # conftest.py is not importable as a module: its fixture `ui` hands the helpers over
    from conftest import UI

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

DIGITS = "甲乙丙丁戊己庚辛壬癸"  # names may not contain digits: the row number in Chinese
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许"
GOOD_ROWS = 50
IMPORT_TIMEOUT_MS = 90_000
# A dialog closes once its request answered and the list reloaded: slow when the 2-core machine is busy.
CLOSED_MS = 20_000


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
    page.locator('[data-test="member-filter-name"]').fill(name)
    with page.expect_response(lambda r: "/api/members?" in r.url and r.request.method == "GET") as answer:
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
