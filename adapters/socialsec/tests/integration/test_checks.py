"""The social-security adapter on the real broker: requests in, reports with the register's facts out,
once per request version, even across a restart."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from adapters.socialsec.tests.conftest import PINNED, pending, reports, request, subject
from localstack import Tansu
from localstack.pytest_plugin import eventually, running, send_event
from runtime.clock import FixedClock
from runtime.identity import make_id_number
from socialsec.main import create_app
from socialsec.settings import SocialsecSettings


def _until(bootstrap: str, request_id: str, results: int, version: int = 1) -> Any:
    async def check() -> list[dict[str, Any]]:
        found = [r for r in await reports(bootstrap, request_id) if r["version"] == version]
        return found if sum(len(r["results"]) for r in found) >= results else []

    return check


async def test_a_request_is_answered_per_subject_from_the_register(
    socialsec_settings: SocialsecSettings, kafka: Tansu
) -> None:
    """Checked: each subject gets one result with the register's facts — retired by age (a man of 70,
    a woman of 52, with their retirement month), not retired (a woman of 30), and the pinned person
    retired with the pinned month and name on record (name_matches false); four results travel in
    two reports of at most two."""
    today = date.today()
    man_70 = make_id_number("310104", date(today.year - 70, 3, 1), 1, True)
    woman_52 = make_id_number("310104", date(today.year - 52, 8, 9), 2, False)
    woman_30 = make_id_number("310104", date(today.year - 30, 1, 1), 3, False)
    subjects = [
        subject("李国强", man_70),
        subject("陈美华", woman_52),
        subject("赵静", woman_30),
        subject("王晓明", PINNED),
    ]
    event = request(subjects)
    async with running(create_app(socialsec_settings.model_copy(update={"report_chunk": 2}))):
        await send_event(kafka.bootstrap, event)
        sent = await eventually(_until(kafka.bootstrap, event.request_id, 4), timeout=40)
    assert [len(r["results"]) for r in sent] == [2, 2]
    results = {r["subject_id"]: r for report in sent for r in report["results"]}
    man, woman, young, pinned = (results[s.subject_id] for s in subjects)
    assert (man["found"], man["retired"], man["retirement_month"]) == (True, True, f"{today.year - 10}-03")
    assert (woman["retired"], woman["retirement_month"]) == (True, f"{today.year - 2}-08")
    assert (young["retired"], young["retirement_month"], young["name_matches"]) == (False, None, True)
    assert young["name_on_record"] == "赵静" and young["failure"] == ""
    assert (pinned["retired"], pinned["retirement_month"]) == (True, "2019-07")
    assert (pinned["name_on_record"], pinned["name_matches"]) == ("王晓铭", False)
    assert all(r["requester"] == "cards" for r in sent)


async def test_a_repeated_request_is_answered_once_and_a_new_version_again(
    socialsec_settings: SocialsecSettings, kafka: Tansu
) -> None:
    """Checked: the same request (same request_id and version) delivered three times, twice under new
    ce_ids, gets one report; sending it again as version 2 gets a second report answering version 2."""
    first = request([subject("孙丽", make_id_number("310101", date(1980, 4, 4), 9, False))])
    async with running(create_app(socialsec_settings)):
        ce_id = await send_event(kafka.bootstrap, first)
        await send_event(kafka.bootstrap, first, ce_id=ce_id)
        await send_event(kafka.bootstrap, first)
        await send_event(kafka.bootstrap, first.model_copy(update={"version": 2}))
        assert await eventually(_until(kafka.bootstrap, first.request_id, 1, version=2), timeout=40)
    answered = await reports(kafka.bootstrap, first.request_id)
    assert sorted(r["version"] for r in answered) == [1, 2]


async def test_a_request_taken_before_a_restart_is_answered_after_it(
    socialsec_settings: SocialsecSettings, kafka: Tansu
) -> None:
    """Checked (the adapter is down, then returns): a request taken by an adapter whose report is not
    yet due is still pending when that adapter stops — nothing on the topic; the adapter started
    again on the same database answers it."""
    event = request([subject("周杰", make_id_number("310105", date(1950, 6, 1), 4, True))])
    frozen = FixedClock(datetime.now(UTC) - timedelta(hours=1))  # its reports never fall due
    async with running(create_app(socialsec_settings, frozen)) as client:
        await send_event(kafka.bootstrap, event)

        async def taken() -> bool:
            return await pending(client, event.request_id) == [(1, False)]

        assert await eventually(taken, timeout=40)
    assert await reports(kafka.bootstrap, event.request_id) == []

    async with running(create_app(socialsec_settings)) as client:
        sent = await eventually(_until(kafka.bootstrap, event.request_id, 1), timeout=40)
        assert await pending(client, event.request_id) == [(1, True)]
    assert sent[0]["results"][0]["retired"] is True
