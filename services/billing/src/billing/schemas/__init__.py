"""API shapes: what the routes take and give (money in fen; bank accounts and phones masked)."""

from .common import Page, Strict
from .payables import (
    AccountIn,
    AccountOut,
    LineOut,
    PayableOut,
    ProgrammeAccountIn,
    ProgrammeAccountOut,
    SplitOut,
    TypeTotalOut,
)
from .settlements import (
    BalanceOut,
    BalanceRow,
    ReceiptLineIn,
    ReceiptOut,
    ReceiptRequestIn,
    ReceiptsOut,
    RefundIssueIn,
    RefundOut,
    SplitRow,
    SplitViewOut,
    VoidIn,
)
from .vouchers import (
    AppliedOut,
    FileOut,
    PreviewOut,
    RefundAccountIn,
    RefundAccountOut,
    ReturnIn,
    VoucherIn,
    VoucherOut,
)

__all__ = [
    "AccountIn", "AccountOut", "AppliedOut", "BalanceOut", "BalanceRow", "FileOut", "LineOut",
    "Page", "PayableOut", "PreviewOut", "ProgrammeAccountIn", "ProgrammeAccountOut", "ReceiptLineIn", "ReceiptOut",
    "ReceiptRequestIn", "ReceiptsOut", "RefundAccountIn", "RefundAccountOut", "RefundIssueIn", "RefundOut",
    "ReturnIn", "SplitOut", "SplitRow", "SplitViewOut", "Strict", "TypeTotalOut", "VoidIn", "VoucherIn",
    "VoucherOut",
]  # fmt: skip
