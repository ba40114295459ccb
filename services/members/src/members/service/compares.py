"""会员比对: a union uploads its complete roster; in the background the platform lists (a) its
members missing from the file, each for the clerk to handle (转出 / 退休 / 死亡 …), and (b) the
people in the file it does not hold, downloadable as a file ready to import."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.db import Sessions
from runtime.errors import DomainError, InvalidInput, NotFound
from runtime.logs import get_logger
from runtime.tokens import Principal

from ..domain import compare
from ..domain.jobs import UNFINISHED_COMPARES, CompareState, Handling
from ..domain.membership import MemberStatus
from ..domain.roster import COLUMNS, FileRejected, RawRow
from ..domain.upload import Limits, UploadRefused, check_inflated_sizes
from ..models import (
    CompareExtra,
    CompareMissing,
    CompareMissingPublic,
    HandlingRequest,
    Member,
    OrgRef,
    RosterCompare,
    TransferCreate,
    UploadedFile,
)
from . import import_rows, members, orgs, transfers, uploads
from .jobs import JobRunner
from .vault import Vault

log = get_logger(__name__)
DEFAULT_TRANSFER_REASON = "会员比对：不在上传的会员名单中"


class Comparer:
    def __init__(self, sessions: Sessions, vault: Vault, limits: Limits, max_rows: int, runner: JobRunner) -> None:
        self.sessions, self.vault, self.limits, self.max_rows, self.runner = sessions, vault, limits, max_rows, runner
        runner.register(self.unfinished, self.run)

    # --- requests ------------------------------------------------------------------------------

    async def start(self, session: AsyncSession, caller: Principal, upload: uploads.Upload) -> RosterCompare:
        uploads.check(upload, self.limits)
        job = RosterCompare(id=uploads.new_job_id("cmp"), state=CompareState.QUEUED, **uploads.owner(caller, upload))
        async with session.begin():
            session.add(job)
            uploads.keep(session, job.id, upload)
        self.runner.submit(job.id, self.run)
        return job

    async def get(self, session: AsyncSession, caller: Principal, compare_id: str) -> RosterCompare:
        job = await session.get(RosterCompare, compare_id)
        if job is None or not caller.covers(job.uploader_org_path):
            raise NotFound("比对任务")
        return job

    async def search(
        self, session: AsyncSession, caller: Principal, filters: dict[str, str | None], page: int, size: int
    ) -> tuple[list[RosterCompare], int]:
        conditions = _list_filter(caller, filters)
        total = (await session.exec(select(func.count()).select_from(RosterCompare).where(*conditions))).one()
        rows = await session.exec(
            select(RosterCompare)
            .where(*conditions)
            .order_by(col(RosterCompare.created_at).desc())
            .offset((page - 1) * size)
            .limit(size)
        )
        return list(rows), total

    async def missing(
        self, session: AsyncSession, caller: Principal, compare_id: str, page: int, size: int
    ) -> tuple[list[CompareMissingPublic], int]:
        await self.get(session, caller, compare_id)
        where = CompareMissing.compare_id == compare_id
        total = (await session.exec(select(func.count()).select_from(CompareMissing).where(where))).one()
        rows = await session.exec(
            select(CompareMissing, Member, OrgRef)
            .join(Member, col(Member.id) == col(CompareMissing.member_id))
            .join(OrgRef, col(OrgRef.org_id) == col(Member.org_id), isouter=True)
            .where(where)
            .order_by(col(Member.name), col(Member.id))
            .offset((page - 1) * size)
            .limit(size)
        )
        return [_missing_public(c, m, o) for c, m, o in rows.all()], total

    async def handle(
        self, session: AsyncSession, caller: Principal, compare_id: str, member_id: str, data: HandlingRequest
    ) -> CompareMissing:
        action = _handling(data.action)
        async with session.begin():
            await self.get(session, caller, compare_id)
            row = await session.get(
                CompareMissing, (compare_id, members.parse_member_id(member_id)), with_for_update=True
            )
            if row is None:
                raise NotFound("比对结果中的会员")
            if row.handling is not None:
                raise DomainError("compare.already_handled", f"该会员已处理（{row.handling}）")
            await _apply(session, caller, member_id, action, data)
            row.handling, row.handled_by, row.handled_at = action, caller.user_id, datetime.now(UTC)
            session.add(row)
        return row

    async def extra_rows(self, session: AsyncSession, caller: Principal, compare_id: str) -> list[list[str]]:
        """(b), in template column order, ID numbers and phones in full: the file is for importing."""
        job = await self.get(session, caller, compare_id)
        if job.state != CompareState.DONE:
            raise DomainError("compare.not_done", "比对尚未完成")
        rows = await session.exec(
            select(CompareExtra).where(CompareExtra.compare_id == compare_id).order_by(col(CompareExtra.row_no))
        )
        keys = [key for key, _ in COLUMNS]
        return [[json.loads(self.vault.open_text(r.cells)).get(k, "") for k in keys] for r in rows]

    async def unfinished(self) -> list[str]:
        async with self.sessions() as session:
            rows = await session.exec(select(RosterCompare.id).where(col(RosterCompare.state).in_(UNFINISHED_COMPARES)))
            return list(rows)

    # --- the job -------------------------------------------------------------------------------

    async def run(self, compare_id: str) -> None:
        job = await self._begin(compare_id)
        if job is None:
            return
        try:
            rows = await self._read(compare_id)
            await self._compare(job, rows)
        except (FileRejected, UploadRefused) as exc:
            await self._finish_failed(compare_id, exc.code, exc.message)
        except Exception:
            log.exception("compare.failed", compare_id=compare_id)
            await self._finish_failed(compare_id, "compare.failed", "比对失败，请稍后重新上传")

    async def _begin(self, compare_id: str) -> RosterCompare | None:
        async with self.sessions() as session, session.begin():
            job = await session.get(RosterCompare, compare_id, with_for_update=True)
            if job is None or job.state not in UNFINISHED_COMPARES:
                return None
            job.state = CompareState.COMPARING
            session.add(job)
        return job

    async def _read(self, compare_id: str) -> list[RawRow]:
        async with self.sessions() as session:
            file = await session.get(UploadedFile, compare_id)
        if file is None:
            raise FileRejected("compare.file_missing", "比对文件已不存在，请重新上传")
        await asyncio.to_thread(check_inflated_sizes, file.content, self.limits)
        return await asyncio.to_thread(import_rows.read, file.content, self.max_rows)

    async def _compare(self, job: RosterCompare, rows: Sequence[RawRow]) -> None:
        owner = uploads.principal_of(job)
        keyed = await asyncio.to_thread(self._keyed, rows)
        async with self.sessions() as session, session.begin():
            result = compare.compare(await _platform(session, owner), keyed)
            session.add_all(CompareMissing(compare_id=job.id, member_id=uuid.UUID(m)) for m in result.missing_from_file)
            session.add_all(
                CompareExtra(compare_id=job.id, row_no=r.row_no, cells=self.vault.seal_text(json.dumps(dict(r.cells))))
                for r in result.missing_from_platform
            )
            values = {
                "state": CompareState.DONE,
                "rows_total": len(rows),
                "missing_from_file": len(result.missing_from_file),
                "missing_from_platform": len(result.missing_from_platform),
                "finished_at": datetime.now(UTC),
            }
            await session.exec(sa.update(RosterCompare).where(col(RosterCompare.id) == job.id).values(**values))
            await session.exec(sa.delete(UploadedFile).where(col(UploadedFile.job_id) == job.id))

    def _keyed(self, rows: Sequence[RawRow]) -> list[tuple[bytes, RawRow]]:
        # a row without an ID number cannot match anyone: it gets a key of its own
        return [
            (self.vault.id_digest(r.get("id_number")) if r.get("id_number") else f"row:{r.row_no}".encode(), r)
            for r in rows
        ]

    async def _finish_failed(self, compare_id: str, code: str, message: str) -> None:
        async with self.sessions() as session, session.begin():
            values = {"state": CompareState.FAILED, "error_code": code, "error_message": message}
            await session.exec(
                sa.update(RosterCompare)
                .where(col(RosterCompare.id) == compare_id)
                .values(**values, finished_at=datetime.now(UTC))
            )
            await session.exec(sa.delete(UploadedFile).where(col(UploadedFile.job_id) == compare_id))


async def _platform(session: AsyncSession, owner: Principal) -> dict[bytes, str]:
    """The active members the uploader is responsible for: everyone in their scope."""
    stmt = select(Member.id_number_bi, Member.id).where(Member.status == MemberStatus.ACTIVE)
    scoped = orgs.scoped_org_ids(owner)
    if scoped is not None:
        stmt = stmt.where(col(Member.org_id).in_(scoped))
    return {digest: str(member_id) for digest, member_id in (await session.exec(stmt)).all()}


async def _apply(
    session: AsyncSession, caller: Principal, member_id: str, action: Handling, data: HandlingRequest
) -> None:
    if action is Handling.TRANSFER_OUT:
        reason = data.reason or DEFAULT_TRANSFER_REASON
        request = TransferCreate(member_ids=[member_id], target_org_id=data.target_org_id, reason=reason)
        await transfers.request_within(session, caller, request)
    elif action.deletes:
        await members.delete_within(session, caller, member_id, action.value)


def _handling(action: str) -> Handling:
    try:
        return Handling(action)
    except ValueError:
        choices = "、".join(h.value for h in Handling)
        raise InvalidInput("compare.handling_invalid", f"处理方式应为：{choices}") from None


def _list_filter(caller: Principal, filters: dict[str, str | None]) -> list[Any]:
    conditions: list[Any] = []
    if caller.scope_prefix is not None:
        prefix = caller.scope_prefix
        path = col(RosterCompare.uploader_org_path)
        conditions.append(sa.or_(path == prefix, path.startswith(prefix + ".")))
    if filters.get("file_name"):
        conditions.append(col(RosterCompare.file_name).contains(filters["file_name"], autoescape=True))
    if filters.get("uploader_id"):
        conditions.append(RosterCompare.uploader_id == filters["uploader_id"])
    if filters.get("state"):
        conditions.append(RosterCompare.state == filters["state"])
    return conditions


def _missing_public(c: CompareMissing, m: Member, o: OrgRef | None) -> CompareMissingPublic:
    return CompareMissingPublic(
        member_id=m.id,
        name=m.name,
        id_type=m.id_type,
        id_number=m.id_number_masked,
        phone=m.phone_masked,
        union_name=o.name if o else "",
        status=m.status,
        handling=c.handling,
        handled_by=c.handled_by,
        handled_at=c.handled_at,
    )
