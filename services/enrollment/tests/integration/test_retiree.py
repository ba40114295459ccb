"""退休住院计划 on the service (real database and broker) with the manual's figures. Social security and the
bank are answered from the test by publishing their report events, billing's payment too.

- units: last year's units loaded by the insurer and announced; the gateway's account bound;
- withholding at 300 元: 14 imported (2 rows refused), validation answered in two reports with three
  anomalies fixed (a name taken from social security, a deceased person deleted, a retirement month added),
  returned by the insurer and approved, the bank withholding 9 of 13 (4 × 余额不足, a repeated report
  changing nothing) → the unit keeps the 4 and owes 13 × 450 − 9 × 300 = 3,150 元 → billing → 投保成功;
- withholding at 100 元: 30 people, 1 不可代扣, 23 of 29 withheld; one failed person deleted (29/38 still ≥
  75 %), a second refused (28/38 < 75 %) → 29 persons, unit owes 10,750 元;
- an instant voucher batch: the ratio under 75 % with its material, a person without social security
  classed 其他 with remark and attachment, cover from the day after the payment with 30 days' waiting.
Every refusal changes nothing."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from contracts import topics
from contracts.billing import BillingPaymentConfirmed, BillingVoucherSubmitted
from contracts.envelope import new_envelope
from contracts.org import OrgKind, OrgSnapshot, UnionUpserted
from contracts.retiree import BankWithholdingReported, WithholdingOutcome
from contracts.socialsec import CheckResult, SocialsecCheckReported
from enrollment import demo
from enrollment.service import orgs
from enrollment.service.retiree import withholding as retiree_withholding
from enrollment.service.retiree import workbook
from enrollment.service.retiree.notices import NoticeSenders, RetireeNotices
from localstack.pytest_plugin import eventually, read_topic, send_event
from runtime.identity import make_id_number, make_uscc
from runtime.tokens import Tier
from services.enrollment.tests.conftest import CITY, SYSTEM, app_of, at, bearer, enrollment_events, ok

RT = "/retiree"
YEAR = 2025
INSURER = bearer(Tier.INSURER, user="zhibao")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
INFO = {
    "address": "上海市普陀区曹杨路1号", "postcode": "200070", "district": "轻工工会", "economic_type": "国有企业",
    "handler_name": "王经办", "handler_phone": "13900001111", "handler_email": "handler@example.com",
}  # fmt: skip


def pid(n: int) -> str:
    return make_id_number("310101", date(1955, 3, 1), n, True)


def phone(n: int) -> str:
    return f"139{n:08d}"


# --- the world ------------------------------------------------------------------------------------------


async def union_with_uscc(client, org_id: int, name: str, uscc: str) -> None:  # type: ignore[no-untyped-def]
    """A union the org tree knows with its USCC (org.v1 through the consumer's use case)."""
    snapshot = OrgSnapshot(org_id=org_id, parent_id=None, path=str(org_id), name=name, kind=OrgKind.STANDALONE,
                           union_code=f"U{org_id}", uscc=uscc, version=1)  # fmt: skip
    async with app_of(client).state.sessions() as session, session.begin():
        event = UnionUpserted(org=snapshot)
        await orgs.on_upserted(session, event, new_envelope("/tests", event))


async def unit_account(client, code: str, user: str, tier: Tier, org_id: int | None = None) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The gateway binds the account it issued (`tuixiu<code>`); the unit works with it."""
    body = {"user_id": user, "tier": tier.value, "org_id": org_id}
    await ok(await client.put(f"{RT}/units/{code}/owner", json=body, headers=SYSTEM))
    return bearer(tier, str(org_id) if org_id else "", user=user, org_id=org_id)


async def opened(client, unit: dict[str, str], kind: str, code: str, unit_name: str) -> str:  # type: ignore[no-untyped-def]
    """Steps 1 and 2: the batch, the unit info maintained and confirmed."""
    body = {"enrollment_type": kind, "code": code, "unit_name": unit_name}
    batch = await ok(await client.post(f"{RT}/batches", json=body, headers=unit), 201)
    await ok(await client.put(f"{RT}/units/{code}/info", json=INFO, headers=unit))
    await ok(await client.post(f"{RT}/batches/{batch['batch_no']}/unit-confirmation", headers=unit))
    return str(batch["batch_no"])


async def attach(client, unit: dict[str, str], no: str, kind: str, **params: Any) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    response = await client.post(f"{RT}/batches/{no}/attachments", content=PNG,
                                 params={"kind": kind, "file_name": "材料.png", **params}, headers=unit)  # fmt: skip
    return await ok(response, 201)  # type: ignore[no-any-return]


async def withholding_mode(client, unit: dict[str, str], no: str, amount_fen: int) -> None:  # type: ignore[no-untyped-def]
    form = await attach(client, unit, no, "委托代扣申请书")
    body = {"mode": "委托代扣", "amount_fen": amount_fen, "entrustment_attachment_id": form["id"]}
    await ok(await client.put(f"{RT}/batches/{no}/payment-mode", json=body, headers=unit))


async def upload(client, unit: dict[str, str], no: str, rows: list[tuple[str, ...]]) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    job = await ok(await client.post(f"{RT}/batches/{no}/imports", params={"file_name": "名单.xlsx"},
                                     content=workbook.rows_of(rows), headers=unit), 202)  # fmt: skip
    await app_of(client).state.retiree_imports.idle()
    return await ok(await client.get(f"{RT}/imports/{job['id']}", headers=unit))  # type: ignore[no-any-return]


async def batch_of(client, headers: dict[str, str], no: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return await ok(await client.get(f"{RT}/batches/{no}", headers=headers))  # type: ignore[no-any-return]


async def people(client, headers: dict[str, str], no: str, **params: Any) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    body = await ok(await client.get(f"{RT}/batches/{no}/people", params={"size": 500, **params}, headers=headers))
    return body["items"]  # type: ignore[no-any-return]


async def until_status(client, headers: dict[str, str], no: str, status: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    async def reached():  # type: ignore[no-untyped-def]
        body = await batch_of(client, headers, no)
        return body if body["status"] == status else None

    found = await eventually(reached, timeout=120)
    assert found, f"{no} never reached {status}: {(await batch_of(client, headers, no))['status']}"
    return found  # type: ignore[no-any-return]


async def requested_checks(bootstrap: str, count: int) -> list[dict[str, Any]]:
    """The retiree checks enrollment asked social security for (rt-…)."""

    async def found():  # type: ignore[no-untyped-def]
        out = []
        for record in await read_topic(bootstrap, topics.SOCIALSEC):
            headers = {k: v.decode() for k, v in record.headers}
            body = json.loads(record.value)
            if headers.get("ce_type") == "socialsec.check.requested" and body["request_id"].startswith("rt-"):
                out.append(body)
        return out if len(out) >= count else None

    requests = await eventually(found, timeout=60)
    assert requests, "no retiree check was requested"
    return requests  # type: ignore[no-any-return]


def on_register(subject: dict[str, Any], unit_code: str, **facts: Any) -> CheckResult:
    """A retired person on the register whose pension can be withheld, unless `facts` say otherwise."""
    base = {
        "found": True, "name_on_record": subject["name"], "retired": True, "retirement_month": "2015-06",
        "unit_code": unit_code, "unit_uscc": make_uscc(500), "medical_insured": True, "withholdable": True,
    }  # fmt: skip
    return CheckResult(subject_id=subject["subject_id"], **(base | facts))


async def report(bootstrap: str, request_id: str, results: list[CheckResult]) -> None:
    event = SocialsecCheckReported(request_id=request_id, requester="enrollment", results=results)
    await send_event(bootstrap, event, source="/adapters/socialsec")


async def withholding_request(bootstrap: str, batch_no: str) -> list[dict[str, Any]]:
    events = await eventually(lambda: enrollment_events(bootstrap, "retiree.withholding.requested", None), timeout=60)
    mine = [e for e in events or [] if e["batch_no"] == batch_no]
    assert mine, f"no withholding request for {batch_no}"
    return mine


async def bank_report(bootstrap: str, request: dict[str, Any], outcomes: list[WithholdingOutcome]) -> None:
    event = BankWithholdingReported(request_no=request["request_no"], batch_no=request["batch_no"],
                                    deducted_on=date(YEAR, 6, 10), outcomes=outcomes)  # fmt: skip
    await send_event(bootstrap, event, source="/adapters/bank")


async def submitted(bootstrap: str, batch_no: str) -> dict[str, Any]:
    events = await eventually(lambda: enrollment_events(bootstrap, "enrollment.batch.submitted", batch_no), timeout=60)
    assert events, f"{batch_no} never went to billing"
    return events[0]  # type: ignore[no-any-return]


async def refused(response, status: int, code: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    assert (response.status_code, response.json().get("code")) == (status, code), response.text
    return response.json()  # type: ignore[no-any-return]


@pytest.fixture
async def year(client, clock):  # type: ignore[no-untyped-def]
    clock.set(at(YEAR, 5, 20, 10))
    await demo.configure_retiree(client, CITY, YEAR)


# --- the units ------------------------------------------------------------------------------------------


async def test_last_years_units_are_loaded_announced_and_bound_to_their_accounts(client, kafka, year):  # type: ignore[no-untyped-def]
    org_id = 9_100_001
    await union_with_uscc(client, org_id, "上海某某机械厂工会", make_uscc(1))
    units = {"units": [
        {"code": "123000000", "unit_name": "上海某某机械厂", "uscc": make_uscc(1)},
        {"code": "123000001", "unit_name": "上海某某纺织厂", "uscc": make_uscc(2)},
        {"code": "123000002", "unit_name": "上海某某印刷厂", "uscc": "91310000XXXXXXXXX1"},
    ]}  # fmt: skip
    loaded = await ok(await client.put(f"{RT}/units", json=units, headers=INSURER))
    assert (loaded["received"], loaded["registered"], loaded["updated"], loaded["unchanged"]) == (3, 2, 0, 0)
    assert [u["code"] for u in loaded["invalid"]] == ["123000002"]

    events = await eventually(
        lambda: enrollment_events(kafka.bootstrap, "enrollment.retiree_unit.registered", None), timeout=60
    )
    assert sorted((e["code"], e["uscc"], e["org_id"], e["version"]) for e in events) == [
        ("123000000", make_uscc(1), org_id, 1), ("123000001", make_uscc(2), None, 1),
    ]  # fmt: skip
    again = await ok(await client.put(f"{RT}/units", json=units, headers=INSURER))
    assert (again["registered"], again["updated"], again["unchanged"]) == (0, 0, 2)

    # only the gateway (system) binds an account; the unit then reads and works its own unit only
    body = {"user_id": "tuixiu123000000", "tier": "grassroots", "org_id": org_id}
    await refused(await client.put(f"{RT}/units/123000000/owner", json=body, headers=INSURER), 403, "tier.forbidden")
    unit = await unit_account(client, "123000000", "tuixiu123000000", Tier.GRASSROOTS, org_id)
    other = await unit_account(client, "123000001", "tuixiu123000001", Tier.ENTERPRISE)
    mine = await ok(await client.get(f"{RT}/units/123000000", headers=unit))
    assert (mine["owner_user_id"], mine["uscc"], mine["uscc_matched"], mine["info_complete"]) == (
        "tuixiu123000000", make_uscc(1), True, False,
    )  # fmt: skip
    await refused(await client.get(f"{RT}/units/123000000", headers=other), 404, "not_found")
    listed = await ok(await client.get(f"{RT}/units", headers=other))
    assert [u["code"] for u in listed["items"]] == ["123000001"]
    looked_up = await ok(await client.get(f"{RT}/uscc", params={"unit_name": "上海某某机械厂"}, headers=unit))
    assert looked_up == {"unit_name": "上海某某机械厂", "uscc": make_uscc(1), "org_id": org_id}

    # 修改单位名称 with evidence, reviewed by the insurer: the new name is announced again
    evidence = await ok(await client.post(f"{RT}/units/123000001/attachments", params={"file_name": "变更登记表.png"},
                                          content=PNG, headers=other), 201)  # fmt: skip
    form = INFO | {"new_unit_name": "上海某某新材料有限公司", "uscc": make_uscc(3), "attachment_ids": [evidence["id"]]}
    change = await ok(await client.post(f"{RT}/units/123000001/name-changes", json=form, headers=other), 201)
    assert (change["status"], change["old_unit_name"]) == ("申请中", "上海某某纺织厂")
    assert change["handler_phone"] == "139*****1111"
    await refused(await client.post(f"{RT}/units/123000001/name-changes", json=form, headers=other), 409,
                  "name_change.pending")  # fmt: skip
    queue = await ok(await client.get(f"{RT}/name-changes", params={"status": "申请中"}, headers=INSURER))
    assert [c["id"] for c in queue["items"]] == [change["id"]]
    approved = await ok(await client.post(f"{RT}/name-changes/{change['id']}/approve", headers=INSURER))
    assert approved["status"] == "审核通过"
    renamed = await ok(await client.get(f"{RT}/units/123000001", headers=other))
    assert (renamed["unit_name"], renamed["uscc"]) == ("上海某某新材料有限公司", make_uscc(3))
    assert renamed["info_complete"]

    async def announced_again():  # type: ignore[no-untyped-def]
        found = await enrollment_events(kafka.bootstrap, "enrollment.retiree_unit.registered", "123000001")
        return [e for e in found if e["version"] == 2]

    assert [e["unit_name"] for e in await eventually(announced_again, timeout=60)] == ["上海某某新材料有限公司"]
    await refused(await client.post(f"{RT}/name-changes/{change['id']}/reject", json={"reason": "材料不清"},
                                    headers=INSURER), 409, "name_change.not_pending")  # fmt: skip


@dataclass
class Handler:
    """The handler's phone and mailbox as the notice senders reach them; the SMS gateway may be away."""

    sms_away: int = 0  # sends to refuse first
    texts: list[tuple[str, str]] = field(default_factory=list)
    mails: list[tuple[str, str, str]] = field(default_factory=list)

    async def send(self, phone: str, text: str) -> None:  # SmsSender
        if self.sms_away:
            self.sms_away -= 1
            raise ConnectionError("短信网关不可用")
        self.texts.append((phone, text))

    def senders(self) -> NoticeSenders:
        handler = self

        class Mailbox:
            async def send(self, to: str, subject: str, text: str) -> None:
                handler.mails.append((to, subject, text))

        return NoticeSenders(self, Mailbox())


# --- withholding at 300 元: 13 persons, 9 withheld → 3,150 元 ------------------------------------------------------


async def test_withholding_at_300_keeps_the_four_failed_and_the_unit_owes_3150(client, clock, kafka, year):  # type: ignore[no-untyped-def]
    org_id = 9_100_002
    await union_with_uscc(client, org_id, "上海某某机械厂工会", make_uscc(11))
    await ok(await client.put(f"{RT}/units", json={"units": [
        {"code": "123000000", "unit_name": "上海某某机械厂", "uscc": make_uscc(11)}]}, headers=INSURER))  # fmt: skip
    unit = await unit_account(client, "123000000", "tuixiu123000000", Tier.GRASSROOTS, org_id)
    await ok(await client.put(f"{RT}/years/{YEAR}/headcounts",
                              json={"units": [{"unit_code": "SB001", "unit_name": "上海某某机械厂", "headcount": 15}]},
                              headers=INSURER))  # fmt: skip

    # step 1: a collective batch, one unfinished per code
    opening = {"enrollment_type": "集中参保", "code": "123000000", "unit_name": "上海某某机械厂"}
    batch = await ok(await client.post(f"{RT}/batches", json=opening, headers=unit), 201)
    no = batch["batch_no"]
    assert no.startswith(f"TXZY{YEAR}0520") and (batch["status"], batch["step"], batch["step_label"]) == (
        "名单待导入", 2, "单位信息维护",
    )  # fmt: skip
    await refused(await client.post(f"{RT}/batches", json=opening, headers=unit), 409, "retiree.batch_open")
    # step 2: the info first, then 信息确认无误 (the USCC from the name)
    await refused(await client.post(f"{RT}/batches/{no}/unit-confirmation", headers=unit), 409, "unit.info_incomplete")
    await ok(await client.put(f"{RT}/units/123000000/info", json=INFO, headers=unit))
    # 修改并保存 again without retyping the phone: the form sends back the masked number it was shown
    shown = await ok(await client.get(f"{RT}/units/123000000", headers=unit))
    form = {k: shown[k] for k in INFO} | {"address": "上海市普陀区曹杨路2号"}
    assert form["handler_phone"] == "139*****1111"
    resaved = await ok(await client.put(f"{RT}/units/123000000/info", json=form, headers=unit))
    assert (resaved["address"], resaved["handler_phone"], resaved["info_complete"]) == (
        "上海市普陀区曹杨路2号", "139*****1111", True,
    )  # fmt: skip
    await refused(await client.put(f"{RT}/units/123000000/info", json=form | {"handler_phone": "139*****2222"},
                                   headers=unit), 422, "phone.format")  # fmt: skip
    confirmed = await ok(await client.post(f"{RT}/batches/{no}/unit-confirmation", headers=unit))
    assert (confirmed["uscc"], confirmed["step"], confirmed["handler_phone"]) == (make_uscc(11), 3, "139*****1111")

    # step 3: withholding 300 元 with the sealed form; final once chosen
    body = {"mode": "委托代扣", "amount_fen": 30000}
    await refused(await client.put(f"{RT}/batches/{no}/payment-mode", json=body, headers=unit), 422,
                  "payment.entrustment_required")  # fmt: skip
    await refused(await client.put(f"{RT}/batches/{no}/payment-mode", json={"mode": "委托代扣", "amount_fen": 45001},
                                   headers=unit), 422, "payment.amount_invalid")  # fmt: skip
    assert (await batch_of(client, unit, no))["payment_mode"] is None  # checked: the refusals chose nothing
    await withholding_mode(client, unit, no, 30000)
    await refused(await client.put(f"{RT}/batches/{no}/payment-mode", json={"mode": "缴费凭证"}, headers=unit), 409,
                  "payment.mode_final")  # fmt: skip
    assert ((b := await batch_of(client, unit, no))["payment_mode"], b["withholding_amount_fen"], b["step"]) == (
        "委托代扣", 30000, 4,
    )  # fmt: skip

    # step 4: the import — 16 rows, a phone missing and a bad ID number refused by row; one odd phone kept
    names = ["张一", "张二", "张三", "张四", "张五", "张六", "张七", "张八", "张九", "张十", "李一", "李二", "李叁",
             "王死"]  # fmt: skip
    rows = [(n, "身份证", pid(i + 1), "", "", phone(i + 1)) for i, n in enumerate(names)]
    rows[9] = (names[9], "身份证", pid(10), "", "", "021-64000000")
    bad = pid(99)[:-1] + ("0" if pid(99)[-1] != "0" else "1")
    refused_rows = [("赵空", "身份证", pid(50), "", "", ""), ("钱错", "身份证", bad, "", "", phone(60))]
    job = await upload(client, unit, no, [*rows, *refused_rows])
    assert (job["state"], job["summary"]) == ("已完成", "数据读取：16人，成功导入：14人，导入失败：2条信息")
    rejected = await ok(await client.get(f"{RT}/imports/{job['id']}/rejections", headers=unit))
    assert [(r["row_no"], r["column"], r["name"]) for r in rejected["items"]] == [
        (16, "手机号", "赵空"), (17, "证件号码", "钱错"),
    ]  # fmt: skip
    listed = {p["name"]: p for p in await people(client, unit, no)}
    assert len(listed) == 14 and listed["张十"]["phone_valid"] is False and listed["张一"]["phone"] == "139*****0001"
    assert (await batch_of(client, unit, no))["status"] == "名单待校验"

    # step 5: 提交系统校验 → social security asked for the 14, answers in two reports
    sent = await ok(await client.post(f"{RT}/batches/{no}/validation", headers=unit), 202)
    assert (sent["status"], sent["validation"]["requested"], sent["actions"]) == ("名单校验中", 14, [])
    request = (await requested_checks(kafka.bootstrap, 1))[0]
    assert request["checks"] == ["retirement", "name", "medical", "withholdable", "deceased"]
    subjects = {s["name"]: s for s in request["subjects"]}
    assert set(subjects) == set(names)
    first = [on_register(subjects[n], "SB001") for n in names[:6]]
    await report(kafka.bootstrap, request["request_id"], first)

    async def half():  # type: ignore[no-untyped-def]
        body = await batch_of(client, unit, no)
        return body if body["validation"]["answered"] == 6 else None

    assert (await eventually(half, timeout=60))["validation"]["percent"] == 42  # 6 of 14
    rest = [
        *(on_register(subjects[n], "SB001") for n in names[6:11]),
        on_register(subjects["李二"], "SB001", retirement_month=None),  # 退休年月为空
        on_register(subjects["李叁"], "SB001", name_on_record="李三"),  # the register has 李三
        on_register(subjects["王死"], "SB001", deceased=True),
    ]
    await report(kafka.bootstrap, request["request_id"], rest)
    checked = await until_status(client, unit, no, "名单校验完成")
    assert {k: checked["counts"][k] for k in ("persons", "anomalies", "name_mismatch", "deceased",
                                             "retirement_missing", "withholdable")} == {
        "persons": 14, "anomalies": 3, "name_mismatch": 1, "deceased": 1, "retirement_missing": 1, "withholdable": 11,
    }  # fmt: skip
    assert checked["step"] == 6

    # step 6: the anomalies refuse the review; then fixed: 确认 the SS name, delete the deceased, add the month
    await refused(await client.post(f"{RT}/batches/{no}/review-submission", headers=unit), 409, "roster.anomalies")
    assert (await batch_of(client, unit, no))["status"] == "名单校验完成"  # checked: nothing changed
    wrong = {p["name"]: p for p in await people(client, unit, no, anomaly=True)}
    assert {n: p["check_result"] for n, p in wrong.items()} == {
        "李二": "退休年月为空或值无效", "李叁": "参保姓名和社保姓名不一致", "王死": "死亡",
    }  # fmt: skip
    taken = await ok(await client.put(f"{RT}/batches/{no}/people/{wrong['李叁']['id']}/ss-name", headers=unit))
    assert (taken["name"], taken["check_result"]) == ("李三", "已确认社保姓名")
    gone = await ok(await client.delete(f"{RT}/batches/{no}/people/{wrong['王死']['id']}", headers=unit))
    assert gone == {"count": 1}
    await refused(await client.patch(f"{RT}/batches/{no}/people/{wrong['李二']['id']}", json={"name": "李贰"},
                                     headers=unit), 409, "roster.row_not_editable")  # fmt: skip
    edited = await ok(await client.patch(f"{RT}/batches/{no}/people/{wrong['李二']['id']}",
                                         json={"retirement_month": "2016-08"}, headers=unit))  # fmt: skip
    assert (edited["check_result"], edited["retirement_month"]) == ("已经修改退休年月", "2016-08")
    again = await ok(await client.post(f"{RT}/batches/{no}/validation", headers=unit), 202)
    assert (again["status"], again["counts"]["anomalies"], again["counts"]["persons"], again["step"]) == (
        "名单校验完成", 0, 13, 7,
    )  # fmt: skip

    # step 7: the ratio table (13 of 15 = 86.66 %), then the insurer returns it once and approves
    ratios = await ok(await client.get(f"{RT}/batches/{no}/ratios", headers=unit))
    assert [(x["unit_code"], x["headcount"], x["insured"], x["already_insured"], x["percent"], x["evidence_required"])
            for x in ratios["lines"]] == [("SB001", 15, 13, 0, "86.66%", False)]  # fmt: skip
    assert ratios["ready"] and ratios["without_ss"]["insured"] == 0
    reviewing = await ok(await client.post(f"{RT}/batches/{no}/review-submission", headers=unit))
    assert (reviewing["status"], reviewing["step"]) == ("职保会待审核", 8)
    await refused(await client.post(f"{RT}/batches/{no}/approve", headers=unit), 403, "tier.forbidden")
    queue = await ok(await client.get(f"{RT}/review", headers=INSURER))
    assert [b["batch_no"] for b in queue["items"]] == [no] and queue["items"][0]["actions"] == ["approve", "reject"]
    reason = {"reason": "请补充《社会保险业务核定表》", "lines": [{"unit_code": "SB001", "reason": "缺少核定表"}]}
    returned = await ok(await client.post(f"{RT}/batches/{no}/reject", json=reason, headers=INSURER))
    assert (returned["status"], returned["review_reason"], returned["review_lines"]) == (
        "职保会审核不通过", "请补充《社会保险业务核定表》", [{"unit_code": "SB001", "reason": "缺少核定表"}],
    )  # fmt: skip
    await ok(await client.post(f"{RT}/batches/{no}/review-submission", headers=unit))
    approved = await ok(await client.post(f"{RT}/batches/{no}/approve", headers=INSURER))
    assert (approved["status"], approved["step"]) == ("职保会审核通过", 9)
    assert (await ok(await client.get(f"{RT}/batches/{no}", headers=unit)))["actions"] == ["request_withholding"]

    # step 9: the withholding request (the list confirmed) → the bank, on the pension day
    await refused(await client.post(f"{RT}/batches/{no}/confirmation", headers=unit), 409, "payment.is_withholding")
    await refused(await client.post(f"{RT}/batches/{no}/withholding-request", json={"accepted": False}, headers=unit),
                  422, "withholding.not_accepted")  # fmt: skip
    clock.set(at(YEAR, 6, 3, 15))
    asked = await ok(await client.post(f"{RT}/batches/{no}/withholding-request", json={"accepted": True}, headers=unit))
    assert (asked["status"], asked["withholding"]["requested"], asked["withholding"]["pension_day"]) == (
        "代扣处理中", 13, f"{YEAR}-06-10",
    )  # fmt: skip
    (withheld,) = await withholding_request(kafka.bootstrap, no)
    assert (withheld["amount_fen"], withheld["people_total"], withheld["code"], withheld["chunks"]) == (
        30000, 13, "123000000", 1,
    )  # fmt: skip
    handler = Handler(sms_away=1)
    notices: RetireeNotices = app_of(client).state.retiree_notices
    notices.senders = handler.senders()
    by_name = {p["name"]: p["subject_id"] for p in withheld["people"]}
    succeed = ["张一", "张二", "张三", "张四", "张五", "张六", "张七", "张八", "张九"]
    fail = [n for n in by_name if n not in succeed]
    part_one = [WithholdingOutcome(subject_id=by_name[n], success=True, amount_fen=30000) for n in succeed[:5]]
    await bank_report(kafka.bootstrap, withheld, part_one)
    await bank_report(kafka.bootstrap, withheld, part_one)  # the bank's connector sent it twice
    part_two = [WithholdingOutcome(subject_id=by_name[n], success=True, amount_fen=30000) for n in succeed[5:]] + [
        WithholdingOutcome(subject_id=by_name[n], success=False, amount_fen=0, reason="余额不足") for n in fail
    ]
    await bank_report(kafka.bootstrap, withheld, part_two)
    done = await until_status(client, unit, no, "代扣完成")
    assert {k: done["withholding"][k] for k in ("requested", "succeeded", "failed", "pending")} == {
        "requested": 13, "succeeded": 9, "failed": 4, "pending": 0,
    }  # fmt: skip
    # "代扣成功9人(代扣金额300元/人)…需单位缴纳参保费用3150元"
    assert done["money"] == {"persons": 13, "premium_fen": 45000, "amount_fen": 585000, "withheld_persons": 9,
                             "withheld_fen": 270000, "unit_paid_persons": 4, "unit_owes_fen": 315000}  # fmt: skip
    failed = await people(client, unit, no, withholding_result="代扣失败")
    assert sorted(p["name"] for p in failed) == sorted(fail)
    assert {p["withholding_reason"] for p in failed} == {"余额不足"}
    ok_one = (await people(client, unit, no, withholding_result="代扣成功"))[0]
    await refused(await client.delete(f"{RT}/batches/{no}/people/{ok_one['id']}", headers=unit), 409,
                  "withholding.delete_refused")  # fmt: skip
    assert (await batch_of(client, unit, no))["counts"]["persons"] == 13  # checked: nobody left

    # "邮件会发送至经办人邮箱" and "代扣结果请留意经办人邮箱或短信": recorded with the last outcome, sent once each
    assert done["withholding"]["notified_at"] is None and (handler.texts, handler.mails) == ([], [])
    assert await notices.deliver() == 1  # the mail went; the SMS gateway was away
    assert (len(handler.texts), len(handler.mails)) == (0, 1)
    assert (await batch_of(client, unit, no))["withholding"]["notified_at"] is None  # checked: the SMS is owed
    assert await notices.deliver() == 0  # the SMS waits 30 s before it is tried again
    clock.advance(timedelta(seconds=30))
    assert await notices.deliver() == 1
    result = "申请代扣13人，代扣成功9人(代扣金额300元/人)，代扣失败4人"
    sms = (f"【退休住院计划】上海某某机械厂（批次号{no}）养老金代扣已完成：{result}。"
           "需单位缴纳参保费用3150元，请登录系统确认参保名单后上传缴费凭证。")  # fmt: skip
    assert handler.texts == [("13900001111", sms)]  # the number on file, kept by the masked re-save
    ((to, subject, text),) = handler.mails
    assert (to, subject) == ("handler@example.com", f"退休住院计划代扣结果：上海某某机械厂（批次号{no}）")
    assert f"【查看代扣结果】{result}。" in text.splitlines()
    assert "按缴费凭证缴纳参保费用3150元（13人×450元－代扣2700元）" in text
    notified = (await batch_of(client, unit, no))["withholding"]["notified_at"]
    assert datetime.fromisoformat(notified) == clock.now()
    # the bank's connector sends the last report again, and the service restarts: nothing is sent twice
    again = BankWithholdingReported(request_no=withheld["request_no"], batch_no=no, deducted_on=date(YEAR, 6, 10),
                                    outcomes=part_two)  # fmt: skip
    async with app_of(client).state.sessions() as session, session.begin():
        await retiree_withholding.on_reported(session, again, new_envelope("/adapters/bank", again))
    restarted = RetireeNotices(notices.sessions, notices.vault, handler.senders(), clock, 0, 12)
    assert (await notices.deliver(), await restarted.deliver(), len(handler.texts), len(handler.mails)) == (0, 0, 1, 1)

    # step 10: the unit keeps the four (it pays them) → billing with the 代扣行
    sent_on = await ok(await client.post(f"{RT}/batches/{no}/confirmation", headers=unit))
    assert (sent_on["status"], sent_on["payable_no"], sent_on["cover_start"]) == ("缴费凭证待上传", no, f"{YEAR}-07-01")
    payable = await submitted(kafka.bootstrap, no)
    assert (payable["programme"], payable["programme_name"], payable["split"]["amount_fen"], payable["withheld_fen"],
            payable["withheld_persons"], payable["lines_total"], payable["payer_org_id"], payable["payer_account"]) == (
        "retiree-hospital", "退休住院计划", 585000, 270000, 9, 13, org_id, "tuixiu123000000",
    )  # fmt: skip
    await send_event(kafka.bootstrap, BillingVoucherSubmitted(
        batch_no=no, voucher_no=f"PZ{YEAR}06200001", payer_org_id=org_id, applied_fen=315000,
        roster_frozen_at=at(YEAR, 6, 20, 9), submitted_at=at(YEAR, 6, 20, 9), version=2,
    ), source="/services/billing")  # fmt: skip
    await until_status(client, unit, no, "凭证审核中")
    await send_event(kafka.bootstrap, BillingPaymentConfirmed(batch_no=no, paid_amount_fen=315000,
                                                              confirmed_at=at(YEAR, 6, 25, 10), version=3),
                     source="/services/billing")  # fmt: skip
    insured = await until_status(client, unit, no, "投保成功")
    assert (insured["paid_amount_fen"], insured["cover_start"], insured["cover_end"], insured["covered_from"]) == (
        315000, f"{YEAR}-07-01", f"{YEAR + 1}-06-30", f"{YEAR}-07-01",
    )  # fmt: skip
    completed = await eventually(
        lambda: enrollment_events(kafka.bootstrap, "enrollment.batch.completed", no), timeout=60
    )
    assert completed and completed[0]["paid_amount_fen"] == 315000
    ops = await ok(await client.get(f"{RT}/batches/{no}/operations", headers=INSURER))
    rejects = [o for o in ops if o["action"] == "reject"]
    assert [(o["reason"], o["actor_id"], o["to_status"]) for o in rejects] == [
        ("请补充《社会保险业务核定表》", "zhibao", "职保会审核不通过"),
    ]  # fmt: skip
    assert [o["to_status"] for o in ops if o["to_status"]][-4:] == [
        "代扣完成", "缴费凭证待上传", "凭证审核中", "投保成功",
    ]  # fmt: skip


# --- withholding at 100 元: 29 persons, 23 withheld → 10,750 元 ----------------------------------------------------


async def test_withholding_at_100_deletes_a_failed_person_while_the_ratio_holds(client, clock, kafka, year):  # type: ignore[no-untyped-def]
    await ok(await client.put(f"{RT}/units", json={"units": [
        {"code": "123000005", "unit_name": "上海某某纺织厂", "uscc": make_uscc(21)}]}, headers=INSURER))  # fmt: skip
    unit = await unit_account(client, "123000005", "tuixiu123000005", Tier.ENTERPRISE)
    await ok(await client.put(f"{RT}/years/{YEAR}/headcounts", json={"units": [
        {"unit_code": "SB002", "unit_name": "上海某某纺织厂", "headcount": 38}]}, headers=INSURER))  # fmt: skip
    no = await opened(client, unit, "集中参保", "123000005", "上海某某纺织厂")
    await withholding_mode(client, unit, no, 10000)
    job = await upload(client, unit, no, [(f"退休{i:02d}", "身份证", pid(200 + i), "", "", phone(200 + i))
                                          for i in range(30)])  # fmt: skip
    assert job["rows_added"] == 30
    await ok(await client.post(f"{RT}/batches/{no}/validation", headers=unit), 202)
    request = (await requested_checks(kafka.bootstrap, 1))[0]
    results = [on_register(s, "SB002", withholdable=s["name"] != "退休29") for s in request["subjects"]]
    await report(kafka.bootstrap, request["request_id"], results)
    checked = await until_status(client, unit, no, "名单校验完成")
    assert (checked["counts"]["withholdable"], checked["counts"]["not_withholdable"]) == (29, 1)
    await ok(await client.post(f"{RT}/batches/{no}/review-submission", headers=unit))
    await ok(await client.post(f"{RT}/batches/{no}/approve", headers=INSURER))
    await ok(await client.post(f"{RT}/batches/{no}/withholding-request", json={"accepted": True}, headers=unit))
    (withheld,) = await withholding_request(kafka.bootstrap, no)
    assert (withheld["people_total"], withheld["amount_fen"]) == (29, 10000)  # 申请代扣28人 + 1: the 不可代扣 stays out
    subjects = sorted(withheld["people"], key=lambda p: p["name"])
    outcomes = [WithholdingOutcome(subject_id=p["subject_id"], success=i < 23, amount_fen=10000 if i < 23 else 0,
                                   reason="" if i < 23 else "余额不足") for i, p in enumerate(subjects)]  # fmt: skip
    await bank_report(kafka.bootstrap, withheld, outcomes)
    done = await until_status(client, unit, no, "代扣完成")
    assert (done["withholding"]["succeeded"], done["withholding"]["failed"], done["money"]["persons"]) == (23, 6, 30)
    assert done["actions"] == ["delete_failed", "confirm_roster"]

    # 删减人员: 30 of 38 → one may go (29/38 = 76.31 %), a second would leave 28/38 = 73.68 %
    failed = await people(client, unit, no, withholding_result="代扣失败")
    assert await ok(await client.delete(f"{RT}/batches/{no}/people/{failed[0]['id']}", headers=unit)) == {"count": 1}
    e = await refused(await client.delete(f"{RT}/batches/{no}/people/{failed[1]['id']}", headers=unit), 409,
                      "ratio.would_break")  # fmt: skip
    assert (e["unit_code"], e["percent"]) == ("SB002", "73.68%")
    assert (await batch_of(client, unit, no))["counts"]["persons"] == 29  # checked: the second stayed
    await refused(await client.post(f"{RT}/batches/{no}/people", json={"name": "新人", "id_type": "身份证",
                                                                        "id_number": pid(300), "phone": phone(300)},
                                    headers=unit), 409, "batch.roster_frozen")  # fmt: skip

    # "申请参保总人数：29人 (代扣成功23人…需单位缴纳参保费用10750元)"
    confirmed = await ok(await client.post(f"{RT}/batches/{no}/confirmation", headers=unit))
    assert {k: confirmed["money"][k] for k in ("persons", "withheld_persons", "withheld_fen", "unit_owes_fen")} == {
        "persons": 29, "withheld_persons": 23, "withheld_fen": 230000, "unit_owes_fen": 1075000,
    }  # fmt: skip
    payable = await submitted(kafka.bootstrap, no)
    assert (payable["split"]["amount_fen"], payable["withheld_fen"], payable["withheld_persons"],
            payable["payer_org_id"], payable["payer_account"]) == (
        1305000, 230000, 23, 0, "tuixiu123000005",
    )  # fmt: skip
    await send_event(kafka.bootstrap, BillingPaymentConfirmed(batch_no=no, paid_amount_fen=1075000,
                                                              confirmed_at=at(YEAR, 6, 20, 10), version=2),
                     source="/services/billing")  # fmt: skip
    assert (await until_status(client, unit, no, "投保成功"))["paid_amount_fen"] == 1075000


# --- an instant voucher batch: material under 75 %, a person without social security ---------------------------


async def test_an_instant_voucher_batch_with_material_and_a_person_without_social_security(client, clock, kafka, year):  # type: ignore[no-untyped-def]
    await ok(await client.put(f"{RT}/units", json={"units": [
        {"code": "123000009", "unit_name": "上海某某印刷厂", "uscc": make_uscc(31)}]}, headers=INSURER))  # fmt: skip
    unit = await unit_account(client, "123000009", "tuixiu123000009", Tier.ENTERPRISE)
    await ok(await client.put(f"{RT}/years/{YEAR}/headcounts", json={"units": [
        {"unit_code": "SB003", "unit_name": "上海某某印刷厂", "headcount": 100}]}, headers=INSURER))  # fmt: skip
    await refused(await client.post(f"{RT}/batches", json={"enrollment_type": "即时参保", "code": "123000009",
                                                            "unit_name": "上海某某印刷厂", "year": YEAR}, headers=unit),
                  409, "window.not_open")  # fmt: skip
    clock.set(at(YEAR, 7, 10, 9))
    no = await opened(client, unit, "即时参保", "123000009", "上海某某印刷厂")
    form = await attach(client, unit, no, "委托代扣申请书")
    await refused(await client.put(f"{RT}/batches/{no}/payment-mode", json={
        "mode": "委托代扣", "amount_fen": 30000, "entrustment_attachment_id": form["id"]}, headers=unit), 409,
        "payment.collective_only")  # fmt: skip
    await ok(await client.put(f"{RT}/batches/{no}/payment-mode", json={"mode": "缴费凭证"}, headers=unit))
    for i, name in enumerate(("周一", "周二", "周三")):
        body = {"name": name, "id_type": "身份证", "id_number": pid(400 + i), "phone": phone(400 + i)}
        await ok(await client.post(f"{RT}/batches/{no}/people", json=body, headers=unit), 201)
    dup = {"name": "周四", "id_type": "身份证", "id_number": pid(403), "phone": phone(400)}
    await refused(await client.post(f"{RT}/batches/{no}/people", json=dup, headers=unit), 409, "roster.phone_repeated")
    await ok(await client.post(f"{RT}/batches/{no}/validation", headers=unit), 202)
    request = (await requested_checks(kafka.bootstrap, 1))[0]
    subjects = {s["name"]: s for s in request["subjects"]}
    await report(kafka.bootstrap, request["request_id"], [
        on_register(subjects["周一"], "SB003"), on_register(subjects["周二"], "SB003"),
        CheckResult(subject_id=subjects["周三"]["subject_id"], found=False),
    ])  # fmt: skip
    checked = await until_status(client, unit, no, "名单校验完成")
    counts = checked["counts"]
    assert (counts["not_found"], counts["anomalies"], counts["withholdable"]) == (1, 0, 0)

    # 2 of 100 under 75 %: material for SB003; 周三 without social security classed 其他 with remark and file
    ratios = await ok(await client.get(f"{RT}/batches/{no}/ratios", headers=unit))
    assert [(x["unit_code"], x["percent"], x["evidence_required"]) for x in ratios["lines"]] == [("SB003", "2%", True)]
    assert (ratios["evidence_missing"], ratios["unclassed"], ratios["ready"]) == (["SB003"], 1, False)
    await refused(await client.post(f"{RT}/batches/{no}/review-submission", headers=unit), 409,
                  "ratio.evidence_required")  # fmt: skip
    await attach(client, unit, no, "参保比例佐证材料", unit_code="SB003")
    await refused(await client.post(f"{RT}/batches/{no}/review-submission", headers=unit), 409,
                  "roster.no_ss_unclassed")  # fmt: skip
    zhou = ratios["without_ss"]["people"][0]
    path = f"{RT}/batches/{no}/people/{zhou['id']}/no-ss-class"
    await refused(await client.put(path, json={"no_ss_class": "其他", "remark": "社保封存"}, headers=unit), 422,
                  "roster.attachment_required")  # fmt: skip
    material = await attach(client, unit, no, "无社保人员材料", person_id=zhou["id"])
    classed = await ok(await client.put(path, json={"no_ss_class": "其他", "remark": "社保封存",
                                                    "attachment_id": material["id"]}, headers=unit))  # fmt: skip
    assert (classed["no_ss_class"], classed["no_ss_remark"]) == ("其他", "社保封存")
    await refused(await client.delete(f"{RT}/batches/{no}/attachments/{material['id']}", headers=unit), 409,
                  "attachment.in_use")  # fmt: skip
    await ok(await client.post(f"{RT}/batches/{no}/review-submission", headers=unit))
    await ok(await client.post(f"{RT}/batches/{no}/approve", headers=INSURER))
    await refused(await client.post(f"{RT}/batches/{no}/withholding-request", json={"accepted": True}, headers=unit),
                  409, "payment.not_withholding")  # fmt: skip

    # 缴费凭证: billing gets 3 × 450 with nothing withheld; cover from the day after the payment, 30 days' waiting
    confirmed = await ok(await client.post(f"{RT}/batches/{no}/confirmation", headers=unit))
    assert (confirmed["money"]["unit_owes_fen"], confirmed["cover_start"]) == (135000, None)
    payable = await submitted(kafka.bootstrap, no)
    assert (payable["enrollment_type"], payable["split"]["amount_fen"], payable["withheld_fen"],
            payable["withheld_persons"], payable["coverage_start"]) == ("即时参保", 135000, 0, 0, None)  # fmt: skip
    await send_event(kafka.bootstrap, BillingPaymentConfirmed(batch_no=no, paid_amount_fen=135000,
                                                              confirmed_at=at(YEAR, 7, 20, 15), version=2),
                     source="/services/billing")  # fmt: skip
    insured = await until_status(client, unit, no, "投保成功")
    assert (insured["cover_start"], insured["covered_from"], insured["cover_end"]) == (
        f"{YEAR}-07-21", f"{YEAR}-08-20", f"{YEAR + 1}-06-30",
    )  # fmt: skip
    # one ID number once per year: 周一 cannot be insured by another unit now
    await ok(await client.put(f"{RT}/units", json={"units": [
        {"code": "123000010", "unit_name": "上海某某电机厂", "uscc": make_uscc(41)}]}, headers=INSURER))  # fmt: skip
    other = await unit_account(client, "123000010", "tuixiu123000010", Tier.ENTERPRISE)
    other_no = await opened(client, other, "即时参保", "123000010", "上海某某电机厂")
    clash = await refused(await client.post(f"{RT}/batches/{other_no}/people", json={
        "name": "周一", "id_type": "身份证", "id_number": pid(400), "phone": phone(500)}, headers=other), 409,
        "roster.id_occupied")  # fmt: skip
    assert clash["clashes"] == [{"name": "周一", "unit_name": "上海某某印刷厂"}]
