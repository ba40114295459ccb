"""The gateway's rules as plain functions: password policy, lockout, session limits, who manages whom."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from gateway.domain import access, audit, passwords, resets
from gateway.domain.lockout import LockoutPolicy, after_failure, is_locked, remaining_attempts
from gateway.domain.sessions import SessionLimits, SessionTimes, is_expired, seconds_left
from runtime.clock import SHANGHAI
from runtime.errors import InvalidInput
from runtime.tokens import Tier

NOW = datetime(2024, 6, 1, 9, 0, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("password", "broken"),
    [
        ("Abc@1234", []),
        ("Abc@123", ["长度应为8至20位"]),
        ("Abc@1234567890123456x", ["长度应为8至20位"]),
        ("abcdefgh", ["必须包含数字", "必须包含特殊字符（如 !@#$%）"]),
        ("12345678!", ["必须包含字母"]),
        ("Abc 1234!", ["不能包含空格"]),
    ],
)
def test_the_manuals_strict_policy(password: str, broken: list[str]) -> None:
    assert passwords.violations(password, "strict") == broken


def test_the_basic_policy_does_without_special_characters() -> None:
    assert passwords.violations("abcd1234", "basic") == []
    assert passwords.violations("abcdefgh", "basic") == ["必须包含数字"]


def test_a_new_password_differs_from_the_old_and_the_account() -> None:
    with pytest.raises(InvalidInput) as exc:
        passwords.check_new_password("Zhang@2024", "strict", old="Zhang@2024", account="zhang")
    assert exc.value.code == "password.policy"
    assert exc.value.extra["rules"] == ["新密码不能与原密码相同", "密码不能包含账号"]


def test_temporary_passwords_pass_the_strict_policy_and_differ() -> None:
    made = {passwords.temporary_password() for _ in range(200)}
    assert len(made) == 200
    assert all(passwords.violations(p, "strict") == [] for p in made)


def test_the_fifth_failure_locks_for_fifteen_minutes() -> None:
    policy = LockoutPolicy(5, timedelta(minutes=15))
    failed, lock = 0, None
    for expected_left in (4, 3, 2, 1):
        failed, lock = after_failure(failed, NOW, policy)
        assert lock is None and remaining_attempts(failed, policy) == expected_left
    failed, lock = after_failure(failed, NOW, policy)
    assert (failed, lock) == (0, NOW + timedelta(minutes=15))
    assert is_locked(lock, NOW + timedelta(minutes=14, seconds=59))
    assert not is_locked(lock, NOW + timedelta(minutes=15))


def test_sessions_idle_out_and_end_at_the_absolute_limit() -> None:
    limits = SessionLimits(idle_seconds=1800, absolute_seconds=12 * 3600)
    t0 = NOW.timestamp()
    assert not is_expired(SessionTimes(t0, t0), t0 + 1799, limits)
    assert is_expired(SessionTimes(t0, t0), t0 + 1800, limits)
    late = t0 + 12 * 3600 - 60
    assert not is_expired(SessionTimes(t0, late), late + 59, limits)
    assert is_expired(SessionTimes(t0, late), late + 60, limits)
    assert seconds_left(SessionTimes(t0, late), late, limits) == 60
    assert seconds_left(SessionTimes(t0, t0), t0, limits) == 1800


@pytest.mark.parametrize(
    ("caller", "caller_path", "target", "target_path", "manage", "see"),
    [
        (Tier.DISTRICT, "1.2", Tier.GRASSROOTS, "1.2.4", True, True),
        (Tier.DISTRICT, "1.2", Tier.GRASSROOTS, "1.3.5", False, False),
        (Tier.DISTRICT, "1.2", Tier.DISTRICT, "1.2", False, True),  # a peer: seen, not managed
        (Tier.DISTRICT, "1.2", Tier.DISTRICT, "1.22", False, False),  # a prefix is not a subtree
        (Tier.GRASSROOTS, "1.2.4", Tier.DISTRICT, "1.2", False, False),
        (Tier.GRASSROOTS, "1.2.4", Tier.GRASSROOTS, "1.2.4.6", True, True),
        (Tier.CITY, "1", Tier.DISTRICT, "1.3", True, True),
        (Tier.CITY, "1", Tier.INSURER, None, False, False),
        (Tier.CITY, "1", Tier.ENTERPRISE, None, False, False),
        (Tier.ADMIN, "", Tier.ENTERPRISE, None, True, True),
        (Tier.INSURER, "", Tier.GRASSROOTS, "1.2.4", False, False),
        (Tier.DISTRICT, "", Tier.GRASSROOTS, "1.2.4", False, False),  # an org not heard of yet: nothing
    ],
)
def test_the_upper_union_manages_accounts_below_it(caller, caller_path, target, target_path, manage, see) -> None:  # type: ignore[no-untyped-def]
    assert access.can_manage(caller, caller_path, target, target_path) is manage
    assert access.can_see(caller, caller_path, target, target_path) is see


def test_an_accounts_tier_follows_its_orgs_kind() -> None:
    assert access.tier_for_org("联合工会", Tier.GRASSROOTS) is Tier.GRASSROOTS
    with pytest.raises(InvalidInput) as exc:
        access.tier_for_org("二级工会", Tier.DISTRICT)
    assert exc.value.code == "account.tier_mismatch" and exc.value.extra["expected"] == "secondary"


def test_menus_per_tier() -> None:
    mutual_aid_units = ["mutual-aid-code-applications", "mutual-aid-handler", "mutual-aid-name-changes"]
    mutual_aid_review = ["mutual-aid-code-review", "mutual-aid-name-change-review"]
    retiree_units = ["retiree-enrol", "retiree-batches"]
    billing_payer = ["billing-payables", "billing-vouchers", "billing-refunds", "billing-receipts"]
    assert access.menus(Tier.ENTERPRISE) == [
        *("workbench", *billing_payer, "billing-reconciliation"),
        *(*mutual_aid_units, "mutual-aid-batches", *retiree_units),
    ]
    assert access.menus(Tier.INSURER) == [
        *("workbench", "enterprises", "enrollment-batches"),
        *("billing-payables", "billing-review", "billing-refunds", "billing-receipts", "billing-accounts"),
        "billing-reconciliation",
        *mutual_aid_review,
        *("mutual-aid-batches", "mutual-aid-batch-review"),
        *("mutual-aid-suggested", "mutual-aid-headcounts"),
        "retiree-accounts",
        *("retiree-batches", "retiree-review", "retiree-units", "retiree-name-changes"),
    ]
    assert "audit" in access.menus(Tier.ADMIN) and "audit" not in access.menus(Tier.DISTRICT)
    assert "password-resets" in access.menus(Tier.ADMIN) and "password-resets" not in access.menus(Tier.CITY)
    # 缴费管理 is where they differ besides: the city pays (市总统一划拨), the admin acts for the insurer.
    # 互助保障: the admin reviews code applications for the insurer; the city has no part in them.
    insurer_only = {"billing-review", "billing-accounts", *mutual_aid_review, "mutual-aid-batch-review"}
    insurer_only |= {"retiree-accounts"}  # 退休住院计划 预派账号
    insurer_only |= {"retiree-review", "retiree-units", "retiree-name-changes"}  # 退休住院计划: 审核, 单位名单
    insurer_only |= {"mutual-aid-suggested", "mutual-aid-headcounts"}  # 建议清册, 社保在职人数
    payer_only = {"billing-vouchers"}
    city = [m for m in access.menus(Tier.CITY) if m not in payer_only]
    assert city == [m for m in access.menus(Tier.ADMIN) if m not in {"password-resets", *insurer_only}]
    member_menus = ["members", "member-imports", "member-reviews", "member-compares"]
    for tier in (Tier.CITY, Tier.DISTRICT, Tier.SECONDARY, Tier.GRASSROOTS, Tier.ADMIN):
        assert [m for m in access.menus(tier) if m.startswith("member")] == member_menus, tier
        assert tier in access.MEMBER_READERS and tier in access.MEMBER_EDITORS
    for tier in (Tier.ENTERPRISE, Tier.INSURER):
        assert not set(member_menus) & set(access.menus(tier))
        assert tier not in access.MEMBER_READERS and tier not in access.MEMBER_EDITORS


def test_enrollment_menus_follow_the_tier_of_each_action() -> None:
    enrollment = {t: {m for m in access.menus(t) if m.startswith("enrollment-")} for t in Tier}
    assert enrollment[Tier.CITY] == enrollment[Tier.ADMIN] == {
        "enrollment-programmes", "enrollment-submissions", "enrollment-batches"
    }  # fmt: skip
    assert {"enrollment-splits", "enrollment-reviews", "enrollment-staged"} <= enrollment[Tier.DISTRICT]
    assert {"enrollment-reviews", "enrollment-staged"} <= enrollment[Tier.SECONDARY]
    assert "enrollment-splits" not in enrollment[Tier.SECONDARY]
    grassroots = {"enrollment-confirmations", "enrollment-collective", "enrollment-instant", "enrollment-submissions"}
    assert enrollment[Tier.GRASSROOTS] == grassroots
    assert enrollment[Tier.ENTERPRISE] == enrollment[Tier.SYSTEM] == set()
    assert Tier.GRASSROOTS not in access.BATCH_READERS and Tier.INSURER in access.BATCH_READERS
    assert {Tier.SECONDARY, Tier.DISTRICT} == access.ENROLLMENT_REVIEWERS


def test_a_password_reset_application_must_name_the_registered_contact_and_phone() -> None:
    assert resets.matches_registration("赵六", "13912345678", "赵六", "13912345678")
    assert resets.matches_registration(" 赵\u3000六 ", "13912345678 ", "赵六", "13912345678")
    assert resets.matches_registration("Li Jing", "13912345678", "li jing", "13912345678")
    assert not resets.matches_registration("赵六", "13912345679", "赵六", "13912345678")
    assert not resets.matches_registration("钱七", "13912345678", "赵六", "13912345678")


def test_who_may_apply_for_a_password_reset() -> None:
    # unknown exactly where 企业注册 would take the USCC as new
    assert resets.is_unknown(None) and resets.is_unknown("rejected")
    assert not any(resets.is_unknown(s) for s in ("active", "pending", "disabled"))
    assert resets.status_refusal("active") is None
    assert resets.status_refusal("pending") and resets.status_refusal("disabled")


def test_what_the_operation_log_records() -> None:
    assert audit.is_audited("POST", "/api/auth/login")
    assert audit.is_audited("GET", "/api/orgs/export")
    assert not audit.is_audited("GET", "/api/orgs")
    assert audit.is_audited("GET", "/api/imports/abc/rejections.xlsx")
    assert audit.is_audited("GET", "/api/compares/abc/extra.xlsx")
    assert audit.is_audited("GET", "/api/cards/batches/cb-202611251200/roster.pdf")
    assert not audit.is_audited("GET", "/api/imports/template")
    assert not audit.is_audited("POST", "/metrics")
    assert [audit.outcome(s) for s in (200, 204, 401, 403, 404, 409, 422, 429, 503)] == [
        "success",
        "success",
        "denied",
        "denied",
        "failure",
        "failure",
        "failure",
        "denied",
        "failure",
    ]
    assert audit.targets({"org_id": "5"}, ["account_id=7"]) == ["org_id=5", "account_id=7"]


def test_billing_menus_and_tiers_follow_who_pays_and_who_reviews() -> None:
    billing = {t: [m for m in access.menus(t) if m.startswith("billing-")] for t in Tier}
    # 对账 for both: billing scopes its rows (the city and the insurer see every payer)
    payer = ["billing-payables", "billing-vouchers", "billing-refunds", "billing-receipts", "billing-reconciliation"]
    insurer = [
        *("billing-payables", "billing-review", "billing-refunds", "billing-receipts", "billing-accounts"),
        "billing-reconciliation",
    ]
    # 未建会单位 pay for their mutual-aid batches (billing scopes their rows by account)
    for tier in (Tier.CITY, Tier.DISTRICT, Tier.SECONDARY, Tier.GRASSROOTS, Tier.ENTERPRISE):
        assert billing[tier] == payer, tier
        assert tier in access.BILLING_PAYERS and tier not in access.BILLING_INSURERS
    assert billing[Tier.INSURER] == billing[Tier.ADMIN] == insurer
    assert {Tier.INSURER, Tier.ADMIN} == access.BILLING_INSURERS and Tier.ADMIN not in access.BILLING_PAYERS
    assert Tier.SYSTEM not in access.BILLING_READERS and billing[Tier.SYSTEM] == []


def test_card_menus_follow_the_tier_of_each_action() -> None:
    cards = {t: [m for m in access.menus(t) if m.startswith("card-")] for t in Tier}
    union = ["card-info", "card-pending", "card-batches"]
    for tier in (Tier.CITY, Tier.ADMIN, Tier.DISTRICT):
        assert cards[tier] == [*union, "card-revocations"], tier
        assert tier in access.CARD_REVOCATION_REVIEWERS
    for tier in (Tier.SECONDARY, Tier.GRASSROOTS):
        assert cards[tier] == union, tier
        assert tier in access.CARD_MANAGERS and tier not in access.CARD_REVOCATION_REVIEWERS
    for tier in (Tier.ENTERPRISE, Tier.INSURER, Tier.SYSTEM):
        assert cards[tier] == [] and tier not in access.CARD_READERS


def test_mutual_aid_code_menus_and_tiers_follow_who_applies_and_who_reviews() -> None:
    """参保编码申请: units (a grassroots union's or an enterprise's account) apply; 职保会 reviews."""
    batches = {"mutual-aid-batches", "mutual-aid-batch-review", *YEAR_MENUS}
    codes = {t: [m for m in access.menus(t) if m.startswith("mutual-aid-") and m not in batches] for t in Tier}
    units = ["mutual-aid-code-applications", "mutual-aid-handler", "mutual-aid-name-changes"]
    assert codes[Tier.GRASSROOTS] == codes[Tier.ENTERPRISE] == units
    assert codes[Tier.INSURER] == codes[Tier.ADMIN] == ["mutual-aid-code-review", "mutual-aid-name-change-review"]
    assert not codes[Tier.CITY] and not codes[Tier.DISTRICT] and not codes[Tier.SECONDARY]
    assert {Tier.GRASSROOTS, Tier.ENTERPRISE} == access.MUTUAL_AID_UNITS
    assert {Tier.INSURER, Tier.ADMIN} == access.MUTUAL_AID_REVIEWERS
    assert access.MUTUAL_AID_READERS == access.MUTUAL_AID_UNITS | access.MUTUAL_AID_REVIEWERS


def test_mutual_aid_batch_menus_and_tiers_follow_who_enrols_reads_and_reviews() -> None:
    """参保批次: units enrol; upper unions and the city read their part; 职保会 (and the platform) also reviews."""
    batches = {t: [m for m in access.menus(t) if m in ("mutual-aid-batches", "mutual-aid-batch-review")] for t in Tier}
    for tier in (Tier.GRASSROOTS, Tier.ENTERPRISE, Tier.SECONDARY, Tier.DISTRICT, Tier.CITY):
        assert batches[tier] == ["mutual-aid-batches"], tier
    assert batches[Tier.INSURER] == batches[Tier.ADMIN] == ["mutual-aid-batches", "mutual-aid-batch-review"]
    assert not batches[Tier.SYSTEM]
    assert frozenset(Tier) - {Tier.SYSTEM} == access.MUTUAL_AID_BATCH_READERS


YEAR_MENUS = ("mutual-aid-years", "mutual-aid-suggested", "mutual-aid-headcounts")


def test_mutual_aid_year_menus_follow_who_sets_the_rules_and_who_loads_the_files() -> None:
    """互助保障年度设置 is the city's (the rules); 建议清册 and 社保在职人数 the insurer's loads; the platform both."""
    years = {t: [m for m in access.menus(t) if m in YEAR_MENUS] for t in Tier}
    assert years[Tier.CITY] == ["mutual-aid-years"]
    assert years[Tier.INSURER] == ["mutual-aid-suggested", "mutual-aid-headcounts"]
    assert years[Tier.ADMIN] == list(YEAR_MENUS)
    for tier in (Tier.DISTRICT, Tier.SECONDARY, Tier.GRASSROOTS, Tier.ENTERPRISE, Tier.SYSTEM):
        assert not years[tier], tier
    assert {Tier.CITY, Tier.ADMIN} == access.PROGRAMME_EDITORS
    assert {Tier.INSURER, Tier.ADMIN} == access.MUTUAL_AID_REVIEWERS


def test_retiree_menus_and_tiers_follow_who_enrols_reads_reviews_and_sets_the_year() -> None:
    """退休住院计划: units work their batches (参保办理) and follow them (参保批次); upper unions and the city read
    batches; 职保会 (and the platform) reviews, loads last year's units and reviews name changes; the city
    (and the platform) sets a year's rules."""
    retiree = {t: [m for m in access.menus(t) if m.startswith("retiree-") and m != "retiree-accounts"] for t in Tier}
    assert retiree[Tier.GRASSROOTS] == retiree[Tier.ENTERPRISE] == ["retiree-enrol", "retiree-batches"]
    assert retiree[Tier.SECONDARY] == retiree[Tier.DISTRICT] == ["retiree-batches"]
    assert retiree[Tier.CITY] == ["retiree-batches", "retiree-years"]
    review = ["retiree-batches", "retiree-review", "retiree-units", "retiree-name-changes"]
    assert retiree[Tier.INSURER] == review and retiree[Tier.ADMIN] == [*review, "retiree-years"]
    assert not retiree[Tier.SYSTEM]
    assert {Tier.GRASSROOTS, Tier.ENTERPRISE} == access.RETIREE_UNITS
    assert {Tier.INSURER, Tier.ADMIN} == access.RETIREE_INSURERS
    assert {Tier.CITY, Tier.ADMIN} == access.RETIREE_YEAR_EDITORS
    assert frozenset(Tier) - {Tier.SYSTEM} == access.RETIREE_READERS
    assert access.RETIREE_READERS - {Tier.DISTRICT, Tier.SECONDARY} == access.RETIREE_UNIT_READERS
    assert {Tier.INSURER, Tier.ADMIN, Tier.CITY} == access.RETIREE_HEADCOUNT_READERS  # every unit's 社保人数
