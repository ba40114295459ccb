"""What org hears: members.v1, to count members, e-cards and joins per subtree."""

from contracts import topics
from contracts.members import MemberDeleted, MembersImported, MemberTransferred, MemberUpdated
from runtime.service import Subscriptions

from .service import members

SUBSCRIPTIONS: Subscriptions = {
    topics.MEMBERS: {
        MembersImported.ce_type: members.on_imported,
        MemberUpdated.ce_type: members.on_updated,
        MemberTransferred.ce_type: members.on_updated,
        MemberDeleted.ce_type: members.on_deleted,
    },
}
