"""Background jobs (批量导入, 会员比对): their states and what may happen to them."""

from __future__ import annotations

from enum import StrEnum


class ImportState(StrEnum):
    QUEUED = "排队中"
    VALIDATING = "校验中"
    STORING = "入库中"
    DONE = "已完成"
    FAILED = "已失败"


UNFINISHED_IMPORTS = (ImportState.QUEUED, ImportState.VALIDATING, ImportState.STORING)


class CompareState(StrEnum):
    QUEUED = "排队中"
    COMPARING = "比对中"
    DONE = "比对完成"
    FAILED = "比对失败"


UNFINISHED_COMPARES = (CompareState.QUEUED, CompareState.COMPARING)


class Handling(StrEnum):
    """What a clerk decides for a member in the platform but not in the uploaded roster."""

    TRANSFER_OUT = "转出"
    RETIRED = "退休"
    DECEASED = "死亡"
    CONVICTED = "犯罪"
    KEEP = "保留"

    @property
    def deletes(self) -> bool:
        return self in (Handling.RETIRED, Handling.DECEASED, Handling.CONVICTED)
