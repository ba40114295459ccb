"""参保名单梳理: people added one by one (新增参保人员) or by the import job, edited (ID-card rows: the phone
and the retirement month; other documents every field), the anomalies fixed (【确认】 the social-security
name, 【编辑】 the retirement month), people without social security classed, deleted (查看/删除, 批量删除,
清空参保名单) — and after the withholding only those whose withholding failed, while the ratio holds.

Each person's 校验结果 is kept beside the facts it comes from (`domain.retiree.roster.result_of`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.errors import DomainError, InvalidInput, NotFound
from runtime.identity import mask_id_number, mask_phone
from runtime.tokens import Principal

from ...domain.mutual_aid.template import IdType
from ...domain.retiree.batch import BatchStatus, check_roster_editable
from ...domain.retiree.payment import PaymentMode
from ...domain.retiree.roster import (
    CheckResult,
    Facts,
    NoSsClass,
    Withholdable,
    WithholdingResult,
    check_deletable_after_withholding,
    check_deletion_keeps_ratio,
    check_no_ss_class,
    check_retirement_month,
    confirm_ss_name,
    result_of,
    withholdable_of,
)
from ...domain.retiree.template import Person, TemplateRow, check_person, check_phone_share, phone_of
from ...models import RetireeAttachment, RetireeBatch, RetireePerson
from ...schemas.retiree import NoSsClassIn, PersonEditIn, PersonIds, PersonIn
from . import batches, review, years
from .batches import Actor
from .vault import ID_FIELD, PHONE_FIELD, RetireeVault

NO_SS_MATERIAL = "无社保人员材料"


class Source:
    UPLOAD = "导入"
    ADDED = "新增"


def facts(row: RetireePerson) -> Facts:
    return Facts(
        name=row.name, asked=row.check_request_id is not None, answered=row.answered, failure=row.failure,
        found=row.found, ss_name=row.ss_name, deceased=row.deceased, retirement_month=row.retirement_month,
        retirement_edited=row.retirement_edited, name_confirmed=row.name_confirmed, withholdable=row.withholdable,
    )  # fmt: skip


def refresh(row: RetireePerson) -> CheckResult:
    result = result_of(facts(row))
    row.check_result, row.updated_at = result.value, datetime.now(UTC)
    return result


def withholdable(row: RetireePerson, batch: RetireeBatch) -> Withholdable:
    return withholdable_of(facts(row), batch.payment_mode == PaymentMode.WITHHOLDING)


def reset_check(row: RetireePerson) -> None:
    """A new identity (name or number) is unknown to social security again."""
    row.answered, row.failure, row.found, row.ss_name, row.deceased = False, "", False, "", False
    row.retired, row.retirement_month, row.retirement_edited, row.name_confirmed = False, None, False, False
    row.medical_insured, row.withholdable, row.ss_unit_code, row.ss_unit_uscc = False, False, None, ""
    row.no_ss_class, row.no_ss_remark, row.no_ss_attachment_id, row.check_request_id = None, "", None, None
    refresh(row)


# --- the roster's phones ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Phones:
    digests: set[bytes]
    valid: int
    total: int


async def phones_of(session: AsyncSession, no: str) -> Phones:
    rows = (await session.exec(select(RetireePerson.phone_digest, RetireePerson.phone_valid).where(
        RetireePerson.batch_no == no))).all()  # fmt: skip
    return Phones({d for d, _ in rows}, sum(1 for _, v in rows if v), len(rows))


def new_row(vault: RetireeVault, batch: RetireeBatch, p: Person, source: str) -> RetireePerson:
    row = RetireePerson(
        batch_no=batch.batch_no, programme_year_id=batch.programme_year_id, name=p.name, id_type=p.id_type.value,
        id_enc=vault.seal(p.id_number, ID_FIELD), id_digest=vault.id_digest(p.id_number),
        id_masked=mask_id_number(p.id_number), birth_date=p.birth_date, gender=p.gender,
        phone_enc=vault.seal(p.phone, PHONE_FIELD), phone_digest=vault.phone_digest(p.phone),
        phone_masked=mask_phone(p.phone), phone_valid=p.phone_valid, source=source,
    )  # fmt: skip
    refresh(row)
    return row


async def count(session: AsyncSession, no: str) -> int:
    found = await session.exec(select(sa.func.count()).select_from(RetireePerson).where(RetireePerson.batch_no == no))
    return int(found.one())


# --- 新增参保人员 ------------------------------------------------------------------------------------------


async def add(session: AsyncSession, caller: Principal, vault: RetireeVault, no: str, data: PersonIn,
              today: date) -> RetireePerson:  # fmt: skip
    person = check_person(_template_row(data), today)
    async with session.begin():
        batch = await batches.owned(session, caller, no)
        check_roster_editable(BatchStatus(batch.status))
        year = await years.of_batch(session, batch.programme_year_id)
        digest = vault.id_digest(person.id_number)
        await _check_new_identity(session, batch, digest, person.name)
        phones = await phones_of(session, no)
        if vault.phone_digest(person.phone) in phones.digests:
            raise DomainError("roster.phone_repeated", "手机号与名单中已有人员重复，手机号不能重复")
        check_phone_share(phones.valid + person.phone_valid, phones.total + 1, year.rules.phone_valid_pct)
        row = new_row(vault, batch, person, Source.ADDED)
        session.add(row)
        await session.flush()
        batches.roster_changed(session, batch, Actor.of(caller), phones.total + 1, "新增参保人员",
                               {"person_id": row.id, "name": row.name}, unchecked=True)  # fmt: skip
    return row


async def _check_new_identity(session: AsyncSession, batch: RetireeBatch, digest: bytes, name: str) -> None:
    mine = await session.exec(
        select(RetireePerson.id).where(RetireePerson.batch_no == batch.batch_no, RetireePerson.id_digest == digest)
    )
    if mine.first() is not None:
        raise DomainError("roster.id_repeated", f"{name}的证件号码已在参保名单中")
    taken = await review.occupied(session, batch.programme_year_id, batch.batch_no, [digest])
    if taken:
        unit_name = next(iter(taken.values()))
        raise DomainError(
            "roster.id_occupied",
            f"{name}本年度已在{unit_name}参保，同一证件号码在一个保障年度只能参保一次",
            clashes=[{"name": name, "unit_name": unit_name}],
        )


def _template_row(data: PersonIn) -> TemplateRow:
    birth = data.birth_date.isoformat() if data.birth_date else ""
    return TemplateRow(0, data.name, data.id_type, data.id_number, birth, data.gender, data.phone)


# --- 编辑 and the fixes ------------------------------------------------------------------------------------


async def edit(session: AsyncSession, caller: Principal, vault: RetireeVault, no: str, person_id: int,
               data: PersonEditIn, today: date) -> RetireePerson:  # fmt: skip
    async with session.begin():
        batch, row = await _editable_row(session, caller, no, person_id)
        year = await years.of_batch(session, batch.programme_year_id)
        changes = data.model_dump(exclude_unset=True)
        identity = {k for k in ("name", "birth_date", "gender", "id_number") if k in changes}
        if identity and row.id_type == IdType.ID_CARD:
            raise DomainError(
                "roster.row_not_editable", "身份证人员只能编辑手机号和退休年月（姓名可在校验后确认社保姓名）"
            )
        detail: dict[str, object] = {"person_id": row.id, "fields": sorted(changes)}
        unchecked = False
        if identity:
            current = TemplateRow(0, row.name, row.id_type, vault.open_id(row.id_enc), row.birth_date.isoformat(),
                                  row.gender, vault.open_phone(row.phone_enc))  # fmt: skip
            birth = changes.get("birth_date")
            person = check_person(TemplateRow(
                0, changes.get("name") or current.name, current.id_type, changes.get("id_number") or current.id_number,
                birth.isoformat() if birth else current.birth_date, changes.get("gender") or current.gender,
                current.phone,
            ), today)  # fmt: skip
            digest = vault.id_digest(person.id_number)
            unchecked = person.name != row.name or digest != row.id_digest
            if digest != row.id_digest:
                await _check_new_identity(session, batch, digest, person.name)
                row.id_enc, row.id_digest = vault.seal(person.id_number, ID_FIELD), digest
                row.id_masked = mask_id_number(person.id_number)
            row.name, row.birth_date, row.gender = person.name, person.birth_date, person.gender
            if unchecked:
                reset_check(row)
        if changes.get("phone") is not None:
            await _set_phone(session, vault, batch, row, changes["phone"], year.rules.phone_valid_pct)
        if changes.get("retirement_month") is not None:
            if not (row.answered and row.found) or unchecked:
                raise DomainError("roster.retirement_not_editable", "退休年月在系统校验匹配到社保信息后补充")
            row.retirement_month, row.retirement_edited = check_retirement_month(changes["retirement_month"]), True
        refresh(row)
        session.add(row)
        batches.roster_changed(session, batch, Actor.of(caller), await count(session, no), "编辑参保人员", detail,
                               unchecked=unchecked)  # fmt: skip
    return row


async def _set_phone(session: AsyncSession, vault: RetireeVault, batch: RetireeBatch, row: RetireePerson,
                     text: str, min_pct: int) -> None:  # fmt: skip
    phone, valid = phone_of(text)
    if not phone:
        raise InvalidInput("template.phone_required", "手机号不能为空")
    digest = vault.phone_digest(phone)
    phones = await phones_of(session, batch.batch_no)
    if digest != row.phone_digest and digest in phones.digests:
        raise DomainError("roster.phone_repeated", "手机号与名单中已有人员重复，手机号不能重复")
    check_phone_share(phones.valid - row.phone_valid + valid, phones.total, min_pct)
    row.phone_enc, row.phone_digest, row.phone_masked, row.phone_valid = (
        vault.seal(phone, PHONE_FIELD), digest, mask_phone(phone), valid,
    )  # fmt: skip


async def take_ss_name(session: AsyncSession, caller: Principal, no: str, person_id: int) -> RetireePerson:
    """【确认】: "如确认社保姓名正确…以社保姓名覆盖"."""
    async with session.begin():
        batch, row = await _editable_row(session, caller, no, person_id)
        before = row.name
        row.name, row.name_confirmed = confirm_ss_name(facts(row)), True
        refresh(row)
        session.add(row)
        batches.record(session, no, "confirm_ss_name", "确认社保姓名", Actor.of(caller),
                       detail={"person_id": row.id, "from": before, "to": row.name})  # fmt: skip
        batches.touch(session, batch)
    return row


async def classify(
    session: AsyncSession, caller: Principal, no: str, person_id: int, data: NoSsClassIn
) -> RetireePerson:
    """无社保人员: 新退休 / 干保 / 出国 / 其他 (remark and attachment)."""
    async with session.begin():
        batch, row = await _editable_row(session, caller, no, person_id)
        if result_of(facts(row)) is not CheckResult.NOT_FOUND:
            raise DomainError("roster.has_ss", "只有未匹配到社保信息的人员需要选择无社保情形")
        attachment = None
        if data.attachment_id is not None:
            attachment = await session.get(RetireeAttachment, data.attachment_id)
            if attachment is None or attachment.batch_no != no:
                raise NotFound("附件")
        remark = check_no_ss_class(data.no_ss_class, data.remark, attachment is not None)
        row.no_ss_class, row.no_ss_remark = NoSsClass(data.no_ss_class).value, remark
        row.no_ss_attachment_id = attachment.id if attachment is not None else None
        row.updated_at = datetime.now(UTC)
        session.add(row)
        batches.record(session, no, "classify", "无社保人员情形", Actor.of(caller),
                       detail={"person_id": row.id, "class": row.no_ss_class})  # fmt: skip
        batches.touch(session, batch)
    return row


async def _editable_row(session: AsyncSession, caller: Principal, no: str, person_id: int
                        ) -> tuple[RetireeBatch, RetireePerson]:  # fmt: skip
    batch = await batches.owned(session, caller, no)
    check_roster_editable(BatchStatus(batch.status))
    row = await session.get(RetireePerson, person_id, with_for_update=True)
    if row is None or row.batch_no != no:
        raise NotFound("参保人员")
    return batch, row


# --- 删除 / 批量删除 / 清空参保名单 ----------------------------------------------------------------------------


async def remove(session: AsyncSession, caller: Principal, no: str, data: PersonIds) -> int:
    async with session.begin():
        batch = await batches.owned(session, caller, no)
        status = BatchStatus(batch.status)
        query = select(RetireePerson).where(RetireePerson.batch_no == no)
        if not data.all:
            query = query.where(col(RetireePerson.id).in_(data.person_ids))
        rows = list(await session.exec(query.with_for_update()))
        if not rows:
            raise DomainError("roster.none_selected", "请勾选要删除的人员")
        if status is BatchStatus.WITHHELD:
            await _check_after_withholding(session, batch, rows)
        else:
            check_roster_editable(status)
        for row in rows:
            await session.delete(row)
        await session.flush()
        left = await count(session, no)
        label = "清空参保名单" if data.all else "删除参保人员"
        batches.roster_changed(session, batch, Actor.of(caller), left, label,
                               {"count": len(rows), "names": [r.name for r in rows[:20]]})  # fmt: skip
    return len(rows)


async def _check_after_withholding(session: AsyncSession, batch: RetireeBatch, rows: list[RetireePerson]) -> None:
    """代扣失败人员: deleted only while every social-security code they leave keeps ≥ 75 %."""
    check_deletable_after_withholding(
        (r.name, withholdable(r, batch), WithholdingResult(r.withholding_result) if r.withholding_result else None)
        for r in rows
    )
    year = await years.of_batch(session, batch.programme_year_id)
    lines = await review.lines(session, batch, year)
    removed = Counter(r.ss_unit_code for r in rows if r.ss_unit_code)
    check_deletion_keeps_ratio(lines, removed, year.rules.ratio_min_pct)
