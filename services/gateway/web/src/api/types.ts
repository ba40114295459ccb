// Shapes of docs/gateway-api.md. Orgs mirror the org service's OrgPublic / StatsPublic / JoinsSeries.

export interface Page<T> {
  items: T[]
  total: number
  page: number
  size: number
}

export interface PageQuery {
  page: number
  size: number
}

/** Query parameters: empty values ('' / null / undefined) are dropped before sending. */
export type QueryValue = string | number | boolean | null | undefined | Array<string | number>
export type Query = Record<string, QueryValue>

// --- identity ---------------------------------------------------------------------------------

export type Tier = 'city' | 'district' | 'secondary' | 'grassroots' | 'enterprise' | 'insurer' | 'admin'

/** Menu keys the server grants (`Me.menus`); later issues add members, cards, enrollment, billing … */
export type MenuKey =
  | 'workbench'
  | 'orgs'
  | 'org-info'
  | 'enterprises'
  | 'accounts'
  | 'registrations'
  | 'password-resets'
  | 'audit'
  | 'members'
  | 'member-imports'
  | 'member-reviews'
  | 'member-compares'
  | (string & {})

export interface Me {
  account_id: number
  account: string
  name: string
  tier: Tier
  org_id: number | null
  org_name: string | null
  org_path: string | null
  must_change_password: boolean
  menus: MenuKey[]
}

export interface Captcha {
  captcha_id: string
  /** data:image/png;base64,… */
  image: string
}

export interface LoginBody {
  account: string
  password: string
  captcha_id: string
  captcha_code: string
}

// --- orgs -------------------------------------------------------------------------------------

/** contracts.org.OrgKind (the Chinese values are what the API sends). */
export const OrgKind = {
  CITY: '市总工会',
  DISTRICT: '区局（产业）工会',
  SECONDARY: '二级工会',
  STANDALONE: '单独基层工会',
  JOINT: '联合工会',
  BRANCH: '分工会/工会小组',
  FEDERATION: '工会联合会',
  TEMPORARY: '临时工会',
} as const
export type OrgKind = (typeof OrgKind)[keyof typeof OrgKind]

export interface OrgFields {
  name: string
  uscc: string | null
  economic_type: string | null
  industry: string | null
  union_code: string
  contact_name: string | null
  contact_phone: string | null
  address: string | null
  social_security_code: string | null
}

export interface Org extends OrgFields {
  id: number
  kind: OrgKind
  parent_id: number | null
  /** ancestor ids joined by '.', ending with id, e.g. "1.12.340" */
  path: string
  district_id: number | null
  version: number
}

export interface OrgCreate extends OrgFields {
  parent_id: number
  kind: OrgKind
}

export type OrgUpdate = Partial<OrgFields>

export interface OrgFilter {
  name?: string
  uscc?: string
  economic_type?: string
  industry?: string
  enterprise_name?: string
  kind?: OrgKind | ''
  parent_id?: number | null
}

export interface OrgMove {
  org_ids: number[]
  target_parent_id: number
}

/** 覆盖企业 of a union. */
export interface CoveredEnterprise {
  id: number
  org_id: number
  name: string
  uscc: string
  address: string | null
}

export interface CoveredEnterpriseCreate {
  name: string
  uscc: string
  address: string | null
}

/** 未建会单位 (EnterprisePublic). */
export interface Enterprise {
  id: number
  name: string
  uscc: string
  contact: string
  /** masked by the server */
  phone: string
  district_id: number | null
  registered_on: string
}

export interface EnterpriseFilter {
  name?: string
  uscc?: string
  district_id?: number | null
}

// --- workbench --------------------------------------------------------------------------------

export interface OrgStats {
  org_id: number
  members: number
  grassroots: number
  standalone: number
  joint: number
  branch: number
  federation: number
  covered_enterprises: number
  e_cards: number
}

export type Panel<T> = { status: 'ok'; data: T } | { status: 'unavailable'; message: string }

/** 业务工作台's members panel: the members service's figures of the shown org's subtree. */
export interface MemberStatistics {
  org_id: number | null
  /** today in Shanghai, `YYYY-MM-DD` */
  as_of: string
  /** active members (正常) */
  members: number
  by_status: Record<string, number>
  /** active members per data type (灵活就业类 / 企业外入会类 / 关联企业类) */
  by_category: Record<string, number>
  /** `rate` is 0–1 of active members */
  e_card: { activated: number; rate: number }
  member_no: { assigned: number; pending: number }
  /** week from Monday, month from the 1st */
  joins: { today: number; week: number; month: number }
  /** transfer requests into the subtree waiting for its review (会籍审核管理) */
  pending_transfers: number
  /** the last five imports uploaded from inside the subtree, newest first */
  recent_imports: ImportJob[]
}

export interface Workbench {
  org: Org
  panels: {
    org_stats?: Panel<OrgStats>
    members?: Panel<MemberStatistics>
    [panel: string]: Panel<unknown> | undefined
  }
}

export type Granularity = 'day' | 'week' | 'month'

export interface JoinsPoint {
  /** ISO date: the day, the Monday of the week or the first of the month */
  period: string
  joined: number
}

export interface JoinsSeries {
  org_id?: number
  granularity?: Granularity
  total: number
  /** only periods with joins are listed */
  points: JoinsPoint[]
}

export interface JoinsQuery {
  org_id?: number | null
  granularity: Granularity
  start: string
  end: string
}

// --- accounts ---------------------------------------------------------------------------------

export type AccountStatus = 'active' | 'locked' | 'disabled' | 'pending'

export interface Account {
  id: number
  account: string
  name: string
  tier: Tier
  org_id: number | null
  org_name: string | null
  status: AccountStatus
  last_login_at: string | null
  locked_until: string | null
}

export interface AccountFilter {
  account?: string
  name?: string
  tier?: Tier | ''
  org_id?: number | null
  status?: AccountStatus | ''
}

export interface AccountCreate {
  account: string
  name: string
  tier: Tier
  org_id: number
}

export interface AccountCreated extends Partial<Account> {
  account: string
  temporary_password: string
}

// --- registrations (企业注册) -------------------------------------------------------------------

export type RegistrationStatus = 'pending' | 'approved' | 'rejected'

export interface RegistrationBody {
  uscc: string
  name: string
  contact: string
  phone: string
  password: string
  captcha_id: string
  captcha_code: string
}

export interface Registration {
  id: number
  uscc: string
  name: string
  contact: string
  /** masked by the server */
  phone: string
  status: RegistrationStatus
  /** not named by the contract; shown when present */
  created_at?: string | null
  reviewed_by: string | null
  /** the account's name, added by the gateway */
  reviewed_by_name?: string
  reviewed_at: string | null
  reason: string | null
}

export interface RegistrationFilter {
  status?: RegistrationStatus | ''
  name?: string
  uscc?: string
}

// --- password resets (找回密码：未建会单位) -----------------------------------------------------------

export type PasswordResetStatus = 'pending' | 'approved' | 'rejected'

export interface PasswordResetBody {
  /** the unit's login account */
  uscc: string
  /** as registered (企业注册) */
  contact: string
  phone: string
  reason?: string | null
  captcha_id: string
  captcha_code: string
}

export interface PasswordReset {
  id: number
  account_id: number
  account: string
  uscc: string
  name: string
  contact: string
  /** masked by the server */
  phone: string
  /** 申请原因 (the unit's) */
  reason: string | null
  status: PasswordResetStatus
  created_at: string
  reviewed_by: string | null
  /** the account's name, added by the gateway */
  reviewed_by_name?: string
  reviewed_at: string | null
  /** 驳回原因 (the reviewer's) */
  rejection_reason: string | null
}

export interface PasswordResetApproved extends PasswordReset {
  /** shown once; the unit must change it at its next login */
  temporary_password: string
}

export interface PasswordResetFilter {
  status?: PasswordResetStatus | ''
  name?: string
  uscc?: string
}

// --- audit ------------------------------------------------------------------------------------

export interface AuditEntry {
  id: number
  at: string
  account: string | null
  tier: Tier | null
  ip: string | null
  method: string
  route: string
  action: string
  target_ids: Array<string | number> | null
  outcome: string
  status: number
}

export interface AuditFilter {
  account?: string
  action?: string
  target?: string
  outcome?: string
  start?: string
  end?: string
}

// --- members (会员管理; the members service's shapes, passed through by the gateway) -------------

export const DELETE_REASONS = ['退休', '犯罪', '死亡'] as const
export type DeleteReason = (typeof DELETE_REASONS)[number]
export const IMPORT_DATA_TYPES = ['灵活就业类', '企业外入会类', '关联企业类'] as const
export type ImportDataType = (typeof IMPORT_DATA_TYPES)[number]
export const MEMBER_STATUSES = ['正常', '已删除'] as const
/** 证件类型 (members.domain.documents.IdType). */
export const ID_TYPES = [
  '身份证',
  '护照',
  '港澳居民来往内地通行证',
  '台湾居民来往大陆通行证',
  '外国人永久居留身份证',
  '港澳台居民居住证',
] as const
export type IdType = (typeof ID_TYPES)[number]
export const GENDERS = ['男', '女'] as const
/** 会员标签: the twelve flexible-employment tags (灵活就业类 members carry only these), then the others. */
export const FLEXIBLE_TAGS = [
  '快递物流', '网约送餐', '房屋中介', '护工护理', '货运驾驶', '物业保安',
  '商场信息', '家政服务', '工地短工', '农业临工', '保洁环卫', '街面雇员',
] as const
export const OTHER_TAGS = ['企业外入会人员', '劳务派遣', '外包工'] as const
export const MEMBER_SOURCES = ['扫码入会', '批量导入', '单个添加'] as const
/** 查看处理详情: what may be done with a member missing from the uploaded roster. */
export const COMPARE_HANDLINGS = ['转出', '退休', '死亡', '犯罪', '保留'] as const
export type CompareHandling = (typeof COMPARE_HANDLINGS)[number]

/** A member; `id_number` and `phone` arrive masked (`310***********0012`, `139*****0000`). */
export interface Member {
  id: string
  name: string
  id_type: string
  id_number: string
  phone: string
  gender: string
  birth_date: string | null
  org_id: number
  union_name: string
  union_code: string
  work_unit: string | null
  work_address: string | null
  tags: string[]
  source: string | null
  e_card_activated: boolean
  category: string | null
  enterprise_name: string | null
  enterprise_uscc: string | null
  member_no: string | null
  status: string
  joined_on: string | null
  deleted_reason: string | null
  deleted_by: string | null
  /** the account's name, added by the gateway */
  deleted_by_name?: string
  deleted_at: string | null
  version: number
}

export interface MemberFilter {
  name?: string
  id_number?: string
  phone?: string
  union_name?: string
  tag?: string
  source?: string
  e_card_activated?: boolean | null
  status?: string
}

/** 新增会员 (POST /api/members): the full ID number and phone go in; they come back masked. */
export interface MemberCreate {
  name: string
  id_type: string
  id_number: string
  phone: string
  gender: string
  org_id: number
  category: ImportDataType
  /** only for documents that do not carry it (the resident ID does) */
  birth_date?: string | null
  work_unit?: string
  work_address?: string
  tags?: string[]
  source?: string
  e_card_activated?: boolean
  enterprise_name?: string | null
  enterprise_uscc?: string | null
}

/** 编辑 (PATCH /api/members/{id}): only what changed. */
export type MemberUpdate = Partial<
  Pick<MemberCreate, 'name' | 'phone' | 'gender' | 'birth_date' | 'work_unit' | 'work_address' | 'tags' | 'e_card_activated'>
>

export interface ImportJob {
  id: string
  state: string
  category: string
  enterprise_name: string | null
  file_name: string
  file_size: number
  uploader_id: string
  rows_total: number | null
  rows_read: number
  rows_validated: number
  rows_stored: number
  rows_created: number
  rows_updated: number
  rows_unchanged: number
  rows_rejected: number
  error_code: string | null
  error_message: string | null
  attempts: number
  created_at: string
  started_at: string | null
  finished_at: string | null
}

export interface ImportRejection {
  row_no: number
  column: string | null
  code: string
  reason: string
  name: string | null
  id_number_masked: string | null
}

export interface Transfer {
  id: number
  batch_id: string
  member_id: string
  member_name: string
  id_number: string
  from_org_id: number
  from_org_name: string
  to_org_id: number
  to_org_name: string
  reason: string
  state: string
  requested_by: string
  /** the account's name, added by the gateway */
  requested_by_name?: string
  requested_at: string
  reviewed_by: string | null
  /** the account's name, added by the gateway */
  reviewed_by_name?: string
  reviewed_at: string | null
  review_note: string | null
}

export interface TransferCreate {
  member_ids: string[]
  target_org_id?: number
  target_district_id?: number
  reason: string
}

export interface Compare {
  id: string
  state: string
  file_name: string
  uploader_id: string
  /** 操作账号: the uploader's login, added by the gateway */
  uploader_account?: string | null
  rows_total: number | null
  missing_from_file: number | null
  missing_from_platform: number | null
  error_code: string | null
  error_message: string | null
  created_at: string
  finished_at: string | null
}

/** 查看处理详情: a member on the platform but not in the uploaded roster (ID number and phone masked). */
export interface CompareMissing {
  member_id: string
  name: string
  id_type: string
  id_number: string
  phone: string
  union_name: string
  status: string
  handling: string | null
  handled_by: string | null
  /** the account's name, added by the gateway */
  handled_by_name?: string
  handled_at: string | null
}

export interface CompareHandlingBody {
  action: CompareHandling
  /** 转出: the receiving union (default: the member's district's 临时工会) */
  target_org_id?: number
  reason?: string
}

/** 会员转移's target picker: a district/bureau, or a union under one (ids and names only). */
export interface TransferTarget {
  id: number
  name: string
  kind: string
}
