"""The union tree: which kind may hang under which, paths, and what a move may do."""

from __future__ import annotations

from contracts.org import GRASSROOTS, OrgKind
from runtime.errors import DomainError, InvalidInput

# Who may have which children (DOMAIN.md §2): the city has districts and industry unions; those
# have secondary and grassroots unions and exactly one temporary union each; grassroots joint and
# standalone unions may have branch unions (分工会/工会小组).
CHILD_KINDS: dict[OrgKind, frozenset[OrgKind]] = {
    OrgKind.CITY: frozenset({OrgKind.DISTRICT}),
    OrgKind.DISTRICT: frozenset({OrgKind.SECONDARY, *GRASSROOTS} - {OrgKind.BRANCH}),
    OrgKind.SECONDARY: frozenset({OrgKind.SECONDARY, *GRASSROOTS} - {OrgKind.BRANCH, OrgKind.TEMPORARY}),
    OrgKind.FEDERATION: frozenset({OrgKind.STANDALONE, OrgKind.JOINT}),
    OrgKind.STANDALONE: frozenset({OrgKind.BRANCH}),
    OrgKind.JOINT: frozenset({OrgKind.BRANCH}),
    OrgKind.BRANCH: frozenset(),
    OrgKind.TEMPORARY: frozenset(),
}


def check_child_kind(parent: OrgKind, child: OrgKind) -> None:
    if child is OrgKind.TEMPORARY:
        raise InvalidInput("org.temporary_is_automatic", "临时工会随区局工会自动建立，不能手工新建")
    check_may_hang(parent, child)


def check_may_hang(parent: OrgKind, child: OrgKind) -> None:
    if child not in CHILD_KINDS[parent]:
        raise InvalidInput(
            "org.kind_not_allowed",
            f"“{parent.value}”下不能设“{child.value}”",
            parent_kind=parent.value,
            child_kind=child.value,
        )


def child_path(parent_path: str, org_id: int) -> str:
    return f"{parent_path}.{org_id}"


def ancestors(path: str) -> list[int]:
    """Every org id on the path, the org itself last: the rows a rolled-up count touches."""
    return [int(p) for p in path.split(".")]


def is_within(path: str, root: str) -> bool:
    return path == root or path.startswith(root + ".")


def district_of(path: str) -> int | None:
    """The district/industry union an org belongs to: the second id on its path (the first is the city)."""
    ids = ancestors(path)
    return ids[1] if len(ids) > 1 else None


def check_move(org_path: str, org_kind: OrgKind, target_path: str, target_kind: OrgKind) -> None:
    if org_kind in (OrgKind.CITY, OrgKind.DISTRICT, OrgKind.TEMPORARY):
        raise DomainError("org.move_not_allowed", f"“{org_kind.value}”不能转移")
    if is_within(target_path, org_path):
        raise DomainError("org.move_into_own_subtree", "不能把组织转移到它自己或它的下级组织之下")
    check_may_hang(target_kind, org_kind)


def moved_path(path: str, old_root: str, new_root: str) -> str:
    """Rewrite a path of the moved subtree: the old prefix replaced by the new one."""
    assert is_within(path, old_root)
    return new_root + path[len(old_root) :]
