"""The bank's decisions: deterministic from seed and request, rates honoured, expired IDs refused."""

from __future__ import annotations

import re
from datetime import date, timedelta

from bank.domain.card_numbers import card_number, luhn_digit, masked_card_number
from bank.domain.outcomes import EXPIRED, WRONG_NUMBER, Applicant, IssuePolicy, decide, due_after, id_expired
from runtime.identity import make_id_number

TODAY = date(2026, 3, 15)
REASONS = ("身份信息核验不通过", "证件号码有误", "客户已持有本行工会会员服务卡")
POLICY = IssuePolicy(seed="s1", reject_rate=0.05, reasons=REASONS)


def applicant(i: int, *, batch_no: str = "cb-202603151000", expiry: date | None = date(2030, 1, 1)) -> Applicant:
    number = make_id_number("310104", date(1980, 1, 1) + timedelta(days=i), i % 500, i % 2 == 0)
    return Applicant(batch_no, f"m{i}", "身份证", number, expiry, expiry is None)


def test_same_seed_and_input_give_the_same_outcome() -> None:
    first = [decide(POLICY, applicant(i), TODAY) for i in range(300)]
    again = [decide(POLICY, applicant(i), TODAY) for i in range(300)]
    assert first == again


def test_another_seed_gives_other_outcomes() -> None:
    other = IssuePolicy(seed="s2", reject_rate=0.05, reasons=REASONS)
    a = [decide(POLICY, applicant(i), TODAY) for i in range(300)]
    b = [decide(other, applicant(i), TODAY) for i in range(300)]
    assert a != b


def test_the_rejection_rate_is_roughly_honoured_over_1000_cards() -> None:
    outcomes = [decide(POLICY, applicant(i), TODAY) for i in range(1000)]
    rejected = [o for o in outcomes if not o.issued]
    assert 25 <= len(rejected) <= 80, len(rejected)  # 5 % of 1,000 is 50
    assert {o.reason for o in rejected} <= set(REASONS)
    assert len({o.reason for o in rejected}) == len(REASONS)  # every configured reason gets used


def test_rate_zero_issues_everyone_and_rate_one_refuses_everyone() -> None:
    never = IssuePolicy(seed="s1", reject_rate=0.0, reasons=REASONS)
    always = IssuePolicy(seed="s1", reject_rate=1.0, reasons=("身份信息核验不通过",))
    assert all(decide(never, applicant(i), TODAY).issued for i in range(200))
    assert {decide(always, applicant(i), TODAY).reason for i in range(200)} == {"身份信息核验不通过"}


def test_an_expired_id_is_always_refused_whatever_the_rate() -> None:
    never = IssuePolicy(seed="s1", reject_rate=0.0, reasons=REASONS)
    for i in range(100):
        outcome = decide(never, applicant(i, expiry=TODAY - timedelta(days=1)), TODAY)
        assert not outcome.issued and outcome.reason == EXPIRED == "证件已过期"


def test_an_id_valid_until_today_or_long_term_is_not_expired() -> None:
    assert not id_expired(TODAY, False, TODAY)
    assert not id_expired(None, True, TODAY)
    assert not id_expired(None, False, TODAY)  # no date given: not the bank's rule to enforce
    assert id_expired(TODAY - timedelta(days=1), False, TODAY)


def test_a_wrong_resident_id_number_is_refused() -> None:
    good = applicant(1)
    wrong_check = good.id_number[:17] + ("1" if good.id_number[17] == "0" else "0")
    never = IssuePolicy(seed="s1", reject_rate=0.0, reasons=REASONS)
    bad = Applicant(good.batch_no, good.member_id, "身份证", wrong_check, None, True)
    assert decide(never, bad, TODAY).reason == WRONG_NUMBER
    passport = Applicant("cb-1", "m1", "护照", "E12345678", None, True)
    assert decide(never, passport, TODAY).issued  # other documents are not checked as resident IDs


def test_issued_cards_have_a_masked_deterministic_luhn_valid_number() -> None:
    outcome = decide(IssuePolicy(seed="s1", reject_rate=0.0, reasons=REASONS), applicant(7), TODAY)
    assert re.fullmatch(r"6222 \*{4} \*{4} [0-9]{4}", outcome.card_number_masked)
    number = card_number("s1", "6222", "m7")
    assert len(number) == 16 and luhn_digit(number[:-1]) == number[-1]
    assert masked_card_number("s1", "6222", "m7") == outcome.card_number_masked
    assert card_number("s2", "6222", "m7") != number


def test_luhn_check_digit_matches_a_known_number() -> None:
    assert luhn_digit("7992739871") == "3"  # the textbook example 79927398713


def test_due_time_is_the_delay_plus_a_bounded_deterministic_jitter() -> None:
    policy = IssuePolicy(seed="s1", reject_rate=0.0, reasons=REASONS, delay_seconds=2, jitter_seconds=3)
    offsets = [due_after(policy, "cb-1", f"m{i}") for i in range(200)]
    assert all(timedelta(seconds=2) <= o < timedelta(seconds=5) for o in offsets)
    assert len(set(offsets)) > 100
    assert offsets == [due_after(policy, "cb-1", f"m{i}") for i in range(200)]
