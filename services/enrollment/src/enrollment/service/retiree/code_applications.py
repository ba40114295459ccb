"""退休住院计划 新参保编码申请 (manual 003 四): the plan's side of the code applications — service/codes.py keeps
the form, the SMS code, the review and its log for both plans and calls these inside its transactions.

- Who holds a name: a unit of the plan (loaded last year or granted here) of the same name, written alike
  (full- and half-width brackets, spaces, case), or of the same USCC; the refusal names its handler.
- 审核通过: the unit itself — a code of the plan's own sequence, owned by the applying account, its 单位信息
  from the application — with the application's status in one transaction.

The unit is not announced (`enrollment.retiree_unit.registered`): that event makes the gateway issue
`tuixiu<code>` and bind the unit to it, while this unit already has its account, the applicant's.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.identity import mask_phone
from runtime.pii import PiiCipher

from ...domain.mutual_aid import codes as rules
from ...domain.retiree import code_application as plan_rules
from ...models import CodeApplication, OrgRef, RetireeUnit
from .. import sms
from .units import match_org
from .vault import UNIT_HANDLER_PHONE

NEXT_CODE = sa.text("SELECT nextval('rt_unit_code_seq')")


def _name_key(column: Any) -> Any:
    """`rules.name_key` in SQL, for the names units are stored with (full-width brackets and spaces)."""
    return sa.func.lower(sa.func.translate(column, "（）\u3000 ", "()"))


async def holder(session: AsyncSession, unit_name: str, uscc: str | None) -> RetireeUnit | None:
    """The plan's unit of this name or USCC, if any."""
    terms = [_name_key(col(RetireeUnit.unit_name)) == rules.name_key(unit_name)]
    if uscc:
        terms.append(col(RetireeUnit.uscc) == uscc.upper())
    return (await session.exec(select(RetireeUnit).where(or_(*terms)).order_by(col(RetireeUnit.code)))).first()


async def refuse_taken(session: AsyncSession, cipher: PiiCipher, unit_name: str, uscc: str | None) -> None:
    """Lock the name and the USCC for the transaction, then refuse them if a unit of the plan holds one."""
    await sms.lock(session, f"rt-code-name:{rules.name_key(unit_name)}")
    if uscc:
        await sms.lock(session, f"rt-code-uscc:{uscc.upper()}")
    unit = await holder(session, unit_name, uscc)
    if unit is None:
        return
    if unit.handler_name and unit.handler_phone_enc:
        phone = cipher.decrypt(unit.handler_phone_enc, field=UNIT_HANDLER_PHONE)
        raise rules.name_has_code(rules.Contact(unit.handler_name, phone))
    raise plan_rules.held_by_unit(unit.code)


async def next_code(session: AsyncSession) -> str:
    """The sequence's next code no unit has (one loaded with such a code is skipped)."""
    while True:
        code = plan_rules.make_code(int((await session.exec(NEXT_CODE)).scalar_one()))  # type: ignore[call-overload]
        if await session.get(RetireeUnit, code) is None:
            return code


async def create_unit(
    session: AsyncSession, cipher: PiiCipher, row: CodeApplication, handler_phone: str, now: datetime
) -> str:
    """The approved application's unit, owned by the applying account (and its union, when it is one's);
    its 单位信息 as applied. The code it got."""
    code = await next_code(session)
    org = await session.get(OrgRef, row.owner_org_id) if row.owner_org_id is not None else None
    org = org or await match_org(session, row.uscc, row.unit_name)
    session.add(
        RetireeUnit(
            code=code, unit_name=row.unit_name, uscc=row.uscc or "", uscc_valid=row.uscc is not None,
            org_id=org.org_id if org else row.owner_org_id, org_path=org.path if org else "",
            owner_user_id=row.owner_user_id, owner_tier=row.owner_tier, address=row.address, postcode=row.postcode,
            district=row.committee, economic_type=row.nature, handler_name=row.contact,
            handler_phone_enc=cipher.encrypt(handler_phone, field=UNIT_HANDLER_PHONE),
            handler_phone_masked=mask_phone(handler_phone), handler_email=row.email, loaded_at=now, updated_at=now,
        )
    )  # fmt: skip
    await session.flush()
    return code
