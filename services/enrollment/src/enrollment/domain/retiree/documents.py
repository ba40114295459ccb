"""The plan's two documents as HTML (rendered to PDF by the service, font "Noto Sans CJK SC" as the notices):

- 委托代扣款申请表 样稿 — manual 003, 委托代扣款缴费参保: "上传已盖章的单位委托代扣款申请书（如无，可点击下载
  “委托代扣款申请表”样稿）": the unit entrusts the insurer to withhold the same amount per person from its
  retirees' pensions for the year; printed, signed, sealed and uploaded. Prefilled from a batch when there is
  one, blank lines otherwise;
- 代扣受理单 — the insurer's acknowledgement of the unit's withholding request (`acceptance`): who, which batch,
  代扣金额/人 × 申请代扣人数 = 代扣总额, when it was asked and accepted; the results go to the handler by email or SMS.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from html import escape

from runtime.clock import SHANGHAI
from runtime.money import fen_to_yuan_str

from ..notices import FONT, day

PLAN = "退休职工住院补充医疗互助保障计划"
INSURER = "上海市职工保障互助会"
STYLE = f"""
@page {{ size: A4; margin: 22mm 20mm; }}
body {{ font-family: "{FONT}"; font-size: 12pt; line-height: 1.9; color: #000; }}
h1 {{ text-align: center; font-size: 18pt; margin: 0 0 0.2em; }}
h2 {{ text-align: center; font-size: 16pt; letter-spacing: 0.3em; margin: 0 0 1em; }}
p {{ text-indent: 2em; margin: 0.4em 0; }}
p.to, p.sign {{ text-indent: 0; }}
p.sign {{ margin-top: 2em; }}
.fill {{ display: inline-block; min-width: 6em; border-bottom: 1px solid #000; text-align: center; text-indent: 0;
        padding: 0 0.3em; }}
table {{ width: 100%; border-collapse: collapse; margin: 0.8em 0; }}
th, td {{ border: 1px solid #333; padding: 4px 8px; text-align: left; }}
th {{ width: 32%; font-weight: normal; background: #f2f2f2; }}
"""


def _fill(value: str | int | None, width_em: int = 6) -> str:
    """A value on its line, or the blank line the unit writes on."""
    text = "" if value is None else escape(str(value))
    return f'<span class="fill" style="min-width:{width_em}em">{text or "&nbsp;"}</span>'


def yuan(fen: int) -> str:
    """Yuan with two decimals and thousands grouping: 390000 → 3,900.00."""
    return fen_to_yuan_str(fen)


def _page(title: str, body: str) -> str:
    return (
        f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>{STYLE}</style></head><body>'
        f"<h1>{PLAN}</h1><h2>{title}</h2>{body}</body></html>"
    )


def _rows(rows: list[tuple[str, str]]) -> str:
    return "<table>" + "".join(f"<tr><th>{escape(k)}</th><td>{v}</td></tr>" for k, v in rows) + "</table>"


# --- 委托代扣款申请书 -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntrustmentForm:
    """What a batch already knows; every None or "" is printed as a blank line."""

    unit_name: str = ""
    code: str = ""
    uscc: str = ""
    year: int | None = None
    amount_fen: int | None = None
    max_fen: int = 45000
    insurer: str = INSURER


def entrustment_html(f: EntrustmentForm) -> str:
    amount = yuan(f.amount_fen) if f.amount_fen else None
    body = (
        f"<p class='to'>{escape(f.insurer)}：</p>"
        f"<p>我单位{_fill(f.unit_name, 14)}（参保编码：{_fill(f.code, 8)}，统一社会信用代码：{_fill(f.uscc, 12)}）"
        f"参加{_fill(f.year, 4)}年度{PLAN}，选择委托代扣款缴费参保，现委托{escape(f.insurer)}通过银行，"
        f"于养老金发放日从我单位参保退休职工的养老金中代扣参保费用，代扣金额为每人{_fill(amount, 6)}元"
        f"（代扣金额须一致，须大于0且小于等于{yuan(f.max_fen)}元/人），申请代扣人数{_fill(None, 4)}人。</p>"
        "<p>我单位已将本次委托代扣事项告知参保退休职工。代扣名单以我单位提交代扣申请时确认的可代扣人员为准，"
        "代扣不成功的人员由我单位缴费参保或按规定删减。</p>"
        "<p>特此申请。</p>"
        + _rows([
            ("单位名称", _fill(f.unit_name, 16)),
            ("参保编码", _fill(f.code, 10)),
            ("统一社会信用代码", _fill(f.uscc, 12)),
            ("保障年度", f"{_fill(f.year, 4)}年度"),
            ("委托代扣金额", f"{_fill(amount, 6)}元/人"),
            ("申请代扣人数", f"{_fill(None, 4)}人"),
            ("经办人及联系电话", _fill(None, 16)),
        ])
        + "<p class='sign'>单位（盖章）：<br>单位负责人（签字）：<br>"
        f"日期：{_fill(None, 3)}年{_fill(None, 2)}月{_fill(None, 2)}日</p>"
    )  # fmt: skip
    return _page("委托代扣款申请书", body)


# --- 代扣受理单 -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WithholdingSlip:
    acceptance_no: str
    unit_name: str
    code: str
    uscc: str
    batch_no: str
    year: int
    request_no: str
    amount_fen: int
    persons: int
    requested_at: datetime
    accepted_on: date
    pension_day: date | None
    insurer: str = INSURER

    @property
    def total_fen(self) -> int:
        return self.amount_fen * self.persons


def slip_html(s: WithholdingSlip) -> str:
    asked = s.requested_at.astimezone(SHANGHAI)
    rows = [
        ("受理编号", escape(s.acceptance_no)),
        ("单位名称", escape(s.unit_name)),
        ("参保编码", escape(s.code)),
        ("统一社会信用代码", escape(s.uscc)),
        ("参保批次号", escape(s.batch_no)),
        ("保障年度", f"{s.year}年度"),
        ("代扣申请编号", escape(s.request_no)),
        ("代扣金额/人", f"{yuan(s.amount_fen)} 元"),
        ("申请代扣人数", f"{s.persons} 人"),
        ("代扣总额", f"{yuan(s.total_fen)} 元"),
        ("代扣申请提交时间", f"{asked:%Y-%m-%d %H:%M}"),
        ("受理日期", f"{s.accepted_on:%Y-%m-%d}"),
    ]
    if s.pension_day is not None:
        rows.append(("代扣日（养老金发放日）", f"{s.pension_day:%Y-%m-%d}"))
    body = (
        f"<p class='to'>{escape(s.unit_name)}：</p>"
        f"<p>你单位{s.year}年度{PLAN}的委托代扣申请已受理，将委托银行于养老金发放日从下列参保退休职工的养老金中代扣参保费用。</p>"
        + _rows(rows)
        + "<p>代扣结果将以邮件或短信方式发送至经办人，请注意查收；待扣款完成后请尽快提交参保。</p>"
        f"<p class='sign' style='text-align:right'>{escape(s.insurer)}<br>{day(s.accepted_on)}</p>"
    )  # fmt: skip
    return _page("代扣受理单", body)
