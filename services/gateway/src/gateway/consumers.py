"""What the gateway hears: org.v1, to keep the org tree that scopes and menus are built from;
enrollment.v1, for the retiree plan's units that get a pre-issued account (预派账号)."""

from contracts import topics
from contracts.enrollment import EnrollmentRetireeUnitRegistered
from contracts.org import EnterpriseRegistered, UnionDeleted, UnionMoved, UnionUpserted
from runtime.service import Subscriptions

from .service import orgtree
from .service.retiree_accounts import PreIssuer


def subscriptions(pre_issuer: PreIssuer) -> Subscriptions:
    """`pre_issuer` calls enrollment back: it gets the service's client once the app wires it."""
    return {
        topics.ORG: {
            UnionUpserted.ce_type: orgtree.on_upserted,
            UnionMoved.ce_type: orgtree.on_moved,
            UnionDeleted.ce_type: orgtree.on_deleted,
            EnterpriseRegistered.ce_type: orgtree.on_enterprise_registered,
        },
        topics.ENROLLMENT: {EnrollmentRetireeUnitRegistered.ce_type: pre_issuer.on_unit_registered},
    }
