"""缴费管理 in headless Chromium against the whole local stack: the demo district (quju) has a batch at the
insurer — announced on enrollment.v1 as enrollment does when a district submits one (61 members of
20 元: 1,220 元 due) — and billing has made its payable. quju finds it in 应缴清单, opens the detail
and downloads the 缴费告知书, then 上传凭证: the manual's voucher of 2,000 元, which shows 退款金额 780 and
asks for the refund account; the voucher waits 审核中. The insurer (zhibao) opens it in 凭证审核, looks at
the voucher image and approves it; the payable is 已确认 for quju and the refund of 780 元 waits in
退款管理, where the insurer marks it paid back. Then quju asks for two 专用收据 under different titles (450 +
770 = the premium; 1,300 first, refused with the service's message), the insurer issues them and quju
downloads one (its PDF read back: number, title, amount); last, the insurer's 对账 shows quju's row —
1,220 due, 1,220 paid, 780 paid back, nothing outstanding — and the city's view of the split (610 + 610).
A screenshot of every step lands in tests/artifacts/browser/.
"""

from __future__ import annotations

import asyncio
import random
import re
import struct
import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pypdfium2 as pdfium
import pytest
from playwright.sync_api import Page, expect

from contracts.enrollment import (
    BatchLine,
    Channel,
    EnrollmentBatchSubmitted,
    EnrollmentType,
    GuaranteeTotal,
    PremiumSplit,
)
from localstack.pytest_plugin import send_event
from runtime.clock import SHANGHAI

if TYPE_CHECKING:  # conftest.py is not importable as a module: its fixture `ui` hands the helpers over
    from conftest import UI

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

PAYABLE_TIMEOUT = 180.0  # billing renders the notice when the batch arrives (a fresh process loads its fonts)
PERSONS, PREMIUM_FEN = 61, 2000  # manual 002: 保费 1220, 缴费金额 2000.00 → 退款金额 780
REFUND_ACCOUNT = "6222 0000 1111 2222"
RECEIPTS = (("上海YYYY公司", "450"), ("上海XXX公司", "770"))  # manual 002: several titles, summing to 1,220


def voucher_png(width: int = 480, height: int = 300) -> bytes:
    """A bank slip as the clerk photographs it: a real PNG (white, a blue band, ruled lines)."""

    def pixel(x: int, y: int) -> bytes:
        if y < 48:
            return b"\x1f\x5f\xbf"
        if y % 36 == 0 or x in (16, width - 17):
            return b"\xc0\xc4\xcc"
        return b"\xff\xff\xff"

    raw = b"".join(b"\x00" + b"".join(pixel(x, y) for x in range(width)) for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def open_menu(page: Page, key: str, path: str) -> None:
    page.locator(f'[data-test="menu-{key}"]').click()
    expect(page).to_have_url(re.compile(rf"{path}(\?.*)?$"))


def submitted_batch(payer_id: int, payer_name: str) -> EnrollmentBatchSubmitted:
    """A collective batch of the district, as enrollment announces it on enrollment.v1."""
    now = datetime.now(SHANGHAI)
    year = now.year + 1
    no = f"CB{now:%Y%m%d}{random.randint(0, 10**6):06d}"
    lines = [
        BatchLine(member_id=f"m-{no}-{i}", org_id=payer_id, name=f"参保会员{i}",
                  id_number_masked=f"310***********{i:04d}", channel=Channel.MEMBER_CARD, guarantee_type="A",
                  premium_fen=PREMIUM_FEN)
        for i in range(PERSONS)
    ]  # fmt: skip
    amount = PERSONS * PREMIUM_FEN
    return EnrollmentBatchSubmitted(
        batch_no=no, chunk=0, chunks=1, lines_total=PERSONS, payer_org_id=payer_id, payer_org_name=payer_name,
        programme="member-basic", programme_name="上海工会会员专享基本保障", year=year,
        enrollment_type=EnrollmentType.COLLECTIVE,
        guarantee_types=[GuaranteeTotal(code="A", name="A类会员专享基本保障", premium_fen=PREMIUM_FEN, persons=PERSONS,
                                        amount_fen=amount)],
        persons_member_card=PERSONS, persons_ss_card=0,
        split=PremiumSplit(amount_fen=amount, city_fen=amount // 2, district_fen=amount // 2, grassroots_fen=0),
        pay_by=(now + timedelta(days=20)).date(), coverage_start=date(year, 1, 1), coverage_end=date(year, 12, 31),
        handler_name="王经办", handler_phone_masked="139*****1111", handler_email="wang@example.com", submitted_at=now,
        lines=lines,
    )  # fmt: skip


def announce(ui: UI, event: EnrollmentBatchSubmitted) -> None:
    """Publish on the stack's broker (in a thread: Playwright's sync API holds this one's event loop)."""
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, send_event(ui.stack.bootstrap, event, source="/services/enrollment")).result()


def payable_ready(ui: UI, account: str) -> dict[str, Any]:
    """The district's batch made into a payable that the district's clerk sees; the payable."""
    with ui.stack.api_login(account) as http:
        me = http.get("/api/me").json()
        event = submitted_batch(me["org_id"], me["org_name"])
        announce(ui, event)
        deadline = time.monotonic() + PAYABLE_TIMEOUT
        while True:
            r = http.get(f"/api/billing/payables/{event.batch_no}")
            if r.status_code == 200:
                return r.json()  # type: ignore[no-any-return]
            assert time.monotonic() < deadline, f"billing never showed {event.batch_no} to {account}: {r.text[:300]}"
            time.sleep(1)


def settlement_rows(ui: UI, payer_org_id: int, year: int) -> dict[str, dict[str, Any]]:
    """The insurer's 对账 and split rows of one payer, from the API."""
    rows: dict[str, dict[str, Any]] = {}
    with ui.stack.api_login("zhibao") as http:
        for view, path in (("balance", "/api/billing/reconciliation"), ("split", "/api/billing/reconciliation/split")):
            r = http.get(path, params={"programme": "member-basic", "year": year})
            assert r.status_code == 200, r.text
            rows[view] = next(i for i in r.json()["items"] if i["payer_org_id"] == payer_org_id)
    return rows


def pdf_text(path: str) -> str:
    """The first page's text without whitespace (CJK text extracted by pdfium)."""
    document = pdfium.PdfDocument(path)
    try:
        return "".join(document[0].get_textpage().get_text_range().split())
    finally:
        document.close()


def search_receipts(page: Page, batch_no: str) -> Any:
    page.locator('[data-test="receipt-filter-batch"]').fill(batch_no)
    with page.expect_response(lambda r: "/api/billing/receipts?" in r.url) as answer:
        page.locator('[data-test="receipt-search"]').click()
    assert answer.value.status == 200, answer.value.text()
    expect(page.locator('[data-test="receipt-table"] .el-loading-mask:visible')).to_have_count(0)
    return page.locator('[data-test="receipt-table"] .el-table__body tr.el-table__row').filter(has_text=batch_no)


def payer_row(page: Page, table: str, cell: str, name: str) -> Any:
    """The row of a 对账 table whose 缴费单位 is exactly `name`."""
    named = page.locator(f'[data-test="{cell}"]', has_text=re.compile(rf"^{re.escape(name)}$"))
    return page.locator(f'[data-test="{table}"] .el-table__body tr.el-table__row').filter(has=named)


def yuan(fen: int) -> str:
    """As the screens show money: 122000 → "1220", 1350 → "13.50"."""
    return str(fen // 100) if fen % 100 == 0 else f"{fen / 100:.2f}"


def search_payable(page: Page, batch_no: str) -> Any:
    page.locator('[data-test="payable-filter-batch"]').fill(batch_no)
    with page.expect_response(lambda r: "/api/billing/payables?" in r.url) as answer:
        page.locator('[data-test="payable-search"]').click()
    assert answer.value.status == 200, answer.value.text()
    expect(page.locator('[data-test="payable-table"] .el-loading-mask:visible')).to_have_count(0)  # shown as answered
    return page.locator('[data-test="payable-table"] .el-table__body tr.el-table__row').filter(has_text=batch_no)


def test_billing_a_voucher_over_paying_a_batch_approved_with_its_refund(ui: UI) -> None:  # noqa: PLR0915
    payable = payable_ready(ui, "quju")
    no, unit = payable["batch_no"], payable["payer_org_name"]
    assert (payable["due_fen"], payable["status"]) == (PERSONS * PREMIUM_FEN, "缴费凭证待上传")
    # 对账 before paying: the batch counts, owed in full (on a fresh stack it is all quju has: 1,220 due)
    before = settlement_rows(ui, payable["payer_org_id"], payable["year"])

    # 应缴清单: the payable, its detail and the notice
    payer = ui.page()
    ui.login(payer, "quju")
    open_menu(payer, "billing-payables", "/billing-payables")
    row = search_payable(payer, no)
    expect(row).to_have_count(1)
    expect(row.locator('[data-test="payable-due"]')).to_have_text("1220")
    expect(row.locator('[data-test="payable-status"]')).to_have_text("缴费凭证待上传")
    ui.shot(payer, "payables")
    row.locator('[data-test="payable-open"]').click()
    drawer = payer.locator('[data-test="payable-drawer"]')
    split = "市总统一划拨 610 元；区局/各级工会缴费 610 元"
    expect(drawer.locator('[data-test="payable-split"]')).to_contain_text(split)
    expect(drawer.locator('[data-test="payable-lines"] .el-table__row')).to_have_count(20)
    ui.shot(payer, "payable-detail")
    with payer.expect_download() as download:
        drawer.locator('[data-test="payable-detail-notice"]').click()
    assert download.value.suggested_filename == f"告知书-{no}.pdf"  # the service names it
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    drawer.locator(".el-drawer__close-btn").click()
    expect(drawer).to_be_hidden()

    # 上传凭证: 2,000 元 against 1,220 → 退款金额 780 and the refund account asked for
    row.locator('[data-test="payable-pay"]').click()
    expect(payer).to_have_url(re.compile(r"/billing-vouchers"))
    dialog = payer.locator('[data-test="voucher-dialog"]')
    expect(dialog).to_be_visible()
    batch_row = dialog.locator('[data-test="voucher-batches"] .el-table__row').filter(has_text=no)
    expect(batch_row.locator(".el-checkbox")).to_have_class(re.compile("is-checked"))
    expect(dialog.locator('[data-test="voucher-paying-unit"]')).to_have_value(unit)
    amount = dialog.locator('[data-test="voucher-amount"] input')
    amount.fill("1000")
    amount.press("Tab")
    expect(dialog.locator('[data-test="voucher-shortfall"]')).to_contain_text("尚差 220 元")
    amount.fill("2000")
    amount.press("Tab")
    expect(dialog.locator('[data-test="voucher-refund"]')).to_have_text("780")
    refund = dialog.locator('[data-test="voucher-refund-form"]')
    expect(refund.locator('[data-test="refund-amount"]')).to_have_text("780")
    refund.locator('[data-test="refund-account-no"]').fill(REFUND_ACCOUNT)
    refund.locator('[data-test="refund-account-name"]').fill(unit)
    refund.locator('[data-test="refund-bank"]').fill("上海银行")
    ui.pick(payer, refund.locator('[data-test="refund-account-category"]'), "在职")
    files = {"name": "缴费凭证.png", "mimeType": "image/png", "buffer": voucher_png()}
    dialog.locator('[data-test="voucher-file"] input[type="file"]').set_input_files(files)  # type: ignore[arg-type]
    ui.shot(payer, "voucher-form")
    with payer.expect_response(lambda r: r.url.endswith("/api/billing/vouchers") and r.request.method == "POST") as a:
        dialog.locator('[data-test="voucher-submit"]').click()
    assert a.value.status == 201, a.value.text()
    assert a.value.request.headers.get("idempotency-key"), "a retried upload must be recognisable"
    voucher = a.value.json()
    assert (voucher["amount_fen"], voucher["refund_fen"], voucher["state"]) == (200000, 78000, "审核中")
    assert voucher["refund"]["account_no"] == "6222 **** **** 2222"
    expect(dialog).to_be_hidden()
    expect(ui.message(payer)).to_contain_text(f"缴费凭证 {voucher['voucher_no']} 已提交")
    mine = payer.locator('[data-test="voucher-table"] .el-table__row').filter(has_text=voucher["voucher_no"])
    expect(mine.locator('[data-test="voucher-state"]')).to_have_text("审核中")
    expect(mine.locator('[data-test="voucher-row-refund"]')).to_have_text("退 780")
    ui.shot(payer, "voucher-submitted")

    # 凭证审核 (职保会): the image, then 审核通过
    insurer = ui.page()
    ui.login(insurer, "zhibao")
    open_menu(insurer, "billing-review", "/billing-review")
    queued = insurer.locator('[data-test="voucher-review-table"] .el-table__row').filter(has_text=voucher["voucher_no"])
    expect(queued).to_have_count(1)
    expect(queued.locator('[data-test="voucher-review-state"]')).to_have_text("审核中")
    with insurer.expect_response(lambda r: r.url.endswith(f"/vouchers/{voucher['voucher_no']}/file")) as shown:
        queued.locator('[data-test="voucher-review-view"]').click()
    assert shown.value.status == 200 and shown.value.headers["x-content-type-options"] == "nosniff"
    viewer = insurer.locator('[data-test="voucher-file-dialog"]')
    image = viewer.locator('[data-test="voucher-file-image"]')
    expect(image).to_have_attribute("src", re.compile(r"^blob:"))
    expect(image).to_have_js_property("naturalWidth", 480)  # the upload itself, decoded
    expect(viewer.locator(".el-loading-mask")).to_have_count(0)
    ui.shot(insurer, "review-file")
    viewer.locator(".el-dialog__headerbtn").click()
    expect(viewer).to_be_hidden()
    queued.locator('[data-test="voucher-review-approve"]').click()
    expect(insurer.locator(".el-message-box")).to_contain_text("超出部分 780 元将生成退款")
    with insurer.expect_response(lambda r: r.url.endswith("/approve")) as approved:
        ui.confirm(insurer)
    assert approved.value.status == 200, approved.value.text()
    assert approved.value.request.headers.get("idempotency-key")
    done = approved.value.json()
    assert done["confirmed_batches"] == [no] and done["refund_no"], done
    expect(ui.message(insurer)).to_contain_text(f"退款 {done['refund_no']} 待退款")
    ui.shot(insurer, "review-approved")

    # the payer's payable is 已确认
    open_menu(payer, "billing-payables", "/billing-payables")
    row = search_payable(payer, no)
    expect(row.locator('[data-test="payable-status"]')).to_have_text("已确认")
    ui.shot(payer, "payable-confirmed")

    # 退款管理: 780 元 to the account the payer gave (in full for the insurer), marked paid back
    open_menu(insurer, "billing-refunds", "/billing-refunds")
    refund_row = insurer.locator('[data-test="refund-table"] .el-table__row').filter(has_text=done["refund_no"])
    expect(refund_row.locator('[data-test="refund-amount-cell"]')).to_have_text("780")
    expect(refund_row).to_contain_text(REFUND_ACCOUNT)
    expect(refund_row.locator('[data-test="refund-state"]')).to_have_text("待退款")
    ui.shot(insurer, "refund-waiting")
    refund_row.locator('[data-test="refund-pay"]').click()
    paying = insurer.locator('[data-test="refund-dialog"]')
    paying.locator('[data-test="refund-reference"]').fill("BK-20240110-001")
    with insurer.expect_response(lambda r: r.url.endswith("/issue")) as issued:
        paying.locator('[data-test="refund-submit"]').click()
    assert issued.value.status == 200 and issued.value.json()["state"] == "已退款", issued.value.text()
    expect(refund_row.locator('[data-test="refund-state"]')).to_have_text("已退款")
    ui.shot(insurer, "refund-paid")

    open_menu(payer, "billing-refunds", "/billing-refunds")
    theirs = payer.locator('[data-test="refund-table"] .el-table__row').filter(has_text=done["refund_no"])
    expect(theirs).to_contain_text("6222 **** **** 2222")
    expect(theirs.locator('[data-test="refund-state"]')).to_have_text("已退款")

    # 专用收据 (quju): 1,300 is refused with the service's message, then two titles of 450 + 770
    open_menu(payer, "billing-receipts", "/billing-receipts")
    payer.locator('[data-test="receipt-create"]').click()
    asking = payer.locator('[data-test="receipt-dialog"]')
    expect(asking).to_be_visible()
    ui.pick(payer, asking.locator('[data-test="receipt-batch"]'), no, search=no)
    held = asking.locator('[data-test="receipt-sum"]')
    expect(held).to_contain_text("应缴纳保费 1220 元，已开具 0 元；本次填写合计 1220 元")
    titles = asking.locator('[data-test="receipt-title"]')
    amounts = asking.locator('[data-test="receipt-amount"] input')
    titles.nth(0).fill(RECEIPTS[0][0])
    amounts.nth(0).fill("1300")
    amounts.nth(0).press("Tab")
    receipts_url = f"/api/billing/payables/{no}/receipts"
    with payer.expect_response(lambda r: r.url.endswith(receipts_url) and r.request.method == "PUT") as refused:
        asking.locator('[data-test="receipt-submit"]').click()
    assert (refused.value.status, refused.value.json()["code"]) == (422, "receipt.sum_mismatch"), refused.value.text()
    assert (refused.value.json()["due_fen"], refused.value.json()["total_fen"]) == (122000, 130000)
    expect(asking.locator('[data-test="receipt-error"]')).to_contain_text("专用收据金额合计必须等于应缴纳保费")
    ui.shot(payer, "receipts-refused")
    amounts.nth(0).fill(RECEIPTS[0][1])
    amounts.nth(0).press("Tab")
    asking.locator('[data-test="receipt-add-line"]').click()
    titles.nth(1).fill(RECEIPTS[1][0])
    amounts.nth(1).fill(RECEIPTS[1][1])
    amounts.nth(1).press("Tab")
    expect(held).to_contain_text("本次填写合计 1220 元")
    ui.shot(payer, "receipts-form")
    with payer.expect_response(lambda r: r.url.endswith(receipts_url) and r.request.method == "PUT") as asked:
        asking.locator('[data-test="receipt-submit"]').click()
    assert asked.value.status == 200, asked.value.text()
    # one key per form opening: the refusal stored nothing, so the corrected lines go with the same key
    assert asked.value.request.headers["idempotency-key"] == refused.value.request.headers["idempotency-key"]
    assert asked.value.json()["requested_fen"] == 122000
    expect(asking).to_be_hidden()
    expect(ui.message(payer)).to_contain_text(f"批次 {no} 已申请专用收据 1220 元")
    rows = search_receipts(payer, no)
    expect(rows).to_have_count(2)
    expect(rows.locator('[data-test="receipt-state"]')).to_have_text(["待开具", "待开具"])

    # 开具 (职保会): every 待开具 receipt of the batch numbered, rendered and issued at once
    open_menu(insurer, "billing-receipts", "/billing-receipts")
    waiting = search_receipts(insurer, no)
    expect(waiting).to_have_count(2)
    waiting.first.locator('[data-test="receipt-issue"]').click()
    with insurer.expect_response(lambda r: r.url.endswith(f"{receipts_url}/issue")) as issued_receipts:
        ui.confirm(insurer)
    assert issued_receipts.value.status == 200, issued_receipts.value.text()
    assert issued_receipts.value.request.headers.get("idempotency-key")
    issued_items = issued_receipts.value.json()["items"]
    numbers = {r["title"]: r["receipt_no"] for r in issued_items}
    assert set(numbers) == {t for t, _ in RECEIPTS} and all(n and n.startswith("ZY") for n in numbers.values())
    expect(ui.message(insurer)).to_contain_text("已开具 1220 元")
    expect(waiting.locator('[data-test="receipt-state"]')).to_have_text(["已开具", "已开具"])
    ui.shot(insurer, "receipts-issued")

    # quju downloads the 770 元 one: the PDF carries its number, title and amount
    title, amount = RECEIPTS[1]
    mine_issued = search_receipts(payer, no)
    expect(mine_issued.locator('[data-test="receipt-state"]')).to_have_text(["已开具", "已开具"])
    receipt_row = mine_issued.filter(has_text=title)
    expect(receipt_row.locator('[data-test="receipt-no"]')).to_have_text(numbers[title])
    ui.shot(payer, "receipts-mine")
    with payer.expect_download() as receipt_pdf:
        receipt_row.locator('[data-test="receipt-pdf"]').click()
    assert receipt_pdf.value.suggested_filename == f"专用收据-{numbers[title]}.pdf"
    path = str(receipt_pdf.value.path())
    with open(path, "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    text = pdf_text(path)
    assert numbers[title] in text and title in text and f"{amount}.00" in text and "柒佰柒拾元整" in text, text

    # 对账 (职保会): quju's row — the batch due and paid, 780 paid back, nothing outstanding — and the split
    open_menu(insurer, "billing-reconciliation", "/billing-reconciliation")
    expect(insurer.locator('[data-test="reconciliation-table"] .el-loading-mask:visible')).to_have_count(0)
    ui.pick(insurer, insurer.locator('[data-test="reconciliation-programme"]'), "上海工会会员专享基本保障")
    year = insurer.locator('[data-test="reconciliation-year"] input')
    year.fill(str(payable["year"]))
    year.press("Tab")
    with insurer.expect_response(lambda r: "/api/billing/reconciliation?" in r.url) as balanced:
        insurer.locator('[data-test="reconciliation-search"]').click()
    assert balanced.value.status == 200, balanced.value.text()
    assert f"year={payable['year']}" in balanced.value.url and "programme=member-basic" in balanced.value.url
    expect(insurer.locator('[data-test="reconciliation-table"] .el-loading-mask:visible')).to_have_count(0)
    theirs_row = payer_row(insurer, "reconciliation-table", "recon-payer", unit)
    expect(theirs_row).to_have_count(1)
    was, due = before["balance"], PERSONS * PREMIUM_FEN
    assert was["due_fen"] >= due and was["outstanding_fen"] >= due, was  # the batch, still unpaid
    expected = {
        "recon-due": was["due_fen"],  # 1,220 on a fresh stack
        "recon-received": was["received_fen"] + 200000,
        "recon-paid": was["paid_fen"] + due,  # 1,220
        "recon-refund-due": was["refund_due_fen"],
        "recon-refunded": was["refunded_fen"] + 78000,  # 780
        "recon-outstanding": was["outstanding_fen"] - due,  # 0
    }
    for cell, fen in expected.items():
        expect(theirs_row.locator(f'[data-test="{cell}"]'), cell).to_have_text(yuan(fen))
    ui.shot(insurer, "reconciliation")
    insurer.locator('[data-test="reconciliation-tabs"] .el-tabs__item', has_text="保障费用分摊").click()
    split_row = payer_row(insurer, "split-table", "split-payer", unit)
    expect(split_row).to_have_count(1)
    shares = before["split"]  # taken once the batch had arrived: it already counts its 610 + 610
    assert shares["city_fen"] >= due // 2 and shares["district_fen"] >= due // 2, shares
    for cell, key in (("split-amount", "amount_fen"), ("split-city", "city_fen"), ("split-district", "district_fen")):
        expect(split_row.locator(f'[data-test="{cell}"]'), cell).to_have_text(yuan(shares[key]))
    ui.shot(insurer, "reconciliation-split")
    with insurer.expect_download() as workbook:
        insurer.locator('[data-test="reconciliation-tabs"] .el-tab-pane:visible [data-test="export"]').click()
    assert workbook.value.suggested_filename == f"分摊-member-basic-{payable['year']}.xlsx"

    refusal = f"422 PUT {ui.stack.gateway}{receipts_url}"
    assert [c for c in ui.failed_calls[payer] if c != refusal] == [], ui.failed_calls[payer]
    assert ui.failed_calls[payer].count(refusal) == 1  # the one the screen showed
    assert not ui.failed_calls[insurer], ui.failed_calls[insurer]
    ui.stack.note("quju", "upload_voucher", "request_receipts")
