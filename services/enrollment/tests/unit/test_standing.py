"""Who is on a union's collective list, and the automatic exclusions of manual 000."""

from __future__ import annotations

from datetime import date

from contracts.enrollment import Channel
from contracts.socialsec import CheckResult
from enrollment.domain.social import CHECKS, facts_from
from enrollment.domain.standing import (
    Candidate,
    Readiness,
    RetirementAges,
    SocialFacts,
    Standing,
    collective_placement,
    flagged_retiring,
    retires_before,
    ss_card_readiness,
)

NORMAL = SocialFacts(found=True, ss_card_held=True, employment_checked=True, employed=True)
START_2023 = date(2023, 1, 1)


def card_holder(**kw) -> Candidate:  # type: ignore[no-untyped-def]
    return Candidate(**({"member_id": "m", "id_type": "身份证", "has_card": True, "facts": None} | kw))


def test_a_card_holder_is_on_the_list_through_the_member_card_channel():
    placed = collective_placement(card_holder(), ss_card_channel=False)
    assert (placed.standing, placed.channel) == (Standing.LISTED, Channel.MEMBER_CARD)
    assert collective_placement(card_holder(facts=NORMAL), False).standing is Standing.LISTED


def test_retired_deceased_and_card_less_members_are_excluded_automatically():
    assert collective_placement(card_holder(facts=SocialFacts(retired=True)), False).standing is Standing.RETIRED
    assert collective_placement(card_holder(facts=SocialFacts(deceased=True)), False).standing is Standing.DECEASED
    assert collective_placement(card_holder(has_card=False), False).standing is Standing.WITHOUT_CARD
    # a confirmation does not bring back a retired member
    retired = card_holder(facts=SocialFacts(retired=True), confirmed=True)
    assert collective_placement(retired, False).standing is Standing.RETIRED


def test_members_without_social_security_wait_for_confirmation_and_then_join():
    unemployed = SocialFacts(found=True, employment_checked=True, employed=False)
    assert collective_placement(card_holder(facts=unemployed), False).standing is Standing.PENDING
    assert collective_placement(card_holder(facts=SocialFacts(found=False)), False).standing is Standing.PENDING
    joined = collective_placement(card_holder(facts=unemployed, confirmed=True), False)
    assert (joined.standing, joined.channel) == (Standing.LISTED, Channel.MEMBER_CARD)


def test_card_less_ss_card_holders_join_through_the_ss_card_channel_once_confirmed_in_years_that_have_it():
    ss_holder = card_holder(has_card=False, facts=NORMAL)
    assert collective_placement(ss_holder, ss_card_channel=False).standing is Standing.WITHOUT_CARD
    assert collective_placement(ss_holder, ss_card_channel=True).standing is Standing.PENDING
    joined = collective_placement(card_holder(has_card=False, facts=NORMAL, confirmed=True), True)
    assert (joined.standing, joined.channel) == (Standing.LISTED, Channel.SS_CARD)
    passport = card_holder(has_card=False, id_type="护照", facts=NORMAL, confirmed=True)
    assert collective_placement(passport, True).standing is Standing.WITHOUT_CARD


def test_excluded_and_already_covered_members_are_not_listed_but_a_confirmed_one_cannot_be_excluded():
    assert collective_placement(card_holder(excluded=True), False).standing is Standing.EXCLUDED
    assert collective_placement(card_holder(covered=True), False).standing is Standing.COVERED
    assert collective_placement(card_holder(excluded=True, confirmed=True), False).standing is Standing.LISTED


def test_members_retiring_before_the_year_starts_are_flagged():
    ages = RetirementAges(male=60, female=55)
    # a woman born 1967-12-15 reaches 55 on 2022-12-15, before 2023-01-01: not covered by the 2023 plan
    assert retires_before(date(1967, 12, 15), "女", START_2023, ages)
    # born 1968-01-01: 55 on 2023-01-01 itself, "2023年1月1日前（不含当日）" → still covered
    assert not retires_before(date(1968, 1, 1), "女", START_2023, ages)
    assert retires_before(date(1962, 10, 1), "男", START_2023, ages)
    assert not retires_before(date(1970, 1, 1), "男", START_2023, ages)
    # social security's retirement month (Sep–Dec retirees the system could not grey out) flags too
    september = card_holder(facts=SocialFacts(retirement_month="2022-09"))
    assert flagged_retiring(september, date(1980, 1, 1), "男", START_2023, ages)
    assert not flagged_retiring(card_holder(), None, "", START_2023, ages)


def test_the_ss_card_instant_lists_need_a_normal_card_and_employment_or_a_confirmation():
    assert ss_card_readiness(card_holder(has_card=False))[0] is Readiness.TO_CHECK
    assert ss_card_readiness(card_holder(has_card=False, facts=NORMAL)) == (Readiness.READY, "")
    sealed_card = SocialFacts(found=True, ss_card_held=False, employment_checked=True, employed=True)
    readiness, reason = ss_card_readiness(card_holder(has_card=False, facts=sealed_card))
    assert readiness is Readiness.TO_CHECK and "会员服务卡" in reason
    not_employed = SocialFacts(found=True, ss_card_held=True, employment_checked=True, employed=False)
    assert ss_card_readiness(card_holder(has_card=False, facts=not_employed))[0] is Readiness.TO_CHECK
    confirmed = card_holder(has_card=False, facts=not_employed, confirmed=True)
    assert ss_card_readiness(confirmed)[0] is Readiness.READY


def test_facts_from_the_adapters_answer():
    answer = CheckResult(subject_id="m", found=True, ss_card_held=True, employment_unit="上海某公司")
    assert facts_from(answer, CHECKS) == NORMAL
    retired = CheckResult(subject_id="m", found=True, retired=True, retirement_month="2022-08", employment_unit="x")
    facts = facts_from(retired, CHECKS)
    assert facts is not None and facts.retired and not facts.employed
    assert facts_from(CheckResult(subject_id="m", found=False, failure="社保系统繁忙"), CHECKS) is None
