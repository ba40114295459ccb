/** 新增会员 / 编辑: the form's model, its rules (memberRules) and the bodies sent to the service. */
import type { FormItemRule, FormRules } from 'element-plus'
import type { CoveredEnterprise, ImportDataType, Member, MemberCreate, MemberUpdate } from '@/api/types'
import {
  addressProblem,
  checkDocument,
  genderProblem,
  nameProblem,
  normaliseNumber,
  phoneProblem,
  tagsProblem,
  WORK_UNIT_MAX,
  type DocumentInfo,
} from './memberRules'

export interface MemberFormModel {
  name: string
  id_type: string
  id_number: string
  phone: string
  gender: string
  birth_date: string | null
  org_id: number | null
  category: ImportDataType
  /** 关联企业类: the covered enterprise's USCC */
  enterprise_uscc: string
  work_unit: string
  work_address: string
  tags: string[]
  e_card_activated: boolean
}

/** Field labels, for messages about a field the server named. */
export const FIELD_LABELS: Record<string, string> = {
  name: '姓名',
  id_type: '证件类型',
  id_number: '证件号码',
  phone: '手机号码',
  gender: '性别',
  birth_date: '出生日期',
  org_id: '所在工会',
  category: '会员类别',
  enterprise_uscc: '关联企业',
  work_unit: '工作单位/服务平台',
  work_address: '工作单位地址',
  tags: '会员标签',
}

export function emptyModel(orgId: number | null): MemberFormModel {
  return {
    name: '', id_type: '身份证', id_number: '', phone: '', gender: '', birth_date: null, org_id: orgId,
    category: '关联企业类', enterprise_uscc: '', work_unit: '', work_address: '', tags: [], e_card_activated: false,
  }
}

/** Editing: ID number and phone stay as the server sent them (masked) until the phone is retyped. */
export function modelOf(m: Member): MemberFormModel {
  return {
    name: m.name, id_type: m.id_type, id_number: m.id_number, phone: m.phone, gender: m.gender,
    birth_date: m.birth_date, org_id: m.org_id, category: (m.category ?? '企业外入会类') as ImportDataType,
    enterprise_uscc: m.enterprise_uscc ?? '', work_unit: m.work_unit ?? '', work_address: m.work_address ?? '',
    tags: [...(m.tags ?? [])], e_card_activated: m.e_card_activated,
  }
}

/** The resident ID (and 18-character permits) carry birth date and sex; other documents need both typed. */
export function documentInfo(f: MemberFormModel): DocumentInfo | null {
  const checked = checkDocument(f.id_type, f.id_number)
  return checked.ok ? checked.info : null
}

export function createBody(f: MemberFormModel, enterprises: CoveredEnterprise[]): MemberCreate {
  const info = documentInfo(f)
  const enterprise = f.category === '关联企业类' ? enterprises.find((e) => e.uscc === f.enterprise_uscc) : undefined
  return {
    name: f.name.trim(),
    id_type: f.id_type,
    id_number: normaliseNumber(f.id_number),
    phone: f.phone.replace(/\s+/g, ''),
    gender: f.gender,
    org_id: f.org_id!,
    category: f.category,
    birth_date: info?.birthDate ? null : f.birth_date,
    work_unit: f.work_unit.trim(),
    work_address: f.work_address.trim(),
    tags: f.tags,
    source: '单个添加',
    e_card_activated: f.e_card_activated,
    enterprise_name: enterprise?.name ?? null,
    enterprise_uscc: enterprise?.uscc ?? null,
  }
}

/** Only what changed; the masked phone is sent only when it was retyped. */
export function updateBody(f: MemberFormModel, was: Member): MemberUpdate {
  const body: MemberUpdate = {}
  if (f.name.trim() !== was.name) body.name = f.name.trim()
  if (f.phone.replace(/\s+/g, '') !== was.phone) body.phone = f.phone.replace(/\s+/g, '')
  if (was.id_type !== '身份证') {
    if (f.gender !== was.gender) body.gender = f.gender
    if (f.birth_date !== was.birth_date) body.birth_date = f.birth_date
  }
  if (f.work_unit.trim() !== (was.work_unit ?? '')) body.work_unit = f.work_unit.trim()
  if (f.work_address.trim() !== (was.work_address ?? '')) body.work_address = f.work_address.trim()
  if (f.tags.join('、') !== (was.tags ?? []).join('、')) body.tags = f.tags
  if (f.e_card_activated !== was.e_card_activated) body.e_card_activated = f.e_card_activated
  return body
}

type Check = (f: MemberFormModel) => string | null

function rule(model: () => MemberFormModel, check: Check, trigger: 'blur' | 'change' = 'blur'): FormItemRule {
  return {
    trigger,
    validator: (_r: unknown, _v: unknown, callback: (e?: Error) => void) => {
      const problem = check(model())
      callback(problem ? new Error(problem) : undefined)
    },
  }
}

/** The rules; `editing` is the member being edited (null when adding). */
export function memberRules(model: () => MemberFormModel, editing: () => Member | null): FormRules {
  const adding = () => editing() === null
  // editing checks what was changed: a member stored before a rule existed can still be corrected
  const same = (now: string, was: string | undefined) => !adding() && now === (was ?? '')
  const carriesBirth = (f: MemberFormModel) => (adding() ? !!documentInfo(f)?.birthDate : f.id_type === '身份证')
  return {
    name: [rule(model, (f) => nameProblem(f.name))],
    id_type: [rule(model, (f) => (f.id_type ? null : '请选择证件类型'), 'change')],
    id_number: [rule(model, (f) => (adding() ? checkOrNull(f) : null))],
    phone: [rule(model, (f) => (same(f.phone, editing()?.phone) ? null : phoneProblem(f.phone)))],
    gender: [rule(model, (f) => genderProblem(f.gender, adding() ? (documentInfo(f)?.sex ?? null) : null), 'change')],
    birth_date: [rule(model, (f) => (carriesBirth(f) || f.birth_date ? null : '请选择出生日期'), 'change')],
    org_id: [rule(model, (f) => (f.org_id == null ? '请选择所在工会' : null), 'change')],
    category: [rule(model, (f) => (f.category ? null : '请选择会员类别'), 'change')],
    enterprise_uscc: [
      rule(model, (f) => (adding() && f.category === '关联企业类' && !f.enterprise_uscc ? '关联企业类须选择对应企业' : null), 'change'),
    ],
    work_unit: [rule(model, (f) => (f.work_unit.trim().length > WORK_UNIT_MAX ? `工作单位/服务平台不能超过${WORK_UNIT_MAX}个字` : null))],
    work_address: [
      rule(model, (f) => (same(f.work_address.trim(), editing()?.work_address ?? '') ? null : addressProblem(f.work_address, f.category))),
    ],
    tags: [
      rule(model, (f) => (same(f.tags.join('、'), editing()?.tags.join('、')) ? null : tagsProblem(f.tags, f.category)), 'change'),
    ],
  }
}

function checkOrNull(f: MemberFormModel): string | null {
  const checked = checkDocument(f.id_type, f.id_number)
  return checked.ok ? null : checked.message
}
