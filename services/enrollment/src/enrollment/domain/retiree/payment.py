"""The payment mode and the money — manual 003, 三(三)3 选择参保缴费方式, 三(四) 提出代扣申请, 三(五) 上传缴费凭证.

- "参保缴费方式一旦选择，不能修改": 委托代扣款缴费参保 (the insurer has the bank withhold each retiree's
  pension) or 缴费凭证参保 (the unit pays). Withholding only while its channel is open (May 31 17:00);
- "代扣金额须一致，须大于0且小于等于450元/人", and "上传已盖章的单位委托代扣款申请书";
- after the bank: "系统依据代扣成功金额，已生成一条代扣资金信息" — the 代扣行 is successes × amount, and the
  unit pays the rest of persons × 450: "申请代扣13人，代扣成功9人(代扣金额300元/人)…需单位缴纳参保费用3150元",
  "代扣成功23人(代扣金额100元/人)…29人…10750元".
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from runtime.errors import DomainError, InvalidInput
from runtime.money import fen_to_yuan_str


class PaymentMode(StrEnum):
    WITHHOLDING = "委托代扣"  # 委托代扣款缴费参保 (委托职保会向退休职工个人代扣参保费用)
    VOUCHER = "缴费凭证"  # 缴费凭证参保 (单位出资参保费用，统一向职保会划款)


@dataclass(frozen=True)
class ModeChoice:
    mode: PaymentMode
    amount_fen: int | None  # 委托代扣金额 per person, withholding only


def choose_mode(
    current: PaymentMode | None, mode: PaymentMode, amount_fen: int | None, entrustment_uploaded: bool,
    max_fen: int,
) -> ModeChoice:  # fmt: skip
    """The mode, once: a second choice is refused even if it is the same (the amount is final too)."""
    if current is not None:
        raise DomainError(
            "payment.mode_final", f"参保缴费方式已选择为“{current}”，一旦选择，不能修改", mode=current.value
        )
    if mode is PaymentMode.VOUCHER:
        return ModeChoice(mode, None)
    check_amount(amount_fen, max_fen)
    if not entrustment_uploaded:
        raise InvalidInput("payment.entrustment_required", "请上传已盖章的单位委托代扣款申请书")
    return ModeChoice(mode, amount_fen)


def check_amount(amount_fen: int | None, max_fen: int) -> int:
    """0 < amount ≤ 450 元 (the year's premium), one amount for everyone."""
    if amount_fen is None or not 0 < amount_fen <= max_fen:
        raise InvalidInput(
            "payment.amount_invalid",
            f"委托代扣金额须大于0且小于等于{fen_to_yuan_str(max_fen)}元/人",
            max_fen=max_fen,
        )
    return amount_fen


@dataclass(frozen=True)
class Money:
    """What a batch costs and who pays it (fen)."""

    persons: int
    premium_fen: int  # per person per year: 45000
    withheld_persons: int  # 代扣成功
    withheld_fen: int  # the 代扣行: successes × amount

    @property
    def amount_fen(self) -> int:
        return self.persons * self.premium_fen

    @property
    def unit_owes_fen(self) -> int:
        """需单位缴纳参保费用 = persons × 450 − withheld."""
        return self.amount_fen - self.withheld_fen

    @property
    def unit_paid_persons(self) -> int:
        """People the unit pays in full: withholding failed, 不可代扣, or a voucher-mode batch."""
        return self.persons - self.withheld_persons


def money(persons: int, premium_fen: int, withheld_persons: int, withholding_fen: int | None) -> Money:
    """`withholding_fen` is the per-person amount withheld (None in voucher mode)."""
    if withheld_persons > persons:
        raise ValueError("more people withheld than in the batch")
    withheld = withheld_persons * (withholding_fen or 0)
    return Money(persons, premium_fen, withheld_persons, withheld)
