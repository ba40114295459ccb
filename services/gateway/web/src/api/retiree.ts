/**
 * 退休住院计划 (manual 003) — the enrollment service through the gateway (`/api/retiree/…`, docs/retiree-api.md):
 * the year and its rules, last year's units and their name changes, a unit's batches through the step bar
 * (单位信息, 缴费方式, 参保名单 with background imports, 系统校验, 参保比例 and attachments, 职保会审核, 委托代扣,
 * 参保名单确定 → 缴费管理). Money in fen; ID numbers and phones arrive masked. The shapes of this area live here.
 */
import { download, http, request } from './http'
import { errorFromResponse, networkError } from './errors'
import type { Page, PageQuery } from './types'
import type { HeadcountFilter, LoadResult, UnitHeadcount } from './mutual-aid-years'

const BASE = '/api/retiree'
const enc = encodeURIComponent

export const ENROLLMENT_TYPES = ['集中参保', '即时参保'] as const
export type EnrollmentType = (typeof ENROLLMENT_TYPES)[number]
export const PAYMENT_MODES = ['委托代扣', '缴费凭证'] as const
export type PaymentMode = (typeof PAYMENT_MODES)[number]
export const BATCH_STATUSES = [
  '名单待导入', '名单待校验', '名单校验中', '名单校验完成', '职保会待审核', '职保会审核不通过', '职保会审核通过',
  '代扣处理中', '代扣完成', '缴费凭证待上传', '凭证审核中', '投保成功',
] as const
/** 校验结果 */
export const CHECK_RESULTS = [
  '待校验', '校验中', '校验通过', '参保姓名和社保姓名不一致', '死亡', '退休年月为空或值无效', '已经修改退休年月',
  '已确认社保姓名', '未匹配到社保信息', '社保查询失败',
] as const
export const WITHHOLDABLE = ['可代扣', '不可代扣'] as const
export const WITHHOLDING_RESULTS = ['代扣成功', '代扣失败', '代扣中'] as const
/** 无社保人员 情形 */
export const NO_SS_CLASSES = ['新退休', '干保', '出国', '其他'] as const
export type NoSsClass = (typeof NO_SS_CLASSES)[number]
export const ATTACHMENT_KINDS = ['委托代扣申请书', '参保比例佐证材料', '无社保人员材料', '其他'] as const
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number]
/** What the caller may do now (`Batch.actions`). */
export type BatchAction =
  | 'confirm_unit' | 'choose_payment_mode' | 'add_people' | 'import' | 'edit_people' | 'delete_people'
  | 'submit_validation' | 'confirm_ss_name' | 'classify' | 'upload_attachment' | 'submit_review' | 'approve'
  | 'reject' | 'request_withholding' | 'delete_failed' | 'confirm_roster' | 'delete'

export interface OpenYear {
  year: number
  enrollment_type: EnrollmentType
}

export interface Rules {
  premium_fen: number
  withholding_max_fen: number
  waiting_days: number
  ratio_min_pct: number
  phone_valid_pct: number
  /** 养老金发放日: the bank deducts on it */
  pension_day: string | null
  template_max_rows: number
}

export interface YearWindow {
  kind: string
  label: string
  opens_at: string
  closes_at: string
  open_now: boolean
}

export interface YearView {
  programme: string
  programme_name: string
  year: number
  insurance_start: string
  insurance_end: string
  windows: YearWindow[]
  open_now: EnrollmentType[]
  rules: Rules
  payee_name: string
  payee_account: string
  payee_bank: string
}

export interface Unit {
  code: string
  unit_name: string
  uscc: string | null
  /** the unit name found a USCC */
  uscc_matched: boolean
  org_id: number | null
  owner_user_id: string | null
  owner_tier: string | null
  address: string
  postcode: string
  district: string
  economic_type: string
  handler_name: string
  /** masked */
  handler_phone: string
  handler_email: string
  info_complete: boolean
  pending_name_change_id: number | null
  updated_at: string
}

export interface UnitInfo {
  address: string
  postcode: string
  district: string
  economic_type: string
  handler_name: string
  handler_phone: string
  handler_email: string
}

export interface UnitsLoaded {
  received: number
  registered: number
  updated: number
  unchanged: number
  invalid: { code: string; unit_name: string; uscc: string; reason: string }[]
}

export interface UnitFile {
  id: number
  file_name: string
  media_type: string
  size: number
  uploaded_at: string
  url: string | null
}

export interface NameChangeIn extends UnitInfo {
  new_unit_name: string
  uscc: string
  principal?: string
  unit_phone?: string
  attachment_ids: number[]
}

export interface NameChange extends Omit<NameChangeIn, 'attachment_ids'> {
  id: number
  code: string
  old_unit_name: string
  /** 申请中 / 审核通过 / 审核不通过 */
  status: string
  reason: string | null
  attachments: UnitFile[]
  submitted_by: string
  submitted_by_name?: string | null
  submitted_at: string
  reviewed_by: string | null
  reviewed_by_name?: string | null
  reviewed_at: string | null
}

export interface Counts {
  persons: number
  unchecked: number
  anomalies: number
  passed: number
  withholdable: number
  not_withholdable: number
  name_mismatch: number
  deceased: number
  retirement_missing: number
  not_found: number
  check_failed: number
}

export interface Money {
  persons: number
  premium_fen: number
  /** persons × premium */
  amount_fen: number
  withheld_persons: number
  /** 代扣行: successes × amount */
  withheld_fen: number
  /** persons the unit pays in full: failed or 不可代扣 */
  unit_paid_persons: number
  /** amount − withheld */
  unit_owes_fen: number
}

export interface Withholding {
  request_no: string
  requested: number
  succeeded: number
  failed: number
  pending: number
  amount_fen: number
  pension_day: string | null
  requested_at: string | null
  deducted_on: string | null
  /** when the 代扣结果 went to the handler by SMS and mail (both sent); null until then */
  notified_at: string | null
}

export interface Batch {
  batch_no: string
  year: number
  enrollment_type: EnrollmentType
  code: string
  unit_name: string
  uscc: string
  status: string
  /** 1 选择参保类型 … 10 缴费参保 */
  step: number
  step_label: string
  actions: BatchAction[]
  payment_mode: PaymentMode | null
  withholding_amount_fen: number | null
  entrustment_attachment_id: number | null
  unit_confirmed_at: string | null
  counts: Counts
  validation: { requested: number; answered: number; percent: number; requested_at: string | null } | null
  review_reason: string | null
  review_lines: { unit_code: string; reason: string }[]
  withholding: Withholding | null
  /** 代扣受理单 downloadable from (one working day after the withholding request); null without a request */
  withholding_slip_from: string | null
  money: Money
  cover_start: string | null
  cover_end: string | null
  covered_from: string | null
  payable_no: string | null
  voucher_no: string | null
  paid_amount_fen: number | null
  completed_at: string | null
  handler_name: string
  handler_phone: string
  handler_email: string
  created_at: string
  updated_at: string
  version: number
}

export interface Person {
  id: number
  name: string
  ss_name: string
  id_type: string
  id_number: string
  birth_date: string
  gender: string
  phone: string
  phone_valid: boolean
  /** 导入 / 新增 */
  source: string
  check_result: string
  anomaly: boolean
  ss_found: boolean
  ss_unit_code: string | null
  ss_unit_name: string
  retired: boolean
  retirement_month: string | null
  medical_insured: boolean
  /** 可代扣 / 不可代扣 / - */
  withholdable: string
  new_retiree: boolean
  no_ss_class: string | null
  no_ss_remark: string
  no_ss_attachment_id: number | null
  /** null / 代扣中 / 代扣成功 / 代扣失败 */
  withholding_result: string | null
  withholding_amount_fen: number | null
  withholding_reason: string
  premium_fen: number | null
  cover_start: string | null
  cover_end: string | null
}

export interface PersonIn {
  name: string
  id_type: '身份证' | '非身份证'
  id_number: string
  birth_date?: string | null
  gender?: string
  phone: string
}

export interface PersonEdit {
  name?: string
  phone?: string
  birth_date?: string
  gender?: string
  id_number?: string
  /** YYYY-MM */
  retirement_month?: string
}

export interface PersonFilter {
  name?: string
  id_number?: string
  check_result?: string
  anomaly?: boolean | ''
  withholdable?: string
  withholding_result?: string
  without_ss?: boolean | ''
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
  rows_rejected: number
  progress: number
  /** 数据读取：6人，成功导入：5人，导入失败：1条信息 */
  summary: string
  error_code: string | null
  error_message: string | null
  created_at: string
  started_at: string | null
  finished_at: string | null
}

export interface Rejection {
  row_no: number
  column: string
  code: string
  reason: string
  name: string
}

export interface Attachment {
  id: number
  kind: string
  unit_code: string | null
  person_id: number | null
  file_name: string
  media_type: string
  size: number
  uploaded_by: string
  uploaded_by_name?: string | null
  uploaded_at: string
  /** the gateway's path of the file */
  url: string
}

export interface RatioLine {
  unit_code: string
  unit_name: string
  /** 社保人数 */
  headcount: number
  /** 参保人数 (this batch) */
  insured: number
  /** 已参保人数 (this year's other batches) */
  already_insured: number
  /** "76.31%", or "-" without a headcount */
  percent: string
  below_min: boolean
  new_retirees_only: boolean
  evidence_required: boolean
  evidence: Attachment[]
  review_reason: string | null
}

export interface Ratios {
  min_pct: number
  lines: RatioLine[]
  without_ss: { insured: number; people: Person[] }
  evidence_missing: string[]
  unclassed: number
  ready: boolean
}

export interface Operation {
  action: string
  label: string
  from_status: string | null
  to_status: string | null
  reason: string | null
  detail: Record<string, unknown> | null
  actor_id: string
  actor_tier: string
  actor_name?: string | null
  at: string
}

export interface UnitFilter {
  code?: string
  unit_name?: string
  bound?: boolean | ''
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
async function sendFile<T>(path: string, file: File, query: Record<string, string | number | undefined> = {}): Promise<T> {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.append(k, String(v))
  params.append('file_name', file.name)
  let res: Response
  try {
    res = await fetch(`${path}?${params.toString()}`, {
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
const person = (no: string, id: number, rest = '') => batch(no, `/people/${id}${rest}`)

export const retireeApi = {
  openYears: () => http.get<OpenYear[]>(`${BASE}/years/open`),
  year: (year: number) => http.get<YearView>(`${BASE}/years/${year}`),
  putRules: (year: number, rules: Rules) => request<Rules>('PUT', `${BASE}/years/${year}/rules`, { body: rules }),
  putHeadcounts: (year: number, units: { unit_code: string; unit_name: string; headcount: number }[]) =>
    request<{ count: number }>('PUT', `${BASE}/years/${year}/headcounts`, { body: { units } }),
  /** 社保人数 as the mutual-aid headcount file (单位社保编码, 单位名称, 退休人数): loaded whole or not at all */
  headcountTemplate: () => download(`${BASE}/headcount-template`, undefined, '退休人数导入模板.xlsx'),
  uploadHeadcounts: (year: number, file: File) => sendFile<LoadResult>(`${BASE}/years/${year}/headcounts/upload`, file),
  headcounts: (year: number, q: HeadcountFilter & PageQuery) =>
    http.get<Page<UnitHeadcount>>(`${BASE}/years/${year}/headcounts`, { ...q }),
  exportHeadcounts: (year: number, q: HeadcountFilter) =>
    download(`${BASE}/years/${year}/headcounts/export`, { ...q }, `${year}年度退休人数.xlsx`),
  template: () => download(`${BASE}/roster-template`, undefined, '退休住院计划参保名单导入模板.xlsx'),

  importUnits: (file: File) => sendFile<UnitsLoaded>(`${BASE}/units/imports`, file),
  units: (q: UnitFilter & PageQuery) => http.get<Page<Unit>>(`${BASE}/units`, { ...q }),
  /** 导出: every unit the list's filters find */
  exportUnits: (q: UnitFilter) => download(`${BASE}/units/export`, { ...q }, '退休住院计划单位名单.xlsx'),
  unit: (code: string) => http.get<Unit>(`${BASE}/units/${enc(code)}`),
  uscc: (unitName: string) =>
    http.get<{ unit_name: string; uscc: string | null; org_id: number | null }>(`${BASE}/uscc`, { unit_name: unitName }),
  putUnitInfo: (code: string, info: UnitInfo) => request<Unit>('PUT', `${BASE}/units/${enc(code)}/info`, { body: info }),
  uploadUnitFile: (code: string, file: File) => sendFile<UnitFile>(`${BASE}/units/${enc(code)}/attachments`, file),
  applyNameChange: (code: string, body: NameChangeIn) =>
    http.post<NameChange>(`${BASE}/units/${enc(code)}/name-changes`, body),
  nameChanges: (q: { status?: string; code?: string } & PageQuery) =>
    http.get<Page<NameChange>>(`${BASE}/name-changes`, { ...q }),
  nameChangeFile: (changeId: number, f: UnitFile) =>
    download(`${BASE}/name-changes/${changeId}/attachments/${f.id}/file`, undefined, f.file_name),
  approveNameChange: (id: number) => http.post<NameChange>(`${BASE}/name-changes/${id}/approve`),
  rejectNameChange: (id: number, reason: string) => http.post<NameChange>(`${BASE}/name-changes/${id}/reject`, { reason }),

  create: (body: { enrollment_type: EnrollmentType; code: string; unit_name: string }) =>
    http.post<Batch>(`${BASE}/batches`, body),
  list: (q: BatchFilter & PageQuery) => http.get<Page<Batch>>(`${BASE}/batches`, { ...q }),
  /** 导出: every batch the list's filters find */
  exportBatches: (q: BatchFilter) => download(`${BASE}/batches/export`, { ...q }, '退休住院计划参保批次.xlsx'),
  get: (no: string) => http.get<Batch>(batch(no)),
  remove: (no: string) => http.del(batch(no)),
  operations: (no: string) => http.get<Operation[]>(batch(no, '/operations')),
  confirmUnit: (no: string) => http.post<Batch>(batch(no, '/unit-confirmation')),
  choosePaymentMode: (no: string, body: { mode: PaymentMode; amount_fen?: number; entrustment_attachment_id?: number }) =>
    request<Batch>('PUT', batch(no, '/payment-mode'), { body }),

  people: (no: string, q: PersonFilter & PageQuery) => http.get<Page<Person>>(batch(no, '/people'), { ...q }),
  /** 导出: every person the list's filters find (numbers and phones masked) */
  exportPeople: (no: string, q: PersonFilter) =>
    download(batch(no, '/people/export'), { ...q }, `退休住院计划参保名单-${no}.xlsx`),
  addPerson: (no: string, body: PersonIn) => http.post<Person>(batch(no, '/people'), body),
  editPerson: (no: string, id: number, body: PersonEdit) => http.patch<Person>(person(no, id), body),
  takeSsName: (no: string, id: number) => request<Person>('PUT', person(no, id, '/ss-name')),
  classify: (no: string, id: number, body: { no_ss_class: NoSsClass; remark?: string; attachment_id?: number | null }) =>
    request<Person>('PUT', person(no, id, '/no-ss-class'), { body }),
  removePerson: (no: string, id: number) => http.del<{ count: number }>(person(no, id)),
  removePeople: (no: string, body: { person_ids?: number[]; all?: boolean }) =>
    http.post<{ count: number }>(batch(no, '/people/delete'), body),
  upload: (no: string, file: File) => sendFile<RosterImport>(batch(no, '/imports'), file),
  importJob: (id: string) => http.get<RosterImport>(`${BASE}/imports/${enc(id)}`),
  rejections: (id: string, q: PageQuery) => http.get<Page<Rejection>>(`${BASE}/imports/${enc(id)}/rejections`, { ...q }),

  validate: (no: string) => http.post<Batch>(batch(no, '/validation')),
  ratios: (no: string) => http.get<Ratios>(batch(no, '/ratios')),
  attachments: (no: string) => http.get<Attachment[]>(batch(no, '/attachments')),
  attach: (no: string, kind: AttachmentKind, file: File, more: { unit_code?: string; person_id?: number } = {}) =>
    sendFile<Attachment>(batch(no, '/attachments'), file, { kind, ...more }),
  attachmentFile: (a: Attachment) => download(a.url, undefined, a.file_name),
  removeAttachment: (no: string, id: number) => http.del(batch(no, `/attachments/${id}`)),
  submitReview: (no: string) => http.post<Batch>(batch(no, '/review-submission')),

  reviewQueue: (q: PageQuery) => http.get<Page<Batch>>(`${BASE}/review`, { ...q }),
  approve: (no: string) => http.post<Batch>(batch(no, '/approve')),
  reject: (no: string, reason: string, lines: { unit_code: string; reason: string }[] = []) =>
    http.post<Batch>(batch(no, '/reject'), { reason, lines }),

  requestWithholding: (no: string) => http.post<Batch>(batch(no, '/withholding-request'), { accepted: true }),
  /** “委托代扣款申请表”样稿 (PDF): prefilled from the batch when there is one */
  withholdingForm: (no?: string) =>
    download(`${BASE}/withholding-form`, no ? { batch_no: no } : undefined, '委托代扣款申请表（样稿）.pdf'),
  withholdingSlip: (no: string) => download(batch(no, '/withholding-slip'), undefined, `代扣受理单-${no}.pdf`),
  confirmRoster: (no: string) => http.post<Batch>(batch(no, '/confirmation')),
}
