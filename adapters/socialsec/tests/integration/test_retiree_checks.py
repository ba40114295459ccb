"""The retiree plan's validation on the real broker: a check request of scenario numbers answered with
the unit, withholdable, name on record, deceased and retirement month their digits give; and the
answer delay, stored with the request and never waited for in the consumer."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from httpx import AsyncClient

from adapters.socialsec.tests.conftest import app_of, reports, request, subject
from contracts.socialsec import CheckKind
from localstack import Tansu
from localstack.pytest_plugin import eventually, running, send_event
from runtime.clock import SHANGHAI, FixedClock
from runtime.identity import make_id_number
from socialsec.domain.answers import expected_result
from socialsec.domain.scenarios import Case, scenario_id_number, scenario_unit
from socialsec.main import create_app
from socialsec.settings import SocialsecSettings

RETIREE_CHECKS = [CheckKind.RETIREMENT, CheckKind.NAME, CheckKind.MEDICAL, CheckKind.WITHHOLDABLE, CheckKind.DECEASED]
NOW = datetime(2025, 5, 20, 10, 0, tzinfo=SHANGHAI)


def _answered(bootstrap: str, request_id: str, results: int) -> Any:
    async def check() -> list[dict[str, Any]]:
        found = await reports(bootstrap, request_id)
        return found if sum(len(r["results"]) for r in found) >= results else []

    return check


async def test_a_retiree_check_answers_unit_withholdable_and_each_anomaly_as_predicted(
    socialsec_settings: SocialsecSettings, kafka: Tansu
) -> None:
    """Checked: eight retirees (scenario numbers, men born 1955 → retired 2015-03; one woman born 1958
    → 2008-11) and one ordinary resident asked for retirement, name, medical, withholdable and
    deceased each get the result `expected_result` predicts, and explicitly: the ordinary retiree 可代扣
    under unit 99000001 with its USCC, the name differing (王晓铭 on record), the deceased not
    withholdable, the month missing (None, 不可代扣), the not-withholdable one, the one without a unit
    (unit_code ""), the one not on the register; the seeded resident filed under a unit too."""
    man, woman = date(1955, 3, 8), date(1958, 11, 2)
    people = {
        "ordinary": ("李国强", scenario_id_number(Case.ORDINARY, man, unit=1)),
        "ordinary_woman": ("陈美华", scenario_id_number(Case.ORDINARY, woman, unit=1, male=False)),
        "name_differs": ("王晓明", scenario_id_number(Case.NAME_DIFFERS, man, unit=1)),
        "month_missing": ("赵静", scenario_id_number(Case.MONTH_MISSING, man, unit=1)),
        "deceased": ("周杰", scenario_id_number(Case.DECEASED, man, unit=1)),
        "not_withholdable": ("孙丽", scenario_id_number(Case.NOT_WITHHOLDABLE, man, unit=2)),
        "no_unit": ("吴刚", scenario_id_number(Case.NO_UNIT, man)),
        "not_found": ("郑平", scenario_id_number(Case.NOT_FOUND, man)),
        "seeded": ("钱伟", make_id_number("310104", date(1952, 6, 15), 11, True)),
    }
    subjects = {key: subject(name, number) for key, (name, number) in people.items()}
    event = request(list(subjects.values())).model_copy(update={"requester": "enrollment", "checks": RETIREE_CHECKS})
    settings = socialsec_settings.model_copy(update={"latency_seconds": 0})
    async with running(create_app(settings, FixedClock(NOW))):
        await send_event(kafka.bootstrap, event)
        sent = await eventually(_answered(kafka.bootstrap, event.request_id, len(people)), timeout=40)
    results = {r["subject_id"]: r for report in sent for r in report["results"]}
    got = {key: results[s.subject_id] for key, s in subjects.items()}
    for key, (name, number) in people.items():
        sid, seed, rates = subjects[key].subject_id, settings.seed, settings.rates()
        predicted = expected_result(number, name, RETIREE_CHECKS, NOW.date(), subject_id=sid, seed=seed, rates=rates)
        assert got[key] == predicted.model_dump(mode="json"), key

    unit = scenario_unit(1)
    ordinary = got["ordinary"]
    assert (ordinary["retired"], ordinary["retirement_month"], ordinary["withholdable"]) == (True, "2015-03", True)
    assert (ordinary["unit_code"], ordinary["unit_uscc"], ordinary["medical_insured"]) == ("99000001", unit.uscc, True)
    assert (got["ordinary_woman"]["retirement_month"], got["ordinary_woman"]["unit_code"]) == ("2008-11", "99000001")
    assert (got["name_differs"]["name_on_record"], got["name_differs"]["name_matches"]) == ("王晓铭", False)
    assert (got["deceased"]["deceased"], got["deceased"]["withholdable"]) == (True, False)
    assert (got["month_missing"]["retirement_month"], got["month_missing"]["withholdable"]) == (None, False)
    assert (got["not_withholdable"]["withholdable"], got["not_withholdable"]["unit_code"]) == (False, "99000002")
    assert (got["no_unit"]["found"], got["no_unit"]["unit_code"], got["no_unit"]["unit_uscc"]) == (True, "", "")
    assert got["not_found"]["found"] is False
    seeded = got["seeded"]
    assert seeded["found"] and len(seeded["unit_code"]) == 8 and seeded["unit_uscc"].startswith("91310000")
    assert all(r["requester"] == "enrollment" for r in sent)


async def test_the_answer_delay_postpones_the_report_without_holding_the_consumer(
    socialsec_settings: SocialsecSettings, kafka: Tansu
) -> None:
    """Checked (SOCIALSEC_LATENCY_SECONDS 1800, the real system's 30 minutes): the request is taken at
    once (stored, due 30 minutes after it arrived) and a second request behind it is taken too; a
    scheduler pass at 29:59 publishes nothing and the topic holds no report; at 30:00 both are
    answered."""
    clock = FixedClock(NOW)
    settings = socialsec_settings.model_copy(update={"latency_seconds": 1800})
    first = request([subject("李国强", scenario_id_number(Case.ORDINARY, date(1955, 3, 8)))])
    second = request([subject("陈美华", scenario_id_number(Case.ORDINARY, date(1958, 11, 2), male=False))])
    async with running(create_app(settings, clock)) as client:
        await send_event(kafka.bootstrap, first)
        await send_event(kafka.bootstrap, second)
        assert (
            await eventually(lambda: _due(client, [first.request_id, second.request_id]), timeout=40)
            == [NOW + timedelta(minutes=30)] * 2
        )

        clock.advance(timedelta(minutes=30) - timedelta(seconds=1))
        assert await app_of(client).state.due_loop.run_once() == 0
        assert await reports(kafka.bootstrap, first.request_id) == []

        clock.advance(timedelta(seconds=1))
        assert await eventually(_answered(kafka.bootstrap, first.request_id, 1), timeout=40)
        assert await eventually(_answered(kafka.bootstrap, second.request_id, 1), timeout=40)


async def _due(client: AsyncClient, request_ids: list[str]) -> list[datetime] | None:
    """The due times of the requests' pending reports once every one is taken."""
    async with app_of(client).state.sessions() as session:
        rows = await session.exec(
            sa.text("SELECT due_at FROM pending_report WHERE request_id = ANY(:ids) AND answered_at IS NULL"),
            params={"ids": request_ids},
        )
        due = [r[0] for r in rows.all()]
    return due if len(due) == len(request_ids) else None
