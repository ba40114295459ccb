"""清册校验 with the manual's figures, the once-per-year rule and 姓名校验 (manual 002, 二(三), 四)."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from itertools import count

import pytest

from enrollment.domain.mutual_aid.batch import BatchAction
from enrollment.domain.mutual_aid.roster import (
    Employment,
    Insured,
    Occupant,
    Outcome,
    RosterRules,
    age_on,
    check_not_occupied,
    check_roster,
    check_submission,
    choose_name,
    clashes,
    percent_text,
    set_employed,
)
from enrollment.domain.standing import RetirementAges
from runtime.errors import DomainError
from runtime.identity import make_id_number

# 女性未满55周岁、男性未满60周岁; ±10%; 75%–100%; ≤ 10 人 needs 100%
RULES = RosterRules(RetirementAges(male=60, female=55), 10, 75, 100, 10)
START = date(2023, 7, 1)  # the day cover starts: the age limits apply then
SEQ = count()  # distinct ID numbers: 500 per region and birth date


def person(unit_code: str | None = "00108537", **kw) -> Insured:  # type: ignore[no-untyped-def]
    birth = kw.pop("birth_date", date(1990, 1, 1))
    gender = kw.pop("gender", "男")
    n = next(SEQ)
    number = make_id_number(str(310101 + n // 500), birth, n % 500, gender == "男")
    fields = dict(
        name="胡庆庆", id_number=number, gender=gender, birth_date=birth, employment=Employment.EMPLOYED,
        has_social_security=True, unit_code=unit_code,
    )  # fmt: skip
    return Insured(**(fields | kw))


def people(n: int, unit_code: str | None = "00108537") -> list[Insured]:
    return [person(unit_code) for _ in range(n)]


def test_retired_people_must_be_removed():
    """ "以下有2位人员,请移除!" — 陈美珠 and 唐淑芳, 退休."""
    roster = people(20) + [
        person(name="陈美珠", gender="女", employment=Employment.RETIRED),
        person(name="唐淑芳", gender="女", employment=Employment.RETIRED),
    ]
    check = check_roster(roster, RULES, START, last_year_insured=20, headcounts={})
    assert [(r.person.name, r.reason) for r in check.removals] == [("陈美珠", "退休"), ("唐淑芳", "退休")]
    assert check.outcome is Outcome.FAILED
    with pytest.raises(DomainError) as refused:
        check_submission(check, people_confirmed=True, commitment_accepted=True, evidence_uploaded=False)
    assert refused.value.code == "roster.check_failed"
    assert "陈美珠、唐淑芳2位人员请移除" in refused.value.title


def test_over_age_rows_are_removed_unless_social_security_is_still_paid():
    """Women from their 55th birthday, men from their 60th, unless 社保尚在缴金 / 医保享受在职待遇 is ticked."""
    woman_55 = person(name="王梅", gender="女", birth_date=date(1968, 7, 1))
    woman_54 = person(name="叶开", gender="女", birth_date=date(1968, 7, 2))
    man_60 = person(name="张贺", gender="男", birth_date=date(1963, 7, 1))
    man_kept = person(name="胡庆", gender="男", birth_date=date(1960, 1, 1), over_age_kept=True)
    check = check_roster(people(20) + [woman_55, woman_54, man_60, man_kept], RULES, START, 24, {})
    assert [(r.person.name, r.reason) for r in check.removals] == [("王梅", "超龄"), ("张贺", "超龄")]
    assert check.insured == 22


def test_age_counts_from_the_birthday_itself():
    assert age_on(date(1968, 7, 1), date(2023, 7, 1)) == 55
    assert age_on(date(1968, 7, 2), date(2023, 7, 1)) == 54


def test_a_roster_within_ten_percent_of_last_year_passes():
    """(2022年度参保人数 − 2023年拟参保人数) / 2022年度参保人数 within ±10 %, both ends included."""
    for this in (90, 100, 110):
        check = check_roster(people(this), RULES, START, last_year_insured=100, headcounts={})
        assert (check.change_within, check.outcome, check.ratio) == (True, Outcome.PASSED, None)
    assert check_roster(people(89), RULES, START, 100, {"00108537": 1000}).change_within is False
    assert check_roster(people(111), RULES, START, 100, {"00108537": 1000}).change_within is False


def test_outside_ten_percent_the_social_security_ratio_decides_on_the_whole():
    """The manual's screen: 00108537 25 of 50 (50%), 00069277 40 of 50 (80%) → 65 of 100, 65%: attachments."""
    roster = people(25, "00108537") + people(40, "00069277")
    headcounts = {"00108537": 50, "00069277": 50}
    check = check_roster(roster, RULES, START, last_year_insured=100, headcounts=headcounts)
    assert check.change is not None and check.change.ratio == Fraction(35, 100)  # (100 − 65) / 100
    assert check.ratio is not None
    assert [(u.unit_code, u.insured, u.headcount, u.percent) for u in check.ratio.units] == [
        ("00069277", 40, 50, "80%"),
        ("00108537", 25, 50, "50%"),
    ]
    overall = check.ratio.overall
    assert (overall.insured, overall.headcount, overall.percent) == (65, 100, "65%")
    assert check.outcome is Outcome.EVIDENCE
    assert "情况说明" in (check.evidence or "")


def test_a_whole_between_75_and_100_percent_passes():
    """ "若单位社保比例整体校验结果在75%~100%之间，直接点击【清册提交】": 40 of 50 and 40 of 50."""
    roster = people(40, "00108537") + people(40, "00069277")
    check = check_roster(roster, RULES, START, 100, {"00108537": 50, "00069277": 50})
    assert check.ratio is not None and check.ratio.overall.percent == "80%"
    assert check.outcome is Outcome.PASSED
    assert check_submission(check, True, commitment_accepted=True, evidence_uploaded=False) is BatchAction.SUBMIT


def test_ratios_are_shown_cut_at_two_places_as_on_the_screen():
    """1 of 1,300 → 0.07%, 1 of 6,207 → 0.01%, 2 of 7,507 → 0.02% (校验比例结果)."""
    roster = [person("00108537"), person("00069277")]
    check = check_roster(roster, RULES, START, 50, {"00108537": 1300, "00069277": 6207})
    assert check.ratio is not None
    assert [u.percent for u in check.ratio.units] == ["0.01%", "0.07%"]
    assert check.ratio.overall.percent == "0.02%"
    assert percent_text(None) == "-"


def test_units_with_ten_or_fewer_insured_need_one_hundred_percent():
    nine_of_ten = check_roster(people(9), RULES, START, 20, {"00108537": 10})
    assert nine_of_ten.ratio is not None and nine_of_ten.ratio.required_min_pct == 100
    assert nine_of_ten.outcome is Outcome.EVIDENCE  # 90 % would pass a larger unit
    all_ten = check_roster(people(10), RULES, START, 20, {"00108537": 10})
    assert all_ten.outcome is Outcome.PASSED


def test_more_than_one_hundred_percent_needs_attachments_too():
    check = check_roster(people(60), RULES, START, 100, {"00108537": 50})
    assert check.ratio is not None and check.ratio.overall.percent == "120%"
    assert check.outcome is Outcome.EVIDENCE


def test_a_new_unit_always_uploads_its_social_insurance_declaration():
    """ "若是新参保单位，无论是否超过75%，均需上传附件": 40 of 50 still goes to the insurer."""
    check = check_roster(people(40), RULES, START, last_year_insured=None, headcounts={"00108537": 50})
    assert check.new_unit and check.change is None
    assert check.ratio is not None and check.ratio.within
    assert check.outcome is Outcome.EVIDENCE
    assert check.evidence == "《社会保险费缴费申报表》或《单位参加城镇社会保险基本情况》"
    with pytest.raises(DomainError) as missing:
        check_submission(check, True, commitment_accepted=True, evidence_uploaded=False)
    assert missing.value.code == "roster.evidence_required"
    assert check_submission(check, True, True, evidence_uploaded=True) is BatchAction.SUBMIT_FOR_REVIEW


def test_people_the_suggested_roster_did_not_match_need_the_commitment():
    """9 people under 无单位社保编码: 人员确认 with the 人员确认承诺书 before 清册提交."""
    roster = people(91) + people(9, unit_code=None)
    check = check_roster(roster, RULES, START, 100, {})
    assert (check.unmatched, check.insured, check.outcome) == (9, 100, Outcome.PASSED)
    with pytest.raises(DomainError) as unconfirmed:
        check_submission(check, people_confirmed=False, commitment_accepted=True, evidence_uploaded=False)
    assert unconfirmed.value.code == "roster.confirmation_required"
    assert unconfirmed.value.extra["count"] == 9


def test_every_submission_needs_the_commitment_letter_accepted():
    check = check_roster(people(100), RULES, START, 100, {})
    with pytest.raises(DomainError) as refused:
        check_submission(check, True, commitment_accepted=False, evidence_uploaded=False)
    assert refused.value.code == "roster.commitment_required"


def test_set_employed_makes_an_unknown_row_a_person_with_social_security():
    unknown = person(employment=Employment.UNKNOWN, has_social_security=False, unit_code=None)
    employed = set_employed(unknown)
    assert (employed.employment, employed.has_social_security) == (Employment.EMPLOYED, True)


def test_one_id_number_once_per_insurance_year_names_the_occupying_unit_and_its_handler():
    """ "系统提示被XXX单位占用" with the other unit's handler, to contact them."""
    mine = person(name="叶开")
    free = person(name="胡庆庆")
    occupied = {mine.id_number: Occupant("上海卓远人力资源发展有限公司", "丁一", "13911112222")}
    check_not_occupied([free], occupied)
    assert [c.occupant.unit_name for c in clashes([mine, free], occupied)] == ["上海卓远人力资源发展有限公司"]
    with pytest.raises(DomainError) as refused:
        check_not_occupied([free, mine], occupied)
    assert refused.value.code == "roster.id_occupied"
    assert "身份信息被上海卓远人力资源发展有限公司占用" in refused.value.title
    assert "丁一" in refused.value.title and "13911112222" in refused.value.title
    assert mine.id_number not in refused.value.title  # masked
    assert refused.value.extra["clashes"][0]["handler_name"] == "丁一"


def test_the_suggested_rosters_name_wins_and_disagreements_are_confirmed_by_hand():
    """姓名校验: 会员库 王梅, upload 王梅晓 → confirm by hand; the suggested roster's name is taken."""
    choice = choose_name("王梅晓", registry="王梅", suggested=None)
    assert (choice.name, choice.options, choice.needs_confirmation) == ("王梅晓", ("王梅", "王梅晓"), True)
    assert choose_name("王梅", "王梅", "王梅").needs_confirmation is False
    assert choose_name("王梅晓", None, "王梅").name == "王梅"
