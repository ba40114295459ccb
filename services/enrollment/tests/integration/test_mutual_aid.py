"""上海职工互助保障项目2020 batches on the service (real database and broker), with the manual's figures:
a collective batch from an uploaded roster through 清册校验, its fix, 清册提交, items and premium (4 people ×
A0+B0+C0+A3+B3+C3 = 4,780 元), enrollment.batch.submitted, a withdrawal, the voucher and the payment to
参保已完成; an instant batch of a new unit with its declaration reviewed by the insurer and half-year
prices; a roster from the member registry with 设置在职 through social security, the once-per-year clash
and the refusals. Every refusal changes nothing."""

from __future__ import annotations

from datetime import date

import pytest

from contracts.billing import BillingPaymentConfirmed, BillingVoucherSubmitted
from contracts.socialsec import CheckResult, SocialsecCheckReported
from enrollment.settings import EnrollmentSettings
from localstack.pytest_plugin import eventually, send_event
from runtime.identity import make_id_number
from runtime.pii import PartnerSeal, key_from_text
from runtime.tokens import Tier
from services.enrollment.tests.conftest import at, bearer, enrollment_events, member, ok, project_people
from services.enrollment.tests.integration.mutual_aid_world import (
    INSURER,
    MA,
    PNG,
    YEAR,
    configure,
    labels,
    last_year_roster,
    open_batch,
    person_id,
    roster_file,
    rows,
    unit_with_code,
    upload,
    validate,
)

ENTERPRISE = bearer(Tier.ENTERPRISE, user="ent-1")


@pytest.fixture
def settings(settings: EnrollmentSettings) -> EnrollmentSettings:
    """The local SMS sender answers with the code (the code routes need one)."""
    return settings.model_copy(update={"sms_show_code": True})


async def test_a_collective_batch_from_upload_to_completed_with_the_manuals_premium(client, city, clock, kafka):
    clock.set(at(YEAR, 6, 10, 9))
    await configure(client)
    unit, unit_name = city.clerk(city.g1), "上海建朗信息科技有限公司"
    code = await unit_with_code(client, clock, unit, unit_name, "18712345678", "13900001111")
    # the insurer's suggested roster knows 王梅 under 00108537; last year the code insured 4 people
    wang_mei = person_id(3, date(1985, 5, 5), male=False)
    suggested = {"people": [{"name": "王梅", "id_number": wang_mei, "unit_code": "00108537"}]}
    await ok(await client.put(f"{MA}/years/{YEAR}/suggested", json=suggested, headers=INSURER))
    units = {"units": [{"unit_code": "00108537", "unit_name": "上海卓远人力资源发展有限公司", "headcount": 50}]}
    await ok(await client.put(f"{MA}/years/{YEAR}/headcounts", json=units, headers=INSURER))
    await last_year_roster(client, code, unit_name, [person_id(100 + n) for n in range(4)])

    # 集中参保办理 → 确定操作: a batch in 清册待校验; one collective batch per code and year
    batch = await ok(await open_batch(client, unit, "集中参保", code, unit_name), 201)
    no = batch["batch_no"]
    assert no.startswith(f"HZ{YEAR}0610") and (batch["status"], batch["year"], batch["handler_name"]) == (
        "清册待校验", YEAR, "王经办",
    )  # fmt: skip
    assert batch["actions"] == ["check_failed", "submit", "submit_for_review", "delete"]
    twice = await open_batch(client, unit, "集中参保", code, unit_name)
    assert (twice.status_code, twice.json()["code"]) == (409, "batch.collective_exists")

    # 上传本地参保名单文件: the manual's two sample rows and four more; a bad ID number is reported by row
    bad = person_id(9)[:-1] + ("0" if person_id(9)[-1] != "0" else "1")
    job = await upload(client, unit, no, roster_file(
        ("王豆豆", "身份证", person_id(1, male=False), "", "", "", "是"),
        ("王豆", "非身份证", "E12345678", "1998-12-09", "男", "", "是"),
        ("胡庆庆", "身份证", person_id(2), "", "", "13800001111", "是"),
        ("王梅晓", "身份证", wang_mei, "", "", "", "是"),
        ("陈美珠", "身份证", make_id_number("310102", date(1965, 3, 1), 7, male=False), "", "", "", "是"),
        ("张贺", "身份证", bad, "", "", "", "是"),
    ))  # fmt: skip
    assert (job["state"], job["summary"]) == (
        "已完成", "数据读取：6人，成功导入：5条信息（新增加5人，修改0人），导入失败：1条信息",
    )  # fmt: skip
    rejected = await ok(await client.get(f"{MA}/imports/{job['id']}/rejections", headers=unit))
    assert [(r["row_no"], r["column"], r["name"]) for r in rejected["items"]] == [(7, "证件号码", "张贺")]
    listed = {r["name"]: r for r in await rows(client, unit, no)}
    assert set(listed) == {"王豆豆", "王豆", "胡庆庆", "王梅", "陈美珠"}
    mei = listed["王梅"]  # the suggested roster's name wins; the upload's is offered for confirmation
    assert (mei["name_options"], mei["suggested"], mei["unit_code"]) == (["王梅", "王梅晓"], True, "00108537")
    assert {r["employment"] for r in listed.values()} == {"在职"}  # 是否有社保 = 是
    assert [r["name"] for r in await rows(client, unit, no, over_age=True)] == ["陈美珠"]
    assert listed["胡庆庆"]["id_number"] == person_id(2)[:3] + "*" * 11 + person_id(2)[-4:]

    # 编辑 only 非身份证 rows
    id_row = await client.patch(f"{MA}/batches/{no}/rows/{listed['胡庆庆']['id']}", json={"phone": "13911112222"},
                                headers=unit)  # fmt: skip
    assert (id_row.status_code, id_row.json()["code"]) == (409, "roster.row_not_editable")
    edited = await client.patch(f"{MA}/batches/{no}/rows/{listed['王豆']['id']}", json={"phone": "13911112222"},
                                headers=unit)  # fmt: skip
    assert edited.status_code == 204

    # 清册校验: the over-age woman must go (or be kept by ticking 社保尚在缴金) → 清册校验不通过
    check = await validate(client, unit, no)
    assert check["outcome"] == "清册校验不通过"
    assert [(r["name"], r["reason"]) for r in check["removals"]] == [("陈美珠", "超龄")]
    assert [r["problem"] for r in await rows(client, unit, no, problem=True)] == ["超龄"]
    assert (await ok(await client.get(f"{MA}/batches/{no}", headers=unit)))["status"] == "清册校验不通过"
    removed = await ok(await client.delete(f"{MA}/batches/{no}/rows/{listed['陈美珠']['id']}", headers=unit))
    assert removed == {"count": 1}
    check = await validate(client, unit, no)
    assert (check["outcome"], check["removals"], check["unmatched"], check["ratio"]) == ("清册校验通过", [], 3, None)
    assert check["change"] == {"last": 4, "this": 4, "percent": "0%", "within": True}
    # nothing to remove any more: back to 清册待校验, ready for 清册提交
    assert (await ok(await client.get(f"{MA}/batches/{no}", headers=unit)))["status"] == "清册待校验"

    # 清册提交: names confirmed, 人员确认 of the 3 the suggested roster did not match, the 承诺书 accepted
    submit = f"{MA}/batches/{no}/submission"
    for body, code_ in (
        ({"commitment_accepted": True, "people_confirmed": True}, "roster.names_unconfirmed"),
        ({"commitment_accepted": True}, None),
        ({"commitment_accepted": False, "people_confirmed": True}, "roster.commitment_required"),
    ):
        if code_ is None:
            await client.put(f"{MA}/batches/{no}/rows/{mei['id']}/name", json={"name": "王梅"}, headers=unit)
            code_ = "roster.confirmation_required"
        refused = await client.post(submit, json=body, headers=unit)
        assert (refused.status_code, refused.json()["code"]) == (409, code_)
    passed = await ok(await client.post(submit, json={"commitment_accepted": True, "people_confirmed": True},
                                        headers=unit))  # fmt: skip
    assert (passed["status"], passed["cover_start"], passed["cover_end"], passed["half_year"]) == (
        "清册校验通过", f"{YEAR}-07-01", f"{YEAR + 1}-06-30", False,
    )  # fmt: skip
    gone = await client.delete(f"{MA}/batches/{no}", headers=unit)
    assert (gone.status_code, gone.json()["code"]) == (409, "batch.delete_refused")

    # 保障项目选择: 生成保费信息 is the manual's table; 4 × (180 + 330 + 460 + 225) = 4,780 元
    items = ["A0", "B0", "C0", "A3", "B3", "C3"]
    preview = await ok(await client.get(f"{MA}/batches/{no}/premium", params={"items": items}, headers=unit))
    assert [(r["label"], r["standard_fen"], r["discount_fen"], r["ss_persons"], r["ss_fen"], r["total_fen"])
            for r in preview["rows"]] == [
        ("A0 B0 C0", 19000, 1000, 4, 72000, 72000), ("A3", 33000, 0, 4, 132000, 132000),
        ("B3", 46000, 0, 4, 184000, 184000), ("C3", 22500, 0, 4, 90000, 90000),
    ]  # fmt: skip
    assert (preview["total_fen"], preview["ss_fen"], preview["non_ss_fen"]) == (478000, 478000, 0)
    basic = await client.get(f"{MA}/batches/{no}/premium", params={"items": ["A3"]}, headers=unit)
    assert (basic.status_code, basic.json()["code"]) == (422, "items.basic_required")
    confirmed = await ok(await client.post(f"{MA}/batches/{no}/premium", json={"items": items}, headers=unit))
    assert (confirmed["status"], confirmed["amount_fen"], confirmed["payable_no"], confirmed["voucher_due"]) == (
        "缴费凭证待上传", 478000, no, f"{YEAR}-06-25",
    )  # fmt: skip
    assert {r["premium_fen"] for r in await rows(client, unit, no)} == {119500}
    event = await _one_event(kafka, "enrollment.batch.submitted", no)
    assert (event["programme"], event["payer_org_id"], event["lines_total"], event["coverage_start"]) == (
        "mutual-aid", city.g1.org_id, 4, f"{YEAR}-07-01",
    )  # fmt: skip
    # billing knows the payer by the code's account too (the union's clerk who applied for it)
    assert (event["payer_account"], event["payer_org_name"]) == (f"clerk-{city.g1.org_id}", unit_name)
    assert event["split"] == {"amount_fen": 478000, "city_fen": 0, "district_fen": 0, "grassroots_fen": 478000}
    assert sorted(line["premium_fen"] for line in event["lines"]) == [119500] * 4

    # 批次撤回 with its reason → 清册待校验; billing's payable is voided; a new premium makes a new one
    no_reason = await client.post(f"{MA}/batches/{no}/withdraw", json={"reason": " "}, headers=unit)
    assert (no_reason.status_code, no_reason.json()["code"]) == (422, "batch.reason_required")
    back = await ok(await client.post(f"{MA}/batches/{no}/withdraw", json={"reason": "漏选保障项目"}, headers=unit))
    assert (back["status"], back["payable_no"], back["items"], back["cover_start"]) == ("清册待校验", None, [], None)
    lapsed = await _one_event(kafka, "enrollment.batch.lapsed", no)
    assert (lapsed["pay_by"], lapsed["payer_account"]) == (f"{YEAR}-06-25", f"clerk-{city.g1.org_id}")
    await ok(await client.post(submit, json={"commitment_accepted": True, "people_confirmed": True}, headers=unit))
    again = await ok(await client.post(f"{MA}/batches/{no}/premium", json={"items": items}, headers=unit))
    payable = again["payable_no"]
    assert payable == f"{no}-2" and again["amount_fen"] == 478000
    assert (await _one_event(kafka, "enrollment.batch.submitted", payable))["split"]["amount_fen"] == 478000

    # billing: the voucher freezes the roster (审核中), the confirmed payment completes the batch
    uploaded = at(YEAR, 6, 15, 9)
    await send_event(kafka.bootstrap, BillingVoucherSubmitted(
        batch_no=payable, voucher_no="PZ202306150001", payer_org_id=city.g1.org_id, applied_fen=478000,
        roster_frozen_at=uploaded, submitted_at=uploaded, version=2), source="/services/billing")  # fmt: skip
    review = await _status(client, unit, no, "审核中")
    assert review["voucher_no"] == "PZ202306150001"
    frozen = await client.patch(f"{MA}/batches/{no}/rows/{listed['王豆']['id']}", json={"name": "王豆丁"}, headers=unit)
    assert (frozen.status_code, frozen.json()["code"]) == (409, "batch.roster_frozen")
    await send_event(kafka.bootstrap, BillingPaymentConfirmed(batch_no=payable, paid_amount_fen=478000,
                                                              confirmed_at=at(YEAR, 6, 20, 15)),
                     source="/services/billing")  # fmt: skip
    done = await _status(client, unit, no, "参保已完成")
    assert (done["paid_amount_fen"], done["actions"]) == (478000, [])
    assert (await _one_event(kafka, "enrollment.batch.completed", payable))["paid_amount_fen"] == 478000

    # the operation log: every step, who and why; others see nothing of the batch
    assert await labels(client, unit, no) == [
        ("集中参保办理", "清册待校验"), ("上传参保名单", None), ("编辑参保人员", None), ("清册校验", "清册校验不通过"),
        ("删除参保人员", None), ("清册校验", "清册待校验"), ("姓名确认", None), ("清册提交", "清册校验通过"),
        ("选择保障项目并提交确认保费", "缴费凭证待上传"), ("批次撤回", "清册待校验"), ("清册提交", "清册校验通过"),
        ("选择保障项目并提交确认保费", "缴费凭证待上传"), ("上传缴费凭证", "审核中"), ("确认缴费", "参保已完成"),
    ]  # fmt: skip
    ops = await ok(await client.get(f"{MA}/batches/{no}/operations", headers=unit))
    assert [o["reason"] for o in ops if o["action"] == "withdraw"] == ["漏选保障项目"]
    assert {o["actor_id"] for o in ops if o["action"] == "confirm_payment"} == {"billing"}
    assert (await client.get(f"{MA}/batches/{no}", headers=city.clerk(city.g2))).status_code == 404
    assert (await client.get(f"{MA}/batches/{no}", headers=city.clerk(city.xuhui))).status_code == 200
    assert (await ok(await client.get(f"{MA}/batches", params={"year": YEAR}, headers=INSURER)))["total"] == 1


async def test_an_instant_batch_of_a_new_unit_reviewed_by_the_insurer_at_half_year_prices(client, clock, kafka):
    clock.set(at(YEAR + 1, 1, 10, 9))  # 即时参保 in January: cover from the next day, half-year prices
    await configure(client, YEAR)
    unit_name = "上海某某贸易有限公司"
    code = await unit_with_code(client, clock, ENTERPRISE, unit_name, "18712340000", "13900002222", "李经办")
    closed = await open_batch(client, ENTERPRISE, "集中参保", code, unit_name, year=YEAR)
    assert (closed.status_code, closed.json()["code"]) == (409, "window.closed")
    batch = await ok(await open_batch(client, ENTERPRISE, "即时参保", code, unit_name), 201)
    no = batch["batch_no"]
    assert (batch["year"], batch["org_id"]) == (YEAR, None)
    job = await upload(client, ENTERPRISE, no, roster_file(
        ("赵一", "身份证", person_id(21), "", "", "", "是"),
        ("钱二", "身份证", person_id(22, male=False), "", "", "", "是"),
        ("孙三", "非身份证", "P98765432", "1992-03-04", "女", "", "否"),
    ))  # fmt: skip
    assert (job["rows_added"], job["rows_rejected"]) == (3, 0)

    # a unit new to the programme always uploads its social-insurance declaration → 职保会待审核
    check = await validate(client, ENTERPRISE, no)
    assert (check["outcome"], check["new_unit"], check["evidence_uploaded"]) == ("需上传附件", True, False)
    assert check["evidence"] == "《社会保险费缴费申报表》或《单位参加城镇社会保险基本情况》"
    submit, body = f"{MA}/batches/{no}/submission", {"commitment_accepted": True, "people_confirmed": True}
    missing = await client.post(submit, json=body, headers=ENTERPRISE)
    assert (missing.status_code, missing.json()["code"]) == (409, "roster.evidence_required")
    attach = f"{MA}/batches/{no}/attachments"
    text = await client.post(attach, params={"kind": "社保缴费申报表", "file_name": "申报表.png"}, content=b"hello",
                             headers=ENTERPRISE)  # fmt: skip
    assert (text.status_code, text.json()["code"]) == (415, "attachment.file_type")
    declaration = await ok(await client.post(attach, params={"kind": "社保缴费申报表", "file_name": "申报表.png"},
                                             content=PNG, headers=ENTERPRISE), 201)  # fmt: skip
    submitted = await ok(await client.post(submit, json=body, headers=ENTERPRISE))
    assert (submitted["status"], submitted["cover_start"], submitted["half_year"]) == (
        "职保会待审核", f"{YEAR + 1}-01-11", True,
    )  # fmt: skip

    # 职保会审核: 不通过 with its reason, the unit submits again, 审核通过
    queue = await ok(await client.get(f"{MA}/review", headers=INSURER))
    assert [b["batch_no"] for b in queue["items"]] == [no]
    assert (await client.get(declaration["url"], headers=INSURER)).content == PNG
    assert (await client.post(f"{MA}/batches/{no}/approve", headers=ENTERPRISE)).status_code == 403
    no_reason = await client.post(f"{MA}/batches/{no}/reject", json={"reason": ""}, headers=INSURER)
    assert (no_reason.status_code, no_reason.json()["code"]) == (422, "batch.reason_required")
    rejected = await ok(await client.post(f"{MA}/batches/{no}/reject", json={"reason": "申报表未加盖公章"},
                                          headers=INSURER))  # fmt: skip
    assert rejected["status"] == "职保会审核不通过"
    early = await client.post(f"{MA}/batches/{no}/premium", json={"items": ["A0"]}, headers=ENTERPRISE)
    assert (early.status_code, early.json()["code"]) == (409, "batch.confirm_premium_refused")
    await ok(await client.post(submit, json=body, headers=ENTERPRISE))
    approved = await ok(await client.post(f"{MA}/batches/{no}/approve", headers=INSURER))
    assert approved["status"] == "职保会审核通过"

    # 半年缴费标准, no A0+B0+C0 discount (cover ≤ half a year), A0 only for people with social security
    items = ["A0", "B0", "C0"]
    preview = await ok(await client.get(f"{MA}/batches/{no}/premium", params={"items": items}, headers=ENTERPRISE))
    assert [(r["label"], r["price_fen"], r["ss_persons"], r["ss_fen"], r["non_ss_persons"], r["non_ss_fen"],
             r["total_fen"]) for r in preview["rows"]] == [
        ("A0", 6000, 2, 12000, 0, 0, 12000), ("B0", 2750, 2, 5500, 1, 2750, 8250), ("C0", 750, 2, 1500, 1, 750, 2250),
    ]  # fmt: skip
    assert (preview["half_year"], preview["total_fen"], preview["ss_fen"], preview["non_ss_fen"]) == (
        True, 22500, 19000, 3500,
    )  # fmt: skip
    confirmed = await ok(await client.post(f"{MA}/batches/{no}/premium", json={"items": items}, headers=ENTERPRISE))
    assert (confirmed["status"], confirmed["amount_fen"], confirmed["voucher_due"]) == (
        "缴费凭证待上传", 22500, f"{YEAR + 1}-01-25",
    )  # fmt: skip
    event = await _one_event(kafka, "enrollment.batch.submitted", no)
    assert (event["enrollment_type"], event["coverage_start"], event["payer_org_id"]) == (
        "即时参保", f"{YEAR + 1}-01-11", 0,
    )  # fmt: skip
    # a unit without a union: billing knows it only by the account its code belongs to, under its own name
    assert (event["payer_account"], event["payer_org_name"]) == ("ent-1", unit_name)
    assert sorted((line["guarantee_type"], line["premium_fen"]) for line in event["lines"]) == [
        ("无社保", 3500), ("有社保", 9500), ("有社保", 9500),
    ]  # fmt: skip

    await send_event(kafka.bootstrap, BillingPaymentConfirmed(batch_no=no, paid_amount_fen=22500,
                                                              confirmed_at=at(YEAR + 1, 1, 20, 10)),
                     source="/services/billing")  # fmt: skip
    done = await _status(client, ENTERPRISE, no, "参保已完成")
    assert done["paid_amount_fen"] == 22500
    ops = await ok(await client.get(f"{MA}/batches/{no}/operations", headers=ENTERPRISE))
    assert [(o["label"], o["reason"]) for o in ops if o["action"] == "reject"] == [("职保会审核", "申报表未加盖公章")]
    assert [o["to_status"] for o in ops if o["to_status"]][-2:] == ["审核中", "参保已完成"]


async def test_registry_roster_set_employed_once_per_year_and_refusals(client, city, clock, kafka):
    clock.set(at(YEAR, 6, 12, 9))
    await configure(client, YEAR)
    seal = PartnerSeal(key_from_text(EnrollmentSettings().partner_seal_key))
    numbers = [person_id(40 + n) for n in range(3)]
    members = [member(city, city.g1, n).model_copy(update={"id_sealed": seal.seal(numbers[n]),
                                                            "birth_date": date(1990, 1, 1)})
               for n in range(3)]  # fmt: skip
    await project_people(client._transport.app, members, [])  # noqa: SLF001
    unit_a, name_a = city.clerk(city.g1), "上海建朗信息科技有限公司"
    code_a = await unit_with_code(client, clock, unit_a, name_a, "18712345678", "13900001111")
    code_b = await unit_with_code(client, clock, ENTERPRISE, "上海某某贸易有限公司", "18712340000", "13900002222")

    clock.set(at(YEAR, 5, 20, 9))
    early = await open_batch(client, unit_a, "集中参保", code_a, name_a, year=YEAR)
    assert (early.status_code, early.json()["code"]) == (409, "window.not_open")
    clock.set(at(YEAR, 6, 12, 10))
    other_code = await open_batch(client, unit_a, "集中参保", code_b, name_a)
    assert other_code.status_code == 404  # not the caller's code
    no = (await ok(await open_batch(client, unit_a, "集中参保", code_a, name_a), 201))["batch_no"]

    # 获取“会员库”本单位工会会员名单: 职退状态 unknown until social security answers 设置在职
    assert await ok(await client.post(f"{MA}/batches/{no}/rows/from-registry", headers=unit_a)) == {
        "added": 3, "updated": 0, "skipped": 0,
    }  # fmt: skip
    first = await rows(client, unit_a, no)
    assert [(r["employment"], r["has_social_security"], r["source"]) for r in first] == [("-", False, "会员库")] * 3
    sent = await ok(await client.post(f"{MA}/batches/{no}/rows/employment-checks", json={"all": True},
                                      headers=unit_a), 202)  # fmt: skip
    assert sent["rows"] == 3 and all(r["checking"] for r in await rows(client, unit_a, no))
    ids = [str(r["id"]) for r in first]
    await send_event(kafka.bootstrap, SocialsecCheckReported(request_id=sent["request_ids"][0], requester="enrollment",
        results=[CheckResult(subject_id=ids[0], found=True, employment_unit="上海建朗信息科技有限公司"),
                 CheckResult(subject_id=ids[1], found=True, retired=True, retirement_month="2023-01"),
                 CheckResult(subject_id=ids[2], found=False)]), source="/adapters/socialsec")  # fmt: skip

    async def answered():  # type: ignore[no-untyped-def]
        now = await rows(client, unit_a, no)
        return now if not any(r["checking"] for r in now) else None

    after = await eventually(answered, timeout=60)
    assert after, "social security never answered"
    assert [(r["employment"], r["has_social_security"]) for r in after] == [
        ("在职", True),
        ("退休", False),
        ("-", False),
    ]
    assert "未查到" in after[2]["check_note"]

    # retired people must be removed (批量删除); a new unit uploads its declaration → 职保会待审核
    check = await validate(client, unit_a, no)
    assert [(r["name"], r["reason"]) for r in check["removals"]] == [(after[1]["name"], "退休")]
    assert await ok(await client.post(f"{MA}/batches/{no}/rows/delete", json={"row_ids": [after[1]["id"]]},
                                      headers=unit_a)) == {"count": 1}  # fmt: skip
    declaration = {"kind": "社保缴费申报表", "file_name": "a.png"}
    await ok(await client.post(f"{MA}/batches/{no}/attachments", params=declaration, content=PNG, headers=unit_a), 201)
    body = {"commitment_accepted": True, "people_confirmed": True}
    assert (await ok(await client.post(f"{MA}/batches/{no}/submission", json=body, headers=unit_a)))["status"] == (
        "职保会待审核"
    )
    refused = await client.delete(f"{MA}/batches/{no}", headers=unit_a)
    assert (refused.status_code, refused.json()["code"]) == (409, "batch.delete_refused")

    # one ID number once per insurance year: another unit's roster names the occupying unit and its handler
    other = (await ok(await open_batch(client, ENTERPRISE, "集中参保", code_b, "上海某某贸易有限公司"), 201))[
        "batch_no"
    ]
    taken, free = ("张三", "身份证", numbers[0], "", "", "", "是"), ("李四", "身份证", person_id(60), "", "", "", "是")
    await upload(client, ENTERPRISE, other, roster_file(taken, free))
    clash = await validate(client, ENTERPRISE, other)
    assert clash["outcome"] == "清册校验不通过"
    assert [(c["name"], c["unit_name"], c["handler_name"], c["handler_phone"]) for c in clash["clashes"]] == [
        ("张三", name_a, "王经办", "13900001111")
    ]
    assert "身份信息被上海建朗信息科技有限公司占用" in clash["clashes"][0]["message"]
    occupied = await client.post(f"{MA}/batches/{other}/submission", json=body, headers=ENTERPRISE)
    assert (occupied.status_code, occupied.json()["code"]) == (409, "roster.id_occupied")
    assert (await client.delete(f"{MA}/batches/{other}", headers=ENTERPRISE)).status_code == 204
    assert (await client.get(f"{MA}/batches/{other}", headers=ENTERPRISE)).status_code == 404
    # the batch is gone, its log is kept; nobody else works the first batch
    assert (await client.post(f"{MA}/batches/{no}/validation", headers=ENTERPRISE)).status_code == 404
    assert (await client.post(f"{MA}/batches/{no}/approve", headers=unit_a)).status_code == 403


async def _one_event(kafka, ce_type: str, key: str):  # type: ignore[no-untyped-def]
    async def found():  # type: ignore[no-untyped-def]
        return await enrollment_events(kafka.bootstrap, ce_type, key)

    events = await eventually(found, timeout=60)
    assert events, f"no {ce_type} for {key}"
    return events[-1]


async def _status(client, headers: dict[str, str], no: str, status: str):  # type: ignore[no-untyped-def]
    async def reached():  # type: ignore[no-untyped-def]
        body = await ok(await client.get(f"{MA}/batches/{no}", headers=headers))
        return body if body["status"] == status else None

    body = await eventually(reached, timeout=60)
    assert body, f"{no} never reached {status}"
    return body
