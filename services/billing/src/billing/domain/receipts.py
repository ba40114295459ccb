"""Special receipts / e-receipts (专用收据 / 电子票据): several per paid batch, any titles, an optional
remark; together they equal the premium (manuals 001, 002) — for the retiree plan they may not exceed
what was paid, withholding included (manual 003) — and are never issued beyond what was paid.
The payer asks for them; the insurer issues each with its own number and PDF."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from runtime.errors import DomainError, InvalidInput
from runtime.identity import InvalidIdentifier, validate_uscc
from runtime.money import fen_to_yuan_str

MAX_LINES = 50
MAX_TITLE = 100
MAX_REMARK = 200


class ReceiptState(StrEnum):
    REQUESTED = "待开具"
    ISSUED = "已开具"
    VOID = "已作废"


@dataclass(frozen=True)
class ReceiptLine:
    title: str  # 专用收据抬头: need not be the payer
    amount_fen: int
    uscc: str = ""
    remark: str = ""


class ReceiptRule(StrEnum):
    """What the receipts of a batch must add up to (with those already issued)."""

    EQUAL_TO_PREMIUM = "等于应缴纳保费"  # 会员专享基本保障, 互助保障 (manuals 001, 002)
    UP_TO_PAID = "不超过已缴金额"  # 退休住院计划: withheld + approved vouchers (manual 003)


def receipt_rule(programme: str) -> ReceiptRule:
    return ReceiptRule.UP_TO_PAID if programme.startswith("retiree") else ReceiptRule.EQUAL_TO_PREMIUM


def check_lines(
    lines: Sequence[ReceiptLine], due_fen: int, issued_fen: int, *,
    rule: ReceiptRule = ReceiptRule.EQUAL_TO_PREMIUM, paid_fen: int = 0,
) -> list[ReceiptLine]:  # fmt: skip
    """The lines asked for now, cleaned; with the receipts already issued they must equal the premium,
    or (UP_TO_PAID) stay within what was paid."""
    if not lines:
        raise InvalidInput("receipt.lines_required", "请至少填写一张专用收据")
    if len(lines) > MAX_LINES:
        raise InvalidInput("receipt.too_many", f"一次最多填写{MAX_LINES}张专用收据")
    clean = [_check_line(i, line) for i, line in enumerate(lines, start=1)]
    total = issued_fen + sum(line.amount_fen for line in clean)
    if rule is ReceiptRule.UP_TO_PAID:
        if total > paid_fen:
            raise InvalidInput(
                "receipt.sum_exceeds_paid",
                f"专用收据金额合计（{fen_to_yuan_str(total)}元）不能超过已缴金额（{fen_to_yuan_str(paid_fen)}元，"
                "含已代扣及审核通过的缴费凭证）",
                paid_fen=paid_fen, total_fen=total, issued_fen=issued_fen,
            )  # fmt: skip
    elif total != due_fen:
        raise InvalidInput(
            "receipt.sum_mismatch", "专用收据金额合计必须等于应缴纳保费", due_fen=due_fen, total_fen=total,
            issued_fen=issued_fen,
        )  # fmt: skip
    return clean


def _check_line(n: int, line: ReceiptLine) -> ReceiptLine:
    title, remark = line.title.strip(), line.remark.strip()
    if not title or len(title) > MAX_TITLE:
        raise InvalidInput("receipt.title", f"第{n}张专用收据抬头不能为空，且不超过{MAX_TITLE}个字", line=n)
    if line.amount_fen <= 0:
        raise InvalidInput("receipt.amount", f"第{n}张专用收据金额必须大于0", line=n)
    if len(remark) > MAX_REMARK:
        raise InvalidInput("receipt.remark", f"第{n}张专用收据备注不超过{MAX_REMARK}个字", line=n)
    uscc = ""
    if line.uscc.strip():
        try:
            uscc = validate_uscc(line.uscc)
        except InvalidIdentifier as exc:
            raise InvalidInput(exc.code, f"第{n}张专用收据：{exc.message}", line=n) from None
    return ReceiptLine(title, line.amount_fen, uscc, remark)


def check_issuable(confirmed: bool, paid_fen: int, total_fen: int) -> None:
    if not confirmed:
        raise DomainError("receipt.not_paid", "该批次的缴费尚未确认，不能开具专用收据")
    if total_fen > paid_fen:
        raise DomainError(
            "receipt.exceeds_paid", "专用收据金额合计不能超过已缴金额", paid_fen=paid_fen, total_fen=total_fen
        )


# --- the amount in capital numerals (大写金额), as a receipt prints it ---------------------------------

DIGITS = "零壹贰叁肆伍陆柒捌玖"
PLACES = ("", "拾", "佰", "仟")
GROUPS = ("", "万", "亿", "万亿")


def amount_in_words(fen: int) -> str:
    """78000 → 柒佰捌拾元整; 100010 yuan → 壹拾万零壹拾元整; 10.05 → 壹拾元零伍分 (会计基础工作规范)."""
    if fen < 0:
        raise ValueError("amount must not be negative")
    yuan, cents = divmod(fen, 100)
    jiao, fen_digit = divmod(cents, 10)
    head = f"{_integer(yuan)}元" if yuan else ""
    if not cents:
        return f"{head or '零元'}整"
    if not jiao:
        return f"{head}零{DIGITS[fen_digit]}分" if head else f"{DIGITS[fen_digit]}分"
    tail = f"{DIGITS[jiao]}角" + (f"{DIGITS[fen_digit]}分" if fen_digit else "整")
    return head + tail


def _integer(n: int) -> str:
    groups = []
    while n:
        n, g = divmod(n, 10_000)
        groups.append(g)
    out, zero = "", False
    for i in range(len(groups) - 1, -1, -1):
        g = groups[i]
        if g == 0:
            zero = bool(out)
            continue
        if out and (zero or g < 1000):
            out += "零"
        out += _group(g) + GROUPS[i]
        zero = False
    return out


def _group(g: int) -> str:
    out, zero = "", False
    for place in range(3, -1, -1):
        d = g // 10**place % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
        out += DIGITS[d] + PLACES[place]
        zero = False
    return out
