"""Who sees which screens and who may act on which account: tiers, menus, the org tree."""

from __future__ import annotations

from contracts.org import OrgKind
from runtime.errors import InvalidInput
from runtime.tokens import Tier

MEMBER_MENUS = ("members", "member-imports", "member-reviews", "member-compares")
ALL_MENUS = (
    "workbench",
    "orgs",
    "org-info",
    "enterprises",
    *MEMBER_MENUS,
    "accounts",
    "registrations",
    "password-resets",
    "audit",
)

MENUS: dict[Tier, tuple[str, ...]] = {
    # 密码重置申请 are the accounts of units without a union, which only the platform admin manages.
    Tier.CITY: tuple(m for m in ALL_MENUS if m != "password-resets"),
    Tier.ADMIN: ALL_MENUS,
    Tier.DISTRICT: ("workbench", "orgs", "org-info", *MEMBER_MENUS, "accounts"),
    Tier.SECONDARY: ("workbench", "orgs", "org-info", *MEMBER_MENUS, "accounts"),
    Tier.GRASSROOTS: ("workbench", "org-info", "orgs", *MEMBER_MENUS, "accounts"),
    # 未建会单位 work only in the mutual-aid and retiree programmes; their workbench is all they get.
    Tier.ENTERPRISE: ("workbench",),
    # 职保会 reviews what units send; it looks up units without a union, not the union tree.
    Tier.INSURER: ("workbench", "enterprises"),
    Tier.SYSTEM: (),
}
# 会员专享保障 (the enrollment service): the city configures the programme, districts set their split
# and send batches to the insurer, secondary and district unions review, grassroots unions enrol.
ENROLLMENT_MENUS: dict[Tier, tuple[str, ...]] = {
    Tier.CITY: ("enrollment-programmes", "enrollment-submissions", "enrollment-batches"),
    Tier.ADMIN: ("enrollment-programmes", "enrollment-submissions", "enrollment-batches"),
    Tier.DISTRICT: (
        *("enrollment-splits", "enrollment-reviews", "enrollment-staged"),
        *("enrollment-submissions", "enrollment-batches"),
    ),
    Tier.SECONDARY: ("enrollment-reviews", "enrollment-staged", "enrollment-submissions", "enrollment-batches"),
    Tier.GRASSROOTS: (
        *("enrollment-confirmations", "enrollment-collective", "enrollment-instant"),
        "enrollment-submissions",
    ),
    Tier.INSURER: ("enrollment-batches",),
}
MENUS = {tier: (*keys, *ENROLLMENT_MENUS.get(tier, ())) for tier, keys in MENUS.items()}
# 会员服务卡 (the cards service): every union manages its subtree's cards; the district union (and
# the platform) reviews 撤销办卡批次申请.
CARD_MENUS = ("card-info", "card-pending", "card-batches")
CARDS_MENUS: dict[Tier, tuple[str, ...]] = {
    Tier.CITY: (*CARD_MENUS, "card-revocations"),
    Tier.ADMIN: (*CARD_MENUS, "card-revocations"),
    Tier.DISTRICT: (*CARD_MENUS, "card-revocations"),
    Tier.SECONDARY: CARD_MENUS,
    Tier.GRASSROOTS: CARD_MENUS,
}
MENUS = {tier: (*keys, *CARDS_MENUS.get(tier, ())) for tier, keys in MENUS.items()}
# 缴费管理 (the billing service): payers see their payables, upload vouchers, follow refunds and ask for
# receipts; the insurer (职保会) and the platform review vouchers, pay refunds back, issue receipts and
# keep the receiving accounts. 对账 is everyone's: billing scopes it (the city and the insurer see every
# payer, a union its subtree's). 未建会单位 pay for their mutual-aid batches: billing scopes their rows by
# the account that owns the batch's 参保编码 (their accounts carry no org).
BILLING_PAYER_MENUS = (
    "billing-payables",
    "billing-vouchers",
    "billing-refunds",
    "billing-receipts",
    "billing-reconciliation",
)
BILLING_INSURER_MENUS = (
    "billing-payables",
    "billing-review",
    "billing-refunds",
    "billing-receipts",
    "billing-accounts",
    "billing-reconciliation",
)
BILLING_MENUS: dict[Tier, tuple[str, ...]] = {
    Tier.CITY: BILLING_PAYER_MENUS,
    Tier.DISTRICT: BILLING_PAYER_MENUS,
    Tier.SECONDARY: BILLING_PAYER_MENUS,
    Tier.GRASSROOTS: BILLING_PAYER_MENUS,
    Tier.ENTERPRISE: BILLING_PAYER_MENUS,
    Tier.INSURER: BILLING_INSURER_MENUS,
    Tier.ADMIN: BILLING_INSURER_MENUS,
}
MENUS = {tier: (*keys, *BILLING_MENUS.get(tier, ())) for tier, keys in MENUS.items()}
# 互助保障 (mutual-aid programme 2020, the enrollment service): a unit — a grassroots union's or an
# enterprise's account — applies for its 参保编码, fills in 经办人填报 and asks for name changes; the insurer
# (职保会) and the platform review the applications.
MUTUAL_AID_UNIT_MENUS = ("mutual-aid-code-applications", "mutual-aid-handler", "mutual-aid-name-changes")
MUTUAL_AID_REVIEW_MENUS = ("mutual-aid-code-review", "mutual-aid-name-change-review")
MUTUAL_AID_MENUS: dict[Tier, tuple[str, ...]] = {
    Tier.GRASSROOTS: MUTUAL_AID_UNIT_MENUS,
    Tier.ENTERPRISE: MUTUAL_AID_UNIT_MENUS,
    Tier.INSURER: MUTUAL_AID_REVIEW_MENUS,
    Tier.ADMIN: MUTUAL_AID_REVIEW_MENUS,
}
MENUS = {tier: (*keys, *MUTUAL_AID_MENUS.get(tier, ())) for tier, keys in MENUS.items()}
# 互助保障 参保批次管理: units enrol their own code's batches; upper unions and the city follow their
# subtree's (read only); the insurer and the platform also review the batches waiting for 职保会审核.
MUTUAL_AID_BATCH_MENUS: dict[Tier, tuple[str, ...]] = {
    Tier.GRASSROOTS: ("mutual-aid-batches",),
    Tier.ENTERPRISE: ("mutual-aid-batches",),
    Tier.SECONDARY: ("mutual-aid-batches",),
    Tier.DISTRICT: ("mutual-aid-batches",),
    Tier.CITY: ("mutual-aid-batches",),
    Tier.INSURER: ("mutual-aid-batches", "mutual-aid-batch-review"),
    Tier.ADMIN: ("mutual-aid-batches", "mutual-aid-batch-review"),
}
MENUS = {tier: (*keys, *MUTUAL_AID_BATCH_MENUS.get(tier, ())) for tier, keys in MENUS.items()}
# 互助保障 年度设置: the city (and the platform) sets a year's 清册校验 rules; the insurer (and the platform)
# loads the year's 建议清册 and 社保在职人数 that 清册校验 compares rosters with.
MUTUAL_AID_YEAR_MENUS: dict[Tier, tuple[str, ...]] = {
    Tier.CITY: ("mutual-aid-years",),
    Tier.INSURER: ("mutual-aid-suggested", "mutual-aid-headcounts"),
    Tier.ADMIN: ("mutual-aid-years", "mutual-aid-suggested", "mutual-aid-headcounts"),
}
MENUS = {tier: (*keys, *MUTUAL_AID_YEAR_MENUS.get(tier, ())) for tier, keys in MENUS.items()}
# 退休住院计划 预派账号 (tuixiu+参保编码): the insurer and the platform follow them and reset one.
RETIREE_ACCOUNT_MENUS: dict[Tier, tuple[str, ...]] = {
    Tier.INSURER: ("retiree-accounts",),
    Tier.ADMIN: ("retiree-accounts",),
}
MENUS = {tier: (*keys, *RETIREE_ACCOUNT_MENUS.get(tier, ())) for tier, keys in MENUS.items()}
# 退休住院计划 (manual 003): a unit works its batches through the step bar (参保办理) and follows them (参保批次);
# upper unions and the city read their batches; the insurer (and the platform) reviews them, loads last
# year's units and reviews their name changes; the city (and the platform) sets a year's rules.
RETIREE_UNIT_MENUS = ("retiree-enrol", "retiree-batches")
RETIREE_INSURER_MENUS = ("retiree-batches", "retiree-review", "retiree-units", "retiree-name-changes")
RETIREE_MENUS: dict[Tier, tuple[str, ...]] = {
    Tier.GRASSROOTS: RETIREE_UNIT_MENUS,
    Tier.ENTERPRISE: RETIREE_UNIT_MENUS,
    Tier.SECONDARY: ("retiree-batches",),
    Tier.DISTRICT: ("retiree-batches",),
    Tier.CITY: ("retiree-batches", "retiree-years"),
    Tier.INSURER: RETIREE_INSURER_MENUS,
    Tier.ADMIN: (*RETIREE_INSURER_MENUS, "retiree-years"),
}
MENUS = {tier: (*keys, *RETIREE_MENUS.get(tier, ())) for tier, keys in MENUS.items()}

# Tiers that may use each group of routes (the services check again with the internal token).
UNION_STAFF = frozenset({Tier.CITY, Tier.DISTRICT, Tier.SECONDARY, Tier.GRASSROOTS, Tier.ADMIN})
ORG_READERS = UNION_STAFF
ORG_EDITORS = UNION_STAFF
ORG_MOVERS = frozenset({Tier.CITY, Tier.DISTRICT, Tier.SECONDARY, Tier.ADMIN})
ENTERPRISE_READERS = frozenset({Tier.CITY, Tier.INSURER, Tier.ADMIN})
ACCOUNT_MANAGERS = UNION_STAFF
REGISTRATION_READERS = frozenset({Tier.CITY, Tier.ADMIN})
REGISTRATION_REVIEWERS = frozenset({Tier.ADMIN})
# An enterprise account is looked after by the platform admin alone (can_manage): so are its resets.
PASSWORD_RESET_REVIEWERS = frozenset({Tier.ADMIN})
AUDIT_READERS = frozenset({Tier.CITY, Tier.ADMIN})
WORKBENCH_USERS = frozenset(Tier) - {Tier.SYSTEM}
JOINS_READERS = WORKBENCH_USERS - {Tier.ENTERPRISE}
# 会员管理 (members, imports, transfers, compares): union staff; the members service scopes every row.
MEMBER_READERS = UNION_STAFF
MEMBER_EDITORS = UNION_STAFF
# 会员专享保障: reads are scoped by the enrollment service (the insurer reads city-wide); each action
# belongs to the tier the manuals give it (the service checks again).
ENROLLMENT_READERS = UNION_STAFF | {Tier.INSURER}
PROGRAMME_EDITORS = frozenset({Tier.CITY, Tier.ADMIN})
SPLIT_SETTERS = frozenset({Tier.DISTRICT})
ENROLLING_UNIONS = frozenset({Tier.GRASSROOTS})
ENROLLMENT_REVIEWERS = frozenset({Tier.SECONDARY, Tier.DISTRICT})
BATCH_SUBMITTERS = frozenset({Tier.DISTRICT})
BATCH_READERS = frozenset({Tier.CITY, Tier.DISTRICT, Tier.SECONDARY, Tier.INSURER, Tier.ADMIN})
LAPSE_RUNNERS = frozenset({Tier.CITY, Tier.INSURER, Tier.ADMIN})
# 会员服务卡: the cards service scopes every row by the caller's subtree (the personal queue: city-wide
# tiers only) and checks these tiers again.
CARD_READERS = UNION_STAFF
CARD_MANAGERS = UNION_STAFF
CARD_REVOCATION_REVIEWERS = frozenset({Tier.DISTRICT, Tier.CITY, Tier.ADMIN})
# 缴费管理: reads for payers and the insurer (the billing service scopes rows by the payer org's subtree;
# the city and the insurer see everything); payers (the city's 市总统一划拨 included) upload vouchers and
# ask for receipts; the insurer (职保会 account) and the platform admin act on the money.
BILLING_PAYERS = frozenset({Tier.CITY, Tier.DISTRICT, Tier.SECONDARY, Tier.GRASSROOTS, Tier.ENTERPRISE})
BILLING_INSURERS = frozenset({Tier.INSURER, Tier.ADMIN})
BILLING_READERS = BILLING_PAYERS | BILLING_INSURERS
# 互助保障 参保编码: units act on what their account applied for (the enrollment service scopes rows by the
# applying account); the insurer and the platform read everything and review.
MUTUAL_AID_UNITS = frozenset({Tier.GRASSROOTS, Tier.ENTERPRISE})
MUTUAL_AID_REVIEWERS = frozenset({Tier.INSURER, Tier.ADMIN})
MUTUAL_AID_READERS = MUTUAL_AID_UNITS | MUTUAL_AID_REVIEWERS
# 参保批次: the service scopes reads (units their own, upper unions their subtree, city-wide tiers all).
MUTUAL_AID_BATCH_READERS = MUTUAL_AID_READERS | {Tier.CITY, Tier.DISTRICT, Tier.SECONDARY}
# 退休住院计划 预派账号: listed and reset by the insurer and the platform (those accounts alone).
RETIREE_ACCOUNT_MANAGERS = frozenset({Tier.INSURER, Tier.ADMIN})
# 退休住院计划: units work their own units and batches (the enrollment service scopes them: owner account
# or the unit's union); the insurer and the platform load units and review; the city sets a year's rules;
# upper unions read their subtree's batches, the city, the insurer and the platform read all.
RETIREE_UNITS = frozenset({Tier.GRASSROOTS, Tier.ENTERPRISE})
RETIREE_INSURERS = frozenset({Tier.INSURER, Tier.ADMIN})
RETIREE_YEAR_EDITORS = frozenset({Tier.CITY, Tier.ADMIN})
RETIREE_UNIT_READERS = RETIREE_UNITS | RETIREE_INSURERS | {Tier.CITY}
RETIREE_NAME_CHANGE_READERS = RETIREE_UNITS | RETIREE_INSURERS
RETIREE_READERS = RETIREE_UNIT_READERS | {Tier.DISTRICT, Tier.SECONDARY}
RETIREE_HEADCOUNT_READERS = RETIREE_INSURERS | {Tier.CITY}  # every unit's 社保人数: who read all

TIER_OF_KIND: dict[str, Tier] = {
    OrgKind.CITY: Tier.CITY,
    OrgKind.DISTRICT: Tier.DISTRICT,
    OrgKind.SECONDARY: Tier.SECONDARY,
    **{k.value: Tier.GRASSROOTS for k in OrgKind if k.is_grassroots},
}
# Accounts that belong to no union: only the platform admin hands them out.
PLATFORM_TIERS = frozenset({Tier.INSURER, Tier.ADMIN})


def menus(tier: Tier) -> list[str]:
    return list(MENUS[tier])


def is_within(path: str, root: str) -> bool:
    return bool(root) and (path == root or path.startswith(root + "."))


def is_below(path: str, root: str) -> bool:
    """Strictly under `root`: the orgs whose accounts `root`'s union looks after (上级工会)."""
    return bool(root) and path.startswith(root + ".")


def can_manage(caller_tier: Tier, caller_path: str, target_tier: Tier, target_path: str | None) -> bool:
    """Accounts are looked after by the upper union: the admin everyone, a union the accounts of
    orgs below its own. Enterprise, insurer and admin accounts belong to no union: admin only."""
    if caller_tier is Tier.ADMIN:
        return True
    if caller_tier not in UNION_STAFF or target_tier in PLATFORM_TIERS or target_tier is Tier.ENTERPRISE:
        return False
    return target_path is not None and is_below(target_path, caller_path)


def can_see(caller_tier: Tier, caller_path: str, target_tier: Tier, target_path: str | None) -> bool:
    """The account list: the caller's own org and everything below it (managing needs strictly below)."""
    if caller_tier is Tier.ADMIN:
        return True
    if target_tier in PLATFORM_TIERS or target_tier is Tier.ENTERPRISE:
        return False
    return target_path is not None and is_within(target_path, caller_path)


def tier_for_org(kind: str, asked: Tier) -> Tier:
    """An account's tier follows its org's kind; asking for another one is a mistake, not a wish."""
    tier = TIER_OF_KIND.get(kind)
    if tier is None or tier is not asked:
        expected = f"“{tier.value}”" if tier else "无"
        raise InvalidInput(
            "account.tier_mismatch", f"“{kind}”的账号层级应为{expected}", field="tier", expected=tier and tier.value
        )
    return tier
