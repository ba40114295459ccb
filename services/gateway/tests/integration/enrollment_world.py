"""会员专享保障 for the gateway's tests: the programme year with its windows opened and closed around
the real clock (the enrollment service runs as its own process), and the scope matrix's part — who may
call each /api/enrollment route, district B's enrollment (a carded member, its union's collective
submission, reviewed and sent to the insurer as a batch CB…), probes aiming at it, and the check that
it is unchanged afterwards."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

import httpx

from contracts.cards import CardChannel, CardIssued
from enrollment import demo
from localstack.pytest_plugin import eventually, send_event
from runtime.clock import SHANGHAI
from services.gateway.tests.conftest import SYSTEM_HEADERS, Platform

# Next year's programme, enrolled now (as the manuals do in November and December).
YEAR = datetime.now(SHANGHAI).year + 1


def year_body(year: int = YEAR, *, closed: Iterable[str] = (), later: Iterable[str] = ()) -> dict[str, Any]:
    """The manuals' year (enrollment.demo) with every window open now but the `closed` ones (ended
    yesterday) and the `later` ones (open tomorrow)."""
    now, day = datetime.now(SHANGHAI), timedelta(days=1)
    body = demo.member_basic_year(year).model_dump(mode="json")
    spans = {kind: (now - day, now + 30 * day) for kind in body["windows"]}
    spans |= {kind: (now - 3 * day, now - day) for kind in closed}
    spans |= {kind: (now + day, now + 3 * day) for kind in later}
    body["windows"] = {k: {"opens_at": a.isoformat(), "closes_at": b.isoformat()} for k, (a, b) in spans.items()}
    return body


async def configure(
    client: httpx.AsyncClient, base: str = "", headers: dict[str, str] | None = None, later: Iterable[str] = ()
) -> None:
    """The programme, the year and its types A and A+ (`base`: "/api/enrollment" through the gateway)."""
    programme = f"{base}/programmes/{demo.PROGRAMME}"
    types = [(f"{programme}/years/{YEAR}/types/{c.replace('+', '%2B')}", t.model_dump()) for c, t in demo.TYPES.items()]
    for path, body in (
        (programme, demo.PROGRAMME_IN.model_dump()),
        (f"{programme}/years/{YEAR}", year_body(later=later)),
        *types,
    ):
        r = await client.put(path, json=body, headers=headers)
        assert r.status_code == 200, r.text


UNION = {"city", "district", "secondary", "grassroots", "admin"}
READERS = UNION | {"insurer"}
BATCH_READERS = {"city", "district", "secondary", "insurer", "admin"}
# The policy, written down once more independently of gateway.domain.access.
ENROLLMENT_AUDIENCE: dict[str, set[str]] = {
    **dict.fromkeys(["list_programmes", "get_programme_year"], READERS),
    **dict.fromkeys(["put_programme", "put_programme_year", "put_guarantee_type"], {"city", "admin"}),
    **dict.fromkeys(["list_splits", "put_split", "submit_batch"], {"district"}),
    **dict.fromkeys(["get_collective", "list_collective_members", "list_instant_candidates"], UNION),
    **dict.fromkeys(
        [
            *("confirm_collective", "exclude_collective", "include_collective", "check_collective"),
            *("submit_collective", "check_instant", "confirm_instant", "submit_instant"),
        ],
        {"grassroots"},
    ),
    **dict.fromkeys(["search_submissions", "get_submission", "list_submission_lines"], READERS),
    "download_request_notice": UNION,
    **dict.fromkeys(
        [
            *("list_review_pending", "list_review_staged", "stage_submissions", "unstage_submissions"),
            "return_submissions",
        ],
        {"secondary", "district"},
    ),
    **dict.fromkeys(
        ["search_batches", "get_batch", "download_batch_notice", "export_batch_statistics", "list_batch_lines"],
        BATCH_READERS,
    ),
    "lapse_overdue_batches": {"city", "insurer", "admin"},
    "get_member_coverage": READERS,
}
# 保障金额设置 and 提交至职保中心 act on the caller's own district whatever the request says: there is
# no id of district B to aim at. The matrix runs with both windows closed, so the service's refusal
# (409) is the expected answer; district B is checked unchanged at the end.
OWN_DISTRICT = {"put_split", "submit_batch"}


def enrollment_probes(i: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Requests that aim at district B's enrollment from wherever the caller is."""
    py = {"code": demo.PROGRAMME, "year": YEAR}
    b_gr, member, sub = i["b_gr"], i["b_member"], i["b_submission"]
    of_b = {"org_id": b_gr}
    year = {"programme": demo.PROGRAMME, "year": YEAR}
    batch = {"path": {"batch_no": i["b_batch"]}}
    handler = {"name": "探测", "phone": "13900009999", "email": "probe@example.com"}
    instant = {"type_code": "A", "channel": "会员卡参保", "member_ids": [member]}
    return {
        "list_programmes": [{}],
        "put_programme": [{"path": {"code": demo.PROGRAMME}, "json": {"name": "探测项目"}}],
        "get_programme_year": [{"path": py}],
        "put_programme_year": [{"path": py, "json": {}}],
        "put_guarantee_type": [{"path": py | {"type_code": "A"}, "json": {}}],
        "list_splits": [{"path": py}],
        "put_split": [{"path": py | {"type_code": "A"}, "json": {"district_fen": 1300, "grassroots_fen": 0}}],
        "get_collective": [{"path": py, "params": of_b}, {"path": py}],
        "list_collective_members": [{"path": py, "params": of_b}, {"path": py, "params": {"list": "参保名单"}}],
        "confirm_collective": [{"path": py, "params": of_b, "json": {"all": True}}],
        "exclude_collective": [{"path": py, "params": of_b, "json": {"member_ids": [member]}}],
        "include_collective": [{"path": py | {"member_id": member}, "params": of_b}],
        "check_collective": [{"path": py, "params": of_b}],
        "submit_collective": [{"path": py, "params": of_b, "json": {"type_code": "A"}}],
        "list_instant_candidates": [{"path": py, "params": of_b}, {"path": py}],
        "check_instant": [{"path": py, "params": of_b}],
        "confirm_instant": [{"path": py, "params": of_b, "json": {"all": True}}],
        "submit_instant": [{"path": py, "params": of_b, "json": instant}],
        "search_submissions": [
            {"params": year},
            {"params": year | of_b},
            {"params": year | {"batch_no": i["b_batch"]}},
        ],
        "get_submission": [{"path": {"submission_id": sub}}],
        "list_submission_lines": [{"path": {"submission_id": sub}}],
        "download_request_notice": [{"path": {"request_id": i["b_request"]}}],
        "list_review_pending": [
            {"params": year},
            {"params": year | {"upper_org_id": i["b_sec"]}},
            {"params": year | {"unit_name": "乙区", "enrollment_type": "即时参保"}},
        ],
        "list_review_staged": [{"params": year}],
        "stage_submissions": [{"json": {"submission_ids": [sub]}}],
        "unstage_submissions": [{"json": {"submission_ids": [sub]}}],
        "return_submissions": [{"json": {"submission_ids": [sub], "reason": "探测"}}],
        "submit_batch": [{"json": year | {"enrollment_type": "集中参保", "handler": handler}}],
        "search_batches": [{}, {"params": {"batch_no": i["b_batch"]}}],
        "lapse_overdue_batches": [{}],
        "get_batch": [batch],
        "download_batch_notice": [batch],
        "export_batch_statistics": [batch],
        "list_batch_lines": [batch],
        "get_member_coverage": [{"path": {"member_id": member}}],
    }


async def enrollment_of_b(p: Platform, ids: dict[str, Any], enrollment_url: str) -> None:
    """The year configured; district B's member gets a card; its union submits, B's secondary union
    stages, district B sends the batch; then 保障金额设置 and 提交至职保中心 close."""
    async with httpx.AsyncClient(base_url=enrollment_url, timeout=30) as service:
        await configure(service, headers=SYSTEM_HEADERS)
        card = CardIssued(
            member_id=ids["b_member"], org_id=ids["b_gr"], batch_no="cb-202306010900", channel=CardChannel.NORMAL,
            card_number_masked="6231 **** **** 0640", issued_on=date(2023, 6, 1), version=1,
        )  # fmt: skip
        await send_event(p.gateway.app.state.settings.kafka_bootstrap_servers, card)
        gw, base = p.gateway, f"/api/enrollment/programmes/{demo.PROGRAMME}/years/{YEAR}"
        unit = await gw.signed_in("b-jc")

        async def enrollable() -> bool:
            r = await unit.get(f"{base}/collective")
            return r.status_code == 200 and r.json()["counts"]["insured"] == 1

        assert await eventually(enrollable, timeout=120), "district B's carded member never became enrollable"
        sent = await unit.post(f"{base}/collective/submissions", json={"type_code": "A"})
        assert sent.status_code == 201, sent.text
        ids["b_request"], ids["b_submission"] = sent.json()["request_id"], sent.json()["submission_ids"][0]
        staged = await (await gw.signed_in("b-erji")).post(
            "/api/enrollment/review/stage", json={"submission_ids": [ids["b_submission"]]}
        )
        assert staged.status_code == 200, staged.text
        handler = {"name": "乙区经办", "phone": "13900001111", "email": "b@example.com"}
        body = {"programme": demo.PROGRAMME, "year": YEAR, "enrollment_type": "集中参保", "handler": handler}
        batch = await (await gw.signed_in("b-qu")).post("/api/enrollment/batches", json=body)
        assert batch.status_code == 201, batch.text
        ids["b_batch"] = batch.json()["batch_no"]
        closed = year_body(closed=("split", "district_submit"))
        r = await service.put(f"/programmes/{demo.PROGRAMME}/years/{YEAR}", json=closed, headers=SYSTEM_HEADERS)
        assert r.status_code == 200, r.text


async def b_enrollment_is_unchanged(admin: httpx.AsyncClient, ids: dict[str, Any]) -> None:
    batch = (await admin.get(f"/api/enrollment/batches/{ids['b_batch']}")).json()
    assert (batch["state"], batch["persons"], batch["payer_org_id"]) == ("待缴费", 1, ids["b"])
    sub = (await admin.get(f"/api/enrollment/submissions/{ids['b_submission']}")).json()
    assert (sub["state"], sub["batch_no"], sub["return_reason"]) == ("待缴费", ids["b_batch"], None)
    params = {"programme": demo.PROGRAMME, "year": YEAR, "org_id": ids["b_gr"]}
    assert (await admin.get("/api/enrollment/submissions", params=params)).json()["total"] == 1
    coverage = (await admin.get(f"/api/enrollment/members/{ids['b_member']}/coverage")).json()
    assert [(c["state"], c["batch_no"]) for c in coverage] == [("待缴费", ids["b_batch"])]
