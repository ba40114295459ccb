"""导出: the plan's lists as .xlsx — 参保名单 (a batch's people), 参保批次 and 单位名单 — each with the filters and
the scope of the list it mirrors (the rows come from the same readers), headers in Chinese as the screens
have them, ID numbers and phones masked as the lists show them, at most EXPORT_LIMIT rows."""

from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.clock import SHANGHAI
from runtime.spreadsheet import workbook_bytes
from runtime.tokens import Principal

from ...schemas.retiree import BatchOut, PersonOut, UnitOut
from . import units, views
from .vault import RetireeVault

EXPORT_LIMIT = 10_000
PEOPLE_HEADER = (
    *("姓名", "社保姓名", "证件类型", "证件号码", "手机号", "代扣类型", "校验结果", "代扣结果", "代扣失败原因"),
    *("退休年月", "无社保类别", "备注"),
)
BATCH_HEADER = (
    *("批次号", "单位名称", "参保编码", "参保类型", "保障年度", "缴费方式", "参保人数", "单位缴纳（元）", "状态"),
    "最后更新时间",
)
UNIT_HEADER = (
    *("参保编码", "单位名称", "统一社会信用代码", "账号", "经办人", "经办人手机", "单位信息", "名称变更"),
    "最后更新时间",
)


def _local(at: datetime | None) -> str:
    return at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S") if at else ""


def _blank(value: str) -> str:
    """The screens' "-" (nothing yet) is an empty cell: a leading "-" would be stored as text with a quote."""
    return "" if value == "-" else value


def _yuan(fen: int) -> int | float:
    """3150 元 as 3150, 13.5 元 as 13.5: a number the sheet can sum."""
    return fen // 100 if fen % 100 == 0 else fen / 100


def person_row(p: PersonOut) -> tuple[str, ...]:
    return (
        p.name, p.ss_name, p.id_type, p.id_number, p.phone, _blank(p.withholdable), p.check_result,
        p.withholding_result or "", p.withholding_reason, p.retirement_month or "", p.no_ss_class or "",
        p.no_ss_remark,
    )  # fmt: skip


async def people(session: AsyncSession, caller: Principal, no: str, f: views.PersonFilter) -> bytes:
    """The batch's people the list finds with `f` (404 for a batch the caller may not read)."""
    found, _ = await views.list_people(session, caller, no, f, 1, EXPORT_LIMIT)
    return workbook_bytes("参保名单", PEOPLE_HEADER, (person_row(p) for p in found))


def batch_row(b: BatchOut) -> tuple[object, ...]:
    return (
        b.batch_no, b.unit_name, b.code, b.enrollment_type.value, b.year,
        str(b.payment_mode) if b.payment_mode else "", b.counts.persons, _yuan(b.money.unit_owes_fen), b.status,
        _local(b.updated_at),
    )  # fmt: skip


async def batches(session: AsyncSession, caller: Principal, f: views.BatchFilter) -> bytes:
    found, _ = await views.search(session, caller, f, 1, EXPORT_LIMIT)
    return workbook_bytes("参保批次", BATCH_HEADER, (batch_row(b) for b in found))


def _account(u: UnitOut) -> str:
    return "已绑定" if u.owner_user_id else "所在工会账号" if u.org_id else "未绑定"


def unit_row(u: UnitOut) -> tuple[str, ...]:
    return (
        u.code, u.unit_name, u.uscc if u.uscc_matched and u.uscc else "未匹配", _account(u), u.handler_name,
        u.handler_phone, "完整" if u.info_complete else "待维护", "申请中" if u.pending_name_change_id else "",
        _local(u.updated_at),
    )  # fmt: skip


async def unit_list(
    session: AsyncSession, caller: Principal, vault: RetireeVault, code: str | None, unit_name: str | None,
    bound: bool | None,
) -> bytes:  # fmt: skip
    found, _ = await units.search(session, caller, vault, code, unit_name, bound, 1, EXPORT_LIMIT)
    return workbook_bytes("单位名单", UNIT_HEADER, (unit_row(u) for u in found))
