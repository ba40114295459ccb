"""代扣结果 notice to the handler (manual 003, 三(四): "所有人员养老金发放日银行代扣流程完成后, 邮件会发送至经办人邮箱";
"代扣结果请留意经办人邮箱或短信") with the manual's figures: 13 requested, 9 withheld at 300 元 → 3,150 元."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from enrollment.domain.retiree.notice import Channel, WithholdingDone, due, summary, withholding_messages
from enrollment.domain.retiree.payment import money

DONE = WithholdingDone(
    unit_name="上海某某机械厂", batch_no="TXZY202505200001", code="123000000", requested=13, succeeded=9,
    amount_fen=30000, deducted_on=date(2025, 6, 10), money=money(13, 45000, 9, 30000),
)  # fmt: skip


def test_the_summary_is_the_pages_view_of_the_withholding():
    assert summary(13, 9, 4, 30000) == "申请代扣13人，代扣成功9人(代扣金额300元/人)，代扣失败4人"
    assert summary(29, 23, 6, 10000) == "申请代扣29人，代扣成功23人(代扣金额100元/人)，代扣失败6人"
    assert summary(2, 2, 0, 45050) == "申请代扣2人，代扣成功2人(代扣金额450.50元/人)，代扣失败0人"


def test_the_sms_and_the_mail_carry_the_summary_the_batch_and_what_the_unit_pays():
    sms, mail = withholding_messages(DONE)
    assert (sms.channel, mail.channel) == (Channel.SMS, Channel.MAIL)
    assert sms.text == (
        "【退休住院计划】上海某某机械厂（批次号TXZY202505200001）养老金代扣已完成："
        "申请代扣13人，代扣成功9人(代扣金额300元/人)，代扣失败4人。"
        "需单位缴纳参保费用3150元，请登录系统确认参保名单后上传缴费凭证。"
    )
    assert mail.subject == "退休住院计划代扣结果：上海某某机械厂（批次号TXZY202505200001）"
    assert mail.text.splitlines() == [
        "上海某某机械厂经办人：",
        "贵单位退休住院计划参保批次TXZY202505200001（参保编码123000000）的养老金委托代扣已于2025年6月10日完成。",
        "【查看代扣结果】申请代扣13人，代扣成功9人(代扣金额300元/人)，代扣失败4人。",
        "【确认参保名单】申请参保总人数：13人 (代扣成功9人，需单位缴费参保4人，需单位缴纳参保费用3150元)",
        "代扣失败及无法代扣的人员，需单位缴费。",
        "请登录系统，在【参保办理】对应批次点击【继续办理参保】，核对代扣结果后点击【参保名单确定，前往上传缴费凭证】，"
        "并按缴费凭证缴纳参保费用3150元（13人×450元－代扣2700元）。",
        "代扣失败人员处理方式：不减人员 — 单位向代扣失败人员收取参保费用或为其垫资；"
        "删减人员 — 将代扣不成功人员删除（前提条件：不影响75%的参保比例）。",
    ]


def test_everyone_withheld_in_full_leaves_nothing_to_pay_by_voucher():
    full = WithholdingDone(
        unit_name="上海某某机械厂", batch_no="TXZY202505200002", code="123000000", requested=3, succeeded=3,
        amount_fen=45000, deducted_on=None, money=money(3, 45000, 3, 45000),
    )  # fmt: skip
    sms, mail = withholding_messages(full)
    assert sms.text.endswith("代扣失败0人。请登录系统确认参保名单。")
    assert "代扣失败及无法代扣的人员" not in mail.text and "代扣失败人员处理方式" not in mail.text
    assert "养老金委托代扣已完成。" in mail.text  # no deduction day reported: none is named


def test_a_failed_send_waits_doubling_up_to_the_cap():
    base, cap = timedelta(seconds=30), timedelta(hours=1)
    t = datetime(2025, 6, 10, 9, tzinfo=UTC)
    assert due(0, None, t, base, cap)  # never tried
    assert not due(1, t, t + timedelta(seconds=29), base, cap)
    assert due(1, t, t + timedelta(seconds=30), base, cap)
    assert not due(3, t, t + timedelta(seconds=119), base, cap) and due(3, t, t + timedelta(minutes=2), base, cap)
    assert due(11, t, t + cap, base, cap) and not due(11, t, t + cap - timedelta(seconds=1), base, cap)
