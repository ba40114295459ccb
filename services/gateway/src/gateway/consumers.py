"""What the gateway hears: org.v1, to keep the org tree that scopes and menus are built from."""

from contracts import topics
from contracts.org import EnterpriseRegistered, UnionDeleted, UnionMoved, UnionUpserted
from runtime.service import Subscriptions

from .service import orgtree

SUBSCRIPTIONS: Subscriptions = {
    topics.ORG: {
        UnionUpserted.ce_type: orgtree.on_upserted,
        UnionMoved.ce_type: orgtree.on_moved,
        UnionDeleted.ce_type: orgtree.on_deleted,
        EnterpriseRegistered.ce_type: orgtree.on_enterprise_registered,
    },
}
