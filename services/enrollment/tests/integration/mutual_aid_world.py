"""What the mutual-aid batch tests start from: the programme's years configured through the API (the
manual's 2023 year: 集中参保 June 1–30, 即时参保 from July 1), a unit with its 参保编码 and 经办人填报 done
through the code routes, last year's completed roster, roster files in the template's format."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlmodel import select

from contracts.enrollment import EnrollmentType
from enrollment import demo
from enrollment.domain.mutual_aid.batch import BatchStatus
from enrollment.models import MutualAidBatch, ProgrammeYear, RosterRow
from enrollment.service.mutual_aid import workbook
from runtime.identity import make_id_number, make_uscc, mask_id_number
from runtime.tokens import Tier
from services.enrollment.tests.conftest import CITY, app_of, bearer, ok

MA = "/mutual-aid"
YEAR = 2023  # 保障年度 2023: 2023-07-01 → 2024-06-30
INSURER = bearer(Tier.INSURER, user="insurer-1")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


async def configure(client, *years: int) -> None:  # type: ignore[no-untyped-def]
    for year in years or (YEAR - 1, YEAR):
        await demo.configure_mutual_aid(client, CITY, year)


def person_id(n: int, birth: date = date(1990, 1, 1), male: bool = True) -> str:
    return make_id_number("310101", birth, n, male)


async def unit_with_code(client, clock, headers: dict[str, str], unit_name: str, phone: str,  # type: ignore[no-untyped-def]
                         handler_phone: str, handler_name: str = "王经办") -> str:  # fmt: skip
    """参保编码申请 → 审核通过 → 经办人填报, through the code routes."""
    attachment = await ok(
        await client.post(f"{MA}/attachments", params={"file_name": "营业执照.png"}, content=PNG,
                          headers=headers | {"content-type": "image/png"}), 201,
    )  # fmt: skip
    form = {
        "unit_name": unit_name, "committee": "徐汇区", "nature": "企业", "contact": "章先生", "contact_phone": phone,
        "email": "unit@example.com", "address": "上海市徐汇区虹漕路88号", "postcode": "200233", "headcount": 12,
        "attachment_ids": [attachment["id"]], "sms_code": await _sms(client, clock, headers, phone, "code_application"),
    }  # fmt: skip
    application = await ok(await client.post(f"{MA}/code-applications", json=form, headers=headers), 201)
    approved = await ok(await client.post(f"{MA}/code-applications/{application['id']}/approve", headers=INSURER))
    code = str(approved["code"])
    handler = await ok(await client.get(f"{MA}/codes/{code}/handler", headers=headers))
    body = {
        "handler_name": handler_name, "handler_phone": handler_phone, "handler_email": "handler@example.com",
        "uscc": make_uscc(31), "economic_type": "私营企业", "address": "上海市徐汇区虹漕路88号",
        "industry": "制造业", "headcount": 12, "sms_code": await _sms(client, clock, headers, handler_phone, "handler"),
    }  # fmt: skip
    if handler["union_names_required"]:
        body |= {"union_first": "徐汇区总工会", "union_second": "虹梅街道总工会"}
    await ok(await client.put(f"{MA}/codes/{code}/handler", json=body, headers=headers))
    return code


async def _sms(client, clock, headers: dict[str, str], phone: str, purpose: str) -> str:  # type: ignore[no-untyped-def]
    clock.advance(timedelta(minutes=2))  # one code a minute per number
    sent = await ok(
        await client.post(f"{MA}/sms-codes", json={"phone": phone, "purpose": purpose}, headers=headers), 201
    )
    return str(sent["code"])


async def last_year_roster(client, code: str, unit_name: str, ids: list[str]) -> None:  # type: ignore[no-untyped-def]
    """The code's completed collective batch of the year before (as last year's enrollment left it)."""
    app = app_of(client)
    vault = app.state.roster_vault
    async with app.state.sessions() as session, session.begin():
        year_id = (
            await session.exec(
                select(ProgrammeYear.id).where(
                    ProgrammeYear.programme_code == "mutual-aid", ProgrammeYear.year == YEAR - 1
                )
            )
        ).one()
        no = f"HZ{YEAR - 1}0610{len(ids):04d}"
        session.add(
            MutualAidBatch(
                batch_no=no, programme_year_id=year_id, enrollment_type=EnrollmentType.COLLECTIVE.value, code=code,
                unit_name=unit_name, account_id="last-year", status=BatchStatus.COMPLETED, created_by="last-year",
                items=["A0", "B0", "C0"],
            )
        )  # fmt: skip
        await session.flush()
        for n, number in enumerate(ids):
            session.add(
                RosterRow(
                    batch_no=no, programme_year_id=year_id, name=f"上年{n}", id_type="身份证",
                    id_enc=vault.seal_id(number), id_digest=vault.digest(number), id_masked=mask_id_number(number),
                    birth_date=date(1990, 1, 1), gender="男", has_social_security=True, employment="在职",
                    source="本地导入", claimed=True,
                )
            )  # fmt: skip


async def open_batch(client, headers: dict[str, str], kind: str, code: str, unit_name: str, **extra: Any):  # type: ignore[no-untyped-def]
    """集中参保办理 / 即时参保办理 → 确定操作."""
    body = {"enrollment_type": kind, "code": code, "unit_name": unit_name, **extra}
    return await client.post(f"{MA}/batches", json=body, headers=headers)


def roster_file(*rows: tuple[str, ...]) -> bytes:
    """参保名单导入模板 filled in: 姓名, 证件类型, 证件号码, 出生日期, 性别, 手机号, 是否有社保."""
    return workbook.rows_of(rows)


async def upload(client, headers: dict[str, str], no: str, content: bytes) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """上传本地参保名单文件, then wait for the background job."""
    job = await ok(
        await client.post(f"{MA}/batches/{no}/imports", params={"file_name": "参保名单.xlsx"}, content=content,
                          headers=headers), 202,
    )  # fmt: skip
    await app_of(client).state.roster_imports.idle()
    return await ok(await client.get(f"{MA}/imports/{job['id']}", headers=headers))  # type: ignore[no-any-return]


async def validate(client, headers: dict[str, str], no: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """【清册校验】, then wait for the background job: the verdict the batch now carries."""
    job = await ok(await client.post(f"{MA}/batches/{no}/validation", headers=headers), 202)
    assert (job["state"], job["progress"]) == ("排队中", 0)
    await app_of(client).state.roster_checks.idle()
    done = await ok(await client.get(f"{MA}/checks/{job['id']}", headers=headers))
    assert (done["state"], done["progress"], done["rows_checked"]) == ("已完成", 100, done["rows_total"]), done
    batch = await ok(await client.get(f"{MA}/batches/{no}", headers=headers))
    assert batch["check"]["outcome"] == done["outcome"]
    return batch["check"]  # type: ignore[no-any-return]


async def rows(client, headers: dict[str, str], no: str, **params: Any) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    body = await ok(await client.get(f"{MA}/batches/{no}/rows", params={"size": 500, **params}, headers=headers))
    return body["items"]  # type: ignore[no-any-return]


async def labels(client, headers: dict[str, str], no: str) -> list[tuple[str, str | None]]:  # type: ignore[no-untyped-def]
    ops = await ok(await client.get(f"{MA}/batches/{no}/operations", headers=headers))
    return [(o["label"], o["to_status"]) for o in ops]
