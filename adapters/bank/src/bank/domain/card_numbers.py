"""Card numbers: 16 digits (BIN, account digits, Luhn check digit), the same for a member on every
run with the same seed. Only the masked form ever leaves the adapter."""

from __future__ import annotations

from .draws import digits

LENGTH = 16


def card_number(seed: str, card_bin: str, member_id: str) -> str:
    body = card_bin + digits(seed, LENGTH - len(card_bin) - 1, "card", member_id)
    return body + luhn_digit(body)


def masked_card_number(seed: str, card_bin: str, member_id: str) -> str:
    """6222 **** **** 1234: the first four and the last four digits, as printed on statements."""
    number = card_number(seed, card_bin, member_id)
    return f"{number[:4]} **** **** {number[-4:]}"


def luhn_digit(body: str) -> str:
    """The check digit that makes `body + digit` pass the Luhn test (ISO/IEC 7812)."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        n = int(ch)
        if i % 2 == 0:  # every second digit from the right, starting with the one before the check digit
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return str((10 - total % 10) % 10)
