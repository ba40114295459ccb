/** Format checks only (the server validates check digits and everything else). */

const USCC_CHAR = '[0-9A-HJ-NPQRTUWXY]' // GB 32100: no I, O, Z, S, V
export const USCC_PATTERN = new RegExp(`^${USCC_CHAR}{2}[0-9]{6}${USCC_CHAR}{10}$`)
export const MOBILE_PATTERN = /^1[3-9][0-9]{9}$/
export const UNION_CODE_PATTERN = /^[0-9]{12}$/

export function isUsccFormat(value: string): boolean {
  return USCC_PATTERN.test(value.trim().toUpperCase())
}

export function isMobileFormat(value: string): boolean {
  return MOBILE_PATTERN.test(value.trim())
}

type Callback = (e?: Error) => void

interface FieldRuleOptions {
  required?: boolean
  /** a value equal to this (e.g. the masked phone the server sent) is not re-validated */
  unchanged?: () => string | null | undefined
}

function formatRule(test: (v: string) => boolean, message: string, label: string, opts: FieldRuleOptions) {
  return {
    trigger: 'blur',
    validator: (_rule: unknown, value: string | null | undefined, callback: Callback) => {
      const v = (value ?? '').trim()
      if (!v) return callback(opts.required ? new Error(`请输入${label}`) : undefined)
      if (opts.unchanged && v === (opts.unchanged() ?? '')) return callback()
      callback(test(v) ? undefined : new Error(message))
    },
  }
}

export const usccRule = (opts: FieldRuleOptions = {}) =>
  formatRule(isUsccFormat, '统一社会信用代码格式不正确，应为18位数字或大写字母（不含I、O、Z、S、V）', '统一社会信用代码', opts)

export const mobileRule = (opts: FieldRuleOptions = {}) =>
  formatRule(isMobileFormat, '手机号码格式不正确', '联系电话', opts)

export const unionCodeRule = (opts: FieldRuleOptions = {}) =>
  formatRule((v) => UNION_CODE_PATTERN.test(v), '工会编号应为12位数字，如 310106000016', '工会编号', opts)
