"""Every event class by its `ce_type`: consumers decode by it, the schema snapshot walks it."""

from __future__ import annotations

from .bank import BankCardIssued, BankCardRejected
from .billing import (
    BillingNoticeIssued,
    BillingPaymentConfirmed,
    BillingReceiptIssued,
    BillingRefundIssued,
    BillingVoucherSubmitted,
)
from .cards import CardBatchRevoked, CardBatchSubmitted, CardIssued, CardsEligibilityChanged
from .enrollment import (
    EnrollmentBatchCompleted,
    EnrollmentBatchLapsed,
    EnrollmentBatchSubmitted,
    EnrollmentCodeApproved,
    EnrollmentRetireeUnitRegistered,
)
from .envelope import Event
from .members import MemberDeleted, MembersImported, MembersNumbered, MemberTransferred, MemberUpdated
from .org import EnterpriseRegistered, UnionDeleted, UnionMoved, UnionUpserted
from .retiree import BankWithholdingReported, RetireeWithholdingRequested
from .socialsec import SocialsecCheckReported, SocialsecCheckRequested

EVENTS: dict[str, type[Event]] = {
    cls.ce_type: cls
    for cls in (
        UnionUpserted,
        UnionMoved,
        UnionDeleted,
        EnterpriseRegistered,
        MembersImported,
        MembersNumbered,
        MemberUpdated,
        MemberTransferred,
        MemberDeleted,
        CardsEligibilityChanged,
        CardBatchSubmitted,
        CardBatchRevoked,
        CardIssued,
        BankCardIssued,
        BankCardRejected,
        SocialsecCheckRequested,
        SocialsecCheckReported,
        EnrollmentBatchSubmitted,
        EnrollmentBatchCompleted,
        EnrollmentBatchLapsed,
        EnrollmentCodeApproved,
        EnrollmentRetireeUnitRegistered,
        BillingPaymentConfirmed,
        BillingNoticeIssued,
        BillingRefundIssued,
        BillingReceiptIssued,
        BillingVoucherSubmitted,
        RetireeWithholdingRequested,
        BankWithholdingReported,
    )
}


class UnknownEventType(LookupError):
    pass


def event_class(ce_type: str) -> type[Event]:
    try:
        return EVENTS[ce_type]
    except KeyError:
        raise UnknownEventType(ce_type) from None
