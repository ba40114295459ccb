"""代扣结果 notice to the unit's handler — manual 003, 三(四): "所有人员养老金发放日银行代扣流程完成后, 邮件会发送至
经办人邮箱" and "代扣结果请留意经办人邮箱或短信, 待扣款完成后尽快提交参保". The summary is the page's 【查看代扣结果】
("申请代扣13人，代扣成功9人(代扣金额300元/人)，代扣失败4人"), then what the unit does next: 参保名单确定 and pay
the rest by voucher (persons × 450 − withheld, "需单位缴纳参保费用3150元").

Channels and retries: each channel is sent once; a failed send waits `base` × 2^(attempts − 1) (at most
`cap`) before the next try, up to the attempts allowed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from runtime.money import fen_to_yuan_str

from .payment import Money

WITHHOLDING_DONE = "withholding_done"  # the notice's kind: one per batch and channel


class Channel(StrEnum):
    SMS = "sms"
    MAIL = "mail"


@dataclass(frozen=True)
class WithholdingDone:
    """A batch's withholding with every outcome in."""

    unit_name: str
    batch_no: str
    code: str  # 参保编码
    requested: int
    succeeded: int
    amount_fen: int  # per person
    deducted_on: date | None
    money: Money
    ratio_min_pct: int = 75

    @property
    def failed(self) -> int:
        return self.requested - self.succeeded


def yuan(fen: int) -> str:
    """Money as the page shows it: 315000 → "3150", 45050 → "450.50" (no grouping)."""
    return fen_to_yuan_str(fen).replace(",", "").removesuffix(".00")


@dataclass(frozen=True)
class Message:
    channel: Channel
    subject: str  # mail only
    text: str


def summary(requested: int, succeeded: int, failed: int, amount_fen: int) -> str:
    """【查看代扣结果】 as the manual shows it."""
    return f"申请代扣{requested}人，代扣成功{succeeded}人(代扣金额{yuan(amount_fen)}元/人)，代扣失败{failed}人"


def money_line(m: Money) -> str:
    """【确认参保名单】: 申请参保总人数：13人 (代扣成功9人，需单位缴费参保4人，需单位缴纳参保费用3150元)."""
    return (
        f"申请参保总人数：{m.persons}人 (代扣成功{m.withheld_persons}人，需单位缴费参保{m.unit_paid_persons}人，"
        f"需单位缴纳参保费用{yuan(m.unit_owes_fen)}元)"
    )


def next_step(m: Money) -> str:
    if m.unit_owes_fen <= 0:
        return "请登录系统，在【参保办理】对应批次点击【继续办理参保】，核对代扣结果后点击【参保名单确定】。"
    return (
        "请登录系统，在【参保办理】对应批次点击【继续办理参保】，核对代扣结果后点击【参保名单确定，前往上传缴费凭证】，"
        f"并按缴费凭证缴纳参保费用{yuan(m.unit_owes_fen)}元"
        f"（{m.persons}人×{yuan(m.premium_fen)}元－代扣{yuan(m.withheld_fen)}元）。"
    )


def sms_tail(m: Money) -> str:
    if m.unit_owes_fen <= 0:
        return "请登录系统确认参保名单。"
    return f"需单位缴纳参保费用{yuan(m.unit_owes_fen)}元，请登录系统确认参保名单后上传缴费凭证。"


def withholding_messages(done: WithholdingDone) -> list[Message]:
    """The SMS (short) and the mail (the summary, the money, what to do with the failed people)."""
    head = f"{done.unit_name}（批次号{done.batch_no}）"
    result = summary(done.requested, done.succeeded, done.failed, done.amount_fen)
    sms = f"【退休住院计划】{head}养老金代扣已完成：{result}。{sms_tail(done.money)}"
    day = done.deducted_on
    on = f"于{day.year}年{day.month}月{day.day}日" if day else ""
    body = [
        f"{done.unit_name}经办人：",
        f"贵单位退休住院计划参保批次{done.batch_no}（参保编码{done.code}）的养老金委托代扣已{on}完成。",
        f"【查看代扣结果】{result}。",
        f"【确认参保名单】{money_line(done.money)}",
    ]
    if done.money.unit_paid_persons:
        body.append("代扣失败及无法代扣的人员，需单位缴费。")
    body.append(next_step(done.money))
    if done.failed:
        body.append(
            "代扣失败人员处理方式：不减人员 — 单位向代扣失败人员收取参保费用或为其垫资；"
            f"删减人员 — 将代扣不成功人员删除（前提条件：不影响{done.ratio_min_pct}%的参保比例）。"
        )
    subject = f"退休住院计划代扣结果：{head}"
    return [Message(Channel.SMS, "", sms), Message(Channel.MAIL, subject, "\n".join(body))]


def due(attempts: int, tried_at: datetime | None, now: datetime, base: timedelta, cap: timedelta) -> bool:
    """A notice not sent yet is tried now if it never was, or once its wait after the last failure is over."""
    if attempts == 0 or tried_at is None:
        return True
    wait = min(base * (1 << min(attempts - 1, 20)), cap)
    return now >= tried_at + wait
