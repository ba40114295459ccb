/**
 * 会员服务卡 (the cards service behind /api/cards, docs/gateway-api.md): 卡片信息管理, 待办会员列表,
 * 办卡批次管理 with 打印清册, 撤销办卡批次申请 and its review. ID numbers, card numbers and phones
 * arrive masked. The shapes of this area live here (they are the cards service's own).
 */
import { download, http, request } from './http'
import { errorFromResponse, networkError } from './errors'
import type { Page, PageQuery } from './types'

export const CARD_STATUSES = ['未办卡', '待办中', '已办卡'] as const
export const CARD_CHANNELS = ['普通', '特殊'] as const
export type CardChannel = '普通' | '特殊' | '个人'
export const CHECK_STATES = ['未校验', '校验中', '已通过', '未通过'] as const
export const BATCH_STATES = ['办理中', '已完成', '已撤销'] as const
export const REVOCATION_STATES = ['审核中', '审核通过', '审核不通过'] as const
/** 完善信息: the documents of the special channel (生僻字 or non-ID documents). */
export const ID_TYPES = ['身份证', '护照', '港澳居民来往内地通行证', '台湾居民来往大陆通行证', '外国人永久居留身份证', '港澳台居民居住证'] as const

export interface CardInfo {
  member_id: string
  member_no: string | null
  name: string
  id_type: string
  id_number: string
  gender: string
  org_id: number | null
  union_name: string
  work_unit: string
  work_address: string
  status: string
  card_number: string | null
  applied_at: string | null
  channel: string | null
  batch_no: string | null
  issued_on: string | null
  note: string | null
  addable: boolean
  not_addable_reason: string | null
}

export interface CardHistory {
  batch_no: string
  channel: string
  submitted_at: string
  outcome: string
  card_number: string | null
  reason: string | null
}

export interface CardDetail extends CardInfo {
  history: CardHistory[]
}

export interface CardFilter {
  name?: string
  member_no?: string
  status?: string
  channel?: string
}

/** 409 cards.not_addable: who could not be added, and why. */
export interface NotAddable {
  member_id: string
  name: string
  reason: string
}

export interface PendingRow {
  id: number
  member_id: string
  member_no: string | null
  name: string
  id_type: string
  id_number: string
  org_id: number | null
  union_name: string
  channel: CardChannel
  added_at: string | null
  added_by: string
  /** the account's name, added by the gateway */
  added_by_name?: string
  id_expiry: string | null
  id_long_term: boolean
  nationality: string
  check_state: string
  check_reason: string
  checked_at: string | null
  info_complete: boolean
  ready: boolean
}

export interface PendingFilter {
  name?: string
  member_no?: string
  check_state?: string
  info_complete?: boolean | null
}

export interface ChannelProgress {
  total: number
  unchecked: number
  checking: number
  passed: number
  failed: number
  complete: number
  incomplete: number
  /** every row ready and at most one batch's worth: 提交办卡 may be pressed */
  ready: boolean
}

export type Progress = Record<CardChannel, ChannelProgress>

/** 修改证件到期日: a future date, or 长期 */
export interface ExpiryBody {
  expiry?: string | null
  long_term?: boolean
}

/** 完善信息 (特殊) */
export interface InfoBody extends ExpiryBody {
  id_type: string
  nationality: string
}

export interface Outlet {
  branch: string
  outlet: string
  outlet_address: string
  contact: string
  contact_phone: string
}

export interface Batch extends Outlet {
  batch_no: string
  org_id: number
  union_name: string
  channel: CardChannel
  total: number
  issued_count: number
  rejected_count: number
  waiting_count: number
  state: string
  submitted_at: string
  submitted_by: string
  /** the account's name, added by the gateway */
  submitted_by_name?: string
  feedback_at: string | null
  revocation_state: string | null
  revocable: boolean
  version: number
}

export interface BatchCard {
  member_id: string
  member_no: string | null
  name: string
  id_type: string
  id_number: string
  work_unit: string
  id_expiry: string | null
  id_long_term: boolean
  nationality: string
  outcome: string
  card_number: string | null
  reason: string | null
  answered_at: string | null
}

export interface Revocation {
  id: number
  batch_no: string
  org_id: number
  union_name: string
  channel: string
  batch_total: number
  applicant_name: string
  applicant_phone: string
  state: string
  requested_by: string
  /** the account's name, added by the gateway */
  requested_by_name?: string
  requested_at: string
  reviewed_by: string | null
  /** the account's name, added by the gateway */
  reviewed_by_name?: string
  reviewed_at: string | null
  review_reason: string | null
}

export interface BatchDetail extends Batch {
  cards: BatchCard[]
  revocations: Revocation[]
}

export interface BatchFilter {
  batch_no?: string
  channel?: string
  state?: string
  revocation_state?: string
}

const put = <T>(path: string, body: unknown) => request<T>('PUT', path, { body })
const batchPath = (batchNo: string) => `/api/cards/batches/${encodeURIComponent(batchNo)}`

/** fetch with the session cookie; a failure becomes the ApiError with the server's title. */
async function send(path: string, init: RequestInit): Promise<Response> {
  let res: Response
  try {
    res = await fetch(path, { ...init, credentials: 'include' })
  } catch (e) {
    throw networkError(e)
  }
  if (!res.ok) throw await errorFromResponse(res)
  return res
}

/** A file of the gateway as a Blob (so a refusal can be shown instead of an error page). */
async function blob(path: string): Promise<Blob> {
  return (await send(path, { headers: { Accept: '*/*' } })).blob()
}

/** POST with an Idempotency-Key: a retried 提交办卡 answers with the batch the first one made. */
async function postOnce<T>(path: string, body: unknown, key: string): Promise<T> {
  const headers = { Accept: 'application/json', 'Content-Type': 'application/json', 'Idempotency-Key': key }
  return (await (await send(path, { method: 'POST', headers, body: JSON.stringify(body) })).json()) as T
}

/** 卡片信息管理 */
export const cardsApi = {
  list: (q: CardFilter & PageQuery) => http.get<Page<CardInfo>>('/api/cards/cards', { ...q }),
  export: (f: CardFilter) => download('/api/cards/cards/export', { ...f }, '卡片信息.xlsx'),
  get: (memberId: string) => http.get<CardDetail>(`/api/cards/cards/${encodeURIComponent(memberId)}`),
  /** 添加选中的未办卡会员至待办: all or none (409 cards.not_addable lists who cannot be added) */
  addSelected: (memberIds: string[]) => http.post<{ added: number }>('/api/cards/cards/pending', { member_ids: memberIds }),
  /** 添加全部的未办卡会员至待办 */
  addAll: () => http.post<{ added: number }>('/api/cards/cards/pending/all', {}),
}

/** 待办会员列表 */
export const pendingApi = {
  list: (channel: CardChannel, q: PendingFilter & PageQuery) =>
    http.get<Page<PendingRow>>('/api/cards/pending', { ...q, channel }),
  progress: () => http.get<Progress>('/api/cards/pending/progress'),
  /** 提交系统校验 (rows already 已通过 are skipped) */
  check: (ids: number[]) => http.post<{ request_ids: string[]; rows: number }>('/api/cards/pending/checks', { ids }),
  expiry: (id: number, body: ExpiryBody) => put<PendingRow>(`/api/cards/pending/${id}/expiry`, body),
  channel: (id: number, channel: CardChannel) => put<PendingRow>(`/api/cards/pending/${id}/channel`, { channel }),
  /** 完善信息 (特殊 only) */
  info: (id: number, body: InfoBody) => put<PendingRow>(`/api/cards/pending/${id}/info`, body),
  remove: (id: number) => http.del(`/api/cards/pending/${id}`),
  /** 移除全部校验未通过及未校验会员 (普通 / 个人) · 移除全部信息未完善会员 (特殊) */
  removeUnready: (channel: CardChannel) =>
    http.post<{ removed: number }>('/api/cards/pending/remove-unready', { channel }),
}

/** 办卡批次管理 */
export const batchesApi = {
  /** 提交办卡: every pending row of the channel becomes one batch */
  submit: (channel: CardChannel, outlet: Outlet, idempotencyKey: string) =>
    postOnce<BatchDetail>('/api/cards/batches', { channel, ...outlet }, idempotencyKey),
  list: (q: BatchFilter & PageQuery) => http.get<Page<Batch>>('/api/cards/batches', { ...q }),
  get: (batchNo: string) => http.get<BatchDetail>(batchPath(batchNo)),
  /** 打印清册 (PDF): the path for a new tab, and the file for the preview */
  rosterPdfPath: (batchNo: string) => `${batchPath(batchNo)}/roster.pdf`,
  rosterPdf: (batchNo: string) => blob(`${batchPath(batchNo)}/roster.pdf`),
  downloadRosterPdf: (batchNo: string) => download(`${batchPath(batchNo)}/roster.pdf`, undefined, `办卡清册-${batchNo}.pdf`),
  /** 下载需打印附件 */
  rosterXlsx: (batchNo: string) => download(`${batchPath(batchNo)}/roster.xlsx`, undefined, `办卡清册-${batchNo}.xlsx`),
  /** 撤销办卡批次申请 */
  revoke: (batchNo: string, body: { applicant_name: string; applicant_phone: string }) =>
    http.post<Revocation>(`${batchPath(batchNo)}/revocations`, body),
}

/** 撤销申请审核 (district union, platform) */
export const revocationsApi = {
  list: (q: { state?: string; batch_no?: string } & PageQuery) =>
    http.get<Page<Revocation>>('/api/cards/revocations', { ...q }),
  approve: (id: number) => http.post<Revocation>(`/api/cards/revocations/${id}/approve`),
  reject: (id: number, reason: string) => http.post<Revocation>(`/api/cards/revocations/${id}/reject`, { reason }),
}
