/**
 * 退休住院计划: the manual's step bar, status colours and the sentences the screens repeat (the summary line
 * of the checks, the withholding results, what the unit pays). The service decides what is allowed
 * (`Batch.actions`); these only say it.
 */
import type { Batch, YearView } from '@/api/retiree'
import { yuan } from '@/lib/money'
import { formatDateTime } from '@/lib/time'

/** 参保流程 as the manual draws it (the 6th only for 委托代扣款缴费参保). */
export const BAR = ['请选择参保类型', '单位信息维护', '参保名单梳理', '校验结果查看', '提交职保会审核', '代扣申请提交'] as const
/** the panel of each bar step (the URL's `view`) */
export const VIEWS = ['type', 'unit', 'roster', 'results', 'review', 'withholding'] as const
export type View = (typeof VIEWS)[number]

/** The bar's steps for a batch: voucher batches have no 代扣申请提交. */
export function barOf(b: Batch): string[] {
  return b.payment_mode === '缴费凭证' ? BAR.slice(0, 5) : [...BAR]
}

/** Where the batch stands on the manual's bar (0-based; the bar's length once all is done). */
export function barIndex(b: Batch): number {
  const s = b.step
  if (s <= 1) return 0
  if (s === 2) return 1
  if (s <= 5) return 2
  if (s === 6) return 3
  if (s <= 8) return 4
  if (s === 9) return 5
  return barOf(b).length // 10 缴费参保: the bar is done
}

/** The panel a batch opens on when 继续办理参保. */
export function currentView(b: Batch): View {
  const bar = barOf(b)
  return VIEWS[Math.min(barIndex(b), bar.length - 1)] ?? 'roster'
}

export function statusTag(status: string): 'warning' | 'success' | 'danger' | 'info' | 'primary' {
  if (status === '投保成功' || status === '职保会审核通过' || status === '代扣完成') return 'success'
  if (status.endsWith('不通过')) return 'danger'
  if (['职保会待审核', '凭证审核中', '名单校验中', '代扣处理中'].includes(status)) return 'warning'
  if (status === '缴费凭证待上传') return 'primary'
  return 'info'
}

/** The batch list's 状态: "名单校验完成，点击继续办理参保" while the unit has something to do. */
export function statusText(b: Batch, isUnit: boolean): string {
  const acting = b.actions.filter((a) => a !== 'delete').length > 0
  return isUnit && acting ? `${b.status}，点击继续办理参保` : b.status
}

/** 数据校验结果：可代扣 21人，不可代扣 4人，社保姓名与导入姓名不一致 2人 */
export function checkSummary(b: Batch): string {
  const c = b.counts
  return `数据校验结果：可代扣 ${c.withholdable}人，不可代扣 ${c.not_withholdable}人，社保姓名与导入姓名不一致 ${c.name_mismatch}人`
}

/** 申请代扣13人，代扣成功9人(代扣金额300元/人)，代扣失败4人。 */
export function withholdingSummary(b: Batch): string {
  const w = b.withholding
  if (!w) return ''
  const pending = w.pending ? `，代扣中${w.pending}人` : ''
  return `申请代扣${w.requested}人，代扣成功${w.succeeded}人(代扣金额${yuan(w.amount_fen)}元/人)，代扣失败${w.failed}人${pending}。`
}

/** 申请参保总人数：13人 (代扣成功9人，需单位缴费参保4人，需单位缴纳参保费用3150元) */
export function moneySummary(b: Batch): string {
  const m = b.money
  const withheld = b.payment_mode === '委托代扣' ? `代扣成功${m.withheld_persons}人，` : ''
  return `申请参保总人数：${m.persons}人 (${withheld}需单位缴费参保${m.unit_paid_persons}人，需单位缴纳参保费用${yuan(m.unit_owes_fen)}元)`
}

/** "6月4日16点" — a window's closing as the manual words it. */
export function closesText(year: YearView | null, kind: string): string {
  const w = year?.windows.find((x) => x.kind === kind)
  if (!w) return ''
  const at = formatDateTime(w.closes_at, 'M月D日H点')
  return at
}

/** The roster can change (people added, edited, deleted; anomalies fixed). */
export const canEditRoster = (b: Batch) => b.actions.includes('add_people') || b.actions.includes('edit_people')

/** 代扣受理单 can be downloaded: "代扣申请提交1个工作日后" — from the batch's `withholding_slip_from`. */
export const slipReady = (b: Batch, now: number = Date.now()) =>
  !!b.withholding_slip_from && Date.parse(b.withholding_slip_from) <= now

/** "2025-06-04": the Shanghai day the 代扣受理单 can be downloaded from. */
export const slipDay = (b: Batch) => formatDateTime(b.withholding_slip_from, 'YYYY-MM-DD')
