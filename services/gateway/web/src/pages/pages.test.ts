// @vitest-environment happy-dom
/**
 * Every page mounted in the real app shell (router, guard, Pinia, Element Plus) against a fake
 * gateway: renders without runtime errors or Vue warnings, shows what the contract sends, and the
 * main error paths show the server's title. Add a visit here when you add a page.
 */
import { describe, expect, it, vi } from 'vitest'
import { createApp, nextTick } from 'vue'
import { createPinia } from 'pinia'
import ElementPlus from 'element-plus'
import App from '@/App.vue'
import { i18n } from '@/i18n'
import { router } from '@/router'

// happy-dom has no canvas: the chart itself is not drawn here.
vi.mock('vue-echarts', () => ({ default: { name: 'VChart', props: ['option'], render: () => null } }))

const org = (id: number, name: string, kind = '单独基层工会', parent_id: number | null = 1, path = `1.${id}`) => ({
  id, name, kind, parent_id, path, district_id: null, version: 1, uscc: '91310000MA1FL0000X', economic_type: '私营企业',
  industry: '制造业', union_code: '310106000016', contact_name: '张三', contact_phone: '139*****0042', address: '上海', social_security_code: null,
})
const stats = { org_id: 1, members: 7364540, grassroots: 52701, standalone: 40000, joint: 100, branch: 200, federation: 3, covered_enterprises: 90356, e_cards: 47 }
const page = (items: unknown[]) => ({ items, total: items.length, page: 1, size: 20 })
const passwordReset = { id: 1, account_id: 2, account: '91310000MA1FL0000X', uscc: '91310000MA1FL0000X', name: '上海某某有限公司', contact: '王五', phone: '139*****0042', reason: '经办人离职', status: 'pending', created_at: '2024-03-01T02:00:00Z', reviewed_by: null, reviewed_at: null, rejection_reason: null }
const member = { id: 'm-1', name: '张三', id_type: '身份证', id_number: '310***********0012', phone: '139*****0000', gender: '男', birth_date: '1980-01-01', org_id: 13, union_name: '某公司工会', union_code: '310106000016', work_unit: '某公司', work_address: '上海市徐汇区虹漕路88号', tags: ['外卖员'], source: '批量导入', e_card_activated: true, category: '灵活就业类', enterprise_name: null, enterprise_uscc: null, member_no: 'SH0000000001', status: '正常', joined_on: '2024-03-01', deleted_reason: null, deleted_by: null, deleted_at: null, version: 1 }
const importJob = (state: string) => ({ id: 'imp-1', state, category: '灵活就业类', enterprise_name: null, file_name: '会员.xlsx', file_size: 1000, uploader_id: '1', rows_total: 10, rows_read: 10, rows_validated: state === '已完成' ? 10 : 4, rows_stored: state === '已完成' ? 9 : 0, rows_created: 9, rows_updated: 0, rows_unchanged: 0, rows_rejected: 1, error_code: null, error_message: null, attempts: 1, created_at: '2024-03-01T02:00:00Z', started_at: null, finished_at: null })
const transfer = { id: 5, batch_id: 'b1', member_id: 'm-1', member_name: '张三', id_number: '310***********0012', from_org_id: 13, from_org_name: '某公司工会', to_org_id: 12, to_org_name: '徐汇区总工会', reason: '工作调动', state: '待审核', requested_by: 'xh01', requested_at: '2024-03-01T02:00:00Z', reviewed_by: null, reviewed_at: null, review_note: null }
const compare = { id: 'cmp-1', state: '比对完成', file_name: '在册会员.xlsx', uploader_id: 'xh01', rows_total: 100, missing_from_file: 3, missing_from_platform: 2, error_code: null, error_message: null, created_at: '2024-03-01T02:00:00Z', finished_at: '2024-03-01T02:01:00Z' }
const calls: string[] = []
let mustChange = false
let enterprise = false
let statsPanel: unknown = { status: 'ok', data: stats }

function route(url: string, init?: RequestInit): [number, unknown] {
  const u = new URL(url, 'http://x')
  const p = u.pathname
  const m = init?.method ?? 'GET'
  if (p === '/api/auth/login') return [401, { code: 'auth.bad_credentials', title: '账号或密码错误', status: 401, remaining: 2 }]
  if (m === 'DELETE' && /^\/api\/orgs\/\d+$/.test(p)) return [409, { code: 'org.has_children', title: '该组织下还有 3 个下级组织，不能删除', status: 409, children: 3 }]
  if (p === '/api/me' && enterprise) return [200, { account_id: 2, account: '91310000MA1FL0000X', name: '上海某某有限公司', tier: 'enterprise', org_id: null, org_name: null, org_path: '', must_change_password: false, menus: ['workbench'] }]
  if (p === '/api/workbench' && enterprise) return [200, { org: { id: null, org_id: null, enterprise_id: 1, name: '上海某某有限公司' }, panels: {} }]
  if (p === '/api/me') return [200, { account_id: 1, account: 'admin', name: '管理员', tier: 'city', org_id: 1, org_name: '上海市总工会', org_path: '1', must_change_password: mustChange, menus: ['workbench', 'orgs', 'org-info', 'enterprises', 'members', 'member-imports', 'member-reviews', 'member-compares', 'accounts', 'registrations', 'password-resets', 'audit'] }]
  if (p === '/api/captcha') return [200, { captcha_id: 'c', image: 'data:image/png;base64,AAAA' }]
  if (p === '/api/workbench') return [200, { org: org(1, '上海市总工会', '市总工会', null, '1'), panels: { org_stats: statsPanel } }]
  if (p === '/api/workbench/joins') return [200, { total: 5, points: [{ period: '2024-03-05', joined: 5 }] }]
  if (p === '/api/orgs') return [200, page([org(12, '徐汇区总工会', '区局（产业）工会'), org(13, '某公司工会')])]
  if (/^\/api\/orgs\/\d+\/enterprises$/.test(p)) return [200, [{ id: 1, org_id: 1, name: '明园集团有限公司', uscc: '91310000MA1FL0000X', address: '上海' }]]
  if (/^\/api\/orgs\/\d+$/.test(p)) return [200, org(Number(p.split('/')[3]), '上海市总工会', '市总工会', null, '1')]
  if (p === '/api/accounts') return [200, page([{ id: 1, account: 'xh01', name: '李四', tier: 'district', org_id: 12, org_name: '徐汇区总工会', status: 'locked', last_login_at: '2024-03-01T02:00:00Z', locked_until: '2024-03-01T03:00:00Z' }])]
  if (p === '/api/registrations') return [200, page([{ id: 1, uscc: '91310000MA1FL0000X', name: '上海某某有限公司', contact: '王五', phone: '139*****0042', status: 'pending', reviewed_by: null, reviewed_at: null, reason: null }])]
  if (p === '/api/password-resets' && m === 'POST') {
    const body = JSON.parse(String(init?.body ?? '{}')) as { contact?: string }
    if (body.contact !== '王五') return [400, { code: 'password_reset.mismatch', title: '联系人或联系电话与企业注册时登记的不一致', status: 400 }]
    return [201, { id: 1, status: 'pending' }]
  }
  if (p === '/api/password-resets') return [200, page([passwordReset])]
  if (p === '/api/password-resets/1/approve') return [200, { ...passwordReset, status: 'approved', reviewed_by: 'admin', reviewed_at: '2024-03-01T03:00:00Z', temporary_password: 'Tmp@2024abcd' }]
  if (p === '/api/audit') return [200, page([{ id: 1, at: '2024-03-01T02:00:00Z', account: 'admin', tier: 'city', ip: '127.0.0.1', method: 'PATCH', route: '/api/orgs/{id}', action: 'org.update', target_ids: [12], outcome: 'success', status: 200 }])]
  if (p === '/api/enterprises') return [200, page([{ id: 1, name: '上海某某有限公司', uscc: '91310000MA1FL0000X', contact: '王五', phone: '139*****0042', district_id: 12, registered_on: '2024-03-01' }])]
  if (p === '/api/members') return [200, page([member])]
  if (p === '/api/members/m-1' && m === 'DELETE') return [409, { code: 'member.transfer_pending', title: '该会员有待审核的转移申请，不能删除', status: 409 }]
  if (p === '/api/imports' && m === 'POST') return [202, importJob('校验中')]
  if (p === '/api/imports') return [200, page([importJob('已完成')])]
  if (p === '/api/imports/imp-1') return [200, importJob('已完成')]
  if (p === '/api/imports/imp-1/rejections') return [200, page([{ row_no: 7, column: '证件号码', code: 'id_number.check_digit', reason: '证件号码校验位不正确', name: '李四', id_number_masked: '310***********001X' }])]
  if (p === '/api/transfers' && m === 'POST') return [201, [transfer]]
  if (p === '/api/transfers') return [200, page([transfer])]
  if (p === '/api/transfers/5/approve') return [200, { ...transfer, state: '已通过', reviewed_by: 'admin', reviewed_at: '2024-03-01T03:00:00Z' }]
  if (p === '/api/compares') return [200, page([compare])]
  return [404, { code: 'http.404', title: '页面或记录不存在', status: 404 }]
}

vi.stubGlobal('fetch', vi.fn(async (url: string, init?: RequestInit) => {
  calls.push(`${init?.method ?? 'GET'} ${url}`)
  const [status, body] = route(url, init)
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': status < 300 ? 'application/json' : 'application/problem+json' } })
}))

const flush = async () => {
  for (let i = 0; i < 30; i++) {
    await new Promise((r) => setTimeout(r, 5))
    await nextTick()
  }
}

describe('smoke', () => {
  const errors: unknown[] = []
  const el = document.createElement('div')
  document.body.appendChild(el)
  const app = createApp(App)
  app.config.errorHandler = (e) => { errors.push(e) }
  app.config.warnHandler = (m) => { errors.push(m) }
  app.use(createPinia()).use(router).use(i18n).use(ElementPlus)
  app.mount(el)

  const visit = async (path: string) => {
    await router.push(path)
    await router.isReady()
    await flush()
    return document.body.textContent ?? ''
  }

  it('login page', async () => {
    const text = await visit('/login')
    expect(text).toContain('企业注册')
    expect(document.querySelector('[data-test="login-account"]')?.tagName).toBe('INPUT')
    expect(document.querySelector('[data-test="captcha-image"]')?.getAttribute('src')).toContain('data:image/png')
    expect(document.querySelector('[data-test="login-submit"]')?.tagName).toBe('BUTTON')
  })

  it('register page', async () => {
    const text = await visit('/register')
    expect(text).toContain('统一社会信用代码')
  })

  it('forgot password page: a refusal shows the server title, then the application is sent', async () => {
    expect(await visit('/login')).toContain('找回密码（未建会单位）')
    ;(document.querySelector('[data-test="forgot-password-link"]') as HTMLAnchorElement).click()
    await flush()
    expect(router.currentRoute.value.path).toBe('/forgot-password')
    const text = document.body.textContent ?? ''
    for (const label of ['统一社会信用代码', '联系人', '联系电话', '原因', '验证码']) expect(text).toContain(label)
    const set = (sel: string, v: string) => {
      const input = document.querySelector(sel) as HTMLInputElement
      input.value = v
      input.dispatchEvent(new Event('input'))
    }
    set('[data-test="forgot-uscc"]', '91310000ma1fl0000x')
    set('[data-test="forgot-contact"]', '钱七')
    set('[data-test="forgot-phone"]', '13912340042')
    set('[data-test="forgot-reason"]', '经办人离职')
    set('[data-test="login-captcha"]', 'abcd')
    const captchas = calls.filter((c) => c.includes('/api/captcha')).length
    ;(document.querySelector('[data-test="forgot-submit"]') as HTMLButtonElement).click()
    await flush()
    expect(document.querySelector('[data-test="forgot-error"]')?.textContent).toContain('与企业注册时登记的不一致')
    expect(calls.filter((c) => c.includes('/api/captcha')).length).toBe(captchas + 1)
    set('[data-test="forgot-contact"]', '王五')
    set('[data-test="login-captcha"]', 'efgh')
    ;(document.querySelector('[data-test="forgot-submit"]') as HTMLButtonElement).click()
    await flush()
    expect(document.querySelector('[data-test="forgot-done"]')?.textContent).toContain('平台将审核')
    expect(calls.filter((c) => c === 'POST /api/password-resets').length).toBe(2)
  })

  it('workbench', async () => {
    const text = await visit('/')
    expect(router.currentRoute.value.path).toBe('/workbench')
    expect(document.querySelector('[data-test="stat-members"]')?.textContent).toContain('7,364,540')
    expect(text).toContain('单独基层工会组织数')
    expect(text).toContain('本月共计入会人数')
    for (const k of ['workbench', 'orgs', 'org-info', 'enterprises', 'members', 'member-imports', 'member-reviews', 'member-compares', 'accounts', 'registrations', 'password-resets', 'audit']) {
      expect(document.querySelector(`[data-test="menu-${k}"]`), k).not.toBeNull()
    }
    expect(text).toContain('欢迎您,上海市总工会')
  })

  it('workbench degraded', async () => {
    statsPanel = { status: 'unavailable', message: '组织服务暂不可用' }
    await visit('/orgs')
    const text = await visit('/workbench')
    expect(document.querySelector('[data-test="panel-unavailable"]')).not.toBeNull()
    expect(text).toContain('组织服务暂不可用')
    statsPanel = { status: 'ok', data: stats }
  })

  it('orgs', async () => {
    const text = await visit('/orgs')
    expect(document.querySelector('[data-test="org-table"]')).not.toBeNull()
    expect(text).toContain('徐汇区总工会')
    expect(text).toContain('批量转移')
    expect(calls.some((c) => c.startsWith('GET /api/orgs?') && c.includes('parent_id=1'))).toBe(true)
  })

  it('enterprise workbench: its name, no joins chart (the gateway refuses it to enterprises)', async () => {
    const { useSessionStore } = await import('@/stores/session')
    enterprise = true
    try {
      await useSessionStore().refresh()
      const before = calls.filter((c) => c.includes('/api/workbench/joins')).length
      await visit('/audit') // not granted: sent to its first page
      expect(router.currentRoute.value.path).toBe('/workbench')
      expect(document.querySelector('[data-test="workbench-org"]')?.textContent).toBe('上海某某有限公司')
      expect(document.querySelector('[data-test="joins-chart"]')).toBeNull()
      expect(calls.filter((c) => c.includes('/api/workbench/joins')).length).toBe(before)
      expect(document.querySelector('[data-test="menu-orgs"]')).toBeNull()
    } finally {
      enterprise = false
      await useSessionStore().refresh()
    }
  })

  it('org info, enterprises, accounts, registrations, audit', async () => {
    expect(await visit('/org-info')).toContain('明园集团有限公司')
    expect(await visit('/enterprises')).toContain('上海某某有限公司')
    const acc = await visit('/accounts')
    expect(acc).toContain('解锁')
    expect(acc).toContain('2024-03-01 10:00:00')
    expect(await visit('/registrations')).toContain('驳回')
    expect(await visit('/audit')).toContain('org.update')
  })

  it('password resets: the approval shows the temporary password once', async () => {
    const text = await visit('/password-resets')
    expect(text).toContain('经办人离职')
    expect(text).toContain('139*****0042')
    expect(calls.some((c) => c.startsWith('GET /api/password-resets?') && c.includes('status=pending'))).toBe(true)
    ;(document.querySelector('[data-test="password-reset-approve"]') as HTMLButtonElement).click()
    await flush()
    expect(document.querySelector('.el-message-box')?.textContent).toContain('上海某某有限公司')
    const confirm = [...document.querySelectorAll('.el-message-box button')].find((b) => b.textContent?.includes('确定')) as HTMLButtonElement
    confirm.click()
    await flush()
    expect(calls).toContain('POST /api/password-resets/1/approve')
    expect(document.querySelector('[data-test="temporary-password"]')?.textContent).toBe('Tmp@2024abcd')
    ;(document.querySelector('[data-test="temporary-password-close"]') as HTMLButtonElement).click()
    await flush()
  })

  it('forced password change', async () => {
    mustChange = true
    // a fresh session check is needed: emulate a reload by clearing the store state
    const { useSessionStore } = await import('@/stores/session')
    useSessionStore().clear()
    await useSessionStore().refresh()
    await visit('/orgs')
    expect(router.currentRoute.value.name).toBe('change-password')
    mustChange = false
  })

  it('login failure shows remaining attempts and refreshes the captcha', async () => {
    await visit('/login')
    const before = calls.filter((c) => c.includes('/api/captcha')).length
    const set = (sel: string, v: string) => {
      const input = document.querySelector(sel) as HTMLInputElement
      input.value = v
      input.dispatchEvent(new Event('input'))
    }
    set('[data-test="login-account"]', 'admin')
    set('[data-test="login-password"]', 'x')
    set('[data-test="login-captcha"]', 'abcd')
    ;(document.querySelector('[data-test="login-submit"]') as HTMLButtonElement).click()
    await flush()
    expect(document.querySelector('[data-test="login-error"]')?.textContent).toContain('账号或密码错误，还可尝试 2 次')
    expect(calls.filter((c) => c.includes('/api/captcha')).length).toBe(before + 1)
  })

  it('org delete shows the server title; edit dialog loads the org', async () => {
    const { useSessionStore } = await import('@/stores/session')
    await useSessionStore().refresh()
    await visit('/orgs')
    ;const dels = document.querySelectorAll('[data-test="org-delete"]') as NodeListOf<HTMLButtonElement>
    expect(dels[0]!.disabled).toBe(true) // 区局（产业）工会 cannot be deleted
    dels[1]!.click()
    await flush()
    const confirm = [...document.querySelectorAll('.el-message-box button')].find((b) => b.textContent?.includes('删除')) as HTMLButtonElement
    confirm.click()
    await flush()
    expect(calls.some((c) => c.startsWith('DELETE /api/orgs/13'))).toBe(true)
    expect(document.body.textContent).toContain('该组织下还有 3 个下级组织，不能删除')
    ;(document.querySelector('[data-test="org-edit"]') as HTMLButtonElement).click()
    await flush()
    expect((document.querySelector('[data-test="org-form-name"]') as HTMLInputElement).value).toBe('上海市总工会')
  })

  it('members: masked values, detail, delete shows the server title', async () => {
    const text = await visit('/members')
    expect(text).toContain('310***********0012')
    expect(text).toContain('139*****0000')
    for (const label of ['姓名', '证件号', '手机号', '所在工会', '会员标签', '会员来源', '是否激活电子会员证', '状态']) expect(text).toContain(label)
    expect(calls.some((c) => c.startsWith('GET /api/members?') && c.includes('status=%E6%AD%A3%E5%B8%B8'))).toBe(true)
    ;(document.querySelector('[data-test="member-open"]') as HTMLButtonElement).click()
    await flush()
    expect(document.querySelector('[data-test="member-detail"]')?.textContent ?? document.body.textContent).toContain('SH0000000001')
    ;(document.querySelector('[data-test="member-delete"]') as HTMLButtonElement).click()
    await flush()
    ;(document.querySelector('[data-test="member-delete-submit"]') as HTMLButtonElement).click()
    await flush()
    expect(document.querySelector('[data-test="member-delete-error"]')?.textContent).toContain('请选择删除原因')
    expect(document.body.textContent).toContain('退休')
    const option = [...document.querySelectorAll('.el-select-dropdown__item')].find((o) => o.textContent?.trim() === '退休') as HTMLElement
    option.click()
    await flush()
    ;(document.querySelector('[data-test="member-delete-submit"]') as HTMLButtonElement).click()
    await flush()
    expect(calls).toContain('DELETE /api/members/m-1?reason=%E9%80%80%E4%BC%91')
    expect(document.querySelector('[data-test="member-delete-error"]')?.textContent).toContain('该会员有待审核的转移申请，不能删除')
    ;(document.querySelector('[data-test="member-transfer"]') as HTMLButtonElement).click()
    await flush()
    expect(document.querySelector('[data-test="member-transfer-dialog"]')?.textContent ?? document.body.textContent).toContain('转入工会')
  })

  it('member imports: upload, progress, result', async () => {
    const text = await visit('/member-imports')
    for (const label of ['下载模板', '灵活就业类', '企业外入会类', '关联企业类', '导入记录']) expect(text).toContain(label)
    const input = document.querySelector('[data-test="import-file"] input[type="file"]') as HTMLInputElement
    const file = new File(['PK'], '会员.xlsx', { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' })
    Object.defineProperty(input, 'files', { value: [file], configurable: true })
    input.dispatchEvent(new Event('change'))
    await flush()
    ;(document.querySelector('[data-test="import-submit"]') as HTMLButtonElement).click()
    await flush()
    expect(calls).toContain('POST /api/imports')
    expect(document.querySelector('[data-test="import-progress"]')?.textContent).toContain('已读取 10 行')
    await new Promise((r) => setTimeout(r, 1700))
    await flush()
    expect(calls).toContain('GET /api/imports/imp-1')
    expect(document.querySelector('[data-test="import-progress"]')?.textContent).toContain('已完成')
    ;(document.querySelector('[data-test="import-result"]') as HTMLButtonElement).click()
    await flush()
    const result = document.querySelector('[data-test="import-rejections"]')?.textContent ?? ''
    expect(result).toContain('证件号码校验位不正确')
    expect(result).toContain('7')
  })

  it('member reviews and compares', async () => {
    const text = await visit('/member-reviews')
    expect(text).toContain('工作调动')
    expect(calls.some((c) => c.startsWith('GET /api/transfers?') && c.includes('direction=in'))).toBe(true)
    ;(document.querySelector('[data-test="review-approve"]') as HTMLButtonElement).click()
    await flush()
    const confirm = [...document.querySelectorAll('.el-message-box button')].find((b) => b.textContent?.includes('确定')) as HTMLButtonElement
    confirm.click()
    await flush()
    expect(calls).toContain('POST /api/transfers/5/approve')
    const compares = await visit('/member-compares')
    expect(compares).toContain('在册会员.xlsx')
    expect(compares).toContain('xh01')
    expect(compares).toContain('下载比对结果')
  })

  it('no runtime errors', () => {
    expect(errors.map(String)).toEqual([])
  })
})
