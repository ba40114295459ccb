"""What a batch asks of the enrollment codes (参保编码申请, 经办人填报 — `service.codes`): that the code is
the caller's with its 经办人填报 complete ("该步骤完成后才可以进行后续操作"), that it names the unit (a
group enrolls several units under one code), and who its handler is. The batch keeps the code by its
string only."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.pii import PiiCipher
from runtime.tokens import Principal

from ...models import CodeHandler, EnrollmentCode, MutualAidBatch
from .. import codes


@dataclass(frozen=True)
class Handler:
    """经办人 of a code, as a batch keeps it."""

    name: str
    phone: str
    email: str


async def check_code(session: AsyncSession, caller: Principal, code: str, unit_name: str) -> str:
    """The code as stored (upper case): the caller's, handler complete, the unit one of its units."""
    row = await codes.require_handler(session, caller, code)
    await codes.check_unit(session, row.code, unit_name)
    return row.code


async def handler_of(session: AsyncSession, cipher: PiiCipher, code: str) -> Handler:
    contact = await codes.handler_contact(session, cipher, code)
    handler = await session.get(CodeHandler, code)
    assert contact is not None and handler is not None  # require_handler passed in this transaction
    return Handler(contact[0], contact[1], handler.handler_email)


async def payer_account(session: AsyncSession, batch: MutualAidBatch) -> str:
    """Who billing knows the batch's payer by (`payer_account`): the account its 参保编码 belongs to — for a
    unit without a union (未建会单位) the only thing that tells it from another such unit. A batch is opened
    only under the caller's own code, so its opening account is the owner too."""
    code = await session.get(EnrollmentCode, batch.code)
    return code.owner_user_id if code is not None else batch.account_id
