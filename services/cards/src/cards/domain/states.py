"""The states a clerk sees on the card screens, spelled as the manual spells them."""

from __future__ import annotations

from enum import StrEnum


class CardStatus(StrEnum):
    """办理状态 in 卡片信息管理."""

    NONE = "未办卡"
    PENDING = "待办中"  # in the pending list or in a batch the bank has not answered for this card
    ISSUED = "已办卡"


class CheckState(StrEnum):
    """信息校验结果 of a pending row (social-security check)."""

    UNCHECKED = "未校验"
    CHECKING = "校验中"
    PASSED = "已通过"
    FAILED = "未通过"


class Outcome(StrEnum):
    """What became of one card of a batch."""

    WAITING = "待反馈"
    ISSUED = "已办卡"
    REJECTED = "办卡失败"
    REVOKED = "已撤销"


class BatchState(StrEnum):
    OPEN = "办理中"  # some cards not yet answered by the bank
    COMPLETED = "已完成"  # the bank answered every card
    REVOKED = "已撤销"


class RevocationState(StrEnum):
    """批次撤销情况."""

    REVIEWING = "审核中"
    APPROVED = "审核通过"
    REJECTED = "审核不通过"


class Source(StrEnum):
    MEMBER = "会员"  # from members.v1
    PERSONAL = "个人申请"  # 个人办卡 through 申工社
