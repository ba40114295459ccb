"""打印清册: the roster of a batch to take to the bank — a PDF (WeasyPrint, Noto Sans CJK so that rare
characters such as 𠮷 render) and the same list as xlsx (下载需打印附件)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from html import escape

from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.clock import SHANGHAI
from runtime.spreadsheet import workbook_bytes
from runtime.tokens import Principal

from ..models import BatchCard, CardBatch
from . import batches, orgs

FONT = '"Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans CJK TC", sans-serif'
XLSX_HEADER = [
    "序号", "姓名", "证件类型", "证件号码", "会员编号", "工作单位", "工作单位地址", "证件到期日", "国籍",
    "办理结果", "银行卡号", "原因",
]  # fmt: skip
STYLE = f"""
@page {{ size: A4; margin: 16mm 12mm 18mm;
  @bottom-center {{ content: "第 " counter(page) " 页，共 " counter(pages) " 页"; font: 8pt {FONT}; }} }}
body {{ font-family: {FONT}; font-size: 9.5pt; color: #111; }}
h1 {{ text-align: center; font-size: 16pt; margin: 0 0 4mm; }}
table {{ width: 100%; border-collapse: collapse; }}
table.meta td {{ padding: 1.2mm 2mm; }}
table.meta td.label {{ color: #555; white-space: nowrap; width: 18mm; }}
table.roster {{ margin-top: 4mm; }}
table.roster thead {{ display: table-header-group; }}
table.roster th, table.roster td {{ border: 0.5pt solid #444; padding: 1.2mm 1.5mm; text-align: left; }}
table.roster th {{ background: #eee; }}
table.roster tr {{ page-break-inside: avoid; }}
.sign {{ margin-top: 8mm; }}
"""


@dataclass(frozen=True)
class Roster:
    batch: CardBatch
    union_name: str
    cards: list[BatchCard]


async def load(session: AsyncSession, caller: Principal, batch_no: str) -> Roster:
    batch = await batches.get_visible(session, caller, batch_no)
    union = (await orgs.names(session, [batch.org_id])).get(batch.org_id, "")
    return Roster(batch, union, await batches.cards_of(session, batch_no))


async def pdf(roster: Roster) -> bytes:
    """Rendering a thousand rows takes seconds of CPU: off the event loop."""
    return await asyncio.to_thread(render_pdf, roster)


def render_pdf(roster: Roster) -> bytes:
    from weasyprint import HTML  # heavy import, only where a roster is printed

    return bytes(HTML(string=html(roster)).write_pdf())


def _when(at: datetime | None) -> str:
    return f"{at.astimezone(SHANGHAI):%Y-%m-%d %H:%M}" if at else "-"


def html(roster: Roster) -> str:
    b = roster.batch
    meta = [
        ("批次编号", b.batch_no), ("提交单位", roster.union_name), ("办理通道", b.channel),
        ("提交时间", _when(b.submitted_at)), ("发卡支行", b.branch), ("经办网点", b.outlet),
        ("网点地址", b.outlet_address), ("联系人", b.contact), ("联系电话", b.contact_phone_masked),
        ("办理总人数", str(b.total)),
    ]  # fmt: skip
    pairs = [meta[i : i + 2] for i in range(0, len(meta), 2)]
    meta_rows = "".join(
        "<tr>" + "".join(f'<td class="label">{escape(k)}</td><td>{escape(v)}</td>' for k, v in pair) + "</tr>"
        for pair in pairs
    )
    head = "".join(
        f"<th>{h}</th>" for h in ("序号", "姓名", "证件类型", "证件号码", "会员编号", "工作单位", "办理结果")
    )
    body = "".join(_row(i, c) for i, c in enumerate(roster.cards, start=1))
    return (
        f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(b.batch_no)}</title>'
        f"<style>{STYLE}</style></head><body><h1>工会会员服务卡办卡清册</h1>"
        f'<table class="meta">{meta_rows}</table>'
        f'<table class="roster"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
        '<p class="sign">经办人签字：____________　　单位盖章：____________　　日期：____________</p>'
        "</body></html>"
    )


def _row(i: int, c: BatchCard) -> str:
    cells = (str(i), c.name, c.id_type, c.id_number_masked, c.member_no or "-", c.work_unit, c.outcome)
    return "<tr>" + "".join(f"<td>{escape(v)}</td>" for v in cells) + "</tr>"


def xlsx(roster: Roster) -> bytes:
    rows = (
        [
            i,
            c.name,
            c.id_type,
            c.id_number_masked,
            c.member_no or "",
            c.work_unit,
            c.work_address,
            "长期" if c.id_long_term else (c.id_expiry.isoformat() if c.id_expiry else ""),
            c.nationality,
            c.outcome,
            c.card_number_masked or "",
            c.reason or "",
        ]  # fmt: skip
        for i, c in enumerate(roster.cards, start=1)
    )
    return workbook_bytes(roster.batch.batch_no, XLSX_HEADER, rows)
