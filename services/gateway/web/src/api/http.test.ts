import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiError, errorFromResponse } from './errors'
import { dispositionFileName, http, setUnauthorizedHandler, toSearch } from './http'
import { loginErrorMessage, passwordErrorMessage } from '@/lib/login-errors'

const problem = (status: number, body: Record<string, unknown>) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/problem+json' } })

afterEach(() => {
  vi.unstubAllGlobals()
  setUnauthorizedHandler(null)
})

describe('errorFromResponse', () => {
  it('maps problem+json to ApiError with code, title and extras', async () => {
    const e = await errorFromResponse(
      problem(409, { type: 'urn:problem:org.has_children', code: 'org.has_children', title: '该组织下还有 3 个下级组织，不能删除', status: 409, children: 3 }),
    )
    expect(e).toBeInstanceOf(ApiError)
    expect(e.code).toBe('org.has_children')
    expect(e.title).toBe('该组织下还有 3 个下级组织，不能删除')
    expect(e.status).toBe(409)
    expect(e.extra).toEqual({ children: 3 })
    expect(e.is('org.*')).toBe(true)
  })

  it('falls back to a Chinese status title without a problem body', async () => {
    const e = await errorFromResponse(new Response('<html>Bad Gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } }))
    expect(e.code).toBe('http.502')
    expect(e.title).toBe('服务暂时不可用，请稍后重试')
  })
})

describe('request', () => {
  it('sends JSON with credentials and drops empty query values', async () => {
    const fetchMock = vi.fn(async () => new Response(JSON.stringify({ items: [], total: 0, page: 1, size: 20 }), { headers: { 'content-type': 'application/json' } }))
    vi.stubGlobal('fetch', fetchMock)
    await http.get('/api/orgs', { name: '徐汇', uscc: '', kind: undefined, page: 1, size: 20 })
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit]
    expect(url).toBe('/api/orgs?name=%E5%BE%90%E6%B1%87&page=1&size=20')
    expect(init.credentials).toBe('include')
  })

  it('throws ApiError and calls the 401 handler for an expired session', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => problem(401, { code: 'session.expired', title: '登录已过期，请重新登录', status: 401 })))
    const handler = vi.fn()
    setUnauthorizedHandler(handler)
    await expect(http.get('/api/orgs')).rejects.toMatchObject({ code: 'session.expired', title: '登录已过期，请重新登录' })
    expect(handler).toHaveBeenCalledOnce()
  })

  it('leaves a 401 of the login call to the login page', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => problem(401, { code: 'auth.bad_credentials', title: '账号或密码错误', status: 401, remaining: 2 })))
    const handler = vi.fn()
    setUnauthorizedHandler(handler)
    await expect(http.post('/api/auth/login', {})).rejects.toBeInstanceOf(ApiError)
    expect(handler).not.toHaveBeenCalled()
  })

  it('turns a network failure into a Chinese ApiError', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => { throw new TypeError('Failed to fetch') }))
    await expect(http.get('/api/me')).rejects.toMatchObject({ code: 'network.error', status: 0 })
  })

  it('returns undefined for 204', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(null, { status: 204 })))
    await expect(http.post('/api/auth/logout')).resolves.toBeUndefined()
  })
})

describe('login error messages', () => {
  it('adds the remaining attempts', () => {
    const e = new ApiError(401, 'auth.bad_credentials', '账号或密码错误', undefined, { remaining: 2 })
    expect(loginErrorMessage(e)).toBe('账号或密码错误，还可尝试 2 次')
  })

  it('does not repeat a count the title already has', () => {
    const e = new ApiError(401, 'auth.bad_credentials', '密码错误，还可尝试 2 次', undefined, { remaining: 2 })
    expect(loginErrorMessage(e)).toBe('密码错误，还可尝试 2 次')
  })

  it('shows the unlock time in Asia/Shanghai', () => {
    const e = new ApiError(423, 'auth.locked', '账号已锁定', undefined, { unlock_at: '2024-03-01T02:30:00Z' })
    expect(loginErrorMessage(e)).toBe('账号已锁定，解锁时间：2024-03-01 10:30')
  })

  it('keeps the title of other failures', () => {
    expect(loginErrorMessage(new ApiError(422, 'auth.captcha_wrong', '验证码错误'))).toBe('验证码错误')
  })

  it('lists the password rules the server names', () => {
    const e = new ApiError(422, 'password.policy', '密码不符合要求', undefined, { rules: ['长度为8–20位', '包含特殊字符'] })
    expect(passwordErrorMessage(e)).toBe('密码不符合要求：长度为8–20位；包含特殊字符')
  })
})

describe('helpers', () => {
  it('builds query strings with repeated keys', () => {
    expect(toSearch({ ids: [1, 2], q: 'a b', empty: '' })).toBe('?ids=1&ids=2&q=a+b')
    expect(toSearch({})).toBe('')
  })

  it('reads RFC 5987 file names', () => {
    expect(dispositionFileName("attachment; filename*=UTF-8''%E7%BB%84%E7%BB%87%E5%88%97%E8%A1%A8.xlsx", 'x.xlsx')).toBe('组织列表.xlsx')
    expect(dispositionFileName('attachment; filename="orgs.xlsx"', 'x.xlsx')).toBe('orgs.xlsx')
    expect(dispositionFileName(null, 'x.xlsx')).toBe('x.xlsx')
  })
})
