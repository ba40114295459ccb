"""上海职工互助保障项目2020, a unit's 集中参保 from its 参保编码申请 to 参保已完成, in headless Chromium against
the whole local stack (the runner shows the SMS codes on the page: ENROLLMENT_SMS_SHOW_CODE).

The demo grassroots clerk (jiceng) applies for its union's 参保编码 with the SMS code and the sealed
licence; the insurer (zhibao) approves it in 参保编码审核; the clerk fills in 经办人填报, opens a 集中参保办理
batch and builds its roster from the downloaded template: 12 people (8 with 社保, 4 without, one of them
with a passport), a man over the age limit and a row whose ID number is wrong — the import takes 13 and
lists the wrong one by its Excel row. 清册校验 asks to remove the man over age; once he is removed the
unit, new to the programme, must attach its 社会保险费缴费申报表 and confirm the 12 people no suggested
roster matched (人员确认承诺书): 清册提交 → 职保会待审核, approved in 清册附件审核. The clerk chooses A0 B0 C0 and
A1: the premium table comes out as the manual prices it, computed here (A0 B0 C0 together 180 instead of
190 for the 8 with 社保; B0 55 + C0 15 for the 4 without, who cannot hold A0; A1 135 for all 12: 3,340
元). 提交确认保费 → 缴费凭证待上传; in 缴费管理 the clerk pays 5,000 元 against it (退款 1,660 = paid − due) and
the insurer approves the voucher: the batch is 参保已完成 and its 操作记录 lists every step.

The year is the one whose 集中参保 is next June (the one the batch screen offers in November); its window
is opened around now by the city for the test, and the manual's calendar put back afterwards. A
screenshot of every step lands in tests/artifacts/browser/ (mutual-aid-NN-*.png).
"""

from __future__ import annotations

import re
import struct
import time
import zlib
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Locator, Page, expect

from enrollment.demo import MUTUAL_AID, mutual_aid_year, mutual_aid_years
from runtime.clock import SHANGHAI
from runtime.identity import make_id_number, make_uscc, mask_id_number

if TYPE_CHECKING:  # conftest.py is not importable as a module: its fixture `ui` hands the helpers over
    from conftest import UI

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

YEAR = mutual_aid_years(datetime.now(SHANGHAI).date())[1]  # its 集中参保 is in June, before its July 1
YEAR_PATH = f"/api/enrollment/programmes/{MUTUAL_AID}/years/{YEAR}"
CONTACT_PHONE, HANDLER_PHONE = "13812340001", "13912340002"  # one SMS a minute per number: two numbers
SLOW_MS = 120_000  # what other processes answer later: the roster import, the check, billing's news
BILLING_TIMEOUT = 180.0

# 上海职工互助保障项目2020一览表 (manual 002), 全年 in fen; A0 only for people in 职保 (是否有社保 = 是)
PRICES = {"A0": 12000, "B0": 5500, "C0": 1500, "A1": 13500, "B1": 10000, "C1": 4000}
BUNDLE, BUNDLE_DISCOUNT = ("A0", "B0", "C0"), 1000  # 190 → 180 元 for a cover longer than half a year
CHOSEN = ("A0", "B0", "C0", "A1")
PAID_FEN = 500000  # the voucher: 5,000 元, more than the premium — the rest is refunded


def person(n: int, born: date, male: bool) -> str:
    return make_id_number("310104", born, n, male)


# 参保名单导入模板 rows: 姓名, 证件类型, 证件号码, 出生日期, 性别, 手机号, 是否有社保
WITH_SS = [
    ("赵一鸣", person(1, date(1985, 3, 12), True)),
    ("钱二妹", person(2, date(1990, 7, 1), False)),
    ("孙三立", person(3, date(1978, 11, 30), True)),
    ("李四红", person(4, date(1993, 2, 14), False)),
    ("周五洋", person(5, date(1982, 5, 5), True)),
    ("吴六月", person(6, date(1996, 6, 18), False)),
    ("郑七星", person(7, date(1975, 9, 9), True)),
    ("王八方", person(8, date(1988, 12, 24), True)),
]
WITHOUT_SS = [
    ("冯九歌", person(9, date(1999, 1, 8), False)),
    ("陈十全", person(10, date(2000, 4, 20), True)),
    ("褚小雨", person(11, date(1994, 10, 3), False)),
]
PASSPORT = ("MARTIN LEE", "E12345678", "1987-08-15", "男")  # 非身份证: 出生日期 and 性别 from the row, no 社保
OVER_AGE = ("卫老汉", person(12, date(YEAR - 61, 3, 1), True))  # 61 on July 1: over the men's 60
WRONG = person(13, date(1991, 1, 1), True)
WRONG_ID = ("蒋错号", WRONG[:-1] + ("0" if WRONG[-1] != "0" else "1"))  # its check digit changed
DECLARATION = re.compile(r"^社保缴费申报表\s*社会保险费缴费申报表\.png")  # 附件类型, 文件
SS_PERSONS, NON_SS_PERSONS = len(WITH_SS), len(WITHOUT_SS) + 1
INSURED = SS_PERSONS + NON_SS_PERSONS  # 12


def yuan(fen: int) -> str:
    """As the screens show money (lib/money.ts)."""
    return str(fen // 100) if fen % 100 == 0 else f"{fen / 100:.2f}"


def premium_rows() -> list[list[str]]:
    """保费信息 as the manual prices it: the A0 B0 C0 bundle first, then each chosen item that somebody holds
    outside it — 参加项目, 费用标准, 优惠金额, 实际费用, 社保人员 人数/费用, 非社保人员 人数/费用, 合计费用."""
    rows: dict[str, list[int]] = {}  # label → [standard, discount, ss persons, non-ss persons]
    for has_ss, persons in ((True, SS_PERSONS), (False, NON_SS_PERSONS)):
        held = [c for c in CHOSEN if has_ss or c != "A0"]
        if set(BUNDLE) <= set(held):
            bundle = rows.setdefault(" ".join(BUNDLE), [sum(PRICES[c] for c in BUNDLE), BUNDLE_DISCOUNT, 0, 0])
            bundle[2 if has_ss else 3] += persons
            held = [c for c in held if c not in BUNDLE]
        for code in held:
            rows.setdefault(code, [PRICES[code], 0, 0, 0])[2 if has_ss else 3] += persons
    order = [" ".join(BUNDLE), *CHOSEN]
    shown = []
    for label in (lbl for lbl in order if lbl in rows):
        standard, discount, ss, non_ss = rows[label]
        price = standard - discount
        shown.append([label, yuan(standard), yuan(discount), yuan(price), str(ss), yuan(price * ss), str(non_ss),
                      yuan(price * non_ss), yuan(price * (ss + non_ss))])  # fmt: skip
    return shown


def premium_totals() -> tuple[int, int]:
    """(社保人员, 非社保人员) in fen."""
    rows = premium_rows()
    return sum(_fen(r[5]) for r in rows), sum(_fen(r[7]) for r in rows)


def _fen(text: str) -> int:
    return round(float(text) * 100)


def png(width: int = 320, height: int = 200) -> bytes:
    """A scanned page as the clerk photographs it: a real PNG (white, a red seal band, ruled lines)."""

    def pixel(x: int, y: int) -> bytes:
        if y < 30:
            return b"\xc8\x10\x2e"
        return b"\xc0\xc4\xcc" if y % 24 == 0 else b"\xff\xff\xff"

    raw = b"".join(b"\x00" + b"".join(pixel(x, y) for x in range(width)) for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def upload(target: Locator, name: str, content: bytes, mime: str = "image/png") -> None:
    """Choose a file in an el-upload (its hidden input)."""
    target.locator('input[type="file"]').set_input_files({"name": name, "mimeType": mime, "buffer": content})


def open_menu(page: Page, key: str) -> None:
    page.locator(f'[data-test="menu-{key}"]').click()
    expect(page).to_have_url(re.compile(rf"/{key}(\?.*)?$"))


def open_tab(page: Page, label: str) -> None:
    page.locator('[data-test="ma-batch-tabs"] .el-tabs__item', has_text=re.compile(rf"^{label}$")).click()


def sms_code(ui: UI, page: Page, scope: Locator) -> str:
    """【获取验证码】: the code the local sender shows beside the button (development only)."""
    scope.locator('[data-test="sms-send"]').click()
    expect(ui.message(page)).to_contain_text("验证码已发送至")
    shown = scope.locator('[data-test="sms-dev-code"]')
    expect(shown).to_have_text(re.compile(r"（开发环境验证码：\d{6}）"))
    found = re.search(r"\d{6}", shown.inner_text())
    assert found
    return found.group(0)


def roster_file(template: Path) -> bytes:
    """The downloaded 参保名单导入模板 filled in, as a clerk fills it in Excel."""
    book = load_workbook(template)
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]][:3] == ["*姓名", "*证件类型 (身份证、非身份证)", "*证件号码"]
    for name, number in WITH_SS:
        sheet.append([name, "身份证", number, None, None, None, "是"])
    sheet.append([OVER_AGE[0], "身份证", OVER_AGE[1], None, None, "13700001111", "是"])
    for name, number in WITHOUT_SS:
        sheet.append([name, "身份证", number, None, None, None, "否"])
    sheet.append([PASSPORT[0], "非身份证", PASSPORT[1], PASSPORT[2], PASSPORT[3], None, "否"])
    sheet.append([WRONG_ID[0], "身份证", WRONG_ID[1], None, None, None, "是"])
    out = template.with_name("参保名单-已填写.xlsx")
    book.save(out)
    return out.read_bytes()


def calendar(body: dict[str, Any]) -> dict[str, Any]:
    """The manual's year with 集中参保 open around now (it is June 1–30 otherwise)."""
    now = datetime.now(SHANGHAI).replace(microsecond=0)
    day = timedelta(days=1)
    body["windows"] |= {"collective": {"opens_at": (now - day).isoformat(), "closes_at": (now + 30 * day).isoformat()}}
    return body


def set_year(ui: UI, body: dict[str, Any]) -> None:
    with ui.stack.api_login("shizong") as http:
        r = http.put(YEAR_PATH, json=body)
        assert r.status_code == 200, r.text


@pytest.fixture(autouse=True)
def patient_screens() -> Any:
    """Twenty steps on a shared two-core machine: each screen gets 15 s to show what it should (5 s
    elsewhere), the slow background steps SLOW_MS."""
    expect.set_options(timeout=15_000)
    try:
        yield
    finally:
        expect.set_options(timeout=5_000)


@pytest.fixture
def collective_open(ui: UI) -> Any:
    """集中参保办理 of the year open for the test; the manual's calendar again afterwards."""
    manual = mutual_aid_year(YEAR).model_dump(mode="json")
    set_year(ui, calendar(mutual_aid_year(YEAR).model_dump(mode="json")))
    try:
        yield YEAR
    finally:
        set_year(ui, manual)


def batch_row(page: Page, no: str) -> Locator:
    """The batch's row in 参保批次管理, searched by its number."""
    page.locator('[data-test="ma-filter-batch"]').fill(no)
    with page.expect_response(lambda r: "/api/mutual-aid/batches?" in r.url) as answer:
        page.locator('[data-test="ma-search"]').click()
    assert answer.value.status == 200, answer.value.text()
    expect(page.locator('[data-test="ma-batches-table"] .el-loading-mask:visible')).to_have_count(0)
    return page.locator('[data-test="ma-batches-table"] .el-table__body tr.el-table__row').filter(has_text=no)


def wait_for_status(page: Page, no: str, status: str) -> Locator:
    """Search again until the batch shows `status` (set when billing's news reaches enrollment)."""
    deadline = time.monotonic() + BILLING_TIMEOUT
    while True:
        row = batch_row(page, no)
        expect(row).to_have_count(1)
        shown = row.locator('[data-test="ma-status"]').inner_text()
        if shown == status:
            return row
        assert time.monotonic() < deadline, f"batch {no} is still {shown}, not {status}"
        time.sleep(1)


def payable_ready(ui: UI, no: str) -> dict[str, Any]:
    """Billing has made the confirmed premium into the clerk's payable."""
    with ui.stack.api_login("jiceng") as http:
        deadline = time.monotonic() + BILLING_TIMEOUT
        while True:
            r = http.get(f"/api/billing/payables/{no}")
            if r.status_code == 200:
                return r.json()  # type: ignore[no-any-return]
            assert time.monotonic() < deadline, f"billing never showed {no} to jiceng: {r.text[:300]}"
            time.sleep(1)


def test_mutual_aid_collective_enrollment_from_code_application_to_completion(  # noqa: PLR0915 - one flow, step by step
    ui: UI, collective_open: int, tmp_path: Path
) -> None:
    with ui.stack.api_login("jiceng") as http:
        me = http.get("/api/me").json()
    unit = me["org_name"]

    # --- jiceng: 参保编码申请 — the form, the SMS code shown on the page, the sealed licence ---------------
    clerk = ui.page()
    ui.login(clerk, "jiceng")
    open_menu(clerk, "mutual-aid-code-applications")
    clerk.locator('[data-test="code-application-new"]').click()
    form = clerk.locator('[data-test="code-application-dialog"]')
    expect(form).to_be_visible()
    form.locator('[data-test="ca-unit-name"]').fill(unit)
    form.locator('[data-test="ca-committee"]').fill("徐汇区")
    form.locator('[data-test="ca-uscc"]').fill(make_uscc(2027))
    ui.pick(clerk, form.locator('[data-test="ca-nature"]'), "企业")
    form.locator('[data-test="ca-contact"]').fill("章联系")
    form.locator('[data-test="ca-address"]').fill("上海市徐汇区虹漕路88号")
    form.locator('[data-test="ca-phone"]').fill(CONTACT_PHONE)
    form.locator('[data-test="ca-postcode"]').fill("200233")
    form.locator('[data-test="ca-email"]').fill("zhang@example.com")
    form.locator('[data-test="ca-headcount"] input').fill(str(INSURED))
    form.locator('[data-test="ca-sms-code"]').fill(sms_code(ui, clerk, form))
    with clerk.expect_response(lambda r: "/api/mutual-aid/attachments?" in r.url) as a:
        upload(form.locator('[data-test="attachment-upload"]'), "营业执照（盖章）.png", png())
    assert a.value.status == 201, a.value.text()
    expect(form.locator('[data-test="attachment-list"] li')).to_have_text([re.compile(r"^营业执照（盖章）\.png")])
    ui.shot(clerk, "code-application-form")
    applications = lambda r: r.url.endswith("/api/mutual-aid/code-applications") and r.request.method == "POST"  # noqa: E731
    with clerk.expect_response(applications) as a:
        form.locator('[data-test="code-application-submit"]').click()
    assert a.value.status == 201, a.value.text()
    application = a.value.json()
    assert (application["unit_name"], application["status"], application["code"]) == (unit, "申请中", None)
    expect(form).to_be_hidden()
    expect(ui.message(clerk)).to_contain_text("申请已提交，请等待审核")
    mine = ui.rows(clerk.locator('[data-test="code-applications-table"]')).filter(has_text=unit)
    expect(mine.locator('[data-test="ca-status"]')).to_have_text("申请中")
    ui.shot(clerk, "code-application-submitted")

    # --- zhibao: 参保编码审核 — the application in the 申请中 queue, approved: the code is generated ----------
    insurer = ui.page()
    ui.login(insurer, "zhibao")
    open_menu(insurer, "mutual-aid-code-review")
    queued = ui.rows(insurer.locator('[data-test="code-review-table"]')).filter(has_text=unit)
    expect(queued).to_have_count(1)
    expect(queued).to_contain_text("章联系")
    expect(queued.locator('[data-test="cr-status"]')).to_have_text("申请中")
    queued.locator('[data-test="cr-view"]').click()
    detail = insurer.locator('[data-test="application-detail"]')
    expect(detail.locator('[data-test="application-attachments"] li')).to_have_text(["营业执照（盖章）.png"])
    ui.shot(insurer, "code-review-detail")
    detail.locator(".el-drawer__close-btn").click()
    expect(detail).to_be_hidden()
    queued.locator('[data-test="cr-approve"]').click()
    expect(insurer.locator(".el-message-box")).to_contain_text(f"“{unit}”的参保编码申请审核通过并生成参保编码？")
    with insurer.expect_response(lambda r: r.url.endswith(f"/code-applications/{application['id']}/approve")) as a:
        ui.confirm(insurer)
    assert a.value.status == 200, a.value.text()
    code = a.value.json()["code"]
    assert code and a.value.json()["status"] == "审核通过", a.value.text()
    expect(ui.message(insurer)).to_have_text(f"审核通过，参保编码：{code}")
    expect(queued).to_have_count(0)  # the queue shows 申请中 only
    ui.shot(insurer, "code-approved")

    # --- jiceng: 我的参保编码 (经办人 not yet filled in), then 经办人填报 ---------------------------------------
    clerk.reload()
    codes = ui.rows(clerk.locator('[data-test="my-codes"]'))
    expect(codes).to_have_count(1)
    expect(codes.locator('[data-test="my-code"]')).to_have_text(code)
    expect(codes).to_contain_text("未填报")
    expect(mine.locator('[data-test="ca-status"]')).to_have_text("审核通过")
    ui.shot(clerk, "my-code")
    open_menu(clerk, "mutual-aid-handler")
    expect(clerk.locator('[data-test="handler-incomplete"]')).to_be_visible()
    # prefilled from the application
    expect(clerk.locator('[data-test="handler-uscc"]')).to_have_value(make_uscc(2027))
    expect(clerk.locator('[data-test="handler-headcount"] input')).to_have_value(str(INSURED))
    handler = {"name": "李经办", "phone": HANDLER_PHONE, "email": "li@example.com", "economic-type": "有限责任公司",
               "union-first": "徐汇区总工会", "union-second": "虹梅街道总工会", "industry": "制造业"}  # fmt: skip
    for key, value in handler.items():
        clerk.locator(f'[data-test="handler-{key}"]').fill(value)
    page_body = clerk.locator('[data-test="handler-page"]')
    clerk.locator('[data-test="handler-sms-code"]').fill(sms_code(ui, clerk, page_body))
    ui.shot(clerk, "handler-form")
    with clerk.expect_response(lambda r: r.url.endswith(f"/codes/{code}/handler") and r.request.method == "PUT") as a:
        clerk.locator('[data-test="handler-save"]').click()
    assert a.value.status == 200, a.value.text()
    expect(ui.message(clerk)).to_have_text("经办人信息已保存，可以进行后续操作")
    expect(clerk.locator('[data-test="handler-complete"]')).to_contain_text("已完善")

    # --- jiceng: 参保批次管理 → 集中参保办理 (this year's window open) ---------------------------------------
    open_menu(clerk, "mutual-aid-batches")
    expect(clerk.locator('[data-test="ma-open-year"]', has_text="集中参保办理")).to_have_text(
        f"集中参保办理 || 参保年度为{YEAR}年7月1日至{YEAR + 1}年6月30日。"
    )
    clerk.locator('[data-test="ma-create-collective"]').click()
    creating = clerk.locator('[data-test="batch-create-dialog"]')
    expect(creating.locator('[data-test="batch-create-year"]')).to_have_text(
        f"参保年度为{YEAR}年7月1日至{YEAR + 1}年6月30日。"
    )
    expect(creating.locator('[data-test="batch-create-code"]')).to_contain_text(f"{code}（{unit}）")
    expect(creating.locator('[data-test="batch-create-unit"]')).to_contain_text(unit)
    ui.shot(clerk, "batch-create")
    created = lambda r: r.url.endswith("/api/mutual-aid/batches") and r.request.method == "POST"  # noqa: E731
    with clerk.expect_response(created) as a:
        creating.locator('[data-test="batch-create-submit"]').click()
    assert a.value.status == 201, a.value.text()
    batch = a.value.json()
    no = batch["batch_no"]
    assert (batch["status"], batch["enrollment_type"], batch["year"], batch["code"]) == (
        "清册待校验", "集中参保", YEAR, code,
    ), batch  # fmt: skip
    expect(clerk).to_have_url(re.compile(rf"batch={no}"))
    status = clerk.locator('[data-test="ma-batch-status"]')
    expect(status).to_have_text("清册待校验")
    facts = clerk.locator('[data-test="ma-batch-facts"]')
    expect(facts).to_contain_text(f"李经办 {HANDLER_PHONE[:3]}")

    # --- 参保清册: the template downloaded, filled in and uploaded; the wrong row listed by its Excel row -------
    roster = clerk.locator('[data-test="ma-roster"]')
    with clerk.expect_download() as download:
        roster.locator('[data-test="ma-template"]').click()
    assert download.value.suggested_filename == "参保名单导入模板.xlsx"
    template = tmp_path / "参保名单导入模板.xlsx"
    download.value.save_as(template)
    content = roster_file(template)
    with clerk.expect_response(lambda r: f"/batches/{no}/imports?" in r.url) as a:
        upload(roster.locator('[data-test="ma-upload-file"]'), "参保名单.xlsx", content,
               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")  # fmt: skip
    assert a.value.status == 202, a.value.text()
    read, taken = INSURED + 2, INSURED + 1  # the 12, the man over age, the wrong ID number
    expect(roster.locator('[data-test="ma-upload-summary"]')).to_have_text(
        f"-----处理完成 数据读取：{read}人，成功导入：{taken}条信息（新增加{taken}人，修改0人），"
        "导入失败：1条信息。-----",
        timeout=SLOW_MS,
    )
    rejected = roster.locator('[data-test="ma-upload-rejections"] .el-table__body tr.el-table__row')
    expect(rejected).to_have_count(1)
    expect(rejected.locator("td")).to_have_text([str(read + 1), WRONG_ID[0], "证件号码", "证件号码校验位错误"])
    expect(roster).to_contain_text(f"共 {taken} 人")
    people = ui.rows(roster.locator('[data-test="ma-rows-table"]'))
    expect(people).to_have_count(taken)
    passport = people.filter(has_text=PASSPORT[0])
    cells = passport.locator("td")  # 选择, 姓名, 证件号码 (masked), 证件类型, 是否建议名单, 职退状态, 是否有社保 …
    for i, text in ((2, mask_id_number(PASSPORT[1])), (3, "非身份证"), (5, "-"), (6, "否")):
        expect(cells.nth(i)).to_have_text(text)
    ui.shot(clerk, "roster-uploaded")

    # --- 清册校验: the man over age is flagged; removed, the new unit is asked for its declaration ----------
    open_tab(clerk, "清册校验")
    check = clerk.locator('[data-test="ma-check"]')
    check.locator('[data-test="ma-validate"]').click()
    outcome = check.locator('[data-test="ma-check-outcome"]')
    expect(outcome).to_contain_text(f"清册校验不通过（拟参保 {INSURED} 人", timeout=SLOW_MS)
    expect(outcome).to_contain_text("以下有1位人员，请移除或勾选后再次校验！")
    removals = check.locator('[data-test="ma-removals"] .el-table__body tr.el-table__row')
    expect(removals).to_have_count(1)
    expect(removals).to_contain_text(OVER_AGE[0])
    expect(removals).to_contain_text("否（超龄）")
    expect(status).to_have_text("清册校验不通过")
    ui.shot(clerk, "check-over-age")
    removals.locator('[data-test="ma-remove-flagged"]').click()
    expect(ui.message(clerk)).to_contain_text(f"已移除“{OVER_AGE[0]}”")
    expect(removals).to_have_count(0)
    check.locator('[data-test="ma-validate"]').click()
    expect(outcome).to_contain_text(f"需上传附件（拟参保 {INSURED} 人", timeout=SLOW_MS)
    expect(outcome).to_contain_text("请上传附件：《社会保险费缴费申报表》或《单位参加城镇社会保险基本情况》")
    expect(status).to_have_text("清册待校验")  # nothing to remove any more: ready for 清册提交
    check.locator('[data-test="ma-check-tabs"] .el-tabs__item', has_text="清册增减幅度校验").click()
    expect(check.locator('[data-test="ma-change"]')).to_contain_text("新参保单位：无上年度参保人数")
    check.locator('[data-test="ma-check-tabs"] .el-tabs__item', has_text="无单位社保编码人员确认").click()
    expect(check.locator('[data-test="ma-unmatched"]')).to_contain_text(re.compile(rf"拟参保人数\s*{INSURED}"))
    attachments = check.locator('[data-test="ma-attachments"]')
    upload(attachments.locator('[data-test="ma-attach-main"]'), "社会保险费缴费申报表.png", png())
    expect(ui.message(clerk)).to_contain_text("社保缴费申报表“社会保险费缴费申报表.png”已上传")
    expect(ui.rows(attachments.locator('[data-test="ma-attachment-list"]'))).to_contain_text([DECLARATION])
    ui.shot(clerk, "check-evidence")

    # --- 清册提交: 承诺书 and 人员确认承诺书 for the 12 no suggested roster matched → 职保会待审核 -----------------
    check.locator('[data-test="ma-submit"]').click()
    commitment = clerk.locator('[data-test="ma-commitment"]')
    expect(commitment.locator('[data-test="ma-people-commitment"]')).to_contain_text(f"（{INSURED}人）")
    commitment.locator('[data-test="ma-submit-confirm"]').click()
    expect(commitment.locator('[data-test="ma-submit-error"]')).to_have_text("请勾选【我已阅读并同意】")
    commitment.locator('[data-test="ma-agree"]').click()
    ui.shot(clerk, "commitment")
    with clerk.expect_response(lambda r: r.url.endswith(f"/batches/{no}/submission")) as a:
        commitment.locator('[data-test="ma-submit-confirm"]').click()
    assert a.value.status == 200, a.value.text()
    assert a.value.request.post_data_json == {"commitment_accepted": True, "people_confirmed": True}
    expect(commitment).to_be_hidden()
    expect(ui.message(clerk)).to_contain_text("清册已提交，等待职保会审核")
    expect(status).to_have_text("职保会待审核")
    expect(facts).to_contain_text(f"{YEAR}-07-01")  # 起保日期: the year's July 1
    expect(facts).to_contain_text(f"{YEAR + 1}-06-30")

    # --- zhibao: 清册附件审核 — why (新参保单位), the declaration, 审核通过 -----------------------------------
    open_menu(insurer, "mutual-aid-batch-review")
    waiting = ui.rows(insurer.locator('[data-test="ma-review-table"]')).filter(has_text=no)
    expect(waiting).to_have_count(1)
    expect(waiting).to_contain_text(unit)
    expect(waiting).to_contain_text("新参保单位")
    expect(waiting.locator("td").nth(5)).to_have_text(str(INSURED))  # 拟参保人数
    waiting.locator('[data-test="ma-review-view"]').click()
    drawer = insurer.locator('[data-test="ma-review-drawer"]')
    expect(ui.rows(drawer.locator('[data-test="ma-attachment-list"]'))).to_contain_text([DECLARATION])
    ui.shot(insurer, "batch-review")
    drawer.locator('[data-test="ma-review-drawer-approve"]').click()
    with insurer.expect_response(lambda r: r.url.endswith(f"/batches/{no}/approve")) as a:
        ui.confirm(insurer)
    assert a.value.status == 200 and a.value.json()["status"] == "职保会审核通过", a.value.text()
    expect(ui.message(insurer)).to_have_text(f"批次 {no}：职保会审核通过")
    expect(waiting).to_have_count(0)

    # --- jiceng: 保障项目 — A0 B0 C0 + A1, the premium table against the manual's prices --------------------
    clerk.reload()
    expect(status).to_have_text("职保会审核通过")
    open_tab(clerk, "保障项目")
    items = clerk.locator('[data-test="ma-items"]')
    for code_ in BUNDLE:
        items.locator('[data-test="ma-basics"] .el-checkbox', has_text=f"{code_}（{yuan(PRICES[code_])}元/人）").click()
    items.locator('[data-test="ma-plus-A0"] .el-radio', has_text=f"A1（{yuan(PRICES['A1'])}元/人）").click()
    with clerk.expect_response(lambda r: f"/batches/{no}/premium" in r.url and r.request.method == "GET") as a:
        items.locator('[data-test="ma-generate"]').click()
    assert a.value.status == 200, a.value.text()
    ss_fen, non_ss_fen = premium_totals()
    due = ss_fen + non_ss_fen
    assert due == 334000  # 8 × (180 + 135) + 4 × (55 + 15 + 135) = 2,520 + 820
    table = items.locator('[data-test="ma-premium-table"]')
    shown_rows = ui.rows(table)
    expect(shown_rows).to_have_count(len(premium_rows()))
    for i, expected in enumerate(premium_rows()):
        expect(shown_rows.nth(i).locator("td")).to_have_text(expected)
    # 总计: each person once (8 with 社保, 4 without — not 16 and 12, their item lines), the money per group
    expect(table.locator(".el-table__footer td")).to_have_text(
        ["总计", *["----"] * 3, str(SS_PERSONS), yuan(ss_fen), str(NON_SS_PERSONS), yuan(non_ss_fen), yuan(due)]
    )
    expect(items.locator('[data-test="ma-premium-total"]')).to_have_text(
        f"社保人员 {SS_PERSONS} 人 {yuan(ss_fen)} 元，非社保人员 {NON_SS_PERSONS} 人 {yuan(non_ss_fen)} 元，"
        f"总计 {yuan(due)} 元"
    )
    table.scroll_into_view_if_needed()
    ui.shot(clerk, "premium")
    confirm = lambda r: f"/batches/{no}/premium" in r.url and r.request.method == "POST"  # noqa: E731
    with clerk.expect_response(confirm) as a:
        items.locator('[data-test="ma-confirm-premium"]').click()
    assert a.value.status == 200, a.value.text()
    confirmed = a.value.json()
    assert (confirmed["status"], confirmed["amount_fen"], confirmed["items"]) == ("缴费凭证待上传", due, list(CHOSEN))
    expect(ui.message(clerk)).to_have_text(f"保费已确认：{yuan(due)}元，请于15天内缴费并上传缴费凭证")
    expect(status).to_have_text("缴费凭证待上传")
    expect(items.locator('[data-test="ma-payee"]')).to_contain_text(
        "户名：上海市职工保障互助会　账号：31602300008022150　开户行：上海银行人民广场支行"
    )
    expect(clerk.locator('[data-test="ma-pay-hint"]')).to_contain_text(f"批次号 {no}")
    ui.shot(clerk, "premium-confirmed")

    # --- 缴费管理: 5,000 元 against the premium → 退款 = paid − due, and the refund account --------------------
    payable = payable_ready(ui, no)
    assert (payable["due_fen"], payable["payer_org_name"], payable["status"]) == (due, unit, "缴费凭证待上传"), payable
    refund_fen = PAID_FEN - due
    open_menu(clerk, "billing-payables")
    clerk.locator('[data-test="payable-filter-batch"]').fill(no)
    clerk.locator('[data-test="payable-search"]').click()
    owed = ui.rows(clerk.locator('[data-test="payable-table"]')).filter(has_text=no)
    expect(owed.locator('[data-test="payable-due"]')).to_have_text(yuan(due))
    owed.locator('[data-test="payable-pay"]').click()
    expect(clerk).to_have_url(re.compile(r"/billing-vouchers"))
    paying = clerk.locator('[data-test="voucher-dialog"]')
    paid_batch = paying.locator('[data-test="voucher-batches"] .el-table__row').filter(has_text=no)
    expect(paid_batch.locator(".el-checkbox")).to_have_class(re.compile("is-checked"))
    expect(paying.locator('[data-test="voucher-account-category"]')).to_contain_text("在职")  # mutual aid: in-service
    amount = paying.locator('[data-test="voucher-amount"] input')
    amount.fill(yuan(PAID_FEN))
    amount.press("Tab")
    expect(paying.locator('[data-test="voucher-due"]')).to_have_text(yuan(due))
    expect(paying.locator('[data-test="voucher-refund"]')).to_have_text(yuan(refund_fen))
    refund = paying.locator('[data-test="voucher-refund-form"]')
    expect(refund.locator('[data-test="refund-amount"]')).to_have_text(yuan(refund_fen))
    ui.pick(clerk, refund.locator('[data-test="refund-account-category"]'), "在职")
    refund.locator('[data-test="refund-account-no"]').fill("6222 0000 3333 4444")
    refund.locator('[data-test="refund-account-name"]').fill(unit)
    refund.locator('[data-test="refund-bank"]').fill("上海银行")
    upload(paying.locator('[data-test="voucher-file"]'), "缴费凭证.png", png())
    ui.shot(clerk, "voucher-form")
    with clerk.expect_response(lambda r: r.url.endswith("/api/billing/vouchers") and r.request.method == "POST") as a:
        paying.locator('[data-test="voucher-submit"]').click()
    assert a.value.status == 201, a.value.text()
    voucher = a.value.json()
    assert (voucher["amount_fen"], voucher["refund_fen"], voucher["state"]) == (PAID_FEN, refund_fen, "审核中"), voucher
    expect(paying).to_be_hidden()
    sent = ui.rows(clerk.locator('[data-test="voucher-table"]')).filter(has_text=voucher["voucher_no"])
    expect(sent.locator('[data-test="voucher-state"]')).to_have_text("审核中")
    expect(sent.locator('[data-test="voucher-row-refund"]')).to_have_text(f"退 {yuan(refund_fen)}")
    ui.shot(clerk, "voucher-submitted")

    # the voucher reached enrollment: the batch is 审核中 and its roster frozen
    open_menu(clerk, "mutual-aid-batches")
    reviewing = wait_for_status(clerk, no, "审核中")
    expect(reviewing.locator('[data-test="ma-amount"]')).to_have_text(yuan(due))  # 保费（元）

    # --- zhibao: 凭证审核 — approved, the refund of paid − due made ----------------------------------------
    open_menu(insurer, "billing-review")
    to_review = ui.rows(insurer.locator('[data-test="voucher-review-table"]')).filter(has_text=voucher["voucher_no"])
    expect(to_review.locator('[data-test="voucher-review-state"]')).to_have_text("审核中")
    to_review.locator('[data-test="voucher-review-approve"]').click()
    expect(insurer.locator(".el-message-box")).to_contain_text(f"超出部分 {yuan(refund_fen)} 元将生成退款")
    ui.shot(insurer, "voucher-approve")
    with insurer.expect_response(lambda r: r.url.endswith(f"/vouchers/{voucher['voucher_no']}/approve")) as a:
        ui.confirm(insurer)
    assert a.value.status == 200, a.value.text()
    approved = a.value.json()
    assert approved["confirmed_batches"] == [no] and approved["refund_no"], approved
    expect(ui.message(insurer)).to_contain_text(f"退款 {approved['refund_no']} 待退款")

    # --- jiceng: 参保批次管理 — 参保已完成, and the operation log of every step -------------------------------
    done = wait_for_status(clerk, no, "参保已完成")
    expect(done.locator('[data-test="ma-persons"]')).to_have_text(str(INSURED))  # 参保人数
    expect(done.locator('[data-test="ma-amount"]')).to_have_text(yuan(due))
    ui.shot(clerk, "completed")
    done.locator('[data-test="ma-view"]').click()
    expect(status).to_have_text("参保已完成")
    expect(facts).to_contain_text(" ".join(CHOSEN))
    open_tab(clerk, "操作记录")
    log = ui.rows(clerk.locator('[data-test="ma-operations"]'))
    expect(log.first).to_be_visible()
    steps = [(cells[1], cells[2]) for cells in (row.locator("td").all_inner_texts() for row in log.all())]
    wanted = [
        ("集中参保办理", "清册待校验"),
        ("上传参保名单", "-"),
        ("清册校验", "清册待校验 → 清册校验不通过"),
        ("删除参保人员", "-"),
        ("清册校验", "清册校验不通过 → 清册待校验"),  # clean now, but a new unit needs its declaration
        ("上传附件", "-"),
        ("清册提交（上传附件审核）", "清册待校验 → 职保会待审核"),
        ("职保会审核", "职保会待审核 → 职保会审核通过"),
        ("选择保障项目并提交确认保费", "职保会审核通过 → 缴费凭证待上传"),
        ("上传缴费凭证", "缴费凭证待上传 → 审核中"),
        ("确认缴费", "审核中 → 参保已完成"),
    ]
    found = iter(steps)
    missing = [step for step in wanted if step not in found]  # in this order, other entries between them
    assert not missing, f"{missing} not in the log, in order: {steps}"
    ui.shot(clerk, "operations")

    # the insurer reads the same batch as 参保已完成
    open_menu(insurer, "mutual-aid-batches")
    theirs = batch_row(insurer, no)
    expect(theirs.locator('[data-test="ma-status"]')).to_have_text("参保已完成")
    expect(theirs).to_contain_text(unit)

    assert not ui.failed_calls[clerk], ui.failed_calls[clerk]
    assert not ui.failed_calls[insurer], ui.failed_calls[insurer]
