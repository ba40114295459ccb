"""What cards hears: org.v1 for scope, members.v1 for eligibility, socialsec.v1 for check reports,
bank.v1 for the bank's per-card answers."""

from contracts import topics
from contracts.bank import BankCardIssued, BankCardRejected
from contracts.members import MemberDeleted, MembersImported, MembersNumbered, MemberTransferred, MemberUpdated
from contracts.org import UnionDeleted, UnionMoved, UnionUpserted
from contracts.socialsec import SocialsecCheckReported
from runtime.service import Subscriptions

from .service import checks, eligibility, orgs, outcomes


def subscriptions() -> Subscriptions:
    return {
        topics.ORG: {
            UnionUpserted.ce_type: orgs.on_upserted,
            UnionMoved.ce_type: orgs.on_moved,
            UnionDeleted.ce_type: orgs.on_deleted,
        },
        topics.MEMBERS: {
            MembersImported.ce_type: eligibility.on_chunk,
            MembersNumbered.ce_type: eligibility.on_chunk,
            MemberUpdated.ce_type: eligibility.on_member,
            MemberTransferred.ce_type: eligibility.on_member,
            MemberDeleted.ce_type: eligibility.on_deleted,
        },
        topics.SOCIALSEC: {SocialsecCheckReported.ce_type: checks.on_reported},
        topics.BANK: {
            BankCardIssued.ce_type: outcomes.on_issued,
            BankCardRejected.ce_type: outcomes.on_rejected,
        },
    }
