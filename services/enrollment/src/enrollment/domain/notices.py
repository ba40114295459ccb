"""The notices (告知书) as HTML: what a grassroots union gets on every submission, and what a district
union gets when it sends a batch to the insurer. Rendering to PDF is the service's business."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

from contracts.enrollment import EnrollmentType
from runtime.money import fen_to_yuan_str

from .split import Amounts

FONT = "Noto Sans CJK SC"
STYLE = f"""
@page {{ size: A4; margin: 25mm 22mm; }}
body {{ font-family: "{FONT}"; font-size: 12pt; line-height: 1.9; color: #000; }}
h1 {{ text-align: center; font-size: 20pt; letter-spacing: 0.5em; margin-bottom: 1.2em; }}
p {{ text-indent: 2em; margin: 0.4em 0; }}
p.to, p.sign {{ text-indent: 0; }}
p.sign {{ text-align: right; margin-top: 2.5em; }}
table {{ border-collapse: collapse; margin: 0.6em 0 0.6em 2em; }}
td {{ border: 1px solid #333; padding: 2px 10px; }}
.warn {{ font-weight: bold; }}
"""


@dataclass(frozen=True)
class UnitNotice:
    """A grassroots union's notice, regenerated on every submission."""

    union_name: str
    programme_name: str
    year: int
    enrollment_type: EnrollmentType
    type_name: str
    persons: int
    amounts: Amounts
    pay_by: date
    coverage_start: date | None  # None: instant, from the day after payment is confirmed
    coverage_end: date
    issuer: str
    issued_on: date


@dataclass(frozen=True)
class DistrictNotice:
    """A district union's notice for its batch at the insurer, with the insurer's receiving account."""

    district_name: str
    batch_no: str
    programme_name: str
    year: int
    enrollment_type: EnrollmentType
    persons_by_type: Sequence[tuple[str, int]]  # (type name, persons)
    amounts: Amounts
    pay_by: date
    coverage_start: date | None
    coverage_end: date
    payee_name: str
    payee_account: str
    payee_bank: str
    issuer: str
    issued_on: date


def day(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def yuan(fen: int) -> str:
    return fen_to_yuan_str(fen).removesuffix(".00")


def split_text(a: Amounts) -> str:
    return (
        f"保障费用{yuan(a.amount_fen)}元（市总统一划拨{yuan(a.city_fen)}元；区局/各级工会缴费{yuan(a.district_fen)}元；"
        f"基层单位缴费{yuan(a.grassroots_fen)}元）"
    )


def coverage_text(start: date | None, end: date) -> str:
    if start is None:
        return f"保障日期自缴费确认之日的次日起至{day(end)}止"
    return f"保障日期为{day(start)}起至{day(end)}止"


def late_warning(end: date) -> str:
    return (
        "逾期未划款则所有参保均无效，需按照即时参保流程另行办理参保手续，"
        f"即时参保的保障日期自办理参保日的次日起至{day(end)}止。"
    )


def unit_html(n: UnitNotice) -> str:
    verb = "集中参保" if n.enrollment_type is EnrollmentType.COLLECTIVE else "即时参保"
    body = (
        f"你会{verb}{n.year}年度{escape(n.programme_name)}计划，截至今日参加 {escape(n.type_name)} 会员共计 "
        f"{n.persons} 人，{split_text(n.amounts)}。请于{day(n.pay_by)}之前根据你会所在区、局（产业）工会的安排"
        f"将你会需要承担的参保资金划入所属区、局（产业）工会帐户，{coverage_text(n.coverage_start, n.coverage_end)}。"
    )
    return _page(n.union_name, [body], late_warning(n.coverage_end), n.issuer, n.issued_on)


def district_html(n: DistrictNotice) -> str:
    verb = "集中参保" if n.enrollment_type is EnrollmentType.COLLECTIVE else "即时参保"
    counts = "，".join(f"参加 {escape(name)} 会员共计 {persons} 人" for name, persons in n.persons_by_type)
    body = (
        f"你会{verb}{n.year}年度{escape(n.programme_name)}计划（批次编号 {escape(n.batch_no)}），{counts}，"
        f"参保资金总额为 {yuan(n.amounts.amount_fen)} 元（市总统一划拨{yuan(n.amounts.city_fen)}元；"
        f"区局/各级工会缴费{yuan(n.amounts.district_fen)}元；基层单位缴费{yuan(n.amounts.grassroots_fen)}元）。"
        f"请于{day(n.pay_by)}之前将参保资金划入以下帐户，{coverage_text(n.coverage_start, n.coverage_end)}。"
    )
    account = (
        ""
        if not n.payee_name
        else (
            f"<table><tr><td>户名</td><td>{escape(n.payee_name)}</td></tr>"
            f"<tr><td>帐号</td><td>{escape(n.payee_account)}</td></tr>"
            f"<tr><td>开户行</td><td>{escape(n.payee_bank)}</td></tr></table>"
        )
    )
    return _page(n.district_name, [body], late_warning(n.coverage_end), n.issuer, n.issued_on, extra=account)


def _page(to: str, paragraphs: list[str], warning: str, issuer: str, issued_on: date, extra: str = "") -> str:
    paras = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>{STYLE}</style></head><body>'
        f"<h1>告知书</h1><p class='to'>{escape(to)}：</p>{paras}<p class='warn'>{warning}</p>{extra}"
        f"<p class='sign'>{escape(issuer)}<br>{day(issued_on)}</p></body></html>"
    )
