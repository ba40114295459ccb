/**
 * The password policy of 企业注册 (manual: 8–20 characters with letters, digits and special
 * characters). A client-side hint only: the server checks again and is the authority
 * (`password.policy` with the `rules` it failed).
 */
export interface PolicyResult {
  ok: boolean
  /** Chinese messages of the rules not met, in display order. */
  failed: string[]
}

export const PASSWORD_RULES = [
  { id: 'length', message: '长度为8–20位', test: (p: string) => p.length >= 8 && p.length <= 20 },
  { id: 'letter', message: '包含字母', test: (p: string) => /[A-Za-z]/.test(p) },
  { id: 'digit', message: '包含数字', test: (p: string) => /[0-9]/.test(p) },
  {
    id: 'special',
    message: '包含特殊字符（如 !@#$%）',
    test: (p: string) => /[^A-Za-z0-9\s]/.test(p),
  },
  { id: 'no-space', message: '不含空格', test: (p: string) => !/\s/.test(p) },
] as const

export function checkPassword(password: string): PolicyResult {
  const failed = PASSWORD_RULES.filter((r) => !r.test(password)).map((r) => r.message)
  return { ok: failed.length === 0, failed }
}

export const PASSWORD_HINT = '密码须为8–20位，同时包含字母、数字和特殊字符'

/** Element Plus form validator for a new password. */
export function passwordValidator(_rule: unknown, value: string, callback: (e?: Error) => void): void {
  if (!value) return callback(new Error('请输入密码'))
  const r = checkPassword(value)
  callback(r.ok ? undefined : new Error(`密码须${r.failed.join('、')}`))
}
