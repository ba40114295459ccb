"""Voucher upload over HTTP (multipart): the manual's over-payment (2,000 for 1,220 → refund 780 with
the refund account required), under-payment with the shortfall, the frozen roster and
billing.voucher.submitted for enrollment, Idempotency-Key retries and reuse, file checks, downloads
only as attachments, scope."""

from __future__ import annotations

from datetime import date, datetime

from localstack.pytest_plugin import eventually
from services.billing.tests.conftest import (
    CITY,
    INSURER,
    PNG,
    REFUND,
    app_of,
    at,
    batch_events,
    billing_events,
    ok,
    take,
    upload,
    voucher_data,
)


async def manual_batch(client, city):  # type: ignore[no-untyped-def]
    """A batch due exactly 1,220 yuan (61 persons × 20 yuan)."""
    [event] = batch_events(city.xuhui, city.g1, persons=61, premium_fen=2000)
    await take(app_of(client), event)
    return event.batch_no


async def test_over_payment_requires_the_refund_account_and_computes_780(client, city):
    """Checked: without refund details the upload is refused and changes nothing (no voucher, roster not
    frozen); the preview shows the refund before upload; with them, refund = 2,000 − 1,220 = 780 yuan and
    the account number is masked in the answer."""
    no = await manual_batch(client, city)
    xuhui = city.clerk(city.xuhui)
    data = voucher_data([no], 200000)
    refused = await upload(client, xuhui, data)
    assert (refused.status_code, refused.json()["code"], refused.json()["refund_fen"]) == (
        422, "voucher.refund_required", 78000,
    )  # fmt: skip
    assert (await ok(await client.get(f"/payables/{no}", headers=xuhui)))["roster_frozen"] is False
    assert (await ok(await client.get("/vouchers", headers=xuhui)))["total"] == 0

    preview = await ok(await client.post("/vouchers/preview", json=data, headers=xuhui))
    assert (preview["due_fen"], preview["refund_fen"], preview["refund_required"]) == (122000, 78000, True)

    voucher = await ok(await upload(client, xuhui, data | {"refund": REFUND}, key="k-over"), 201)
    assert (voucher["due_fen"], voucher["applied_fen"], voucher["refund_fen"], voucher["shortfall_fen"]) == (
        122000, 122000, 78000, 0,
    )  # fmt: skip
    assert voucher["refund"]["account_no"] == "6222 **** **** 2222" and voucher["state"] == "审核中"
    assert voucher["batches"] == [{"batch_no": no, "due_fen": 122000, "outstanding_fen": 122000, "applied_fen": 122000}]
    payable = await ok(await client.get(f"/payables/{no}", headers=xuhui))
    assert (payable["roster_frozen"], payable["status"], payable["pending_fen"]) == (True, "审核中", 122000)


async def test_under_payment_leaves_the_batch_unpaid_with_the_shortfall(client, city):
    no = await manual_batch(client, city)
    xuhui = city.clerk(city.xuhui)
    voucher = await ok(await upload(client, xuhui, voucher_data([no], 100000), key="k-under"), 201)
    assert (voucher["refund_fen"], voucher["shortfall_fen"], voucher["refund"]) == (0, 22000, None)
    payable = await ok(await client.get(f"/payables/{no}", headers=xuhui))
    assert (payable["shortfall_fen"], payable["state"]) == (22000, "待缴费")
    # a second voucher is spread over what is left only
    second = await ok(await upload(client, xuhui, voucher_data([no], 22000), key="k-rest"), 201)
    assert (second["due_fen"], second["applied_fen"], second["refund_fen"]) == (22000, 22000, 0)
    again = await upload(client, xuhui, voucher_data([no], 5000), key="k-more")
    assert (again.status_code, again.json()["code"]) == (409, "voucher.nothing_due")


async def test_the_upload_tells_enrollment_each_batchs_roster_froze(client, city, kafka, clock):
    """One voucher for two batches: billing.voucher.submitted per batch (key = batch), with its share and
    the payable's version. Checked: a refused upload and a retried one send nothing; the corrected
    voucher sends again with a higher version, the roster still frozen since the first upload."""
    first = await manual_batch(client, city)
    [later] = batch_events(city.xuhui, city.g1, persons=3, premium_fen=7600, pay_by=date(2024, 1, 25))
    await take(app_of(client), later)
    xuhui, nos = city.clerk(city.xuhui), [first, later.batch_no]
    refused = await upload(client, xuhui, voucher_data(nos, 130000, account_category="退休"), key="t0")
    assert refused.status_code == 422
    data = voucher_data(nos, 130000)  # 1,220 for the first batch (oldest pay-by), 80 of the second's 228
    voucher = await ok(await upload(client, xuhui, data, key="t1"), 201)
    await ok(await upload(client, xuhui, data, key="t1"), 201)
    vno = voucher["voucher_no"]
    payables = [await ok(await client.get(f"/payables/{no}", headers=xuhui)) for no in nos]

    async def sent(count: int) -> list[list[dict]] | None:  # type: ignore[type-arg]
        found = [await billing_events(kafka.bootstrap, "billing.voucher.submitted", no) for no in nos]
        return found if all(len(f) == count for f in found) else None

    events = await eventually(lambda: sent(1), timeout=30)
    assert events, "billing.voucher.submitted never reached billing.v1"
    for [event], payable, applied in zip(events, payables, (122000, 8000), strict=True):
        assert (event["voucher_no"], event["payer_org_id"], event["applied_fen"]) == (vno, city.xuhui.org_id, applied)
        assert event["version"] == payable["version"] and payable["roster_frozen"]
        assert datetime.fromisoformat(event["roster_frozen_at"]) == at(2023, 12, 28, 10)
        assert event["roster_frozen_at"] == event["submitted_at"]

    await ok(await client.post(f"/vouchers/{vno}/return", json={"reason": "金额不符"}, headers=INSURER))
    clock.set(at(2024, 1, 3, 9))
    await ok(await upload(client, xuhui, voucher_data(nos, 144800), key="t2", method="PUT", url=f"/vouchers/{vno}"))
    again = await eventually(lambda: sent(2), timeout=30)
    assert again, "the corrected voucher was not announced once per batch"
    for [old, new], applied in zip(again, (122000, 22800), strict=True):
        assert (new["voucher_no"], new["applied_fen"], new["version"] > old["version"]) == (vno, applied, True)
        assert datetime.fromisoformat(new["roster_frozen_at"]) == at(2023, 12, 28, 10)
        assert datetime.fromisoformat(new["submitted_at"]) == at(2024, 1, 3, 9)


async def test_a_retried_upload_returns_the_first_response_and_a_reused_key_is_refused(client, city):
    """Checked: the retry makes no second voucher and returns the same body; the same key with another
    amount or another file is 409 and changes nothing; without a key the upload is refused."""
    no = await manual_batch(client, city)
    xuhui = city.clerk(city.xuhui)
    data = voucher_data([no], 122000)
    first = await upload(client, xuhui, data, key="retry-1")
    second = await upload(client, xuhui, data, key="retry-1")
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json() == first.json()
    other_amount = await upload(client, xuhui, voucher_data([no], 100000), key="retry-1")
    other_file = await upload(client, xuhui, data, key="retry-1", file=("凭证.png", PNG + b"2", "image/png"))
    for r in (other_amount, other_file):
        assert (r.status_code, r.json()["code"]) == (409, "idempotency.key_reused")
    missing = await upload(client, xuhui, data, key=None)
    assert (missing.status_code, missing.json()["code"]) == (422, "idempotency.key_required")
    listed = await ok(await client.get("/vouchers", params={"batch_no": no}, headers=xuhui))
    assert listed["total"] == 1 and listed["items"][0]["voucher_no"] == first.json()["voucher_no"]
    assert (await ok(await client.get(f"/payables/{no}", headers=xuhui)))["pending_fen"] == 122000


async def test_files_are_checked_and_only_ever_downloaded_as_attachments(client, city):
    no = await manual_batch(client, city)
    xuhui = city.clerk(city.xuhui)
    data = voucher_data([no], 122000)
    html = await upload(client, xuhui, data, key="f1", file=("凭证.png", b"<html><script>1</script>", "image/png"))
    assert (html.status_code, html.json()["code"]) == (415, "voucher.file_type")
    big = await upload(client, xuhui, data, key="f2", file=("a.png", PNG + bytes(70 * 1024), "image/png"))
    assert (big.status_code, big.json()["code"]) == (413, "voucher.file_too_large")
    none = await upload(client, xuhui, data, key="f3", file=None)
    assert (none.status_code, none.json()["code"]) == (422, "voucher.file_required")
    withheld = await upload(client, xuhui, voucher_data([no], 122000, method="个人代扣"), key="f4", file=None)
    assert (withheld.status_code, withheld.json()["code"]) == (403, "voucher.withholding_system_only")
    voucher = await ok(await upload(client, xuhui, data, key="f5", file=("../../x/凭证.png", PNG, "text/html")), 201)
    assert voucher["file"]["file_name"] == "凭证.png" and voucher["file"]["media_type"] == "image/png"
    got = await client.get(voucher["file"]["url"], headers=xuhui)
    assert got.content == PNG and got.headers["content-type"] == "image/png"
    assert got.headers["content-disposition"].startswith("attachment")
    assert got.headers["x-content-type-options"] == "nosniff" and "sandbox" in got.headers["content-security-policy"]


async def test_vouchers_are_refused_for_batches_of_others_or_of_another_account(client, city):
    """Checked: another district's batch is 404 (not a hint), a mixed selection 422, the wrong receiving
    account category 422, a grassroots union cannot see the district's voucher, the insurer cannot
    upload; nothing was stored."""
    no = await manual_batch(client, city)
    [other] = batch_events(city.huangpu, city.h1, persons=1)
    await take(app_of(client), other)
    xuhui, huangpu = city.clerk(city.xuhui), city.clerk(city.huangpu)
    assert (await upload(client, huangpu, voucher_data([no], 122000), key="s1")).status_code == 404
    mixed = await upload(client, CITY, voucher_data([no, other.batch_no], 200000), key="s2")
    assert (mixed.status_code, mixed.json()["code"]) == (422, "voucher.mixed_payers")
    wrong = await upload(client, xuhui, voucher_data([no], 122000, account_category="退休"), key="s3")
    assert (wrong.status_code, wrong.json()["code"], wrong.json()["expected"]) == (
        422,
        "voucher.account_category",
        "会员专享",
    )
    assert (await upload(client, INSURER, voucher_data([no], 122000), key="s4")).status_code == 403
    voucher = await ok(await upload(client, xuhui, voucher_data([no], 122000), key="s5"), 201)
    for outsider in (huangpu, city.clerk(city.g1)):
        assert (await client.get(f"/vouchers/{voucher['voucher_no']}", headers=outsider)).status_code == 404
        assert (await client.get(voucher["file"]["url"], headers=outsider)).status_code == 404
    assert (await ok(await client.get("/vouchers", headers=CITY)))["total"] == 1
