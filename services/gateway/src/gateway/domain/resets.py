"""找回密码 by application (未建会单位): who may apply and when an application matches the unit."""

from __future__ import annotations

import re

_SPACES = re.compile(r"\s+")


def _person(name: str) -> str:
    """A contact's name as typed: case and spaces (half- or full-width) do not count."""
    return _SPACES.sub("", name).casefold()


def matches_registration(contact: str, phone: str, registered_contact: str, registered_phone: str) -> bool:
    """Both the contact and the phone must be the ones the unit registered with: the platform calls
    that phone to hand over the temporary password, so an application naming another is refused."""
    return _person(contact) == _person(registered_contact) and phone.strip() == registered_phone.strip()


def is_unknown(account_status: str | None) -> bool:
    """A USCC the registration form would take as new (no account, or its registration was
    rejected) is unknown here too, so this form tells no more than the registration form does."""
    return account_status is None or account_status == "rejected"


STATUS_REFUSALS = {
    "pending": "企业注册正在审核中，审核通过后请使用注册时设置的密码登录",
    "disabled": "账号已停用，重置密码后也无法登录，请联系平台",
    "rejected": "企业注册未通过审核，请重新进行企业注册",
}


def status_refusal(account_status: str) -> str | None:
    """Why an account (one that matched) cannot have its password reset; None when it can."""
    return STATUS_REFUSALS.get(account_status)
