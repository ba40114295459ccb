"""What the bank adapter hears: card batches and their revocations on cards.v1, pension withholding
requests on enrollment.v1 (other types there are acknowledged and ignored)."""

from contracts import topics
from contracts.cards import CardBatchRevoked, CardBatchSubmitted
from contracts.retiree import RetireeWithholdingRequested
from runtime.service import Subscriptions

from .service.issuing import Issuing
from .service.withholding import Withholding


def subscriptions(issuing: Issuing, withholding: Withholding) -> Subscriptions:
    return {
        topics.CARDS: {
            CardBatchSubmitted.ce_type: issuing.on_submitted,
            CardBatchRevoked.ce_type: issuing.on_revoked,
        },
        topics.ENROLLMENT: {RetireeWithholdingRequested.ce_type: withholding.on_requested},
    }
