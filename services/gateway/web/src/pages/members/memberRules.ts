/**
 * The members service's rules for one member, mirrored for the form (members.domain.documents,
 * rows, roster, file_rules) with the same Chinese messages. Hints only: the service decides.
 */
import { FLEXIBLE_TAGS, type IdType } from '@/api/types'
import { shanghaiNow } from '@/lib/time'

export const NAME_MAX = 50
export const WORK_UNIT_MAX = 100
export const WORK_ADDRESS_MAX = 200
export const MIN_ADDRESS_LEN = 6
export const MAX_TAGS = 5
const NAME_FORBIDDEN = /[0-9０-９\x00-\x1f]/
const MOBILE = /^1[3-9][0-9]{9}$/
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const ID_CHECK = '10X98765432'

/** What a valid document number tells: the birth date and sex when it carries them. */
export interface DocumentInfo {
  birthDate: string | null
  sex: '男' | '女' | null
}

type Checked = { ok: true; info: DocumentInfo } | { ok: false; message: string }

const FORMATS: Partial<Record<IdType, [RegExp, string]>> = {
  护照: [/^[A-Z0-9]{5,17}$/, '护照号码应为5–17位字母或数字'],
  港澳居民来往内地通行证: [/^[HM][0-9]{8}([0-9]{2})?$/, '港澳居民来往内地通行证号码应为H或M开头加8位或10位数字'],
  台湾居民来往大陆通行证: [/^[0-9]{8}([0-9]{2})?$/, '台湾居民来往大陆通行证号码应为8位或10位数字'],
  外国人永久居留身份证: [
    /^([A-Z]{3}[0-9]{12}|9[0-9]{16}[0-9X])$/,
    '外国人永久居留身份证号码应为3位字母加12位数字，或9开头的18位号码',
  ],
  港澳台居民居住证: [/^8[123][0-9]{15}[0-9X]$/, '港澳台居民居住证号码应为81、82或83开头的18位号码'],
}

export function normaliseNumber(text: string): string {
  return text.replace(/\s+/g, '').toUpperCase()
}

/** 证件号码 of a type: the service's format, check digit and birth-date checks. */
export function checkDocument(idType: string, text: string): Checked {
  const number = normaliseNumber(text)
  if (!number) return { ok: false, message: '证件号码不能为空' }
  if (idType === '身份证') return residentId(number)
  const format = FORMATS[idType as IdType]
  if (!format) return { ok: false, message: '请先选择证件类型' }
  if (!format[0].test(number)) return { ok: false, message: format[1] }
  if (number.length === 18 && '89'.includes(number[0]!)) return residentId(number)
  return { ok: true, info: { birthDate: null, sex: null } }
}

function residentId(number: string): Checked {
  if (!/^[0-9]{17}[0-9X]$/.test(number)) {
    return { ok: false, message: '证件号码格式不正确，应为18位：前17位为数字，末位为数字或X' }
  }
  const birth = `${number.slice(6, 10)}-${number.slice(10, 12)}-${number.slice(12, 14)}`
  if (!isRealDate(birth) || birth < '1900-01-01' || birth > shanghaiNow().format('YYYY-MM-DD')) {
    return { ok: false, message: '证件号码中的出生日期无效' }
  }
  const total = ID_WEIGHTS.reduce((sum, w, i) => sum + w * Number(number[i]), 0)
  if (ID_CHECK[total % 11] !== number[17]) return { ok: false, message: '证件号码校验位错误' }
  return { ok: true, info: { birthDate: birth, sex: Number(number[16]) % 2 === 1 ? '男' : '女' } }
}

function isRealDate(iso: string): boolean {
  const d = new Date(`${iso}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso
}

export function nameProblem(name: string): string | null {
  const v = name.trim()
  if (!v) return '请输入姓名'
  if (v.length > NAME_MAX) return `姓名不能超过${NAME_MAX}个字`
  if (NAME_FORBIDDEN.test(v)) return '姓名不能包含数字或控制字符'
  return null
}

export function phoneProblem(phone: string): string | null {
  const v = phone.replace(/\s+/g, '')
  if (!v) return '请输入手机号码'
  return MOBILE.test(v) ? null : '手机号码格式不正确，应为11位手机号'
}

export function genderProblem(gender: string, fromDocument: string | null): string | null {
  if (gender !== '男' && gender !== '女') return '性别应为“男”或“女”'
  if (fromDocument && fromDocument !== gender) return `性别与证件号码不符（证件号码显示为${fromDocument}）`
  return null
}

export function tagsProblem(tags: string[], category: string): string | null {
  if (tags.length > MAX_TAGS || tags.some((t) => t.length > 20)) return `会员标签最多${MAX_TAGS}个，每个不超过20个字`
  const flexible: readonly string[] = FLEXIBLE_TAGS
  if (category === '灵活就业类' && (!tags.length || tags.some((t) => !flexible.includes(t)))) {
    return `灵活就业类会员标签须为：${FLEXIBLE_TAGS.join('、')}`
  }
  return null
}

export function addressProblem(address: string, category: string): string | null {
  const v = address.trim()
  if (v.length > WORK_ADDRESS_MAX) return `工作单位地址不能超过${WORK_ADDRESS_MAX}个字`
  if (category === '关联企业类' && v.length < MIN_ADDRESS_LEN) {
    return `关联企业类会员的工作单位地址不能少于${MIN_ADDRESS_LEN}个字`
  }
  return null
}

/** Which form field a problem+json `code` (or a 422's `errors[].field`) belongs to. */
export function fieldOfCode(code: string, field?: unknown): string | null {
  if (typeof field === 'string' && field) return field
  if (code === 'member.id_type_invalid') return 'id_type'
  if (code.startsWith('id_number.') || code.startsWith('member.id_number') || code === 'member.already_member') {
    return 'id_number'
  }
  if (code.startsWith('phone.')) return 'phone'
  if (code.startsWith('member.gender')) return 'gender'
  if (code === 'member.birth_date_from_id') return 'birth_date'
  if (code.startsWith('uscc.')) return 'enterprise_uscc'
  return null
}
