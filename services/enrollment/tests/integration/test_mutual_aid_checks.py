"""【清册校验】 as a background job (rosters of tens of thousands of rows), on the service with its real
database: the request answers 202 with the job, the job reports its progress, and while it runs the roster
does not change and a second check is refused; when it ends the batch carries the verdict per row and for
the batch with its operation-log entry. A check that fails leaves the batch as it was and says why on the
job; a check cut off by a restart is picked up again. Every refusal changes nothing."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

import pytest

from enrollment.models import CheckJob
from enrollment.service.mutual_aid import batches as batch_steps
from enrollment.settings import EnrollmentSettings
from runtime.identity import make_id_number
from services.enrollment.tests.conftest import app_of, at, ok
from services.enrollment.tests.integration.mutual_aid_world import (
    MA,
    YEAR,
    configure,
    labels,
    open_batch,
    person_id,
    roster_file,
    rows,
    unit_with_code,
    upload,
    validate,
)

UNIT_NAME = "上海建朗信息科技有限公司"
OVER_AGE = ("陈美珠", "身份证", make_id_number("310102", date(1965, 3, 1), 7, male=False), "", "", "", "是")


@pytest.fixture
def settings(settings: EnrollmentSettings) -> EnrollmentSettings:
    """The local SMS sender answers with the code; unfinished checks are picked up at start only (the test
    scans itself)."""
    return settings.model_copy(update={"sms_show_code": True, "roster_check_scan_seconds": 0})


async def _batch_with_roster(client, city, clock) -> tuple[dict[str, str], str]:  # type: ignore[no-untyped-def]
    """A collective batch of four: three fine, 陈美珠 over age (born 1965)."""
    clock.set(at(YEAR, 6, 10, 9))
    await configure(client, YEAR)
    unit = city.clerk(city.g1)
    code = await unit_with_code(client, clock, unit, UNIT_NAME, "18712345678", "13900001111")
    no = (await ok(await open_batch(client, unit, "集中参保", code, UNIT_NAME), 201))["batch_no"]
    job = await upload(client, unit, no, roster_file(
        ("胡庆庆", "身份证", person_id(2), "", "", "", "是"),
        ("王豆", "非身份证", "E12345678", "1998-12-09", "男", "", "是"),
        ("赵一", "身份证", person_id(21), "", "", "", "是"),
        OVER_AGE,
    ))  # fmt: skip
    assert job["rows_added"] == 4
    return unit, no


def _held(runner, monkeypatch) -> tuple[asyncio.Event, asyncio.Event]:  # type: ignore[no-untyped-def]
    """Holds a check between reading the roster and storing its verdict: (reached, release)."""
    reached, release = asyncio.Event(), asyncio.Event()
    conclude = runner._conclude  # noqa: SLF001

    async def held(*args: Any) -> None:
        reached.set()
        await release.wait()
        await conclude(*args)

    monkeypatch.setattr(runner, "_conclude", held)
    return reached, release


async def test_a_check_runs_in_the_background_with_its_progress_and_freezes_the_roster(
    client, city, clock, monkeypatch
):  # type: ignore[no-untyped-def]
    unit, no = await _batch_with_roster(client, city, clock)
    runner = app_of(client).state.roster_checks
    reached, release = _held(runner, monkeypatch)
    before = await rows(client, unit, no)
    log_before = await labels(client, unit, no)

    # 【清册校验】 answers at once with the job, queued; the batch's latest check is that job
    started = await client.post(f"{MA}/batches/{no}/validation", headers=unit)
    job = await ok(started, 202)
    assert started.headers["location"] == f"/mutual-aid/checks/{job['id']}"
    assert (job["state"], job["rows_total"], job["rows_checked"], job["progress"], job["outcome"]) == (
        "排队中", 4, 0, 0, None,
    )  # fmt: skip
    await asyncio.wait_for(reached.wait(), 60)  # every row read; the verdict not stored yet
    running = await ok(await client.get(f"{MA}/checks/{job['id']}", headers=unit))
    assert (running["state"], running["rows_checked"], running["rows_total"], running["progress"]) == (
        "校验中", 4, 4, 90,
    )  # fmt: skip
    assert (await ok(await client.get(f"{MA}/batches/{no}/validation", headers=unit)))["id"] == job["id"]

    # meanwhile: a second check is refused, and so is every change of the roster and the submission
    second = await client.post(f"{MA}/batches/{no}/validation", headers=unit)
    assert (second.status_code, second.json()["code"], second.json()["check_id"]) == (409, "check.running", job["id"])
    assert second.json()["title"] == "清册校验正在进行中，请等待本次校验完成"
    over_age = next(r for r in before if r["name"] == "陈美珠")
    other_id = next(r for r in before if r["name"] == "王豆")["id"]
    refused = {
        "delete": await client.delete(f"{MA}/batches/{no}/rows/{over_age['id']}", headers=unit),
        "edit": await client.patch(f"{MA}/batches/{no}/rows/{other_id}", json={"phone": "13911112222"},
                                   headers=unit),
        "keep": await client.put(f"{MA}/batches/{no}/rows/{over_age['id']}/over-age-kept", json={"kept": True},
                                 headers=unit),
        "upload": await client.post(f"{MA}/batches/{no}/imports", params={"file_name": "参保名单.xlsx"},
                                    content=roster_file(("李四", "身份证", person_id(60), "", "", "", "是")),
                                    headers=unit),
        "submit": await client.post(f"{MA}/batches/{no}/submission",
                                    json={"commitment_accepted": True, "people_confirmed": True}, headers=unit),
    }  # fmt: skip
    assert {k: (r.status_code, r.json()["code"]) for k, r in refused.items()} == dict.fromkeys(
        refused, (409, "roster.checking")
    )
    assert refused["delete"].json()["title"] == "清册正在校验中，校验完成前不能修改参保清册"
    assert refused["submit"].json()["title"] == "清册正在校验中，校验完成前不能提交清册"
    assert await rows(client, unit, no) == before
    batch = await ok(await client.get(f"{MA}/batches/{no}", headers=unit))
    assert (batch["status"], batch["check"]) == ("清册待校验", None)
    assert await labels(client, unit, no) == log_before

    # the job ends: the verdict per row and for the batch, logged; the roster can change again
    release.set()
    await runner.idle()
    done = await ok(await client.get(f"{MA}/checks/{job['id']}", headers=unit))
    assert (done["state"], done["outcome"], done["progress"], done["error_code"]) == (
        "已完成", "清册校验不通过", 100, None,
    )  # fmt: skip
    batch = await ok(await client.get(f"{MA}/batches/{no}", headers=unit))
    assert (batch["status"], batch["check"]["outcome"], batch["check"]["insured"]) == ("清册校验不通过",) * 2 + (3,)
    assert [(r["name"], r["reason"]) for r in batch["check"]["removals"]] == [("陈美珠", "超龄")]
    assert [(r["name"], r["problem"]) for r in await rows(client, unit, no, problem=True)] == [("陈美珠", "超龄")]
    assert await labels(client, unit, no) == [*log_before, ("清册校验", "清册校验不通过")]
    removed = await ok(await client.delete(f"{MA}/batches/{no}/rows/{over_age['id']}", headers=unit))
    assert removed == {"count": 1}


async def test_a_failing_check_leaves_the_batch_as_it_was_and_a_cut_off_one_runs_again(
    client, city, clock, monkeypatch
):  # type: ignore[no-untyped-def]
    unit, no = await _batch_with_roster(client, city, clock)
    first = await validate(client, unit, no)
    assert first["outcome"] == "清册校验不通过"
    over_age = next(r for r in await rows(client, unit, no) if r["name"] == "陈美珠")
    kept = f"{MA}/batches/{no}/rows/{over_age['id']}/over-age-kept"
    assert (await client.put(kept, json={"kept": True}, headers=unit)).status_code == 204  # 社保尚在缴金

    # the check breaks while storing its verdict (the row marks and the summary already written)
    def broken(*_: Any, **__: Any) -> None:
        raise RuntimeError("the operation log is away")

    monkeypatch.setattr(batch_steps, "record", broken)
    batch_before = await ok(await client.get(f"{MA}/batches/{no}", headers=unit))
    rows_before, log_before = await rows(client, unit, no), await labels(client, unit, no)
    job = await ok(await client.post(f"{MA}/batches/{no}/validation", headers=unit), 202)
    runner = app_of(client).state.roster_checks
    await runner.idle()
    failed = await ok(await client.get(f"{MA}/checks/{job['id']}", headers=unit))
    assert (failed["state"], failed["outcome"], failed["error_code"], failed["error_message"]) == (
        "已失败", None, "check.failed", "清册校验未能完成，请重新点击【清册校验】",
    )  # fmt: skip
    # what was checked: the batch (status, verdict, version), its rows' marks and its log are as they were
    assert await ok(await client.get(f"{MA}/batches/{no}", headers=unit)) == batch_before
    assert await rows(client, unit, no) == rows_before
    assert [r["problem"] for r in rows_before if r["name"] == "陈美珠"] == ["超龄"]
    assert await labels(client, unit, no) == log_before
    monkeypatch.undo()

    # a check cut off by a restart (校验中, once tried) keeps the roster frozen and runs again on the next scan
    async with app_of(client).state.sessions() as session, session.begin():
        session.add(CheckJob(id="mc-cut-off", batch_no=no, state="校验中", rows_total=4, rows_checked=2, attempts=1,
                             requested_by=f"clerk-{city.g1.org_id}", requested_tier="grassroots"))  # fmt: skip
    frozen = await client.put(kept, json={"kept": False}, headers=unit)
    assert (frozen.status_code, frozen.json()["code"]) == (409, "roster.checking")
    await runner.scan()
    await runner.idle()
    again = await ok(await client.get(f"{MA}/checks/mc-cut-off", headers=unit))
    assert (again["state"], again["outcome"], again["rows_checked"]) == ("已完成", "需上传附件", 4)  # a new unit
    batch = await ok(await client.get(f"{MA}/batches/{no}", headers=unit))
    assert (batch["check"]["outcome"], batch["check"]["removals"]) == ("需上传附件", [])
    assert not await rows(client, unit, no, problem=True)
    assert (await labels(client, unit, no))[-1] == ("清册校验", "清册待校验")  # nothing left to remove
    async with app_of(client).state.sessions() as session:
        assert (await session.get(CheckJob, "mc-cut-off")).attempts == 2  # type: ignore[union-attr]

    # one given up after three tries fails without touching the batch
    async with app_of(client).state.sessions() as session, session.begin():
        session.add(CheckJob(id="mc-gave-up", batch_no=no, state="校验中", rows_total=4, attempts=3,
                             requested_by=f"clerk-{city.g1.org_id}", requested_tier="grassroots"))  # fmt: skip
    settled = await ok(await client.get(f"{MA}/batches/{no}", headers=unit))
    await runner.scan()
    await runner.idle()
    gave_up = await ok(await client.get(f"{MA}/checks/mc-gave-up", headers=unit))
    assert (gave_up["state"], gave_up["error_code"]) == ("已失败", "check.gave_up")
    assert await ok(await client.get(f"{MA}/batches/{no}", headers=unit)) == settled
    assert (await client.get(f"{MA}/checks/mc-gave-up", headers=city.clerk(city.g2))).status_code == 404
