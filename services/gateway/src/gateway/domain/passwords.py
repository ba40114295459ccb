"""Password rules (DOMAIN.md §1): the manuals' strict policy, or a basic one for closed demos."""

from __future__ import annotations

import secrets
import string

from runtime.errors import InvalidInput

SPECIALS = "!@#$%^&*()_+-=[]{};:'\",.<>/?\\|`~"
STRICT_RANGE = (8, 20)
BASIC_RANGE = (8, 64)


def violations(password: str, policy: str) -> list[str]:
    """The rules a password breaks, each a sentence a clerk can act on; empty when it passes."""
    low, high = STRICT_RANGE if policy == "strict" else BASIC_RANGE
    broken = []
    if not low <= len(password) <= high:
        broken.append(f"长度应为{low}至{high}位")
    if any(c.isspace() for c in password):
        broken.append("不能包含空格")
    if not any(c in string.ascii_letters for c in password):
        broken.append("必须包含字母")
    if not any(c in string.digits for c in password):
        broken.append("必须包含数字")
    if policy == "strict" and not any(c in SPECIALS for c in password):
        broken.append("必须包含特殊字符（如 !@#$%）")
    return broken


def check_new_password(new: str, policy: str, *, old: str | None = None, account: str | None = None) -> None:
    broken = violations(new, policy)
    if old is not None and new == old:
        broken.append("新密码不能与原密码相同")
    if account and account.lower() in new.lower():
        broken.append("密码不能包含账号")
    if broken:
        raise InvalidInput("password.policy", "密码不符合要求：" + "；".join(broken), rules=broken, field="password")


def temporary_password(length: int = 12) -> str:
    """A random password that passes the strict policy: the upper union hands it over once."""
    letters = string.ascii_letters.translate(str.maketrans("", "", "lIO"))
    digits, specials = "23456789", "@#$%&*"
    chosen = [secrets.choice(letters), secrets.choice(digits), secrets.choice(specials)]
    pool = letters + digits + specials
    chosen += [secrets.choice(pool) for _ in range(length - len(chosen))]
    secrets.SystemRandom().shuffle(chosen)
    return "".join(chosen)
