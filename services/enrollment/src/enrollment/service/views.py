"""Reading submissions and their lines inside the caller's scope (another union's are 404)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.enrollment import Channel, EnrollmentType
from runtime.errors import NotFound
from runtime.tokens import Principal

from ..models import Enrollment, EnrollmentRequest, GuaranteeType, OrgRef, ProgrammeYear, Submission
from ..schemas import AmountsOut, LineOut, RequestOut, SubmissionOut
from . import orgs


async def visible(session: AsyncSession, caller: Principal, submission_id: int, *, lock: bool = False) -> Submission:
    sub = await session.get(Submission, submission_id, with_for_update=lock)
    org = await session.get(OrgRef, sub.org_id) if sub else None
    if sub is None or org is None or not caller.covers(org.path):
        raise NotFound("参保信息")
    return sub


async def outs(session: AsyncSession, subs: Sequence[Submission]) -> list[SubmissionOut]:
    org_map = await orgs.names(session, {s.org_id for s in subs})
    parents = await orgs.names(session, {o.parent_id for o in org_map.values() if o.parent_id is not None})
    types = await _by_id(session, GuaranteeType, {s.guarantee_type_id for s in subs})
    years = await _by_id(session, ProgrammeYear, {s.programme_year_id for s in subs})
    out = []
    for s in subs:
        org, t, y = org_map.get(s.org_id), types[s.guarantee_type_id], years[s.programme_year_id]
        parent = parents.get(org.parent_id) if org and org.parent_id is not None else None
        assert s.id is not None
        out.append(
            SubmissionOut(
                id=s.id, request_id=s.request_id, org_id=s.org_id, org_name=org.name if org else "",
                union_code=org.union_code if org else "", upper_org_name=parent.name if parent else "",
                programme=y.programme_code, year=y.year, enrollment_type=EnrollmentType(s.enrollment_type),
                channel=Channel(s.channel), type_code=t.code, type_name=t.name, persons=s.persons,
                amounts=AmountsOut(amount_fen=s.amount_fen, city_fen=s.city_fen, district_fen=s.district_fen,
                                   grassroots_fen=s.grassroots_fen),
                state=s.state, submitted_by=s.submitted_by, submitted_at=s.submitted_at, staged_by=s.staged_by,
                staged_at=s.staged_at, returned_by=s.returned_by, returned_at=s.returned_at,
                return_reason=s.return_reason, batch_no=s.batch_no, updated_at=s.updated_at,
            )
        )  # fmt: skip
    return out


async def _by_id(session: AsyncSession, model: Any, ids: set[int]) -> dict[int, Any]:
    if not ids:
        return {}
    rows = await session.exec(select(model).where(col(model.id).in_(ids)))
    return {r.id: r for r in rows}


async def lines(session: AsyncSession, where: Sequence[Any], page: int, size: int) -> tuple[list[LineOut], int]:
    total = (await session.exec(select(func.count()).select_from(Enrollment).where(*where))).one()
    rows = (
        await session.exec(
            select(Enrollment, GuaranteeType.code)
            .join(GuaranteeType, col(GuaranteeType.id) == col(Enrollment.guarantee_type_id))
            .where(*where)
            .order_by(col(Enrollment.id))
            .offset((page - 1) * size)
            .limit(size)
        )
    ).all()
    return [_line(e, code) for e, code in rows], int(total)


def _line(e: Enrollment, type_code: str) -> LineOut:
    return LineOut(
        member_id=e.member_id, org_id=e.org_id, name=e.name, id_number=e.id_number_masked,
        channel=Channel(e.channel), type_code=type_code, premium_fen=e.premium_fen, state=e.state,
        cover_start=e.cover_start, cover_end=e.cover_end, batch_no=e.batch_no,
    )  # fmt: skip


async def submission_lines(
    session: AsyncSession, caller: Principal, submission_id: int, page: int, size: int
) -> tuple[list[LineOut], int]:
    await visible(session, caller, submission_id)
    return await lines(session, [Enrollment.submission_id == submission_id], page, size)


async def request_out(session: AsyncSession, req: EnrollmentRequest) -> RequestOut:
    ids = await session.exec(select(Submission.id).where(Submission.request_id == req.id).order_by(col(Submission.id)))
    gtype = await session.get(GuaranteeType, req.guarantee_type_id)
    return RequestOut(
        request_id=req.id, org_id=req.org_id, enrollment_type=EnrollmentType(req.enrollment_type),
        type_code=gtype.code if gtype else "", persons=req.persons, amount_fen=req.amount_fen,
        submission_ids=[i for i in ids if i is not None], submitted_at=req.submitted_at,
        notice_url=f"/requests/{req.id}/notice",
    )  # fmt: skip


async def visible_request(session: AsyncSession, caller: Principal, request_id: str) -> EnrollmentRequest:
    req = await session.get(EnrollmentRequest, request_id)
    org = await session.get(OrgRef, req.org_id) if req else None
    if req is None or org is None or not caller.covers(org.path):
        raise NotFound("参保提交")
    return req
