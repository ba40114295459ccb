"""Rules over the whole roster file: the data type 灵活就业类, the same person twice, the enterprise
a 关联企业类 file belongs to. Breaking the first or the last refuses the whole file."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from contracts.members import MemberCategory
from runtime.identity import InvalidIdentifier, validate_uscc

from .documents import normalise_number
from .roster import FLEXIBLE_TAGS, FileRejected, Problems, RawRow, Rejection, split_tags
from .rows import Enterprise


def not_flexible(rows: Iterable[RawRow]) -> list[Rejection]:
    """灵活就业类: every row's tags must be flexible-employment tags, or the whole file is refused."""
    found = []
    for row in rows:
        tags = split_tags(row.get("tags"))
        if not tags or any(t not in FLEXIBLE_TAGS for t in tags):
            problem = Problems(row)
            problem.add("tags", "import.flexible_tag_required", "灵活就业类会员标签须为：" + "、".join(FLEXIBLE_TAGS))
            found.extend(problem.found)
    return found


def check_flexible(rows: Sequence[RawRow], category: MemberCategory) -> None:
    if category is not MemberCategory.FLEXIBLE:
        return
    wrong = not_flexible(rows)
    if wrong:
        raise FileRejected(
            "import.flexible_tag_required",
            f"所选数据类型为灵活就业类，但有 {len(wrong)} 行的会员标签不是灵活就业标签，整个文件未导入",
            wrong,
        )


def split_duplicates(rows: Sequence[RawRow]) -> tuple[list[RawRow], list[Rejection]]:
    """The same document number twice in one file: which row is right is unknown, so none is taken.

    Checked on the raw rows, before anything else, so that no batch stores a row a later batch
    turns out to repeat."""
    seen: dict[str, list[RawRow]] = {}
    for row in rows:
        number = normalise_number(row.get("id_number"))
        if number:
            seen.setdefault(number, []).append(row)
    repeated = {id(r): group for group in seen.values() if len(group) > 1 for r in group}
    kept, rejected = [], []
    for row in rows:
        group = repeated.get(id(row))
        if group is None:
            kept.append(row)
            continue
        numbers = "、".join(str(r.row_no) for r in group)
        problem = Problems(row)
        problem.add("id_number", "import.duplicate_in_file", f"证件号码在文件中重复出现（第 {numbers} 行）")
        rejected.extend(problem.found)
    return kept, rejected


def check_enterprise(category: MemberCategory, name: str | None, uscc: str | None) -> Enterprise | None:
    """关联企业类 needs the one covered enterprise the file belongs to; the other types take none."""
    if category is not MemberCategory.LINKED_ENTERPRISE:
        return None
    if not name or not uscc:
        raise FileRejected("import.enterprise_required", "关联企业类须选择对应企业（企业名称和统一社会信用代码）")
    try:
        return Enterprise(name.strip(), validate_uscc(uscc))
    except InvalidIdentifier as exc:
        raise FileRejected(exc.code, exc.message) from None
