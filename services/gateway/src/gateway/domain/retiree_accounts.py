"""退休住院计划 预派账号 (manual 003 一(一)): the login a unit of last year's plan gets, and how far its
holder got with it."""

from __future__ import annotations

import re
from datetime import datetime

LOGIN_PREFIX = "tuixiu"
CODE = re.compile(r"[0-9A-Za-z]{1,20}")


def login_of(code: str) -> str:
    """账号：tuixiu+参保编码, e.g. tuixiu123000000."""
    return LOGIN_PREFIX + code


def login_status(last_login_at: datetime | None, must_change_password: bool) -> str:
    """未登录 until the first sign-in; 已修改密码 once the initial (or a reset) password was replaced;
    待修改密码 between the two (and again after a reset)."""
    if not must_change_password:
        return "changed"
    return "not_logged_in" if last_login_at is None else "pending_change"
