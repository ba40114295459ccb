"""The insurer's receiving accounts: one per programme category (在职 / 退休 / 会员专享), and which
category a programme pays into."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from runtime.errors import InvalidInput


class AccountCategory(StrEnum):
    """收款帐户类别, as the voucher form names it."""

    IN_SERVICE = "在职"
    RETIRED = "退休"
    MEMBER = "会员专享"


# Until the insurer says otherwise: the member-exclusive protection pays into the 会员专享 account,
# the mutual-aid programme into 在职, the retiree plan into 退休 (manuals 000, 002, 003).
DEFAULT_CATEGORY = {
    "member-basic": AccountCategory.MEMBER,
    "mutual-aid": AccountCategory.IN_SERVICE,
    "retiree": AccountCategory.RETIRED,
}


def default_category(programme: str) -> AccountCategory:
    if programme in DEFAULT_CATEGORY:
        return DEFAULT_CATEGORY[programme]
    if programme.startswith("retiree"):
        return AccountCategory.RETIRED
    if programme.startswith("mutual-aid"):
        return AccountCategory.IN_SERVICE
    return AccountCategory.MEMBER


@dataclass(frozen=True)
class Account:
    payee_name: str
    account_no: str
    bank: str


def check_account(payee_name: str, account_no: str, bank: str) -> Account:
    name, number, branch = payee_name.strip(), account_no.strip(), bank.strip()
    if not name or len(name) > 100:
        raise InvalidInput("account.payee_name", "户名不能为空，且不超过100个字")
    digits = number.replace("-", "").replace(" ", "")
    if not digits.isascii() or not digits.isdigit() or not 6 <= len(digits) <= 40:
        raise InvalidInput("account.number", "帐号应为6–40位数字（可含“-”或空格）")
    if not branch or len(branch) > 100:
        raise InvalidInput("account.bank", "开户行不能为空，且不超过100个字")
    return Account(name, number, branch)
