"""enrollment.batch.submitted on the real broker → one payable (twice sent, or every chunk redelivered,
still one), its notice PDF (union, amount, pay-by date read back from the rendered page, a PNG kept
under tests/artifacts/billing/), billing.notice.issued once, statistics, lists and scope."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
from openpyxl import load_workbook

from localstack.pytest_plugin import eventually, send_event, states_scraped
from services.billing.tests.conftest import (
    ARTIFACTS,
    CITY,
    INSURER,
    app_of,
    batch_events,
    billing_events,
    ok,
    take,
)

ACCOUNT = {"payee_name": "上海市职工保障互助中心会员专享保障专户", "account_no": "316023-03002745697",
           "bank": "上海银行人民广场支行"}  # fmt: skip


async def test_a_batch_sent_twice_makes_one_payable_and_one_notice(client, city, kafka):
    """Checked besides the payable: the same event sent again with a new id creates nothing, the notice
    is announced once, its text holds the union (with 𠮷), amount and pay-by date, and other unions
    (another district, a grassroots union under the payer) get 404."""
    await ok(await client.put("/accounts/会员专享", json=ACCOUNT, headers=INSURER))
    [event] = batch_events(city.xuhui, city.g1, persons=3, payer_name="上海市𠮷祥区总工会")
    first = await send_event(kafka.bootstrap, event, source="/services/enrollment")
    second = await send_event(kafka.bootstrap, event, source="/services/enrollment")
    assert first != second
    xuhui = city.clerk(city.xuhui)

    async def made():  # type: ignore[no-untyped-def]
        r = await client.get(f"/payables/{event.batch_no}", headers=xuhui)
        return r.json() if r.status_code == 200 else None

    payable = await eventually(made, timeout=90)
    assert payable, "no payable from enrollment.batch.submitted"
    assert (payable["due_fen"], payable["split"]["city_fen"], payable["status"]) == (22800, 3900, "缴费凭证待上传")
    assert (payable["pay_by"], payable["complete"], payable["account"]["account_no"]) == (
        "2024-01-20", True, "316023-03002745697",
    )  # fmt: skip

    async def notices():  # type: ignore[no-untyped-def]
        return await billing_events(kafka.bootstrap, "billing.notice.issued", event.batch_no)

    announced = await eventually(notices, timeout=30)
    assert await _settled(client, 2)  # both deliveries consumed
    page = await ok(await client.get("/payables", params={"batch_no": event.batch_no}, headers=CITY))
    assert page["total"] == 1
    assert len(await notices()) == 1 and announced[0]["amount_fen"] == 22800

    pdf = await client.get(payable["notice_url"], headers=xuhui)
    assert pdf.headers["content-type"] == "application/pdf" and "attachment" in pdf.headers["content-disposition"]
    doc = pdfium.PdfDocument(pdf.content)
    text = "".join(doc[0].get_textpage().get_text_range().split())
    for expected in ("告知书", "上海市𠮷祥区总工会", "228元", "2024年1月20日之前", "316023-03002745697", "逾期未划款"):
        assert expected in text, expected
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    doc[0].render(scale=1.5).to_pil().save(ARTIFACTS / "notice.png")

    for outsider in (city.clerk(city.huangpu), city.clerk(city.g1)):
        assert (await client.get(f"/payables/{event.batch_no}", headers=outsider)).status_code == 404
        assert (await client.get(payable["notice_url"], headers=outsider)).status_code == 404
        listed = await ok(await client.get("/payables", params={"batch_no": event.batch_no}, headers=outsider))
        assert listed["total"] == 0


async def test_every_chunk_redelivered_still_makes_one_whole_payable(client, city, kafka):
    """A batch of 2,500 lines in three chunks, each delivered twice (the first chunk last again): one
    payable, 2,500 lines, complete; the statistics total the batch."""
    events = batch_events(city.xuhui, city.g1, persons=2500, premium_fen=2600, chunk_size=1000)
    assert [e.chunk for e in events] == [0, 1, 2]
    for e in [*events, *events[1:], events[0]]:
        await send_event(kafka.bootstrap, e, source="/services/enrollment")
    no = events[0].batch_no

    async def whole():  # type: ignore[no-untyped-def]
        r = await client.get(f"/payables/{no}", headers=CITY)
        return r.json() if r.status_code == 200 and r.json()["lines_received"] == 2500 else None

    payable = await eventually(whole, timeout=120)
    assert payable and payable["complete"] and payable["due_fen"] == 2500 * 2600
    assert await _settled(client, 6)
    assert (await ok(await client.get(f"/payables/{no}", headers=CITY)))["lines_received"] == 2500
    lines = await ok(await client.get(f"/payables/{no}/lines", params={"size": 5}, headers=CITY))
    assert lines["total"] == 2500 and lines["items"][0]["org_name"] == city.g1.name
    xlsx = await client.get(f"/payables/{no}/statistics", headers=CITY)
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert rows[-1][0] == "合计" and rows[-1][5] == 2500 and float(rows[-1][6]) == 65000.0


async def test_lists_filter_by_status_and_overdue_and_export(client, city, clock):
    """Through the consumer's use case: filters by status, overdue (after pay-by, Shanghai) and payer;
    the export neutralises a formula-looking payer name; the state gauge counts them."""
    [a] = batch_events(city.xuhui, city.g1, persons=2)
    [b] = batch_events(city.huangpu, city.h1, persons=1, payer_name='=HYPERLINK("x")')
    await take(app_of(client), a, b)
    params = {"status": "缴费凭证待上传", "programme": "member-basic", "year": 2024}
    assert (await ok(await client.get("/payables", params=params, headers=CITY)))["total"] == 2
    assert (await ok(await client.get("/payables", params={"overdue": True}, headers=CITY)))["total"] == 0
    clock.set(clock.now().replace(year=2024, month=1, day=21))
    late = await ok(await client.get("/payables", params={"overdue": True}, headers=CITY))
    assert {p["batch_no"] for p in late["items"]} == {a.batch_no, b.batch_no} and late["items"][0]["overdue"]
    mine = await ok(await client.get("/payables", headers=city.clerk(city.xuhui)))
    assert [p["batch_no"] for p in mine["items"]] == [a.batch_no]
    xlsx = await client.get("/payables/export", params=params, headers=CITY)
    names = [r[4] for r in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("x")' in names
    # what /metrics shows once the state gauge has counted (every BILLING_STATE_SCAN_SECONDS)
    await app_of(client).state.state_gauge.refresh()
    assert await states_scraped(client, "billing.payable") == {
        "缴费凭证待上传": 2, "审核中": 0, "未缴足": 0, "已确认": 0, "已失效": 0,
    }  # fmt: skip


async def _settled(client, deliveries: int) -> bool:  # type: ignore[no-untyped-def]
    """Every delivery went through the inbox (so a duplicate had its chance to make a second payable)."""
    from sqlmodel import func, select

    from runtime.inbox import InboxEntry

    async def seen():  # type: ignore[no-untyped-def]
        async with app_of(client).state.sessions() as s:
            n = (await s.exec(select(func.count()).select_from(InboxEntry).where(
                InboxEntry.ce_type == "enrollment.batch.submitted"))).one()  # fmt: skip
            return n >= deliveries

    return bool(await eventually(seen, timeout=60))
