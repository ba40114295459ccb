/**
 * 互助保障 参保编码 — the enrollment service through the gateway (`/api/mutual-aid/…`, docs/gateway-api.md):
 * 短信验证码, attachments (the file itself is the body), 参保编码申请 and the insurer's review, the codes with
 * their units, 经办人填报, 单位名称变更. Lists mask phones; one application or handler read whole gives
 * them in full. The shapes of this area live here.
 */
import { download, http, request } from './http'
import { errorFromResponse, networkError } from './errors'
import type { Page, PageQuery } from './types'

const BASE = '/api/mutual-aid'
const enc = encodeURIComponent

export const REVIEW_STATUSES = ['申请中', '审核通过', '审核不通过'] as const
export type ReviewStatus = (typeof REVIEW_STATUSES)[number]
/** 单位性质 as the service accepts it (the manual's examples: 国有, 企业) */
export const NATURES = ['国有', '集体', '企业', '外资', '港澳台', '机关', '事业单位', '社会团体', '民办非企业', '其他'] as const
export type SmsPurpose = 'code_application' | 'handler'
/** 参保项目 a code is applied for: 互助保障's 参保编码, or the 退休住院计划's (manual 003 新参保编码申请) */
export const PLANS = { mutual_aid: '互助保障', retiree: '退休住院计划' } as const
export type Plan = keyof typeof PLANS

export interface SmsSent {
  /** masked */
  phone: string
  expires_at: string
  resend_after_seconds: number
  /** only where the service runs with ENROLLMENT_SMS_SHOW_CODE (development) */
  code: string | null
}

export interface Attachment {
  id: string
  file_name: string
  content_type: string
  size: number
  uploaded_at: string
  /** the gateway's path of the file */
  url: string
}

export interface HistoryEntry {
  /** 提交申请 / 审核不通过 / 重新提交 / 审核通过 */
  action: string
  actor: string
  actor_name?: string
  at: string
  note: string | null
}

/**
 * The form of either plan. 退休住院计划 keeps its fields here: 经办人姓名/手机/邮箱 as contact/contact_phone/email,
 * 所属区局工会 as committee, 经济类型 as nature; uscc required; no 在职人数 (0) nor 负责人手机.
 */
export interface ApplicationFields {
  plan: Plan
  unit_name: string
  /** 工委名称 (退休住院计划: 所属区局工会) */
  committee: string
  uscc: string | null
  /** 单位性质 (退休住院计划: 经济类型) */
  nature: string
  contact: string
  contact_phone: string
  email: string
  address: string
  postcode: string
  /** 在职人数 (退休住院计划: 0) */
  headcount: number
  /** 负责人 */
  leader: string | null
  leader_phone: string | null
  /** 单位电话 */
  unit_phone: string | null
}

export interface ApplicationIn extends ApplicationFields {
  sms_code: string
  attachment_ids: string[]
}

export interface Application extends ApplicationFields {
  id: number
  status: ReviewStatus
  /** 审核通过: 参保编码栏直接显示参保编码 */
  code: string | null
  owner_tier: string
  submitted_by: string
  submitted_by_name?: string
  submitted_at: string
  reviewed_by: string | null
  reviewed_by_name?: string
  reviewed_at: string | null
  reject_reason: string | null
  updated_at: string
}

export interface ApplicationDetail extends Application {
  attachments: Attachment[]
  history: HistoryEntry[]
}

export interface CodeUnit {
  id: number
  unit_name: string
  uscc: string | null
  /** the applicant itself */
  main: boolean
  added_by: string
  added_at: string
}

export interface EnrollmentCode {
  code: string
  unit_name: string
  owner_tier: string
  application_id: number
  contact: string
  contact_phone: string
  approved_by: string
  approved_at: string
  /** 经办人填报 saved: the unit may go on */
  handler_complete: boolean
  units: CodeUnit[]
  pending_name_change: number | null
}

export interface HandlerFields {
  handler_name: string
  handler_phone: string
  handler_email: string
  uscc: string
  /** 经济类型名称 */
  economic_type: string
  /** 一级工会组织名称 */
  union_first: string | null
  /** 二级工会组织名称 */
  union_second: string | null
  address: string
  /** 单位所属行业名称 */
  industry: string
  /** 职工人数 */
  headcount: number
}

export interface Handler extends Partial<Omit<HandlerFields, 'union_first' | 'union_second'>> {
  code: string
  unit_name: string
  complete: boolean
  union_names_required: boolean
  union_first: string | null
  union_second: string | null
  saved_by: string | null
  saved_at: string | null
}

export interface NameChangeIn {
  new_name: string
  note: string | null
  attachment_ids: string[]
}

export interface NameChange {
  id: number
  code: string
  old_name: string
  new_name: string
  note: string | null
  status: ReviewStatus
  applied_by: string
  applied_by_name?: string
  applied_at: string
  reviewed_by: string | null
  reviewed_by_name?: string
  reviewed_at: string | null
  reject_reason: string | null
  attachments: Attachment[]
}

export interface ApplicationFilter {
  unit_name?: string
  status?: string
  committee?: string
  code?: string
  submitted_from?: string
  submitted_to?: string
  /** 参保项目 */
  plan?: Plan | ''
}

export interface NameChangeFilter {
  status?: string
  code?: string
  unit_name?: string
}

/** Send a file as the request body (the service checks its bytes); a failure is the ApiError. */
async function sendFile<T>(path: string, file: File): Promise<T> {
  let res: Response
  try {
    res = await fetch(`${path}?file_name=${enc(file.name)}`, {
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

/** A file of the gateway as a Blob (shown in the page; a refusal is a message). */
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

export const codesApi = {
  sendSms: (phone: string, purpose: SmsPurpose) => http.post<SmsSent>(`${BASE}/sms-codes`, { phone, purpose }),
  upload: (file: File) => sendFile<Attachment>(`${BASE}/attachments`, file),
  file: (a: Attachment) => blob(a.url),

  apply: (body: ApplicationIn) => http.post<ApplicationDetail>(`${BASE}/code-applications`, body),
  list: (q: ApplicationFilter & PageQuery) => http.get<Page<Application>>(`${BASE}/code-applications`, { ...q }),
  export: (q: ApplicationFilter) => download(`${BASE}/code-applications/export`, { ...q }, '参保编码申请.xlsx'),
  get: (id: number) => http.get<ApplicationDetail>(`${BASE}/code-applications/${id}`),
  resubmit: (id: number, body: ApplicationIn) => request<ApplicationDetail>('PUT', `${BASE}/code-applications/${id}`, { body }),
  approve: (id: number) => http.post<ApplicationDetail>(`${BASE}/code-applications/${id}/approve`),
  reject: (id: number, reason: string) => http.post<ApplicationDetail>(`${BASE}/code-applications/${id}/reject`, { reason }),

  codes: (q: { code?: string; unit_name?: string } & Partial<PageQuery> = {}) =>
    http.get<Page<EnrollmentCode>>(`${BASE}/codes`, { size: 200, ...q }),
  code: (code: string) => http.get<EnrollmentCode>(`${BASE}/codes/${enc(code)}`),
  handler: (code: string) => http.get<Handler>(`${BASE}/codes/${enc(code)}/handler`),
  saveHandler: (code: string, body: HandlerFields & { sms_code: string }) =>
    request<Handler>('PUT', `${BASE}/codes/${enc(code)}/handler`, { body }),
  addUnit: (code: string, unit_name: string, uscc: string | null) =>
    http.post<EnrollmentCode>(`${BASE}/codes/${enc(code)}/units`, { unit_name, uscc }),
  removeUnit: (code: string, unitId: number) => http.del<EnrollmentCode>(`${BASE}/codes/${enc(code)}/units/${unitId}`),

  applyNameChange: (code: string, body: NameChangeIn) =>
    http.post<NameChange>(`${BASE}/codes/${enc(code)}/name-changes`, body),
  nameChanges: (q: NameChangeFilter & PageQuery) => http.get<Page<NameChange>>(`${BASE}/name-changes`, { ...q }),
  exportNameChanges: (q: NameChangeFilter) => download(`${BASE}/name-changes/export`, { ...q }, '单位名称变更.xlsx'),
  approveNameChange: (id: number) => http.post<NameChange>(`${BASE}/name-changes/${id}/approve`),
  rejectNameChange: (id: number, reason: string) =>
    http.post<NameChange>(`${BASE}/name-changes/${id}/reject`, { reason }),
}
