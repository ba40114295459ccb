"""What billing hears: the org tree (scope) and the batches enrollment sends to the insurer."""

from contracts import topics
from contracts.enrollment import EnrollmentBatchLapsed, EnrollmentBatchSubmitted
from contracts.org import UnionDeleted, UnionMoved, UnionUpserted
from runtime.service import Subscriptions

from .service import orgs
from .service.intake import Intake


def subscriptions(intake: Intake) -> Subscriptions:
    return {
        topics.ORG: {
            UnionUpserted.ce_type: orgs.on_upserted,
            UnionMoved.ce_type: orgs.on_moved,
            UnionDeleted.ce_type: orgs.on_deleted,
        },
        topics.ENROLLMENT: {
            EnrollmentBatchSubmitted.ce_type: intake.on_batch_submitted,
            EnrollmentBatchLapsed.ce_type: intake.on_batch_lapsed,
        },
    }
