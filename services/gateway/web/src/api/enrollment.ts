/**
 * 会员专享保障 — the enrollment service through the gateway (`/api/enrollment/…`, docs/gateway-api.md).
 * Money is integer fen everywhere; ID numbers and phones arrive masked. Its shapes live here (not in
 * types.ts) so the programme's screens stay in one place.
 */
import { download, http, request } from './http'
import type { Page, PageQuery } from './types'

export type Channel = '会员卡参保' | '社保卡参保'
export type EnrollmentType = '集中参保' | '即时参保'
export type WindowKind = 'split' | 'collective' | 'review' | 'district_submit' | 'instant'
export const WINDOW_KINDS: WindowKind[] = ['split', 'collective', 'review', 'district_submit', 'instant']
export const WINDOW_LABELS: Record<WindowKind, string> = {
  split: '保障金额设置',
  collective: '集中参保提交',
  review: '集中参保审核',
  district_submit: '集中参保提交至职保中心',
  instant: '即时参保办理',
}
/** Submission and line states, in the order of the flow. */
export const STATES = ['待审核', '待提交', '待缴费', '已生效', '已退回', '已替代', '已失效'] as const
export const BATCH_STATES = ['待缴费', '已完成', '已失效'] as const

export interface Programme {
  code: string
  name: string
  description: string
  years: number[]
}

export interface Split {
  city_fen: number
  district_fen: number
  grassroots_fen: number
}

export interface Amounts extends Split {
  amount_fen: number
}

export interface GuaranteeType {
  code: string
  name: string
  premium_fen: number
  default_split: Split
  half_year_premium_fen: number | null
  waiting_days: number
  active: boolean
  sort: number
}

export interface TypeBody extends Split {
  name: string
  premium_fen: number
  half_year_premium_fen?: number | null
  waiting_days?: number
  active?: boolean
  sort?: number
}

export interface YearWindow {
  kind: WindowKind
  label: string
  opens_at: string
  closes_at: string
  open_now: boolean
}

export interface YearParameters {
  insurance_start: string
  insurance_end: string
  unit_pay_by: string | null
  /** the account's name, added by the gateway */
  unit_pay_by_name?: string
  collective_pay_by: string
  /** the account's name, added by the gateway */
  collective_pay_by_name?: string
  instant_pay_days: number
  lapse_grace_days: number
  ss_card_channel: boolean
  retirement_age_male: number
  retirement_age_female: number
  issuer_name: string
  payee_name: string
  payee_account: string
  payee_bank: string
}

export interface ProgrammeYear extends YearParameters {
  programme: string
  programme_name: string
  year: number
  windows: YearWindow[]
  types: GuaranteeType[]
  version: number
}

/** PUT a year: its parameters and all its windows (`opens_at` inclusive, `closes_at` exclusive). */
export interface YearBody extends YearParameters {
  windows: Partial<Record<WindowKind, { opens_at: string; closes_at: string }>>
}

export interface DistrictSplit {
  type_code: string
  type_name: string
  premium_fen: number
  default_split: Split
  /** what applies to the district's subtree */
  split: Split
  set_by: string | null
  /** the account's name, added by the gateway */
  set_by_name?: string
  set_at: string | null
}

export interface CollectiveCounts {
  total_members: number
  submitted: number
  without_card: number
  retired: number
  deceased: number
  pending: number
  excluded: number
  covered: number
  insured: number
  member_card: number
  ss_card: number
  flagged_retiring: number
}

export interface LastSubmission {
  request_id: string
  type_code: string
  persons: number
  amount_fen: number
  submitted_at: string
  states: string[]
  notice_url: string
}

export interface CollectiveOverview {
  org_id: number
  org_name: string
  programme: string
  year: number
  insurance_start: string
  insurance_end: string
  deadline: string | null
  window_open: boolean
  unit_pay_by: string | null
  /** the account's name, added by the gateway */
  unit_pay_by_name?: string
  type_code: string | null
  locked_type_code: string | null
  premium: Amounts | null
  counts: CollectiveCounts
  last_submission: LastSubmission | null
}

/** The lists behind 集中参保办理's clickable counts ('' = everyone). */
export type RosterList = '' | '参保名单' | '待确认' | '未办卡' | '退休' | '死亡' | '已排除' | '已参保' | '已提交' | '即将退休'

export interface RosterRow {
  member_id: string
  member_no: string | null
  name: string
  id_type: string
  id_number: string
  card_number: string | null
  standing: string
  channel: Channel | null
  confirmed: boolean
  flagged_retiring: boolean
  cover_start: string | null
  cover_end: string | null
  ss_card_held: boolean | null
  employed: boolean | null
  checked_at: string | null
}

export interface InstantRow {
  member_id: string
  member_no: string | null
  name: string
  id_type: string
  id_number: string
  card_number: string | null
  newly_carded: boolean
  channel: Channel
  list: '待提交' | '待校验'
  reason: string
  ss_card_held: boolean | null
  employed: boolean | null
  confirmed: boolean
  expected_cover_start: string | null
  cover_end: string
  half_year: boolean
}

export interface EnrollmentRequest {
  request_id: string
  org_id: number
  enrollment_type: EnrollmentType
  type_code: string
  persons: number
  amount_fen: number
  submission_ids: number[]
  submitted_at: string
  notice_url: string
}

export interface CheckResult {
  request_ids: string[]
  members: number
  /** members without a sealed ID number (cannot be asked) */
  skipped: number
}

export interface Submission {
  id: number
  request_id: string
  org_id: number
  org_name: string
  union_code: string
  upper_org_name: string
  programme: string
  year: number
  enrollment_type: EnrollmentType
  channel: Channel
  type_code: string
  type_name: string
  persons: number
  amounts: Amounts
  state: string
  submitted_by: string
  /** the account's name, added by the gateway */
  submitted_by_name?: string
  submitted_at: string
  staged_by: string | null
  /** the account's name, added by the gateway */
  staged_by_name?: string
  staged_at: string | null
  returned_by: string | null
  /** the account's name, added by the gateway */
  returned_by_name?: string
  returned_at: string | null
  return_reason: string | null
  batch_no: string | null
  updated_at: string
}

export interface Line {
  member_id: string
  org_id: number
  name: string
  id_number: string
  channel: Channel
  type_code: string
  premium_fen: number
  state: string
  cover_start: string | null
  cover_end: string | null
  batch_no: string | null
}

export interface StagedTotals {
  persons: number
  persons_member_card: number
  persons_ss_card: number
  amounts: Amounts
}

export interface StagedList extends Page<Submission> {
  totals: StagedTotals
}

export interface Handler {
  name: string
  phone: string
  email: string
}

export interface Batch {
  batch_no: string
  programme: string
  year: number
  payer_org_id: number
  payer_org_name: string
  enrollment_type: EnrollmentType
  persons: number
  persons_member_card: number
  persons_ss_card: number
  amounts: Amounts
  by_type: { code: string; name: string; persons: number; amount_fen: number }[]
  pay_by: string
  coverage_start: string | null
  coverage_end: string
  handler_name: string
  handler_phone: string
  handler_email: string
  state: string
  submitted_by: string
  /** the account's name, added by the gateway */
  submitted_by_name?: string
  submitted_at: string
  paid_amount_fen: number | null
  confirmed_at: string | null
  lapsed_at: string | null
  updated_at: string
  notice_url: string
}

export interface Coverage {
  programme: string
  programme_name: string
  year: number
  enrollment_type: EnrollmentType
  channel: Channel
  type_code: string
  type_name: string
  premium_fen: number
  org_id: number
  state: string
  cover_start: string | null
  cover_end: string | null
  batch_no: string | null
  submitted_at: string
  updated_at: string
}

/** A programme year picked on a screen. */
export interface YearRef {
  code: string
  year: number
}

/** `{all: true}` (全部确认 / everyone not yet answered) or the chosen members. */
export type MemberChoice = { member_ids: string[] } | { all: true }

export interface SubmissionFilter {
  enrollment_type?: EnrollmentType | ''
  state?: string
  org_id?: number | null
  channel?: Channel | ''
  batch_no?: string
  submitted_from?: string
  submitted_to?: string
}

export interface PendingFilter {
  enrollment_type?: EnrollmentType
  unit_name?: string
  unit_code?: string
  submitted_from?: string
  submitted_to?: string
  type_code?: string
  channel?: Channel | ''
  upper_org_id?: number | null
}

export interface BatchFilter {
  programme?: string
  year?: number
  batch_no?: string
  state?: string
  enrollment_type?: EnrollmentType | ''
  submitted_from?: string
  submitted_to?: string
}

const BASE = '/api/enrollment'
const enc = encodeURIComponent
const yearPath = (y: YearRef) => `${BASE}/programmes/${enc(y.code)}/years/${y.year}`
const put = <T>(path: string, body: unknown) => request<T>('PUT', path, { body })

/** 项目与保障类型 (the city configures; everyone with enrollment work reads) */
export const programmesApi = {
  list: () => http.get<Programme[]>(`${BASE}/programmes`),
  put: (code: string, body: { name: string; description?: string }) =>
    put<Programme>(`${BASE}/programmes/${enc(code)}`, body),
  year: (y: YearRef) => http.get<ProgrammeYear>(yearPath(y)),
  putYear: (y: YearRef, body: YearBody) => put<ProgrammeYear>(yearPath(y), body),
  /** A+ goes URL-encoded (A%2B). `split.not_adding_up` when the split does not make the premium. */
  putType: (y: YearRef, typeCode: string, body: TypeBody) =>
    put<GuaranteeType>(`${yearPath(y)}/types/${enc(typeCode)}`, body),
}

/** 保障金额设置 (district unions, for their subtree; the city share stays the type's) */
export const splitsApi = {
  list: (y: YearRef) => http.get<DistrictSplit[]>(`${yearPath(y)}/splits`),
  put: (y: YearRef, typeCode: string, body: { district_fen: number; grassroots_fen: number }) =>
    put<DistrictSplit>(`${yearPath(y)}/splits/${enc(typeCode)}`, body),
}

/** 集中参保 of a grassroots union (its upper unions read it with `org_id`) */
export const collectiveApi = {
  overview: (y: YearRef, q: { org_id?: number; type_code?: string } = {}) =>
    http.get<CollectiveOverview>(`${yearPath(y)}/collective`, { ...q }),
  members: (y: YearRef, q: { list?: RosterList; name?: string; org_id?: number } & PageQuery) =>
    http.get<Page<RosterRow>>(`${yearPath(y)}/collective/members`, { ...q }),
  /** 确认 / 全部确认: a confirmed member joins the list and cannot be removed */
  confirm: (y: YearRef, choice: MemberChoice) => http.post<{ count: number }>(`${yearPath(y)}/collective/confirmations`, choice),
  exclude: (y: YearRef, memberIds: string[], reason = '') =>
    http.post<{ count: number }>(`${yearPath(y)}/collective/exclusions`, { member_ids: memberIds, reason }),
  include: (y: YearRef, memberId: string) =>
    http.del<{ count: number }>(`${yearPath(y)}/collective/exclusions/${enc(memberId)}`),
  /** 获取社保卡和就业状态: answers arrive later (a working day in the manual) */
  check: (y: YearRef, choice?: MemberChoice) => http.post<CheckResult>(`${yearPath(y)}/collective/checks`, choice ?? {}),
  /** 提交至上级审核: replaces the union's previous submission and regenerates the notice */
  submit: (y: YearRef, typeCode: string) =>
    http.post<EnrollmentRequest>(`${yearPath(y)}/collective/submissions`, { type_code: typeCode }),
}

/** 即时参保 of a grassroots union */
export const instantApi = {
  candidates: (
    y: YearRef,
    q: { channel?: Channel; list?: '待提交' | '待校验' | ''; newly_carded?: boolean | ''; name?: string } & PageQuery,
  ) => http.get<Page<InstantRow>>(`${yearPath(y)}/instant/candidates`, { ...q }),
  check: (y: YearRef, choice?: MemberChoice) => http.post<CheckResult>(`${yearPath(y)}/instant/checks`, choice ?? {}),
  confirm: (y: YearRef, choice: MemberChoice) => http.post<{ count: number }>(`${yearPath(y)}/instant/confirmations`, choice),
  submit: (y: YearRef, body: { type_code: string; channel: Channel; member_ids: string[] }) =>
    http.post<EnrollmentRequest>(`${yearPath(y)}/instant/submissions`, body),
}

/** 参保信息管理: submissions in the caller's subtree */
export const submissionsApi = {
  list: (y: YearRef, q: SubmissionFilter & PageQuery) =>
    http.get<Page<Submission>>(`${BASE}/submissions`, { programme: y.code, year: y.year, ...q }),
  get: (id: number) => http.get<Submission>(`${BASE}/submissions/${id}`),
  lines: (id: number, q: PageQuery) => http.get<Page<Line>>(`${BASE}/submissions/${id}/lines`, { ...q }),
}

/** 告知书 / any file the service names by URL (notice_url) */
export const downloadNotice = (url: string, name = '参保告知书.pdf') => download(url, undefined, name)

/** 集中参保审核 / 即时参保审核 (secondary and district unions) */
export const reviewApi = {
  pending: (y: YearRef, q: PendingFilter & PageQuery) =>
    http.get<Page<Submission>>(`${BASE}/review/pending`, { programme: y.code, year: y.year, ...q }),
  staged: (y: YearRef, q: { enrollment_type?: EnrollmentType } & PageQuery) =>
    http.get<StagedList>(`${BASE}/review/staged`, { programme: y.code, year: y.year, ...q }),
  /** 添加至待提交 */
  stage: (ids: number[]) => http.post<{ count: number }>(`${BASE}/review/stage`, { submission_ids: ids }),
  /** 移除 (back to 待审批) */
  unstage: (ids: number[]) => http.post<{ count: number }>(`${BASE}/review/unstage`, { submission_ids: ids }),
  /** 退回 to the unit, with a reason */
  giveBack: (ids: number[], reason: string) =>
    http.post<{ count: number }>(`${BASE}/review/return`, { submission_ids: ids, reason }),
}

/** 参保批次管理 (the district submits; district, secondary, city and the insurer read) */
export const batchesApi = {
  /** 提交列表中的参保信息 → 职保中心: every 待提交 submission of the district's subtree of that type */
  submit: (y: YearRef, enrollmentType: EnrollmentType, handler: Handler) =>
    http.post<Batch>(`${BASE}/batches`, { programme: y.code, year: y.year, enrollment_type: enrollmentType, handler }),
  list: (q: BatchFilter & PageQuery) => http.get<Page<Batch>>(`${BASE}/batches`, { ...q }),
  get: (no: string) => http.get<Batch>(`${BASE}/batches/${enc(no)}`),
  lines: (no: string, q: PageQuery) => http.get<Page<Line>>(`${BASE}/batches/${enc(no)}/lines`, { ...q }),
  notice: (no: string) => download(`${BASE}/batches/${enc(no)}/notice`, undefined, `集中参保告知书-${no}.pdf`),
  statistics: (no: string) =>
    download(`${BASE}/batches/${enc(no)}/statistics.xlsx`, undefined, `集中参保统计表-${no}.xlsx`),
  /** unpaid batches past their pay-by date lapse now (city, insurer) */
  lapseOverdue: () => http.post<{ lapsed: string[] }>(`${BASE}/batches/lapse-overdue`),
}

/** 保障信息查询: a member's coverage, newest year first */
export const coverageApi = {
  of: (memberId: string) => http.get<Coverage[]>(`${BASE}/members/${enc(memberId)}/coverage`),
}
