"""Billing tables. API shapes live in `schemas`. Money is integer fen (BIGINT)."""

from .money import Receipt, Refund, Voucher, VoucherBatch
from .payables import Payable, PayableChunk, PayableLine
from .records import Document, IdempotencyRecord, NumberCounter, OrgRef, ProgrammeAccount, ReceivingAccount

__all__ = [
    "Document", "IdempotencyRecord", "NumberCounter", "OrgRef", "Payable", "PayableChunk", "PayableLine",
    "ProgrammeAccount", "Receipt", "ReceivingAccount", "Refund", "Voucher", "VoucherBatch",
]  # fmt: skip
