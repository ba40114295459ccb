"""The gateway puts account names beside the `…_by` ids services answer with, at any depth."""

from gateway.domain.actors import actor_ids, name_actors


def test_account_ids_in_by_fields_are_found_at_any_depth_and_named():
    page = {
        "items": [
            {"id": 1, "submitted_by": "6", "reviewed_by": None, "batch": {"staged_by": 7}},
            {"id": 2, "submitted_by": "system", "pay_by": "2027-01-20", "set_by": True},
        ],
        "total": 2,
    }
    assert actor_ids(page) == {6, 7}
    name_actors(page, {6: "张三", 7: "李四"})
    first, second = page["items"]
    assert (first["submitted_by_name"], first["batch"]["staged_by_name"]) == ("张三", "李四")
    assert "reviewed_by_name" not in first  # nobody reviewed yet
    # a system caller and dates that merely end in _by are left alone
    assert set(second) == {"id", "submitted_by", "pay_by", "set_by"}


def test_an_unknown_account_keeps_its_id_without_a_name():
    row = {"requested_by": "99"}
    assert name_actors(row, {}) == {"requested_by": "99"}


def test_a_history_entrys_actor_is_named_too():
    """参保编码申请详情's 操作记录 showed 提交申请（6）: history entries say who in `actor`."""
    detail = {"id": 3, "history": [{"action": "提交申请", "actor": "6"}, {"action": "审核通过", "actor": "system"}]}
    name_actors(detail, {6: "张三"})
    assert detail["history"] == [
        {"action": "提交申请", "actor": "6", "actor_name": "张三"},
        {"action": "审核通过", "actor": "system"},
    ]
