"""What members hears: org.v1 for the org projection; its own members.v1 to number new members."""

from contracts import topics
from contracts.members import MembersImported, MemberTransferred, MemberUpdated
from contracts.org import UnionDeleted, UnionMoved, UnionUpserted
from runtime.service import Subscriptions

from .service import orgs
from .service.numbers import Numbering


def subscriptions(numbering: Numbering) -> Subscriptions:
    return {
        topics.ORG: {
            UnionUpserted.ce_type: orgs.on_upserted,
            UnionMoved.ce_type: orgs.on_moved,
            UnionDeleted.ce_type: orgs.on_deleted,
        },
        topics.MEMBERS: {
            MembersImported.ce_type: numbering.on_imported,
            MemberUpdated.ce_type: numbering.on_member,
            MemberTransferred.ce_type: numbering.on_member,
        },
    }
