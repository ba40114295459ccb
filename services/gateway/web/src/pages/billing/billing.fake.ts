/**
 * The fake gateway's /api/billing/… for pages.test.ts (test-only; no page imports it): the shapes of
 * docs/gateway-api.md with the manual's figures (a batch of 1,220 元 paid with 2,000 元: 退款 780 元), a
 * session per tier, and the service's refusals the screens must show (voucher.refund_account_no,
 * receipt.sum_mismatch, account.number). It records what the pages sent beyond JSON bodies: the
 * multipart `data` of uploads and every Idempotency-Key.
 */
type Answer = [number, unknown]

const page = (items: unknown[]) => ({ items, total: items.length, page: 1, size: 20 })
const problem = (status: number, code: string, title: string, more: object = {}): Answer => [status, { code, title, status, ...more }]

const PAYER_MENUS = ['billing-payables', 'billing-vouchers', 'billing-refunds', 'billing-receipts', 'billing-reconciliation']
const INSURER_MENUS = ['billing-payables', 'billing-review', 'billing-refunds', 'billing-receipts', 'billing-accounts', 'billing-reconciliation']

export function billingMe(tier: 'district' | 'insurer') {
  const district = tier === 'district'
  return {
    account_id: 9, account: district ? 'xuhui' : 'zhibao', name: district ? '区局经办' : '职保会审核员', tier,
    org_id: district ? 12 : null, org_name: district ? '徐汇区总工会' : null, org_path: district ? '1.12' : '',
    must_change_password: false, menus: ['workbench', ...(district ? PAYER_MENUS : INSURER_MENUS)],
  }
}

/** What the pages sent that a test looks at: each upload's `data` part and file names, every key. */
export const billingSeen = {
  uploads: [] as { data: Record<string, unknown>; files: string[] }[],
  keys: [] as string[],
}

const NO = 'CB202312280001'
const account = { category: '会员专享', payee_name: '上海市职工保障互助中心会员专享保障专户', account_no: '316023-03002745697', bank: '上海银行人民广场支行', updated_by: 'zhibao', updated_at: '2023-10-25T02:00:00Z' }
export const payable = {
  batch_no: NO, programme: 'member-basic', programme_name: '上海工会会员专享基本保障', year: 2024, enrollment_type: '集中参保',
  payer_org_id: 12, payer_org_name: '徐汇区总工会', persons: 61, persons_member_card: 61, persons_ss_card: 0,
  guarantee_types: [{ code: 'A', name: 'A类会员专享基本保障', premium_fen: 2000, persons: 61, amount_fen: 122000 }],
  split: { amount_fen: 122000, city_fen: 61000, district_fen: 61000, grassroots_fen: 0 }, due_fen: 122000, withheld_fen: 0,
  withheld_persons: 0, payer_due_fen: 122000, paid_fen: 0, pending_fen: 0,
  outstanding_fen: 122000, shortfall_fen: 122000, state: '待缴费', status: '缴费凭证待上传', overdue: false, pay_by: '2024-01-20',
  coverage_start: '2024-01-01', coverage_end: '2024-12-31', account_category: '会员专享', account, handler_name: '王经办',
  handler_phone: '139****1111', handler_email: 'wang@example.com', submitted_at: '2023-12-28T01:00:00Z', complete: true,
  lines_received: 61, lines_total: 61, roster_frozen: false, frozen_at: null, confirmed_at: null, lapsed_at: null, notice_version: 1,
  notice_url: `/api/billing/payables/${NO}/notice`, statistics_url: `/api/billing/payables/${NO}/statistics.xlsx`, version: 1,
  updated_at: '2023-12-28T01:00:00Z',
}
const paidPayable = {
  ...payable, batch_no: 'CB202312010002', persons: 2, due_fen: 4000, paid_fen: 4000, outstanding_fen: 0, shortfall_fen: 0, state: '已确认',
  status: '已确认', confirmed_at: '2023-12-10T07:00:00Z', notice_url: '/api/billing/payables/CB202312010002/notice',
  statistics_url: '/api/billing/payables/CB202312010002/statistics.xlsx',
}
/** 退休住院计划 (manual 003): 13 persons × 450 元, 9 withheld from pensions at 300 元 → the unit owes 3,150 元.
 * Listed (first) only while `billingRetiree.on`: a test turns it on and off. */
export const billingRetiree = { on: false }
const RETIREE_NO = 'TXZY202504300003'
const retireePayable = {
  ...payable, batch_no: RETIREE_NO, programme: 'retiree-hospital', programme_name: '退休住院计划', year: 2025, persons: 13,
  persons_member_card: 13, guarantee_types: [{ code: 'TX', name: '退休住院计划', premium_fen: 45000, persons: 13, amount_fen: 585000 }],
  split: { amount_fen: 585000, city_fen: 0, district_fen: 0, grassroots_fen: 585000 }, due_fen: 585000, withheld_fen: 270000,
  withheld_persons: 9, payer_due_fen: 315000, outstanding_fen: 315000, shortfall_fen: 315000, pay_by: '2025-06-30',
  coverage_start: '2025-07-01', coverage_end: '2026-06-30', account_category: '退休', account: null,
  notice_url: `/api/billing/payables/${RETIREE_NO}/notice`, statistics_url: `/api/billing/payables/${RETIREE_NO}/statistics.xlsx`,
}
const applied = (amount: number) => [{ batch_no: NO, due_fen: 122000, outstanding_fen: 122000, applied_fen: Math.min(amount, 122000) }]
const file = (no: string) => ({ file_name: '凭证.png', media_type: 'image/png', size: 1024, url: `/api/billing/vouchers/${no}/file` })
export const voucher = {
  voucher_no: 'PZ202312280001', payer_org_id: 12, payer_org_name: '徐汇区总工会', programme: 'member-basic', year: 2024,
  paying_unit: '徐汇区总工会', method: '贷记(网银)', amount_fen: 200000, account_category: '会员专享', transfer_date: '2023-12-28',
  batches: applied(200000), due_fen: 122000, applied_fen: 122000, refund_fen: 78000, shortfall_fen: 0,
  refund: { account_category: '在职', account_name: '徐汇区总工会', account_no: '6222 **** **** 2222', bank: '上海银行', method: '划帐' },
  refund_no: null, file: file('PZ202312280001'), refund_file: null, state: '审核中', review_reason: '', reviewed_by: null, reviewed_at: null,
  confirmed_batches: [], submitted_by: '9', submitted_at: '2023-12-28T02:00:00Z', updated_at: '2023-12-28T02:00:00Z', version: 1,
}
const returned = {
  ...voucher, voucher_no: 'PZ202312270003', amount_fen: 120000, batches: applied(120000), applied_fen: 120000, refund_fen: 0,
  shortfall_fen: 2000, refund: null, file: file('PZ202312270003'), state: '审核不通过', review_reason: '缴费金额与凭证不符',
  reviewed_by: 'zhibao', reviewed_at: '2023-12-28T03:00:00Z',
}
const refund = {
  refund_no: 'TK202401100001', voucher_no: voucher.voucher_no, batch_nos: [NO], payer_org_id: 12, payer_org_name: '徐汇区总工会',
  programme: 'member-basic', year: 2024, amount_fen: 78000, account_category: '在职', account_name: '徐汇区总工会',
  account_no: '6222 0000 1111 2222', bank: '上海银行', method: '划帐', state: '待退款', paid_on: null, reference: '',
  created_at: '2024-01-10T07:00:00Z', issued_by: null, issued_at: null, version: 1,
}
const receipt = (id: number, state: string, more: object = {}) => ({
  id, receipt_no: state === '待开具' ? null : `ZY2024011000${id}`, batch_no: paidPayable.batch_no, payer_org_id: 12,
  payer_org_name: '徐汇区总工会', programme: 'member-basic', year: 2024, title: '上海YYYY公司', uscc: '', amount_fen: 4000, remark: '',
  state, requested_by: '9', requested_at: '2024-01-10T07:00:00Z', issued_by: state === '待开具' ? null : 'zhibao',
  issued_at: state === '待开具' ? null : '2024-01-10T08:00:00Z', void_reason: '', voided_at: null,
  pdf_url: state === '待开具' ? null : `/api/billing/receipts/ZY2024011000${id}/pdf`, version: 1, ...more,
})
const receipts = (items: unknown[]) => ({ batch_no: paidPayable.batch_no, due_fen: 4000, paid_fen: 4000, rule: '等于应缴纳保费', requested_fen: 4000, issued_fen: 0, items })

// 对账 of 2024: 徐汇 paid 2,000 for 1,220 (780 paid back), nothing owed; 黄浦 has paid nothing of its 500 元
const balance = (id: number, name: string, due: number, received: number, paid: number, refunded: number, overdue: number) => ({
  payer_org_id: id, payer_org_name: name, batches: 1, persons: due / 2000, due_fen: due, received_fen: received, withheld_fen: 0,
  paid_fen: paid, pending_fen: 0, refund_due_fen: 0, refunded_fen: refunded, outstanding_fen: due - paid, overdue_batches: overdue,
})
// 对账 of the retiree plan 2025: 2,700 withheld, the voucher of 3,150 approved — nothing owed
const retireeBalances = [{ ...balance(12, '徐汇区总工会', 585000, 315000, 315000, 0, 0), persons: 13, withheld_fen: 270000, outstanding_fen: 0 }]
const balances = [balance(20, '黄浦区总工会', 50000, 0, 0, 0, 1), balance(12, '徐汇区总工会', 122000, 200000, 122000, 78000, 0)]
const splits = [
  { payer_org_id: 20, payer_org_name: '黄浦区总工会', batches: 1, persons: 25, amount_fen: 50000, city_fen: 32500, district_fen: 17500, grassroots_fen: 0 },
  { payer_org_id: 12, payer_org_name: '徐汇区总工会', batches: 1, persons: 61, amount_fen: 122000, city_fen: 61000, district_fen: 61000, grassroots_fen: 0 },
]
const settlement = (u: URL, items: Record<string, number | string>[]) => {
  const totals: Record<string, number | string> = { payer_org_id: 0, payer_org_name: '合计' }
  for (const k of Object.keys(items[0]!)) if (!k.startsWith('payer_org')) totals[k] = items.reduce((s, i) => s + Number(i[k]), 0)
  return { programme: u.searchParams.get('programme'), year: Number(u.searchParams.get('year')), items, totals }
}

function body(init?: RequestInit): Record<string, unknown> {
  return typeof init?.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : {}
}

function keyOf(init?: RequestInit): string | undefined {
  const key = (init?.headers as Record<string, string> | undefined)?.['Idempotency-Key']
  if (key) billingSeen.keys.push(key)
  return key
}

/** 退款金额自动计算 as the service does it: the amount over what the chosen batches lack. */
function preview(data: Record<string, unknown>): Answer {
  const amount = Number(data.amount_fen)
  const chosen = data.batch_nos as string[]
  const due = (chosen.includes(NO) ? 122000 : 0) + (chosen.includes(RETIREE_NO) ? 315000 : 0)
  const withheld = chosen.includes(RETIREE_NO) ? 270000 : 0
  const refund = Math.max(amount - due, 0)
  const named = data.refund as { account_name?: string } | null
  return [200, {
    batches: applied(amount), withheld_fen: withheld, due_fen: due, amount_fen: amount, applied_fen: Math.min(amount, due), refund_fen: refund,
    shortfall_fen: Math.max(due - amount, 0), refund_required: refund > 0,
    refund_explanation_required: refund > 0 && !!named && named.account_name !== data.paying_unit,
  }]
}

function upload(init?: RequestInit): Answer {
  const key = keyOf(init)
  const form = init?.body as FormData
  const data = JSON.parse(String(form.get('data'))) as Record<string, unknown>
  const files = ['file', 'refund_file'].filter((f) => form.get(f)).map((f) => (form.get(f) as File).name)
  billingSeen.uploads.push({ data, files })
  if (!key) return problem(422, 'idempotency.key_required', '缺少 Idempotency-Key')
  const refundTo = data.refund as { account_no?: string } | null
  if (refundTo && !/^[\d\s-]+$/.test(refundTo.account_no ?? '')) {
    return problem(422, 'voucher.refund_account_no', '退款帐号只能包含数字、空格和“-”', { field: 'refund.account_no' })
  }
  return [201, { ...voucher, voucher_no: 'PZ202312280002', amount_fen: data.amount_fen }]
}

export function billingRoute(u: URL, method: string, init?: RequestInit): Answer | null {
  const p = u.pathname
  if (!p.startsWith('/api/billing/')) return null
  const rest = p.slice('/api/billing'.length)
  if (rest === '/payables') return [200, page(billingRetiree.on ? [retireePayable, payable, paidPayable] : [payable, paidPayable])]
  if (rest === `/payables/${RETIREE_NO}/lines`) return [200, page([])]
  if (rest === `/payables/${NO}/lines`) return [200, page([{ member_id: 'm-7', org_id: 13, org_name: '上海建朗信息科技有限公司工会', name: '陈硕', id_number: '4201***********0430', channel: '会员卡参保', guarantee_type: 'A', premium_fen: 2000 }])]
  if (rest === `/payables/${NO}` ) return [200, payable]
  if (rest === '/programme-accounts' && method === 'GET') return [200, [{ programme: 'member-basic', programme_name: '上海工会会员专享基本保障', category: '会员专享', configured: false }]]
  if (rest.startsWith('/programme-accounts/')) return [200, { programme: 'member-basic', programme_name: '上海工会会员专享基本保障', ...body(init), configured: true }]
  if (rest === '/accounts') return [200, [account]]
  if (rest.startsWith('/accounts/') && method === 'PUT') {
    const sent = body(init)
    if (!/^[\d\s-]+$/.test(String(sent.account_no))) return problem(422, 'account.number', '帐号只能包含数字、空格和“-”', { field: 'account_no' })
    return [200, { ...account, ...sent, category: decodeURIComponent(rest.split('/')[2]!) }]
  }
  if (rest === '/vouchers/preview') return preview(body(init))
  if (rest === '/vouchers' && method === 'POST') return upload(init)
  if (rest === '/vouchers') return [200, page(u.searchParams.get('state') === '审核中' ? [voucher] : [voucher, returned])]
  if (rest === `/vouchers/${voucher.voucher_no}/approve`) {
    keyOf(init)
    return [200, { ...voucher, state: '审核通过', confirmed_batches: [NO], refund_no: refund.refund_no, reviewed_by: 'zhibao' }]
  }
  if (rest === `/vouchers/${voucher.voucher_no}/return`) return [200, { ...voucher, state: '审核不通过', review_reason: body(init).reason }]
  if (rest === '/refunds') return [200, page([refund])]
  if (rest === `/refunds/${refund.refund_no}/issue`) {
    keyOf(init)
    return [200, { ...refund, ...body(init), state: '已退款' }]
  }
  if (rest === '/receipts') return [200, page([receipt(1, '已开具'), receipt(2, '待开具', { title: '上海XXX公司' })])]
  if (rest === `/payables/${paidPayable.batch_no}/receipts` && method === 'GET') return [200, receipts([])]
  if (rest === `/payables/${paidPayable.batch_no}/receipts` && method === 'PUT') {
    keyOf(init)
    const lines = body(init).lines as { amount_fen: number }[]
    const total = lines.reduce((sum, l) => sum + l.amount_fen, 0)
    if (total !== 4000) return problem(422, 'receipt.sum_mismatch', `专用收据金额合计（${total / 100}元）必须等于应缴纳保费（40元）`, { due_fen: 4000, total_fen: total, issued_fen: 0 })
    return [200, receipts([receipt(3, '待开具')])]
  }
  if (rest === `/payables/${paidPayable.batch_no}/receipts/issue`) {
    keyOf(init)
    return [200, { ...receipts([receipt(2, '已开具')]), issued_fen: 4000 }]
  }
  if (rest === '/receipts/ZY20240110001/void') {
    keyOf(init)
    return [200, receipts([receipt(1, '已作废', { void_reason: body(init).reason })])]
  }
  if (rest === '/reconciliation') return [200, settlement(u, u.searchParams.get('programme') === 'retiree-hospital' ? retireeBalances : balances)]
  if (rest === '/reconciliation/split') return [200, settlement(u, splits)]
  // files: the notice, the statistics workbook, a voucher image, a receipt PDF, the exports
  if (/\/(notice|statistics\.xlsx|file|pdf|export)$/.test(rest)) return [200, {}]
  return null
}
