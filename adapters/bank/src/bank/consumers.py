"""What the bank adapter hears: card batches and their revocations on cards.v1 (other types there
are acknowledged and ignored). Issue 11 adds `retiree.withholding.requested` on enrollment.v1 here."""

from contracts import topics
from contracts.cards import CardBatchRevoked, CardBatchSubmitted
from runtime.service import Subscriptions

from .service.issuing import Issuing


def subscriptions(issuing: Issuing) -> Subscriptions:
    return {
        topics.CARDS: {
            CardBatchSubmitted.ce_type: issuing.on_submitted,
            CardBatchRevoked.ce_type: issuing.on_revoked,
        },
    }
