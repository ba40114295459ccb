"""The documents billing prints, as HTML for WeasyPrint (font "Noto Sans CJK SC", which also holds rare
characters such as 𠮷): the payment notice (告知书) of a batch and the special receipt (专用收据)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

from runtime.money import fen_to_yuan_str

from .accounts import Account
from .receipts import amount_in_words

FONT = "Noto Sans CJK SC"
STYLE = f"""
@page {{ size: A4; margin: 22mm 20mm; }}
body {{ font-family: "{FONT}"; font-size: 12pt; line-height: 1.8; color: #000; }}
h1 {{ text-align: center; font-size: 20pt; letter-spacing: 0.5em; margin-bottom: 1em; }}
p {{ text-indent: 2em; margin: 0.4em 0; }}
p.to, p.sign, p.no {{ text-indent: 0; }}
p.sign {{ text-align: right; margin-top: 2.5em; }}
p.no {{ text-align: right; font-size: 10pt; }}
table {{ border-collapse: collapse; margin: 0.6em 0; width: 100%; }}
td, th {{ border: 1px solid #333; padding: 3px 8px; text-align: left; }}
.warn {{ font-weight: bold; }}
"""


def day(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def yuan(fen: int) -> str:
    return fen_to_yuan_str(fen).removesuffix(".00")


@dataclass(frozen=True)
class TypeCount:
    name: str
    persons: int
    amount_fen: int


@dataclass(frozen=True)
class Split:
    amount_fen: int
    city_fen: int
    district_fen: int
    grassroots_fen: int


@dataclass(frozen=True)
class Notice:
    payer_name: str
    batch_no: str
    programme_name: str
    year: int
    enrollment_type: str  # 集中参保 / 即时参保
    by_type: Sequence[TypeCount]
    persons: int
    split: Split
    pay_by: date
    coverage_start: date | None  # None: instant, cover from the day after the payment is confirmed
    coverage_end: date
    account: Account | None
    issuer: str
    issued_on: date
    withheld_fen: int = 0  # 退休住院计划: already withheld from pensions (代扣行)
    withheld_persons: int = 0


def coverage_text(start: date | None, end: date) -> str:
    if start is None:
        return f"保障日期自缴费确认之日的次日起至{day(end)}止"
    return f"保障日期为{day(start)}起至{day(end)}止"


def late_warning(end: date) -> str:
    return (
        "逾期未划款则所有参保均无效，需按照即时参保流程另行办理参保手续，"
        f"即时参保的保障日期自办理参保日的次日起至{day(end)}止。"
    )


def notice_html(n: Notice) -> str:
    counts = "，".join(f"参加 {escape(t.name)} 共计 {t.persons} 人" for t in n.by_type) or f"参保共计 {n.persons} 人"
    s = n.split
    body = (
        f"你会{escape(n.enrollment_type)}{n.year}年度{escape(n.programme_name)}（批次编号 {escape(n.batch_no)}），"
        f"{counts}，参保资金总额为 {yuan(s.amount_fen)} 元（市总统一划拨{yuan(s.city_fen)}元；"
        f"区局/各级工会缴费{yuan(s.district_fen)}元；基层单位缴费{yuan(s.grassroots_fen)}元）。"
        f"{payment_text(n)}{coverage_text(n.coverage_start, n.coverage_end)}。"
    )
    rows = "".join(
        f"<tr><td>{escape(t.name)}</td><td>{t.persons}</td><td>{yuan(t.amount_fen)}</td></tr>" for t in n.by_type
    )
    table = f"<table><tr><th>保障类型</th><th>人数</th><th>金额（元）</th></tr>{rows}</table>" if rows else ""
    return _page(
        "告知书", n.payer_name, [body], n.issuer, n.issued_on,
        extra=table + account_table(n.account) + f"<p class='warn'>{late_warning(n.coverage_end)}</p>",
    )  # fmt: skip


def payment_text(n: Notice) -> str:
    """What to transfer by when; for the retiree plan only what pensions did not already pay (代扣行)."""
    if not n.withheld_fen:
        return f"请于{day(n.pay_by)}之前将参保资金划入以下帐户，"
    rest = max(n.split.amount_fen - n.withheld_fen, 0)
    withheld = f"其中养老金代扣成功 {n.withheld_persons} 人，已代扣 {yuan(n.withheld_fen)} 元，"
    if not rest:
        return withheld + "无需单位另行缴纳，"
    return withheld + f"请于{day(n.pay_by)}之前将需单位缴纳的 {yuan(rest)} 元划入以下帐户，"


def account_table(account: Account | None) -> str:
    if account is None:
        return "<p class='warn'>收款帐户尚未公布，请联系上海市职工保障互助会。</p>"
    return (
        f"<table><tr><td>户名</td><td>{escape(account.payee_name)}</td></tr>"
        f"<tr><td>帐号</td><td>{escape(account.account_no)}</td></tr>"
        f"<tr><td>开户行</td><td>{escape(account.bank)}</td></tr></table>"
    )


@dataclass(frozen=True)
class ReceiptDoc:
    receipt_no: str
    title: str
    uscc: str
    amount_fen: int
    remark: str
    programme_name: str
    year: int
    batch_no: str
    payer_name: str
    issuer: str
    issued_on: date


def receipt_html(r: ReceiptDoc) -> str:
    rows = [
        ("交款单位（抬头）", escape(r.title)),
        ("统一社会信用代码", escape(r.uscc) or "—"),
        ("收费项目", f"{r.year}年度{escape(r.programme_name)}参保费（批次 {escape(r.batch_no)}）"),
        ("金额（小写）", f"¥{fen_to_yuan_str(r.amount_fen)}"),
        ("金额（大写）", amount_in_words(r.amount_fen)),
        ("缴费单位", escape(r.payer_name)),
        ("备注", escape(r.remark) or "—"),
    ]
    table = "<table>" + "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows) + "</table>"
    return (
        f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>{STYLE}</style></head><body>'
        f"<h1>专用收据</h1><p class='no'>票据号码：{escape(r.receipt_no)}　开票日期：{day(r.issued_on)}</p>{table}"
        f"<p class='sign'>收款单位：{escape(r.issuer)}</p></body></html>"
    )


def _page(heading: str, to: str, paragraphs: list[str], issuer: str, issued_on: date, extra: str = "") -> str:
    paras = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>{STYLE}</style></head><body>'
        f"<h1>{heading}</h1><p class='to'>{escape(to)}：</p>{paras}{extra}"
        f"<p class='sign'>{escape(issuer)}<br>{day(issued_on)}</p></body></html>"
    )
