"""Demo and test logins: `seed_accounts` and `python -m gateway.seed`."""

from __future__ import annotations

import argparse

import pytest

from gateway.models import EnterpriseNode
from gateway.seed import demo_accounts, parse_account, seed_accounts
from runtime.tokens import Tier
from services.gateway.tests.conftest import PASSWORD, Gateway, SeedAccount


async def test_seeding_twice_refreshes_instead_of_duplicating(gateway: Gateway):
    [first] = await gateway.seed(SeedAccount("admin", "Old@2024pw", Tier.ADMIN))
    for _ in range(5):
        await gateway.login("admin", "wrong")
    [again] = await gateway.seed(SeedAccount("admin", PASSWORD, Tier.ADMIN, name="平台管理员"))
    assert again == first
    me = (await gateway.login("admin")).json()
    assert me["name"] == "平台管理员" and me["must_change_password"] is False, "seeding also unlocks"


async def test_demo_accounts_take_one_org_per_tier_along_one_branch(gateway: Gateway):
    await gateway.place(
        (1, None, "1", "市总工会"),
        (2, 1, "1.2", "区局（产业）工会"),
        (3, 2, "1.2.3", "临时工会"),
        (4, 2, "1.2.4", "二级工会"),
        (5, 4, "1.2.4.5", "联合工会"),
        (6, 1, "1.6", "区局（产业）工会"),
    )
    async with gateway.app.state.sessions() as s, s.begin():
        s.add(EnterpriseNode(enterprise_id=9, name="某未建会单位", uscc="X", version=1))
    async with gateway.app.state.sessions() as s:
        specs = await demo_accounts(s, "Demo@2024")
    bound = {a.tier: (a.account, a.org_id, a.enterprise_id) for a in specs}
    assert bound == {
        Tier.ADMIN: ("admin", None, None),
        Tier.INSURER: ("zhibao", None, None),
        Tier.CITY: ("shizong", 1, None),
        Tier.DISTRICT: ("quju", 2, None),
        Tier.SECONDARY: ("erji", 4, None),
        Tier.GRASSROOTS: ("jiceng", 5, None),
        Tier.ENTERPRISE: ("qiye", None, 9),
    }
    async with gateway.app.state.sessions() as s:
        await seed_accounts(s, specs)
    me = (await gateway.login("jiceng", "Demo@2024")).json()
    assert (me["tier"], me["org_path"], me["menus"]) == (
        "grassroots",
        "1.2.4.5",
        [
            *("workbench", "org-info", "orgs", "members", "member-imports", "member-reviews", "member-compares"),
            *("accounts", "enrollment-confirmations", "enrollment-collective", "enrollment-instant"),
            "enrollment-submissions",
            *("card-info", "card-pending", "card-batches"),
            *("billing-payables", "billing-vouchers", "billing-refunds", "billing-receipts", "billing-reconciliation"),
            *("mutual-aid-code-applications", "mutual-aid-handler", "mutual-aid-name-changes"),
            "mutual-aid-batches",
            *("retiree-enrol", "retiree-batches"),
        ],
    )


def test_the_cli_account_format():
    assert parse_account("shizong:Demo@2024:city:1:市总管理员") == SeedAccount(
        "shizong", "Demo@2024", Tier.CITY, 1, "市总管理员"
    )
    assert parse_account("admin:Admin@2024:admin") == SeedAccount("admin", "Admin@2024", Tier.ADMIN)
    with pytest.raises(argparse.ArgumentTypeError):
        parse_account("admin")
