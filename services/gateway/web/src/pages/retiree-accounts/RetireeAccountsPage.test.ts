// @vitest-environment happy-dom
/**
 * 预派账号管理 against a fake gateway: the list shows the pre-issued accounts (tuixiu+参保编码) and how far
 * each unit got, the 登录状态 filter goes to the server, 重置密码 asks first and shows the temporary
 * password once, and a refusal shows the server's title.
 */
import { afterAll, describe, expect, it, vi } from 'vitest'
import { createApp, h, nextTick } from 'vue'
import ElementPlus, { ElMessage, ElMessageBox } from 'element-plus'
import RetireeAccountsPage from './RetireeAccountsPage.vue'

const row = (account_id: number, code: string, unit_name: string, login_status: string, more: object = {}) => ({
  account_id, account: `tuixiu${code}`, code, unit_name, uscc: '91310000MA1FL0000X', tier: 'grassroots', org_id: 13,
  org_name: '上海某某科技有限公司工会', login_status, status: 'active', last_login_at: null, password_changed_at: null,
  issued_at: '2025-05-06T01:00:00Z', ...more,
})
const rows = [
  row(41, '123000000', '上海某某科技有限公司', 'not_logged_in'),
  row(42, '123000001', '上海某某贸易有限公司', 'changed', {
    tier: 'enterprise', org_id: null, org_name: null, last_login_at: '2025-05-12T02:00:00Z',
    password_changed_at: '2025-05-12T02:01:00Z',
  }),
]
const calls: string[] = []

vi.stubGlobal('fetch', vi.fn(async (url: string, init?: RequestInit) => {
  const method = init?.method ?? 'GET'
  calls.push(`${method} ${url}`)
  const u = new URL(url, 'http://x')
  let status = 200
  let body: unknown
  if (u.pathname === '/api/retiree-accounts') {
    const wanted = u.searchParams.get('login_status')
    const items = rows.filter((r) => !wanted || r.login_status === wanted)
    body = { items, total: items.length, page: 1, size: 20 }
  } else if (u.pathname === '/api/retiree-accounts/41/reset-password') {
    body = { temporary_password: 'Tmp#2025abcd' }
  } else {
    status = 404
    body = { code: 'not_found', title: '预派账号不存在或无权访问', status: 404 }
  }
  const type = status < 300 ? 'application/json' : 'application/problem+json'
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': type } })
}))

const flush = async () => {
  for (let i = 0; i < 30; i++) {
    await new Promise((r) => setTimeout(r, 5))
    await nextTick()
  }
}
const click = (el: Element | null | undefined) => (el as HTMLElement).click()
/** the message box's confirming button (its text depends on the locale, not mounted here) */
const confirmButton = () => document.querySelector('.el-message-box__btns .el-button--primary')

describe('预派账号管理', () => {
  const errors: unknown[] = []
  const el = document.createElement('div')
  document.body.appendChild(el)
  const app = createApp({ render: () => h(RetireeAccountsPage) })
  app.config.errorHandler = (e) => { errors.push(e) }
  app.config.warnHandler = (m) => { errors.push(m) }
  app.use(ElementPlus).mount(el)
  afterAll(async () => {
    ElMessage.closeAll()
    ElMessageBox.close()
    app.unmount()
    el.remove()
    await new Promise((r) => setTimeout(r, 500))
  })

  it('lists the pre-issued accounts with their login status', async () => {
    await flush()
    const table = el.querySelector('[data-test="retiree-account-table"]')?.textContent ?? ''
    for (const text of ['123000000', 'tuixiu123000000', '上海某某科技有限公司', '上海某某科技有限公司工会', '基层工会', '未登录']) {
      expect(table).toContain(text)
    }
    for (const text of ['tuixiu123000001', '未建会单位', '已修改密码', '2025-05-12 10:01:00']) expect(table).toContain(text)
    expect(errors).toEqual([])
  })

  it('filters by login status on the server', async () => {
    const status = el.querySelector('[data-test="retiree-account-filter-status"]')
    click(status?.querySelector('.el-select__wrapper') ?? status)
    await flush()
    click([...document.querySelectorAll('.el-select-dropdown__item')].find((o) => o.textContent?.trim() === '已修改密码'))
    await flush()
    click(el.querySelector('[data-test="retiree-account-search"]'))
    await flush()
    expect(calls.some((c) => c.startsWith('GET /api/retiree-accounts?') && c.includes('login_status=changed'))).toBe(true)
    const table = el.querySelector('[data-test="retiree-account-table"]')?.textContent ?? ''
    expect(table).toContain('tuixiu123000001')
    expect(table).not.toContain('tuixiu123000000')
    click([...el.querySelectorAll('button')].find((b) => b.textContent?.trim() === '重置'))
    await flush()
  })

  it('resets a password after asking, and shows the temporary one once', async () => {
    click(el.querySelector('[data-test="retiree-account-reset"]'))
    await flush()
    expect(document.querySelector('.el-message-box')?.textContent).toContain('tuixiu123000000')
    click(confirmButton())
    await flush()
    expect(calls).toContain('POST /api/retiree-accounts/41/reset-password')
    expect(document.querySelector('[data-test="temporary-password"]')?.textContent).toBe('Tmp#2025abcd')
    click(document.querySelector('[data-test="temporary-password-close"]'))
    await flush()
  })

  it('a refused reset shows the server title', async () => {
    const resets = el.querySelectorAll('[data-test="retiree-account-reset"]')
    click(resets[1])
    await flush()
    click(confirmButton())
    await flush()
    expect(calls).toContain('POST /api/retiree-accounts/42/reset-password')
    const messages = [...document.querySelectorAll('.el-message')].map((m) => m.textContent).join(' ')
    expect(messages).toContain('预派账号不存在或无权访问')
    expect(errors).toEqual([])
  })
})
