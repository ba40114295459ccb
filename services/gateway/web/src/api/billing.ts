/**
 * 缴费管理 — the billing service through the gateway (`/api/billing/…`, docs/gateway-api.md): 应缴清单 with
 * the notice, statistics and lines, 缴费凭证 (multipart upload, correction, the insurer's review), 退款,
 * 专用收据, 收款帐户. Money is integer fen; phones, ID numbers and (for payers) refund account numbers
 * arrive masked. Money-moving requests carry an Idempotency-Key: one per form opening, reused for
 * retries. The shapes of this area live here.
 */
import { download, http, request } from './http'
import { errorFromResponse, networkError } from './errors'
import type { Page, PageQuery } from './types'

const BASE = '/api/billing'
const enc = encodeURIComponent

export const PAYABLE_STATUSES = ['缴费凭证待上传', '审核中', '未缴足', '已确认', '已失效'] as const
export const VOUCHER_STATES = ['审核中', '审核通过', '审核不通过'] as const
export const REFUND_STATES = ['待退款', '已退款'] as const
export const RECEIPT_STATES = ['待开具', '已开具', '已作废'] as const
export const ACCOUNT_CATEGORIES = ['在职', '退休', '会员专享'] as const
export type AccountCategory = (typeof ACCOUNT_CATEGORIES)[number]
/** 缴费方式 a clerk may choose (个人代扣 is the system's, for the retiree plan's pension withholding) */
export const PAYMENT_METHODS = ['贷记(网银)', '转账', '支票', '现金'] as const
export const REFUND_METHODS = ['划帐', '支票'] as const

export interface Account {
  category: AccountCategory
  /** 户名 */
  payee_name: string
  /** 帐号 */
  account_no: string
  /** 开户行 */
  bank: string
  updated_by: string
  /** the account's name, added by the gateway */
  updated_by_name?: string
  updated_at: string
}

export interface ProgrammeAccount {
  programme: string
  /** 上海工会会员专享基本保障 …: as billing's newest payable of the programme names it; '' before any */
  programme_name: string
  category: AccountCategory
  /** false: the programme's default */
  configured: boolean
}

export interface TypeTotal {
  code: string
  name: string
  premium_fen: number
  persons: number
  amount_fen: number
}

export interface PremiumSplit {
  amount_fen: number
  /** 市总统一划拨 */
  city_fen: number
  /** 区局/各级工会 */
  district_fen: number
  /** 基层单位 */
  grassroots_fen: number
}

export interface Payable {
  batch_no: string
  programme: string
  programme_name: string
  year: number
  enrollment_type: string
  payer_org_id: number
  payer_org_name: string
  persons: number
  persons_member_card: number
  persons_ss_card: number
  guarantee_types: TypeTotal[]
  split: PremiumSplit
  /** the batch's whole amount (参保资金总额) */
  due_fen: number
  /** 已代扣 (退休住院计划): the 代扣行 — withheld from pensions, paid already, no voucher; 0 elsewhere */
  withheld_fen: number
  /** people whose pension withholding succeeded */
  withheld_persons: number
  /** 需单位缴纳: due − withheld */
  payer_due_fen: number
  /** approved vouchers' share */
  paid_fen: number
  /** vouchers under review */
  pending_fen: number
  /** due − withheld − paid */
  outstanding_fen: number
  /** due − withheld − paid − pending (未缴足) */
  shortfall_fen: number
  state: string
  status: string
  overdue: boolean
  pay_by: string
  coverage_start: string | null
  coverage_end: string
  account_category: AccountCategory
  /** the receiving account to pay into */
  account: Account | null
  handler_name: string
  handler_phone: string
  handler_email: string
  submitted_at: string
  complete: boolean
  lines_received: number
  lines_total: number
  roster_frozen: boolean
  frozen_at: string | null
  confirmed_at: string | null
  lapsed_at: string | null
  notice_version: number
  notice_url: string
  statistics_url: string
  version: number
  updated_at: string
}

export interface PayableFilter {
  programme?: string
  year?: number
  batch_no?: string
  status?: string
  enrollment_type?: string
  overdue?: boolean | ''
}

export interface PayableLine {
  member_id: string
  org_id: number
  org_name: string
  name: string
  id_number: string
  channel: string
  guarantee_type: string
  premium_fen: number
}

export interface RefundAccount {
  account_category: AccountCategory | ''
  account_name: string
  account_no: string
  bank: string
  method: string
}

/** 凭证信息填报: the `data` part of the upload (and the preview's body) */
export interface VoucherIn {
  batch_nos: string[]
  /** 付款单位 */
  paying_unit: string
  /** 缴费方式 */
  method: string
  /** 缴费金额 (凭证总金额) in fen */
  amount_fen: number
  /** 收款帐户类别 */
  account_category: AccountCategory | ''
  /** YYYY-MM-DD, not after today */
  transfer_date: string
  /** 退款信息: required in full when the amount is more than what is due */
  refund?: RefundAccount | null
}

export interface Applied {
  batch_no: string
  /** the batch's amount */
  due_fen: number
  /** what it lacked before this voucher */
  outstanding_fen: number
  /** what this voucher pays of it */
  applied_fen: number
}

export interface Preview {
  batches: Applied[]
  /** the chosen batches' 代扣行 (already paid) */
  withheld_fen: number
  /** what the chosen batches still lack (withholding and other vouchers counted) */
  due_fen: number
  amount_fen: number
  applied_fen: number
  /** paid − due (退款金额自动计算) */
  refund_fen: number
  /** due − paid */
  shortfall_fen: number
  refund_required: boolean
  refund_explanation_required: boolean
}

export interface StoredFile {
  file_name: string
  media_type: string
  size: number
  url: string
}

export interface Voucher {
  voucher_no: string
  payer_org_id: number
  payer_org_name: string
  programme: string
  year: number
  paying_unit: string
  method: string
  amount_fen: number
  account_category: AccountCategory
  transfer_date: string
  batches: Applied[]
  due_fen: number
  applied_fen: number
  refund_fen: number
  shortfall_fen: number
  refund: RefundAccount | null
  refund_no: string | null
  file: StoredFile | null
  refund_file: StoredFile | null
  state: string
  /** 职保中心反馈 when returned */
  review_reason: string
  reviewed_by: string | null
  /** the account's name, added by the gateway */
  reviewed_by_name?: string
  reviewed_at: string | null
  confirmed_batches: string[]
  submitted_by: string
  /** the account's name, added by the gateway */
  submitted_by_name?: string
  submitted_at: string
  updated_at: string
  version: number
}

export interface VoucherFilter {
  state?: string
  batch_no?: string
  paying_unit?: string
  programme?: string
  year?: number
  oldest_first?: boolean
}

export interface Refund {
  refund_no: string
  voucher_no: string
  batch_nos: string[]
  payer_org_id: number
  payer_org_name: string
  programme: string
  year: number
  amount_fen: number
  account_category: string
  account_name: string
  /** full for the insurer, masked for everyone else */
  account_no: string
  bank: string
  method: string
  state: string
  paid_on: string | null
  reference: string
  created_at: string
  issued_by: string | null
  /** the account's name, added by the gateway */
  issued_by_name?: string
  issued_at: string | null
  version: number
}

export interface RefundFilter {
  state?: string
  voucher_no?: string
  programme?: string
  year?: number
}

export interface Receipt {
  id: number
  receipt_no: string | null
  batch_no: string
  payer_org_id: number
  payer_org_name: string
  programme: string
  year: number
  /** 专用收据抬头 */
  title: string
  uscc: string
  amount_fen: number
  remark: string
  state: string
  requested_by: string
  /** the account's name, added by the gateway */
  requested_by_name?: string
  requested_at: string
  issued_by: string | null
  /** the account's name, added by the gateway */
  issued_by_name?: string
  issued_at: string | null
  void_reason: string
  voided_at: string | null
  pdf_url: string | null
  version: number
}

/** A batch's receipts: asked + issued must equal its premium (retiree plan: at most what was paid) */
export interface Receipts {
  batch_no: string
  due_fen: number
  /** what was paid: withheld (代扣行) + approved vouchers' share */
  paid_fen: number
  /** 等于应缴纳保费 / 不超过已缴金额 (退休住院计划) */
  rule: string
  requested_fen: number
  issued_fen: number
  items: Receipt[]
}

export interface ReceiptLineIn {
  title: string
  amount_fen: number
  uscc?: string
  remark?: string
}

export interface ReceiptFilter {
  state?: string
  batch_no?: string
  title?: string
}

/** 对账: one payer's money in a programme-year (lapsed batches left out; the totals row is 合计, id 0) */
export interface Balance {
  payer_org_id: number
  payer_org_name: string
  batches: number
  persons: number
  /** 应缴 */
  due_fen: number
  /** approved vouchers, gross (已到账) */
  received_fen: number
  /** 已代扣: withheld from pensions (the retiree plan's 代扣行) */
  withheld_fen: number
  /** their share of the premiums (已抵缴) */
  paid_fen: number
  /** vouchers under review */
  pending_fen: number
  /** 待退款 */
  refund_due_fen: number
  /** 已退款 */
  refunded_fen: number
  /** due − withheld − paid (未缴) */
  outstanding_fen: number
  overdue_batches: number
}

/** The city federation's view of who bears a payer's premiums */
export interface SplitRow {
  payer_org_id: number
  payer_org_name: string
  batches: number
  persons: number
  amount_fen: number
  /** 市总统一划拨 */
  city_fen: number
  /** 区局/各级工会 */
  district_fen: number
  /** 基层单位 */
  grassroots_fen: number
}

export interface Settlement<T> {
  programme: string
  year: number
  items: T[]
  totals: T
}

/** 对账 asks for one programme-year */
export interface ProgrammeYearQuery {
  programme: string
  year: number
}

/** A fresh Idempotency-Key: made when a form opens and kept for its retries. */
export function newKey(what: string): string {
  return `${what}-${Date.now()}-${Math.random().toString(36).slice(2)}`
}

/** fetch with the session cookie and the key; a failure becomes the ApiError with the server's title. */
async function once<T>(method: 'POST' | 'PUT', path: string, key: string, payload?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Idempotency-Key': key }
  const init: RequestInit = { method, headers, credentials: 'include' }
  if (payload instanceof FormData) init.body = payload
  else if (payload !== undefined) {
    headers['Content-Type'] = 'application/json'
    init.body = JSON.stringify(payload)
  }
  let res: Response
  try {
    res = await fetch(path, init)
  } catch (e) {
    throw networkError(e)
  }
  if (!res.ok) throw await errorFromResponse(res)
  return (await res.json()) as T
}

/** A file of the gateway as a Blob (a voucher image or PDF shown in the page; a refusal is a message). */
async function blob(path: string): Promise<Blob> {
  let res: Response
  try {
    res = await fetch(path, { headers: { Accept: '*/*' }, credentials: 'include' })
  } catch (e) {
    throw networkError(e)
  }
  if (!res.ok) throw await errorFromResponse(res)
  return res.blob()
}

/** The upload's parts: `data` (JSON text), `file` (the voucher image/PDF), `refund_file` (退款情况说明). */
export function voucherForm(data: VoucherIn, file: File | null, refundFile: File | null): FormData {
  const form = new FormData()
  form.append('data', JSON.stringify(data))
  if (file) form.append('file', file, file.name)
  if (refundFile) form.append('refund_file', refundFile, refundFile.name)
  return form
}

const payablePath = (no: string) => `${BASE}/payables/${enc(no)}`
const voucherPath = (no: string) => `${BASE}/vouchers/${enc(no)}`

/** 应缴清单 */
export const payablesApi = {
  list: (q: PayableFilter & PageQuery) => http.get<Page<Payable>>(`${BASE}/payables`, { ...q }),
  export: (f: PayableFilter) => download(`${BASE}/payables/export`, { ...f }, '应缴清单.xlsx'),
  get: (no: string) => http.get<Payable>(payablePath(no)),
  lines: (no: string, q: PageQuery) => http.get<Page<PayableLine>>(`${payablePath(no)}/lines`, { ...q }),
  /** 缴费告知书 (PDF) */
  notice: (p: Payable) => download(p.notice_url, undefined, `缴费告知书-${p.batch_no}.pdf`),
  /** 参保统计表 (xlsx) */
  statistics: (p: Payable) => download(p.statistics_url, undefined, `参保统计表-${p.batch_no}.xlsx`),
  /** the insurer re-renders the notice with the account configured now */
  reissueNotice: (no: string) => http.post<Payable>(`${payablePath(no)}/notice`),
}

/** 收款帐户 */
export const accountsApi = {
  list: () => http.get<Account[]>(`${BASE}/accounts`),
  put: (category: AccountCategory, body: { payee_name: string; account_no: string; bank: string }) =>
    request<Account>('PUT', `${BASE}/accounts/${enc(category)}`, { body }),
  programmes: () => http.get<ProgrammeAccount[]>(`${BASE}/programme-accounts`),
  putProgramme: (programme: string, category: AccountCategory) =>
    request<ProgrammeAccount>('PUT', `${BASE}/programme-accounts/${enc(programme)}`, { body: { category } }),
}

/** 缴费凭证 */
export const vouchersApi = {
  /** 退款金额自动计算: nothing stored */
  preview: (data: VoucherIn) => http.post<Preview>(`${BASE}/vouchers/preview`, data),
  upload: (form: FormData, key: string) => once<Voucher>('POST', `${BASE}/vouchers`, key, form),
  /** a returned voucher corrected; a file not sent again is kept */
  correct: (no: string, form: FormData, key: string) => once<Voucher>('PUT', voucherPath(no), key, form),
  list: (q: VoucherFilter & PageQuery) => http.get<Page<Voucher>>(`${BASE}/vouchers`, { ...q }),
  export: (f: VoucherFilter) => download(`${BASE}/vouchers/export`, { ...f }, '缴费凭证.xlsx'),
  get: (no: string) => http.get<Voucher>(voucherPath(no)),
  /** the stored image or PDF, for the viewer */
  file: (f: StoredFile) => blob(f.url),
  downloadFile: (f: StoredFile) => download(f.url, undefined, f.file_name),
  /** 审核通过 = payment confirmation (an over-payment becomes a refund) */
  approve: (no: string, key: string) => once<Voucher>('POST', `${voucherPath(no)}/approve`, key),
  /** 审核不通过 with the reason the payer sees (职保中心反馈) */
  giveBack: (no: string, reason: string) => http.post<Voucher>(`${voucherPath(no)}/return`, { reason }),
}

/** 退款管理 */
export const refundsApi = {
  list: (q: RefundFilter & PageQuery) => http.get<Page<Refund>>(`${BASE}/refunds`, { ...q }),
  export: (f: RefundFilter) => download(`${BASE}/refunds/export`, { ...f }, '退款清单.xlsx'),
  /** the insurer paid it back */
  issue: (no: string, body: { paid_on: string; reference: string }, key: string) =>
    once<Refund>('POST', `${BASE}/refunds/${enc(no)}/issue`, key, body),
}

/** 专用收据 */
export const receiptsApi = {
  list: (q: ReceiptFilter & PageQuery) => http.get<Page<Receipt>>(`${BASE}/receipts`, { ...q }),
  export: (f: ReceiptFilter) => download(`${BASE}/receipts/export`, { ...f }, '专用收据.xlsx'),
  ofBatch: (no: string) => http.get<Receipts>(`${payablePath(no)}/receipts`),
  /** 新增专用收据 → 提交: replaces the lines not yet issued */
  ask: (no: string, lines: ReceiptLineIn[], key: string) =>
    once<Receipts>('PUT', `${payablePath(no)}/receipts`, key, { lines }),
  /** the insurer issues every 待开具 line of the batch */
  issue: (no: string, key: string) => once<Receipts>('POST', `${payablePath(no)}/receipts/issue`, key),
  void: (receiptNo: string, reason: string, key: string) =>
    once<Receipts>('POST', `${BASE}/receipts/${enc(receiptNo)}/void`, key, { reason }),
  pdf: (r: Receipt) => download(r.pdf_url!, undefined, `专用收据-${r.receipt_no}.pdf`),
}

/** 对账 and the city's view of the split (scoped by the service: a union sees its subtree's payers) */
export const reconciliationApi = {
  balance: (q: ProgrammeYearQuery) => http.get<Settlement<Balance>>(`${BASE}/reconciliation`, { ...q }),
  export: (q: ProgrammeYearQuery) => download(`${BASE}/reconciliation/export`, { ...q }, `对账-${q.programme}-${q.year}.xlsx`),
  split: (q: ProgrammeYearQuery) => http.get<Settlement<SplitRow>>(`${BASE}/reconciliation/split`, { ...q }),
  exportSplit: (q: ProgrammeYearQuery) =>
    download(`${BASE}/reconciliation/split/export`, { ...q }, `分摊-${q.programme}-${q.year}.xlsx`),
}
