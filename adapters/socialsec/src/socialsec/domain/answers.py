"""How the register answers one subject of a check: only the kinds asked for (plus the unit, given
for everyone found), or a temporary failure the requester may ask again about (decided per attempt,
so a re-sent request can succeed). `expected_result` predicts an answer for tests."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Final

from contracts.socialsec import CheckKind, CheckResult

from .draws import draw
from .people import DEFAULT_SEED, RESIDENT_ID, PersonFacts, RegisterRates
from .register import Register

TEMPORARY_FAILURE: Final = "社保系统繁忙，暂时无法查询，请稍后重新提交"


def answer(subject_id: str, given_name: str, facts: PersonFacts, checks: Collection[CheckKind]) -> CheckResult:
    if not facts.found:
        return CheckResult(subject_id=subject_id, found=False, name_matches=False)
    # The unit the person is filed under (单位社保编码), whatever was asked: the retiree plan groups
    # its people by it.
    fields: dict[str, object] = {"unit_code": facts.unit_code, "unit_uscc": facts.unit_uscc}
    if CheckKind.NAME in checks:
        fields |= {"name_on_record": facts.name_on_record, "name_matches": facts.name_on_record == given_name}
    if CheckKind.RETIREMENT in checks:
        fields |= {"retired": facts.retired, "retirement_month": facts.retirement_month}
    if CheckKind.EMPLOYMENT in checks:
        fields["employment_unit"] = facts.employment_unit
    if CheckKind.SS_CARD in checks:
        fields["ss_card_held"] = facts.ss_card_held
    if CheckKind.MEDICAL in checks:
        fields["medical_insured"] = facts.medical_insured
    if CheckKind.WITHHOLDABLE in checks:
        fields["withholdable"] = facts.withholdable
    if CheckKind.DECEASED in checks:
        fields["deceased"] = facts.deceased
    return CheckResult.model_validate({"subject_id": subject_id, "found": True, **fields})


def fails_temporarily(seed: str, rate: float, request_id: str, version: int, subject_id: str) -> bool:
    return draw(seed, "failure", request_id, str(version), subject_id) < rate


def failed(subject_id: str) -> CheckResult:
    return CheckResult(subject_id=subject_id, found=False, name_matches=False, failure=TEMPORARY_FAILURE)


def expected_result(
    id_number: str,
    name: str,
    checks: Collection[CheckKind],
    today: date,
    *,
    id_type: str = RESIDENT_ID,
    subject_id: str = "",
    seed: str = DEFAULT_SEED,
    rates: RegisterRates | None = None,
) -> CheckResult:
    """What the adapter reports for one subject under `seed` and `rates` (the default settings unless
    given), with no overrides file and no temporary failure: a pure function for tests to predict with.
    A scenario number (scenarios.py) gives the same answer under any seed and rates."""
    facts = Register(seed, rates or RegisterRates()).person(id_type, id_number, name, today)
    return answer(subject_id, name, facts, checks)
