import { describe, expect, it } from 'vitest'
import { checkPassword } from './password-policy'

describe('password policy (8–20, letters, digits, special characters)', () => {
  it.each(['Abc123!@', 'zghui#2024shanghai', 'a1!aaaaaaaaaaaaaaaaa'])('accepts %s', (p) => {
    expect(checkPassword(p)).toEqual({ ok: true, failed: [] })
  })

  it('rejects a short password', () => {
    expect(checkPassword('Ab1!').failed).toEqual(['长度为8–20位'])
  })

  it('rejects a password longer than 20 characters', () => {
    expect(checkPassword('Abcdefgh1!Abcdefgh1!x').failed).toEqual(['长度为8–20位'])
  })

  it('names every missing character class', () => {
    expect(checkPassword('abcdefgh').failed).toEqual(['包含数字', '包含特殊字符（如 !@#$%）'])
    expect(checkPassword('12345678').failed).toEqual(['包含字母', '包含特殊字符（如 !@#$%）'])
    expect(checkPassword('!!!!!!!!').failed).toEqual(['包含字母', '包含数字'])
  })

  it('does not count whitespace as a special character', () => {
    const r = checkPassword('abcd 1234')
    expect(r.ok).toBe(false)
    expect(r.failed).toContain('包含特殊字符（如 !@#$%）')
    expect(r.failed).toContain('不含空格')
  })
})
