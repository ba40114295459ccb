/**
 * 互助保障 参保批次 — the enrollment service through the gateway (`/api/mutual-aid/…`, docs/gateway-api.md):
 * the programme year (items A0–C3 with full- and half-year prices), 参保批次管理, 参保清册 (uploads run in
 * the background: poll the job), 清册校验 and 清册提交, attachments, the insurer's 职保会审核, 保障项目选择 and
 * the operation log. Money in fen; ID numbers and phones arrive masked. The shapes of this area live here.
 */
import { download, http, request } from './http'
import { errorFromResponse, networkError } from './errors'
import type { Page, PageQuery } from './types'

const BASE = '/api/mutual-aid'
const enc = encodeURIComponent

export const ENROLLMENT_TYPES = ['集中参保', '即时参保'] as const
export type EnrollmentType = (typeof ENROLLMENT_TYPES)[number]
export const BATCH_STATUSES = [
  '清册待校验', '清册校验不通过', '清册校验通过', '职保会待审核', '职保会审核通过', '职保会审核不通过',
  '缴费凭证待上传', '审核中', '参保已完成',
] as const
/** The roster changes only in these statuses (the service says batch.roster_frozen otherwise). */
export const ROSTER_EDITABLE = ['清册待校验', '清册校验不通过', '职保会审核不通过']
/** 保障项目选择 opens after 清册校验通过 or 职保会审核通过. */
export const ITEMS_OPEN = ['清册校验通过', '职保会审核通过']
export const ATTACHMENT_KINDS = [
  '情况说明', '社保缴费申报表', '退工单', '人员转出核定表', '人员转入核定表', '劳务派遣说明', '任命书', '人员确认承诺书',
] as const
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number]
/** What the batch's status offers (`Batch.actions`). */
export type BatchAction =
  | 'check_failed' | 'submit' | 'submit_for_review' | 'approve' | 'reject' | 'confirm_premium'
  | 'upload_voucher' | 'confirm_payment' | 'withdraw' | 'delete'

export interface OpenYear {
  year: number
  enrollment_type: EnrollmentType
}

export interface Item {
  code: string
  name: string
  /** 全年缴费标准 per person */
  full_fen: number
  /** 半年缴费标准 (即时参保 starting January – June) */
  half_fen: number
  /** 免责期 of an instant enrollment */
  waiting_days: number
  accident_exempt: boolean
  /** A0: only people in the employee medical insurance */
  social_security_only: boolean
}

export interface YearRules {
  bundle_codes: string[]
  bundle_discount_fen: number
  change_pct: number
  ratio_min_pct: number
  ratio_max_pct: number
  small_unit_max: number
  template_max_rows: number
}

export interface YearView {
  programme: string
  programme_name: string
  year: number
  insurance_start: string
  insurance_end: string
  windows: { kind: string; label: string; opens_at: string; closes_at: string; open_now: boolean }[]
  open_now: EnrollmentType[]
  items: Item[]
  rules: YearRules
  voucher_days: number
  retirement_age_male: number
  retirement_age_female: number
  payee_name: string
  payee_account: string
  payee_bank: string
}

export interface PremiumRow {
  /** 参加项目: A3, or the bundle "A0 B0 C0" */
  label: string
  /** 费用标准 */
  standard_fen: number
  /** 优惠金额 */
  discount_fen: number
  price_fen: number
  ss_persons: number
  ss_fen: number
  non_ss_persons: number
  non_ss_fen: number
  /** 合计费用 */
  total_fen: number
}

export interface Premium {
  items: string[]
  half_year: boolean
  rows: PremiumRow[]
  ss_persons: number
  non_ss_persons: number
  ss_fen: number
  non_ss_fen: number
  /** 总计 */
  total_fen: number
  /** an instant batch of a unit in this year's collective enrollment keeps those items */
  locked_items: string[] | null
}

export interface Removal {
  row_id: number
  name: string
  id_number: string
  id_type: string
  gender: string
  /** 退休 / 超龄 */
  reason: string
}

export interface Clash {
  row_id: number
  name: string
  id_number: string
  unit_name: string
  handler_name: string
  handler_phone: string
  message: string
}

export interface UnitRatio {
  unit_code: string
  unit_name: string
  insured: number
  headcount: number
  percent: string
}

/** 清册校验结果 */
export interface Check {
  /** 清册校验不通过 / 清册校验通过 / 需上传附件 */
  outcome: string
  insured: number
  removals: Removal[]
  clashes: Clash[]
  /** null: 新参保单位 */
  change: { last: number; this: number; percent: string; within: boolean } | null
  /** only outside ±10 % or for a new unit */
  ratio: { units: UnitRatio[]; overall: UnitRatio; required_min_pct: number; max_pct: number; within: boolean } | null
  new_unit: boolean
  /** 建议清册未能匹配人员 (人员确认) */
  unmatched: number
  /** what to upload, when attachments are needed */
  evidence: string | null
  evidence_uploaded: boolean
  checked_at: string
}

/** 清册校验 running in the background; when 已完成 the batch carries the verdict (`Batch.check`) */
export interface CheckJob {
  id: string
  batch_no: string
  /** 排队中 → 校验中 → 已完成 | 已失败 */
  state: string
  rows_total: number
  rows_checked: number
  /** percent */
  progress: number
  /** 清册校验不通过 / 清册校验通过 / 需上传附件, once 已完成 */
  outcome: string | null
  error_code: string | null
  error_message: string | null
  requested_by: string
  requested_by_name?: string
  created_at: string
  started_at: string | null
  finished_at: string | null
}

export interface Batch {
  batch_no: string
  programme: string
  year: number
  enrollment_type: EnrollmentType
  code: string
  unit_name: string
  org_id: number | null
  status: string
  actions: BatchAction[]
  handler_name: string
  handler_phone: string
  handler_email: string
  persons: number
  check: Check | null
  roster_submitted_at: string | null
  cover_start: string | null
  cover_end: string | null
  half_year: boolean
  items: string[]
  premium: Premium | null
  amount_fen: number
  premium_confirmed_at: string | null
  voucher_due: string | null
  voucher_late: boolean
  payable_no: string | null
  voucher_no: string | null
  voucher_submitted_at: string | null
  paid_amount_fen: number | null
  completed_at: string | null
  created_by: string
  created_by_name?: string
  created_at: string
  updated_at: string
  version: number
}

export interface RosterRow {
  id: number
  name: string
  /** 姓名匹配异常: the names to choose from (建议清册, 会员库, 本地导入) */
  name_options: string[]
  id_type: string
  id_number: string
  birth_date: string
  gender: string
  phone: string
  has_social_security: boolean
  /** 职退状态: 在职 / 退休 / - */
  employment: string
  /** 单位社保编码 of the suggested roster */
  unit_code: string | null
  /** 是否建议名单 */
  suggested: boolean
  over_age: boolean
  over_age_kept: boolean
  /** 本地导入 / 上年度 / 会员库 */
  source: string
  /** 设置在职 asked, social security has not answered yet */
  checking: boolean
  check_note: string
  /** the last 清册校验's verdict: 退休 / 超龄 / 身份信息被…占用 */
  problem: string
  premium_fen: number | null
  /** only 非身份证 rows */
  editable: boolean
}

export interface RowEdit {
  name?: string
  birth_date?: string
  gender?: '男' | '女'
  /** '' clears it */
  phone?: string
  has_social_security?: boolean
}

export interface RowFilter {
  name?: string
  id_number?: string
  employment?: string
  over_age?: boolean | ''
  problem?: boolean | ''
}

export interface Built {
  added: number
  updated: number
  skipped: number
}

export interface RosterImport {
  id: string
  batch_no: string
  /** 排队中 → 校验中 → 入库中 → 已完成 | 已失败 */
  state: string
  file_name: string
  file_size: number
  rows_total: number
  rows_checked: number
  rows_added: number
  rows_updated: number
  rows_rejected: number
  /** percent */
  progress: number
  /** 数据读取：6人，成功导入：5条信息（新增加5人，修改0人），导入失败：1条信息 */
  summary: string
  error_code: string | null
  error_message: string | null
  created_at: string
  started_at: string | null
  finished_at: string | null
}

export interface Rejection {
  /** Excel row (header = 1) */
  row_no: number
  column: string
  code: string
  reason: string
  name: string
}

export interface BatchAttachment {
  id: number
  kind: string
  file_name: string
  media_type: string
  size: number
  uploaded_by: string
  uploaded_by_name?: string
  uploaded_at: string
  /** the gateway's path of the file */
  url: string
}

export interface Operation {
  id: number
  batch_no: string
  action: string
  label: string
  from_status: string | null
  to_status: string | null
  reason: string | null
  detail: Record<string, unknown> | null
  actor_id: string
  actor_tier: string
  /** the account's name (the gateway adds it) */
  actor_name: string | null
  at: string
}

export interface BatchFilter {
  year?: number
  enrollment_type?: string
  status?: string
  batch_no?: string
  code?: string
  unit_name?: string
}

/** Send a file as the request body (the service checks its bytes); a failure is the ApiError. */
async function sendFile<T>(path: string, file: File, query: Record<string, string>): Promise<T> {
  const search = new URLSearchParams({ ...query, file_name: file.name }).toString()
  let res: Response
  try {
    res = await fetch(`${path}?${search}`, {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': file.type || 'application/octet-stream' },
      credentials: 'include',
      body: file,
    })
  } catch (e) {
    throw networkError(e)
  }
  if (!res.ok) throw await errorFromResponse(res)
  return (await res.json()) as T
}

const batch = (no: string, rest = '') => `${BASE}/batches/${enc(no)}${rest}`

export const batchesApi = {
  openYears: () => http.get<OpenYear[]>(`${BASE}/years/open`),
  year: (year: number) => http.get<YearView>(`${BASE}/years/${year}`),
  template: () => download(`${BASE}/roster-template`, undefined, '参保名单导入模板.xlsx'),

  create: (body: { enrollment_type: EnrollmentType; code: string; unit_name: string }) =>
    http.post<Batch>(`${BASE}/batches`, body),
  list: (q: BatchFilter & PageQuery) => http.get<Page<Batch>>(`${BASE}/batches`, { ...q }),
  get: (no: string) => http.get<Batch>(batch(no)),
  remove: (no: string) => http.del(batch(no)),
  withdraw: (no: string, reason: string) => http.post<Batch>(batch(no, '/withdraw'), { reason }),
  operations: (no: string) => http.get<Operation[]>(batch(no, '/operations')),

  rows: (no: string, q: RowFilter & PageQuery) => http.get<Page<RosterRow>>(batch(no, '/rows'), { ...q }),
  editRow: (no: string, id: number, body: RowEdit) => http.patch<void>(batch(no, `/rows/${id}`), body),
  keepOverAge: (no: string, id: number, kept: boolean) =>
    request<void>('PUT', batch(no, `/rows/${id}/over-age-kept`), { body: { kept } }),
  chooseName: (no: string, id: number, name: string) =>
    request<void>('PUT', batch(no, `/rows/${id}/name`), { body: { name } }),
  removeRow: (no: string, id: number) => http.del<{ count: number }>(batch(no, `/rows/${id}`)),
  removeRows: (no: string, rowIds: number[]) => http.post<{ count: number }>(batch(no, '/rows/delete'), { row_ids: rowIds }),
  fromLastYear: (no: string) => http.post<Built>(batch(no, '/rows/from-last-year')),
  fromRegistry: (no: string) => http.post<Built>(batch(no, '/rows/from-registry')),
  /** 设置在职 (rows) / 批量设置为在职 (all: every row whose 职退状态 is “-”) */
  setEmployed: (no: string, body: { row_ids?: number[]; all?: boolean }) =>
    http.post<{ request_ids: string[]; rows: number }>(batch(no, '/rows/employment-checks'), body),
  upload: (no: string, file: File) => sendFile<RosterImport>(batch(no, '/imports'), file, {}),
  importJob: (id: string) => http.get<RosterImport>(`${BASE}/imports/${enc(id)}`),
  rejections: (id: string, q: PageQuery) => http.get<Page<Rejection>>(`${BASE}/imports/${enc(id)}/rejections`, { ...q }),

  /** 清册校验: 202 with the job; poll `checkJob` until 已完成 / 已失败 */
  validate: (no: string) => http.post<CheckJob>(batch(no, '/validation')),
  /** the batch's last check (null: never checked) */
  latestCheck: (no: string) => http.get<CheckJob | null>(batch(no, '/validation')),
  checkJob: (id: string) => http.get<CheckJob>(`${BASE}/checks/${enc(id)}`),
  submit: (no: string, body: { commitment_accepted: boolean; people_confirmed: boolean }) =>
    http.post<Batch>(batch(no, '/submission'), body),
  attachments: (no: string) => http.get<BatchAttachment[]>(batch(no, '/attachments')),
  attach: (no: string, kind: string, file: File) => sendFile<BatchAttachment>(batch(no, '/attachments'), file, { kind }),
  removeAttachment: (no: string, id: number) => http.del(batch(no, `/attachments/${id}`)),

  reviewQueue: (q: PageQuery) => http.get<Page<Batch>>(`${BASE}/review`, { ...q }),
  approve: (no: string) => http.post<Batch>(batch(no, '/approve')),
  reject: (no: string, reason: string) => http.post<Batch>(batch(no, '/reject'), { reason }),

  premium: (no: string, items: string[]) => http.get<Premium>(batch(no, '/premium'), { items }),
  confirmPremium: (no: string, items: string[]) => http.post<Batch>(batch(no, '/premium'), { items }),
}
