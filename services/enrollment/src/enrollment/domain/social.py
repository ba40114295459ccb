"""Social-security facts from the adapter's answers (socialsec.check.reported)."""

from __future__ import annotations

from collections.abc import Iterable

from contracts.socialsec import CheckKind, CheckResult

from .standing import SocialFacts

# One set for every check enrollment asks: the SS card (社保卡状态), employment (就业状态), retirement
# and death — what both channels and the automatic exclusions need.
CHECKS: tuple[CheckKind, ...] = (CheckKind.SS_CARD, CheckKind.EMPLOYMENT, CheckKind.RETIREMENT, CheckKind.DECEASED)


def facts_from(result: CheckResult, kinds: Iterable[str]) -> SocialFacts | None:
    """None when the register could not answer for this person (a temporary failure: ask again)."""
    if result.failure:
        return None
    asked = set(kinds)
    employment_checked = CheckKind.EMPLOYMENT in asked
    return SocialFacts(
        found=result.found,
        ss_card_held=result.found and result.ss_card_held and CheckKind.SS_CARD in asked,
        employment_checked=employment_checked,
        employed=employment_checked and result.found and not result.retired and bool(result.employment_unit),
        retired=result.retired,
        retirement_month=result.retirement_month,
        deceased=result.deceased,
    )
