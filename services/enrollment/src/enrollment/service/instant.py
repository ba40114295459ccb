"""即时参保 outside the collective window: card holders without cover (有卡无保), newly carded members
(新办卡), and the SS-card channel (待校验 → 待提交 after the social-security check). Cover starts the day
after the payment is confirmed and ends with the year; the same review chain follows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.enrollment import Channel, EnrollmentType
from runtime.errors import DomainError
from runtime.tokens import Principal

from ..domain.coverage import expected_instant_start, half_year, premium_for
from ..domain.split import scaled
from ..domain.standing import ID_CARD, Readiness, ss_card_readiness
from ..domain.windows import WindowKind, check_open
from ..models import EnrollmentRequest
from ..schemas import InstantRow, InstantSubmitIn
from . import idempotency, orgs, submissions
from .collective import check_grassroots, placed_roster
from .programmes import YearContext, type_by_code
from .roster import Placed
from .splits import effective_split

NONE_CHOSEN = "请在【待提交】中勾选要参保的人员!"


def _newly_carded(ctx: YearContext, issued_on: date) -> bool:
    window = ctx.windows.get(WindowKind.COLLECTIVE)
    since = window.closes_at.date() if window else ctx.period.start
    return issued_on >= since


def rows(ctx: YearContext, placed: list[Placed], channel: Channel, today: date) -> list[InstantRow]:
    """Members not enrolled this year who may enter by `channel`, with the list they are on."""
    start = expected_instant_start(today, ctx.period)
    out = []
    for p in placed:
        e = p.entry
        if e.live is not None:
            continue
        candidate = e.candidate(e.member.org_id)
        facts = candidate.facts
        if channel is Channel.MEMBER_CARD:
            if e.card is None or (facts and (facts.retired or facts.deceased)):
                continue
            readiness, reason = Readiness.READY, ""
        else:
            if not ctx.row.ss_card_channel or e.card is not None or e.member.id_type != ID_CARD:
                continue
            readiness, reason = ss_card_readiness(candidate)
        out.append(
            InstantRow(
                member_id=e.member.member_id, member_no=e.member.member_no, name=e.member.name,
                id_type=e.member.id_type, id_number=e.member.id_number_masked,
                card_number=e.card.card_number_masked if e.card else None,
                newly_carded=bool(e.card and _newly_carded(ctx, e.card.issued_on)), channel=channel,
                list=readiness.value, reason=reason, ss_card_held=facts.ss_card_held if facts else None,
                employed=facts.employed if facts and facts.employment_checked else None, confirmed=e.confirmed,
                expected_cover_start=start, cover_end=ctx.period.end, half_year=half_year(start, ctx.period),
            )
        )  # fmt: skip
    return out


@dataclass(frozen=True)
class CandidateFilter:
    channel: Channel = Channel.MEMBER_CARD
    which: str | None = None  # 待提交 / 待校验
    newly_carded: bool | None = None  # 新办卡 / 有卡无保
    name: str | None = None  # prefix

    def keeps(self, r: InstantRow) -> bool:
        return (
            (self.which is None or r.list == self.which)
            and (self.newly_carded is None or r.newly_carded == self.newly_carded)
            and (not self.name or r.name.startswith(self.name.strip()))
        )


async def candidates(
    session: AsyncSession, caller: Principal, code: str, year: int, org_id: int | None, f: CandidateFilter,
    today: date,
) -> list[InstantRow]:  # fmt: skip
    ctx, _, placed = await placed_roster(session, caller, code, year, org_id)
    return [r for r in rows(ctx, placed, f.channel, today) if f.keeps(r)]


async def submit(
    session: AsyncSession, caller: Principal, code: str, year: int, org_id: int | None, data: InstantSubmitIn,
    key: str | None, now: datetime, today: date,
) -> EnrollmentRequest:  # fmt: skip
    if not data.member_ids:
        raise DomainError("instant.none_selected", NONE_CHOSEN)
    digest = idempotency.request_hash(["instant", code, year, org_id, data.model_dump(mode="json")])
    async with session.begin():
        if done := await submissions.replayed(session, caller, key, digest):
            return done
        ctx, org, placed = await placed_roster(session, caller, code, year, org_id, lock=True)
        check_grassroots(org)
        check_open(ctx.windows, WindowKind.INSTANT, now)
        gtype = await type_by_code(session, ctx.id, data.type_code)
        submissions.check_type_choice(await submissions.locked_type(session, ctx.id, org.org_id), gtype)
        ready = {r.member_id: r for r in rows(ctx, placed, data.channel, today) if r.list == Readiness.READY}
        refused = [m for m in dict.fromkeys(data.member_ids) if m not in ready]
        if refused:
            raise DomainError(
                "instant.member_not_ready", "所选人员不在【待提交】列表中（已参保、未通过校验或不是本单位会员）",
                member_ids=refused[:20],
            )  # fmt: skip
        members = {p.entry.member.member_id: p.entry.member for p in placed}
        start = expected_instant_start(today, ctx.period)
        premium = premium_for(gtype.premium_fen, gtype.half_year_premium_fen, start, ctx.period)
        split = scaled(await effective_split(session, gtype, orgs.district_of(org)), premium)
        lines = [submissions.Line(members[m], data.channel, premium, split) for m in dict.fromkeys(data.member_ids)]
        request = await submissions.create(session, caller, ctx, org, EnrollmentType.INSTANT, gtype, lines, today)
        submissions.remember(session, caller, key, digest, request)
        return request
