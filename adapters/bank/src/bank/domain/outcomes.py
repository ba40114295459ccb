"""What the bank answers for one card of a submitted batch: issued with a card number, or rejected
with a reason. Decided once, when the batch arrives, from the seed and the request alone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from runtime.identity import InvalidIdentifier, validate_id_number

from .card_numbers import masked_card_number
from .draws import draw

RESIDENT_ID: Final = "身份证"
EXPIRED: Final = "证件已过期"
WRONG_NUMBER: Final = "证件号码有误"


@dataclass(frozen=True)
class IssuePolicy:
    seed: str
    reject_rate: float
    reasons: tuple[str, ...]
    card_bin: str = "6222"
    delay_seconds: float = 2.0
    jitter_seconds: float = 0.0


@dataclass(frozen=True)
class Applicant:
    """One card request as the bank sees it (the ID number opened from its seal)."""

    batch_no: str
    member_id: str
    id_type: str
    id_number: str
    id_expiry: date | None
    id_long_term: bool


@dataclass(frozen=True)
class Outcome:
    issued: bool
    card_number_masked: str = ""
    reason: str = ""


def decide(policy: IssuePolicy, applicant: Applicant, today: date) -> Outcome:
    if id_expired(applicant.id_expiry, applicant.id_long_term, today):
        return Outcome(issued=False, reason=EXPIRED)
    if applicant.id_type == RESIDENT_ID and not _valid_resident_id(applicant.id_number, today):
        return Outcome(issued=False, reason=WRONG_NUMBER)
    if draw(policy.seed, "reject", applicant.batch_no, applicant.member_id) < policy.reject_rate:
        pick = draw(policy.seed, "reason", applicant.batch_no, applicant.member_id)
        return Outcome(issued=False, reason=policy.reasons[int(pick * len(policy.reasons))])
    return Outcome(
        issued=True, card_number_masked=masked_card_number(policy.seed, policy.card_bin, applicant.member_id)
    )


def id_expired(expiry: date | None, long_term: bool, today: date) -> bool:
    """A document valid until `expiry` is still good on that day; 长期 never expires; no date is not
    the bank's to refuse (cards asks for it where the channel requires it)."""
    return not long_term and expiry is not None and expiry < today


def due_after(policy: IssuePolicy, batch_no: str, member_id: str) -> timedelta:
    jitter = draw(policy.seed, "jitter", batch_no, member_id) * policy.jitter_seconds
    return timedelta(seconds=policy.delay_seconds + jitter)


def _valid_resident_id(number: str, today: date) -> bool:
    try:
        validate_id_number(number, today=today)
    except InvalidIdentifier:
        return False
    return True
