"""Org use cases: create, edit, delete, move, read and query, all inside the caller's scope."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import col, func, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.org import OrgKind, OrgSnapshot, UnionDeleted, UnionMoved, UnionUpserted
from runtime import outbox
from runtime.errors import DomainError, NotFound
from runtime.tokens import Principal

from ..domain import rules, tree
from ..models import CoveredEnterprise, Org, OrgCreate, OrgMove, OrgUpdate, SubtreeStats
from . import SOURCE, rollup

TEMPORARY_CODE_SUFFIX = "999"


def snapshot(org: Org) -> OrgSnapshot:
    assert org.id is not None
    return OrgSnapshot(
        org_id=org.id,
        parent_id=org.parent_id,
        path=org.path,
        name=org.name,
        kind=org.kind,
        union_code=org.union_code,
        uscc=org.uscc,
        district_id=org.district_id,
        social_security_code=org.social_security_code,
        version=org.version,
    )


async def get_in_scope(session: AsyncSession, caller: Principal, org_id: int, *, lock: bool = False) -> Org:
    stmt = select(Org).where(Org.id == org_id)
    org = (await session.exec(stmt.with_for_update() if lock else stmt)).first()
    if org is None or not caller.covers(org.path):
        raise NotFound("组织")
    return org


async def _check_union_code_free(session: AsyncSession, code: str, except_id: int | None = None) -> None:
    stmt = select(Org.id, Org.name).where(Org.union_code == code)
    if except_id is not None:
        stmt = stmt.where(Org.id != except_id)
    taken = (await session.exec(stmt)).first()
    if taken:
        raise DomainError("org.union_code_taken", f"工会编号 {code} 已被“{taken[1]}”使用", field="union_code")


async def _insert(session: AsyncSession, parent: Org | None, data: OrgCreate | dict, kind: OrgKind) -> Org:
    fields = data if isinstance(data, dict) else data.model_dump(exclude={"parent_id", "kind"})
    org = Org(**fields, kind=kind, parent_id=parent.id if parent else None)
    session.add(org)
    await session.flush()
    assert org.id is not None
    org.path = tree.child_path(parent.path, org.id) if parent else str(org.id)
    org.district_id = tree.district_of(org.path)
    session.add(SubtreeStats(org_id=org.id))
    await session.flush()
    await rollup.add(session, org.path, rollup.org_counts(kind))
    outbox.record(session, SOURCE, UnionUpserted(org=snapshot(org)))
    return org


async def create_root(session: AsyncSession, name: str, union_code: str, uscc: str | None = None) -> Org:
    """The city federation: the one org without a parent (demo data and first set-up only)."""
    async with session.begin():
        if (await session.exec(select(Org.id).where(col(Org.parent_id).is_(None)))).first():
            raise DomainError("org.root_exists", "市总工会已存在")
        org = await _insert(session, None, {"name": name, "union_code": union_code, "uscc": uscc}, OrgKind.CITY)
    return org


async def create_child(session: AsyncSession, caller: Principal, data: OrgCreate) -> Org:
    rules.check_union_code(data.union_code)
    data.uscc = rules.check_uscc(data.uscc)
    data.contact_phone = rules.check_phone(data.contact_phone)
    async with session.begin():
        parent = await get_in_scope(session, caller, data.parent_id, lock=True)
        tree.check_child_kind(parent.kind, data.kind)
        await _check_union_code_free(session, data.union_code)
        org = await _insert(session, parent, data, data.kind)
        if data.kind is OrgKind.DISTRICT:
            await _create_temporary_union(session, org)
    return org


async def _create_temporary_union(session: AsyncSession, district: Org) -> Org:
    """Every district has a 临时工会 that receives departed members (DOMAIN.md §2)."""
    code = district.union_code[:9] + TEMPORARY_CODE_SUFFIX
    await _check_union_code_free(session, code)
    fields = {"name": f"{district.name}临时工会", "union_code": code}
    return await _insert(session, district, fields, OrgKind.TEMPORARY)


async def update(session: AsyncSession, caller: Principal, org_id: int, data: OrgUpdate) -> Org:
    changes = data.model_dump(exclude_unset=True)
    if "union_code" in changes:
        rules.check_union_code(changes["union_code"])
    if "uscc" in changes:
        changes["uscc"] = rules.check_uscc(changes["uscc"])
    if "contact_phone" in changes:
        changes["contact_phone"] = rules.check_phone(changes["contact_phone"])
    async with session.begin():
        org = await get_in_scope(session, caller, org_id, lock=True)
        if "union_code" in changes:
            await _check_union_code_free(session, changes["union_code"], except_id=org.id)
        for key, value in changes.items():
            setattr(org, key, value)
        _touch(org)
        session.add(org)
        outbox.record(session, SOURCE, UnionUpserted(org=snapshot(org)))
    return org


def _touch(org: Org) -> None:
    org.version += 1
    org.updated_at = datetime.now(UTC)


async def delete(session: AsyncSession, caller: Principal, org_id: int) -> None:
    async with session.begin():
        org = await get_in_scope(session, caller, org_id, lock=True)
        children = (await session.exec(select(func.count()).where(Org.parent_id == org_id))).one()
        stats = await session.get(SubtreeStats, org_id)
        rules.check_deletable(org.kind, children, stats.members if stats else 0)
        covered = (await session.exec(select(func.count()).where(CoveredEnterprise.org_id == org_id))).one()
        await rollup.add(session, org.path, {**rollup.org_counts(org.kind), "covered_enterprises": covered}, sign=-1)
        await session.exec(sa.delete(CoveredEnterprise).where(col(CoveredEnterprise.org_id) == org_id))
        await session.exec(sa.delete(SubtreeStats).where(col(SubtreeStats.org_id) == org_id))
        await session.delete(org)
        outbox.record(session, SOURCE, UnionDeleted(org_id=org_id, path=org.path, version=org.version + 1))


async def move(session: AsyncSession, caller: Principal, request: OrgMove) -> list[Org]:
    """Move one or many orgs (批量转移), each with its whole subtree; all or nothing."""
    if len(set(request.org_ids)) != len(request.org_ids):
        raise DomainError("org.move_duplicate", "转移列表中有重复的组织")
    async with session.begin():
        target = await get_in_scope(session, caller, request.target_parent_id, lock=True)
        moved = [await _move_one(session, caller, org_id, target) for org_id in request.org_ids]
    return moved


async def _move_one(session: AsyncSession, caller: Principal, org_id: int, target: Org) -> Org:
    org = await get_in_scope(session, caller, org_id, lock=True)
    tree.check_move(org.path, org.kind, target.path, target.kind)
    if org.parent_id == target.id:
        raise DomainError("org.move_same_parent", f"“{org.name}”已在“{target.name}”之下")
    assert org.id is not None and target.id is not None
    old_path, new_path = org.path, tree.child_path(target.path, org.id)
    await rollup.move_subtree_counts(session, org.id, old_path, new_path)
    await session.exec(
        sa.update(Org)
        .where(or_(col(Org.path) == old_path, col(Org.path).startswith(old_path + ".")))
        .values(
            path=sa.func.concat(new_path, sa.func.substr(Org.path, len(old_path) + 1)),
            district_id=tree.district_of(new_path),
        )
    )
    await session.refresh(org)
    org.parent_id = target.id
    _touch(org)
    session.add(org)
    await session.flush()
    outbox.record(session, SOURCE, UnionMoved(org=snapshot(org), old_path=old_path, new_path=new_path))
    await _announce_descendants(session, new_path)
    return org


async def _announce_descendants(session: AsyncSession, root_path: str) -> None:
    """Every org under a moved one has a new path: a newer version of each, so that an older
    upsert still on its way can never put the old path back in a consumer's projection."""
    descendants = await session.exec(select(Org).where(col(Org.path).startswith(root_path + ".")).with_for_update())
    for row in descendants:
        _touch(row)
        session.add(row)
        outbox.record(session, SOURCE, UnionUpserted(org=snapshot(row)))
