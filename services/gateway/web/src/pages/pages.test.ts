// @vitest-environment happy-dom
/**
 * Every page mounted in the real app shell (router, guard, Pinia, Element Plus) against a fake
 * gateway: renders without runtime errors or Vue warnings, shows what the contract sends, and the
 * main error paths show the server's title. Add a visit here when you add a page.
 */
import { afterAll, describe, expect, it, vi } from 'vitest'
import { createApp, nextTick } from 'vue'
import { createPinia } from 'pinia'
import ElementPlus, { ElMessage, ElMessageBox, ElNotification } from 'element-plus'
import App from '@/App.vue'
import { i18n } from '@/i18n'
import { router } from '@/router'
import { cardsRoute, cardsSeen } from './cards/cards.fake'
import { enrollmentMe, enrollmentRoute } from './enrollment/enrollment.fake'
import { billingMe, billingRetiree, billingRoute, billingSeen } from './billing/billing.fake'
import { mutualAidMe, mutualAidRoute, mutualAidSeen } from './mutual-aid/mutual-aid-codes.fake'
import { maBatches, maBatchesMe, maBatchesRoute, resetBatches } from './mutual-aid/mutual-aid-batches.fake'

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
const compare = { id: 'cmp-1', state: '比对完成', file_name: '在册会员.xlsx', uploader_id: '12', uploader_account: 'xh01', rows_total: 100, missing_from_file: 3, missing_from_platform: 2, error_code: null, error_message: null, created_at: '2024-03-01T02:00:00Z', finished_at: '2024-03-01T02:01:00Z' }
const missing = { member_id: 'm-2', name: '王五', id_type: '身份证', id_number: '310***********0034', phone: '139*****0001', union_name: '某公司工会', status: '正常', handling: null, handled_by: null, handled_at: null }
const districts = [{ id: 12, name: '徐汇区总工会', kind: '区局（产业）工会' }, { id: 20, name: '黄浦区总工会', kind: '区局（产业）工会' }]
const huangpuUnions = [{ id: 21, name: '黄浦区临时工会', kind: '临时工会' }, { id: 22, name: '黄浦某公司工会', kind: '单独基层工会' }]
const calls: string[] = []
/** the last JSON body sent, by `METHOD /path` */
const sent: Record<string, unknown> = {}
let mustChange = false
let enterprise = false
/** 会员专享保障: signed in as this tier's union clerk (null: the city admin below) */
let enrollmentTier: string | null = null
/** 缴费管理: signed in as the district's clerk or the insurer (null: the city admin below) */
let billingTier: 'district' | 'insurer' | null = null
/** 互助保障 参保编码: signed in as a unit (a grassroots union's account) or the insurer (null: the city admin) */
let mutualAidTier: 'unit' | 'insurer' | null = null
let statsPanel: unknown = { status: 'ok', data: stats }

function route(url: string, init?: RequestInit): [number, unknown] {
  const u = new URL(url, 'http://x')
  const p = u.pathname
  const m = init?.method ?? 'GET'
  if (p === '/api/auth/login') return [401, { code: 'auth.bad_credentials', title: '账号或密码错误', status: 401, remaining: 2 }]
  if (m === 'DELETE' && /^\/api\/orgs\/\d+$/.test(p)) return [409, { code: 'org.has_children', title: '该组织下还有 3 个下级组织，不能删除', status: 409, children: 3 }]
  if (p === '/api/me' && enrollmentTier) return [200, enrollmentMe(enrollmentTier)]
  if (p === '/api/me' && billingTier) return [200, billingMe(billingTier)]
  if (p.startsWith('/api/billing/')) return billingRoute(u, m, init) ?? [404, { code: 'not_found', title: '记录不存在', status: 404 }]
  if (p === '/api/me' && maBatches.who) return [200, maBatchesMe(maBatches.who)]
  if (p.startsWith('/api/mutual-aid/') && maBatches.who) return maBatchesRoute(u, m, init) ?? [404, { code: 'not_found', title: '记录不存在', status: 404 }]
  if (p === '/api/me' && mutualAidTier) return [200, mutualAidMe(mutualAidTier)]
  if (p.startsWith('/api/mutual-aid/')) return mutualAidRoute(u, m, init) ?? [404, { code: 'not_found', title: '记录不存在', status: 404 }]
  if (p.startsWith('/api/enrollment/')) return enrollmentRoute(u, m, init) ?? [404, { code: 'not_found', title: '记录不存在', status: 404 }]
  if (p === '/api/me' && enterprise) return [200, { account_id: 2, account: '91310000MA1FL0000X', name: '上海某某有限公司', tier: 'enterprise', org_id: null, org_name: null, org_path: '', must_change_password: false, menus: ['workbench'] }]
  if (p === '/api/workbench' && enterprise) return [200, { org: { id: null, org_id: null, enterprise_id: 1, name: '上海某某有限公司' }, panels: {} }]
  if (p === '/api/me') return [200, { account_id: 1, account: 'admin', name: '管理员', tier: 'city', org_id: 1, org_name: '上海市总工会', org_path: '1', must_change_password: mustChange, menus: ['workbench', 'orgs', 'org-info', 'enterprises', 'members', 'member-imports', 'member-reviews', 'member-compares', 'accounts', 'registrations', 'password-resets', 'audit', 'card-info', 'card-pending', 'card-batches', 'card-revocations'] }]
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
  if (p === '/api/members' && m === 'POST') {
    const body = JSON.parse(String(init?.body ?? '{}')) as { id_number?: string; name?: string }
    if (body.id_number === taken) return [409, { code: 'member.already_member', title: '该人员已是“某公司工会”会员，请通过会员转移办理', status: 409 }]
    return [201, { ...member, id: 'm-9', name: body.name }]
  }
  if (p === '/api/members/m-1' && m === 'PATCH') return [200, { ...member, ...(JSON.parse(String(init?.body)) as object) }]
  if (p === '/api/members') return [200, page([member])]
  if (p === '/api/transfer-targets') return [200, page(u.searchParams.get('district_id') === '20' ? huangpuUnions : u.searchParams.get('district_id') ? [] : districts)]
  if (p === '/api/compares/cmp-1/missing') return [200, page([missing])]
  if (p === '/api/compares/cmp-1/missing/m-2/handling') {
    const body = JSON.parse(String(init?.body ?? '{}')) as { action?: string }
    if (body.action === '死亡') return [409, { code: 'member.transfer_pending', title: '该会员有待审核的转移申请，请先处理', status: 409 }]
    return [200, { member_id: 'm-2', handling: body.action, handled_by: 'xh01' }]
  }
  if (p === '/api/members/m-1' && m === 'DELETE') return [409, { code: 'member.transfer_pending', title: '该会员有待审核的转移申请，不能删除', status: 409 }]
  if (p === '/api/imports' && m === 'POST') return [202, importJob('校验中')]
  if (p === '/api/imports') return [200, page([importJob('已完成')])]
  if (p === '/api/imports/imp-1') return [200, importJob('已完成')]
  if (p === '/api/imports/imp-1/rejections') return [200, page([{ row_no: 7, column: '证件号码', code: 'id_number.check_digit', reason: '证件号码校验位不正确', name: '李四', id_number_masked: '310***********001X' }])]
  if (p === '/api/transfers' && m === 'POST') return [201, [transfer]]
  if (p === '/api/transfers') return [200, page([transfer])]
  if (p === '/api/transfers/5/approve') return [200, { ...transfer, state: '已通过', reviewed_by: 'admin', reviewed_at: '2024-03-01T03:00:00Z' }]
  if (p === '/api/compares') return [200, page([compare])]
  const cards = cardsRoute(u, m, init)
  if (cards) return cards
  return [404, { code: 'http.404', title: '页面或记录不存在', status: 404 }]
}

vi.stubGlobal('fetch', vi.fn(async (url: string, init?: RequestInit) => {
  calls.push(`${init?.method ?? 'GET'} ${url}`)
  if (typeof init?.body === 'string') sent[`${init.method} ${new URL(url, 'http://x').pathname}`] = JSON.parse(init.body)
  const [status, body] = route(url, init)
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': status < 300 ? 'application/json' : 'application/problem+json' } })
}))

/** A valid resident ID number (GB 11643 check digit) */
function idNumber(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const total = weights.reduce((sum, w, i) => sum + w * Number(first17[i]), 0)
  return first17 + '10X98765432'[total % 11]
}
const taken = idNumber('31010419800101001') // the fake gateway answers: already a member elsewhere

const type = (sel: string, v: string) => {
  const input = document.querySelector(sel) as HTMLInputElement
  input.value = v
  input.dispatchEvent(new Event('input'))
}
const click = (sel: string) => (document.querySelector(sel) as HTMLElement).click()
/** An el-select option (rendered in the body) or an el-radio, by its text, within `scope`. */
const choose = (text: string, scope = '.el-select-dropdown__item') => {
  const found = [...document.querySelectorAll(scope)].filter((o) => o.textContent?.trim() === text)
  ;(found[found.length - 1] as HTMLElement).click()
}

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
  // Element Plus hides poppers and dialogs on timers and animation frames: let them run while the
  // document still exists, or they fire after happy-dom is torn down and fail as unhandled errors.
  afterAll(async () => {
    ElMessage.closeAll()
    ElNotification.closeAll()
    ElMessageBox.close()
    app.unmount()
    await new Promise((r) => setTimeout(r, 1000))
  })

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

  it('member add form: Chinese rules, the server\'s refusal on its field, then saved', async () => {
    await visit('/members')
    click('[data-test="member-create"]')
    await flush()
    const dialog = () => document.querySelector('[data-test="member-form-dialog"]')?.textContent ?? ''
    for (const label of ['姓名', '证件类型', '证件号码', '手机号码', '性别', '出生日期', '所在工会', '会员类别', '关联企业', '工作单位/服务平台', '工作单位地址', '会员标签', '电子会员证']) {
      expect(dialog()).toContain(label)
    }
    click('[data-test="member-form-submit"]')
    await flush()
    for (const message of ['请输入姓名', '证件号码不能为空', '请输入手机号码', '性别应为“男”或“女”', '关联企业类会员的工作单位地址不能少于6个字']) {
      expect(dialog()).toContain(message)
    }
    expect(calls).toContain('GET /api/orgs/1/enterprises') // 关联企业类: the union's covered enterprises
    type('[data-test="member-form-name"]', '张三1')
    type('[data-test="member-form-id-number"]', taken.slice(0, 17) + (taken[17] === '0' ? '1' : '0'))
    type('[data-test="member-form-phone"]', '1234')
    type('[data-test="member-form-work-address"]', '虹漕路')
    click('[data-test="member-form-submit"]')
    await flush()
    for (const message of ['姓名不能包含数字或控制字符', '证件号码校验位错误', '手机号码格式不正确，应为11位手机号']) expect(dialog()).toContain(message)
    expect(calls.filter((c) => c === 'POST /api/members')).toHaveLength(0)

    type('[data-test="member-form-name"]', '张三')
    type('[data-test="member-form-id-number"]', taken)
    type('[data-test="member-form-phone"]', '13912345678')
    type('[data-test="member-form-work-address"]', '上海市徐汇区虹漕路88号')
    await flush()
    expect((document.querySelector('[data-test="member-form-birth-date"] input') as HTMLInputElement).value).toBe('1980-01-01')
    click('[data-test="member-form-submit"]')
    await flush()
    expect(calls).toContain('POST /api/members')
    expect(document.querySelector('[data-test="member-form-error"]')?.textContent).toContain('该人员已是“某公司工会”会员')
    expect(document.querySelector('[data-test="member-form-id-number"]')?.closest('.el-form-item')?.textContent).toContain('请通过会员转移办理')

    const other = idNumber('31010419900202002')
    type('[data-test="member-form-id-number"]', other)
    click('[data-test="member-form-submit"]')
    await flush()
    expect(sent['POST /api/members']).toMatchObject({
      name: '张三', id_type: '身份证', id_number: other, phone: '13912345678', gender: '女', org_id: 1, category: '关联企业类',
      birth_date: null, source: '单个添加', enterprise_name: '明园集团有限公司', enterprise_uscc: '91310000MA1FL0000X',
      work_address: '上海市徐汇区虹漕路88号', tags: [], e_card_activated: false,
    })
    expect(document.body.textContent).toContain('已新增会员 张三')
  })

  it('member edit: from the row and the detail, only the changed fields are sent', async () => {
    await visit('/members')
    click('[data-test="member-edit"]')
    await flush()
    expect((document.querySelector('[data-test="member-form-name"]') as HTMLInputElement).value).toBe('张三')
    expect(document.querySelector('[data-test="member-form-id-number"]')).toBeNull() // the document is not edited
    expect(document.querySelector('[data-test="member-form-dialog"]')?.textContent).toContain('310***********0012')
    type('[data-test="member-form-work-unit"]', '新单位')
    click('[data-test="member-form-submit"]')
    await flush()
    expect(sent['PATCH /api/members/m-1']).toEqual({ work_unit: '新单位' })
    click('[data-test="member-open"]')
    await flush()
    click('[data-test="member-detail-edit"]')
    await flush()
    type('[data-test="member-form-phone"]', '139')
    click('[data-test="member-form-submit"]')
    await flush()
    expect(document.querySelector('[data-test="member-form-dialog"]')?.textContent).toContain('手机号码格式不正确')
  })

  it('member transfer: any district, its 临时工会 by default, reason required', async () => {
    await visit('/members')
    click('[data-test="member-transfer"]')
    await flush()
    expect(calls.some((c) => c.startsWith('GET /api/transfer-targets?'))).toBe(true)
    click('[data-test="member-transfer-submit"]')
    await flush()
    expect(document.querySelector('[data-test="member-transfer-error"]')?.textContent).toContain('请选择转入的区/产业局')
    choose('黄浦区总工会')
    await flush()
    expect(calls.some((c) => c.includes('/api/transfer-targets?') && c.includes('district_id=20'))).toBe(true)
    expect(document.querySelector('[data-test="transfer-target-org"]')?.textContent).toContain('转入区临时工会（黄浦区临时工会）')
    click('[data-test="member-transfer-submit"]')
    await flush()
    expect(document.querySelector('[data-test="member-transfer-error"]')?.textContent).toContain('请填写转移原因')
    type('[data-test="member-transfer-reason"]', '工作调动')
    click('[data-test="member-transfer-submit"]')
    await flush()
    expect(sent['POST /api/transfers']).toEqual({ member_ids: ['m-1'], target_district_id: 20, target_org_id: 21, reason: '工作调动' })
  })

  it('member compare: 查看处理详情 handles a member; the not-on-platform download', async () => {
    await visit('/member-compares')
    click('[data-test="compare-open"]')
    await flush()
    const detail = document.querySelector('[data-test="compare-detail-dialog"]')?.textContent ?? ''
    expect(detail).toContain('王五')
    expect(detail).toContain('310***********0034')
    expect(detail).toContain('下载比对结果（2 人）')
    click('[data-test="compare-handle"]')
    await flush()
    choose('死亡', '[data-test="compare-handling-action"] .el-radio')
    await flush()
    click('[data-test="compare-handling-submit"]')
    await flush()
    expect(sent['POST /api/compares/cmp-1/missing/m-2/handling']).toEqual({ action: '死亡' })
    expect(document.querySelector('[data-test="compare-handling-error"]')?.textContent).toContain('该会员有待审核的转移申请')
    choose('转出', '[data-test="compare-handling-action"] .el-radio')
    await flush()
    click('[data-test="compare-handling-submit"]')
    await flush()
    expect(document.querySelector('[data-test="compare-handling-error"]')?.textContent).toContain('请选择转入的区/产业局')
    choose('黄浦区总工会')
    await flush()
    click('[data-test="compare-handling-submit"]')
    await flush()
    expect(sent['POST /api/compares/cmp-1/missing/m-2/handling']).toEqual({ action: '转出', target_org_id: 21, reason: '会员比对：不在上传的会员名单中' })
    expect(document.body.textContent).toContain('已提交 王五 的转移申请')
  })

  it('card info: masked list, the refusal names who cannot be added, 全部加入待办, detail', async () => {
    const text = await visit('/card-info')
    for (const label of ['会员编号', '办理状态', '银行卡号', '申办时间', '申请通道', '加入待办', '全部加入待办']) expect(text).toContain(label)
    expect(text).toContain('6222 **** **** 1234')
    expect(text).toContain('310***********0012')
    const boxes = document.querySelectorAll('[data-test="card-table"] .el-table__body .el-checkbox')
    expect(boxes[0]?.classList.contains('is-disabled')).toBe(true) // 已办卡: not selectable
    ;(boxes[1]!.querySelector('input') as HTMLInputElement).click()
    await flush()
    click('[data-test="card-add"]')
    await flush()
    expect(sent['POST /api/cards/cards/pending']).toEqual({ member_ids: ['m-2'] })
    const refusal = document.querySelector('[data-test="card-refusal"]')?.textContent ?? ''
    expect(refusal).toContain('张三')
    expect(refusal).toContain('已办卡')
    click('[data-test="card-add-all"]')
    await flush()
    ;([...document.querySelectorAll('.el-message-box button')].find((b) => b.textContent?.includes('确定')) as HTMLButtonElement).click()
    await flush()
    expect(calls).toContain('POST /api/cards/cards/pending/all')
    expect(document.body.textContent).toContain('已将 3 名会员加入待办')
    click('[data-test="card-open"]')
    await flush()
    expect(document.querySelector('[data-test="card-history"]')?.textContent).toContain('cb-202403011000001')
  })

  it('card pending: progress polled while checks are out, results, expiry refusal, 完善信息, 提交办卡', async () => {
    const text = await visit('/card-pending')
    for (const label of ['普通办卡通道', '特殊办卡通道', '提交系统校验', '移除全部校验未通过及未校验会员', '提交办卡', '证件到期日']) expect(text).toContain(label)
    expect(document.querySelector('[data-test="pending-progress"]')?.textContent).toContain('校验中 2 人')
    expect(document.querySelector('[data-test="pending-table"]')?.textContent).toContain('校验中')
    cardsSeen.checksDone = true // the adapter answered: the next poll shows the results
    await new Promise((r) => setTimeout(r, 1700))
    await flush()
    const progress = document.querySelector('[data-test="pending-progress"]')?.textContent ?? ''
    expect(progress).toContain('校验通过 1 人，未通过 1 人')
    expect(document.querySelector('[data-test="pending-progress-bar"]')?.getAttribute('aria-valuenow')).toBe('100')
    expect(document.querySelector('[data-test="pending-table"]')?.textContent).toContain('已退休')
    const boxes = document.querySelectorAll('[data-test="pending-table"] .el-table__body .el-checkbox')
    ;(boxes[1]!.querySelector('input') as HTMLInputElement).click()
    await flush()
    click('[data-test="pending-check"]')
    await flush()
    expect(sent['POST /api/cards/pending/checks']).toEqual({ ids: [2] })

    click('[data-test="pending-expiry"]')
    await flush()
    ;(document.querySelector('[data-test="expiry-long-term"] input') as HTMLInputElement).click()
    await flush()
    click('[data-test="pending-expiry-submit"]')
    await flush()
    expect(sent['PUT /api/cards/pending/1/expiry']).toEqual({ long_term: true })
    expect(document.querySelector('[data-test="pending-expiry-error"]')?.textContent).toContain('证件到期日须晚于今天')

    ;([...document.querySelectorAll('[data-test="pending-channel"] .el-tabs__item')].find((t) => t.textContent?.includes('特殊')) as HTMLElement).click()
    await flush()
    expect(calls.some((c) => c.startsWith('GET /api/cards/pending?') && c.includes('channel=%E7%89%B9%E6%AE%8A'))).toBe(true)
    expect(document.querySelector('[data-test="pending-table"]')?.textContent).toContain('未完善')
    click('[data-test="pending-info"]')
    await flush()
    click('[data-test="pending-info-submit"]')
    await flush()
    expect(document.querySelector('[data-test="pending-info-error"]')?.textContent).toContain('请选择证件到期日或勾选长期')
    ;(document.querySelectorAll('[data-test="expiry-long-term"] input')[1] as HTMLInputElement).click()
    await flush()
    click('[data-test="pending-info-submit"]')
    await flush()
    expect(sent['PUT /api/cards/pending/4/info']).toEqual({ id_type: '身份证', nationality: '中国', long_term: true })

    ;([...document.querySelectorAll('[data-test="pending-channel"] .el-tabs__item')].find((t) => t.textContent?.includes('普通')) as HTMLElement).click()
    await flush()
    expect((document.querySelector('[data-test="pending-submit"]') as HTMLButtonElement).disabled).toBe(true) // one row 未通过
  })

  it('card batch submit dialog: required fields, then the new batch number (with an Idempotency-Key)', async () => {
    const { default: BatchSubmitDialog } = await import('@/pages/cards/BatchSubmitDialog.vue')
    const host = document.createElement('div')
    document.body.appendChild(host)
    const { h, ref } = await import('vue')
    const open = ref(true)
    const dialog = createApp({ render: () => h(BatchSubmitDialog, { modelValue: open.value, 'onUpdate:modelValue': (v: boolean) => (open.value = v), channel: '普通', count: 1 }) })
    dialog.use(ElementPlus).mount(host)
    await flush()
    click('[data-test="batch-submit"]')
    await flush()
    const form = () => document.querySelector('[data-test="batch-submit-dialog"]')?.textContent ?? ''
    for (const message of ['请输入发卡支行', '请输入经办网点', '请输入网点地址', '请输入联系人', '请输入联系电话']) expect(form()).toContain(message)
    type('[data-test="batch-branch"]', '工商银行徐汇支行')
    type('[data-test="batch-outlet"]', '虹漕路网点')
    type('[data-test="batch-outlet-address"]', '上海市徐汇区虹漕路100号')
    type('[data-test="batch-contact"]', '王老师')
    type('[data-test="batch-contact-phone"]', '13900001111')
    click('[data-test="batch-submit"]')
    await flush()
    expect(sent['POST /api/cards/batches']).toEqual({ channel: '普通', branch: '工商银行徐汇支行', outlet: '虹漕路网点', outlet_address: '上海市徐汇区虹漕路100号', contact: '王老师', contact_phone: '13900001111' })
    expect(cardsSeen.idempotencyKeys).toHaveLength(1)
    expect(document.querySelector('[data-test="batch-submit-no"]')?.textContent).toBe('cb-202403021000001')
    dialog.unmount()
    host.remove()
  })

  it('card batches: list, detail outcomes, 打印清册 preview, 撤销办卡批次申请', async () => {
    const text = await visit('/card-batches')
    for (const label of ['批次编号', '办理总人数', '办理成功人数', '提交时间', '银行反馈时间', '申请通道', '批次撤销情况', '网点地址']) expect(text).toContain(label)
    expect(text).toContain('cb-202403011000001')
    expect(text).toContain('上海市徐汇区虹漕路100号')
    click('[data-test="batch-open"]')
    await flush()
    const detail = document.querySelector('[data-test="batch-cards"]')?.textContent ?? ''
    expect(detail).toContain('6222 **** **** 1234')
    expect(detail).toContain('待反馈')
    click('[data-test="batch-roster"]')
    await flush()
    expect(calls).toContain('GET /api/cards/batches/cb-202403011000001/roster.pdf')
    expect(document.querySelector('[data-test="roster-frame"]')?.getAttribute('src')).toMatch(/^blob:/)
    expect(document.querySelector('[data-test="roster-open"]')?.getAttribute('href')).toBe('/api/cards/batches/cb-202403011000001/roster.pdf')
    click('[data-test="batch-revoke"]')
    await flush()
    click('[data-test="revocation-submit"]')
    await flush()
    expect(document.querySelector('[data-test="revocation-error"]')?.textContent).toContain('请填写申请人姓名和联系电话')
    type('[data-test="revocation-name"]', '王老师')
    type('[data-test="revocation-phone"]', '13900001111')
    click('[data-test="revocation-submit"]')
    await flush()
    expect(sent['POST /api/cards/batches/cb-202403011000001/revocations']).toEqual({ applicant_name: '王老师', applicant_phone: '13900001111' })
  })

  it('card revocations: the district approves, or rejects with a reason', async () => {
    const text = await visit('/card-revocations')
    expect(text).toContain('王老师')
    expect(text).toContain('139*****1111')
    expect(calls.some((c) => c.startsWith('GET /api/cards/revocations?') && c.includes('state=%E5%AE%A1%E6%A0%B8%E4%B8%AD'))).toBe(true)
    click('[data-test="revocation-approve"]')
    await flush()
    ;([...document.querySelectorAll('.el-message-box button')].find((b) => b.textContent?.includes('确定')) as HTMLButtonElement).click()
    await flush()
    expect(calls).toContain('POST /api/cards/revocations/7/approve')
    click('[data-test="revocation-reject"]')
    await flush()
    const input = document.querySelector('.el-message-box input') as HTMLInputElement
    input.value = '材料不全'
    input.dispatchEvent(new Event('input'))
    await flush()
    ;([...document.querySelectorAll('.el-message-box button')].find((b) => b.textContent?.includes('确定')) as HTMLButtonElement).click()
    await flush()
    expect(sent['POST /api/cards/revocations/7/reject']).toEqual({ reason: '材料不全' })
  })

  describe('会员专享保障', () => {
    const asTier = async (tier: string | null) => {
      enrollmentTier = tier
      const { useSessionStore } = await import('@/stores/session')
      await useSessionStore().refresh()
    }
    const button = (text: string, scope = '.el-message-box button') =>
      [...document.querySelectorAll(scope)].find((b) => b.textContent?.includes(text)) as HTMLElement
    const setNumber = (sel: string, v: string) => {
      const input = document.querySelector(`${sel} input`) as HTMLInputElement
      input.value = v
      input.dispatchEvent(new Event('input'))
      input.dispatchEvent(new Event('change'))
    }
    const messages = () => [...document.querySelectorAll('.el-message')].map((m) => m.textContent).join(' ')

    it('city: programme year, windows and types; a split not adding up shows the service title', async () => {
      await asTier('city')
      const text = await visit('/enrollment-programmes')
      for (const k of ['enrollment-programmes', 'enrollment-submissions', 'enrollment-batches']) expect(document.querySelector(`[data-test="menu-${k}"]`), k).not.toBeNull()
      expect(document.querySelector('[data-test="menu-enrollment-collective"]')).toBeNull()
      for (const label of ['工会会员专享基本保障', 'A类会员专享基本保障', 'A+类会员专享基本保障', '集中参保提交至职保中心', '上海银行人民广场支行']) expect(text).toContain(label)
      expect(document.querySelector('[data-test="type-table"]')?.textContent).toContain('63')
      click('[data-test="type-create"]')
      await flush()
      type('[data-test="type-form-code"]', 'B')
      type('[data-test="type-form-name"]', 'B类会员专享基本保障')
      setNumber('[data-test="type-form-premium"]', '26')
      setNumber('[data-test="type-form-city"]', '13')
      setNumber('[data-test="type-form-district"]', '12')
      await flush()
      expect(document.querySelector('[data-test="type-form-sum"]')?.textContent).toContain('与参保费用 26 元不一致')
      click('[data-test="type-form-submit"]')
      await flush()
      expect(sent['PUT /api/enrollment/programmes/member-basic/years/2024/types/B']).toMatchObject({ name: 'B类会员专享基本保障', premium_fen: 2600, city_fen: 1300, district_fen: 1200, grassroots_fen: 0 })
      expect(document.querySelector('[data-test="type-form-error"]')?.textContent).toContain('合计（25元）与参保费用（26元）不一致')
      click('[data-test="year-edit"]')
      await flush()
      click('[data-test="year-form-submit"]')
      await flush()
      const year = sent['PUT /api/enrollment/programmes/member-basic/years/2024'] as { windows: Record<string, { opens_at: string; closes_at: string }>; collective_pay_by: string }
      expect(year.collective_pay_by).toBe('2024-01-20')
      expect(year.windows.collective).toEqual({ opens_at: '2023-11-01T00:00:00+08:00', closes_at: '2023-12-26T00:00:00+08:00' })
    })

    it('city: batches with their detail lines, notice and statistics', async () => {
      const text = await visit('/enrollment-batches')
      for (const label of ['批次编号', '缴费单位', '参保人数', '保障费用', '缴费截止', '经办人', '状态', 'CB202312260001', '63840', '139****1111']) expect(text).toContain(label)
      click('[data-test="enrollment-batch-open"]')
      await flush()
      const dialog = document.querySelector('[data-test="lines-dialog"]')?.textContent ?? ''
      expect(dialog).toContain('A+类会员专享基本保障 1064 人 63840 元')
      expect(dialog).toContain('陈硕')
      expect(calls).toContain('GET /api/enrollment/batches/CB202312260001/lines?page=1&size=20')
      click('[data-test="line-coverage"]')
      await flush()
      expect(document.querySelector('[data-test="coverage-dialog"]')?.textContent).toContain('已生效')
      click('[data-test="enrollment-batch-detail-statistics"]')
      click('[data-test="enrollment-batch-detail-notice"]')
      await flush()
      expect(calls).toContain('GET /api/enrollment/batches/CB202312260001/statistics.xlsx')
      expect(calls).toContain('GET /api/enrollment/batches/CB202312260001/notice')
    })

    it('district: split settings show the refusal; review adds and returns with a reason', async () => {
      await asTier('district')
      const splits = await visit('/enrollment-splits')
      expect(splits).toContain('保障金额设置时间')
      expect(document.querySelector('[data-test="split-table"]')?.textContent).toContain('A类会员专享基本保障')
      click('[data-test="split-edit"]')
      await flush()
      setNumber('[data-test="split-form-district"]', '10')
      click('[data-test="split-form-submit"]')
      await flush()
      expect(sent['PUT /api/enrollment/programmes/member-basic/years/2024/splits/A']).toEqual({ district_fen: 1000, grassroots_fen: 0 })
      expect(document.querySelector('[data-test="split-form-error"]')?.textContent).toContain('缴费比例合计与参保费用（26元）不一致')

      const review = await visit('/enrollment-reviews')
      for (const label of ['单位名称', '组织机构代码', '提交时间', '上级工会', '参保通道', '保障类型', '上海金桥建设监理有限公司工会', '社保卡参保', '52']) expect(review).toContain(label)
      type('[data-test="enrollment-review-filter-unit"]', '金桥')
      click('[data-test="enrollment-review-search"]')
      await flush()
      expect(calls.some((c) => c.startsWith('GET /api/enrollment/review/pending?') && c.includes('unit_name=%E9%87%91%E6%A1%A5') && c.includes('enrollment_type=%E9%9B%86%E4%B8%AD%E5%8F%82%E4%BF%9D'))).toBe(true)
      click('[data-test="enrollment-review-stage"]')
      await flush()
      expect(messages()).toContain('请勾选要添加至待提交的参保信息')
      click('[data-test="enrollment-review-stage-one"]')
      await flush()
      expect(sent['POST /api/enrollment/review/stage']).toEqual({ submission_ids: [21] })
      click('[data-test="enrollment-review-return-one"]')
      await flush()
      type('.el-message-box input', '参保人数有误')
      button('确定').click()
      await flush()
      expect(sent['POST /api/enrollment/review/return']).toEqual({ submission_ids: [21], reason: '参保人数有误' })
    })

    it('district: the to-submit list with its totals, submitted to the insurer with the handler', async () => {
      const text = await visit('/enrollment-staged')
      expect(document.querySelector('[data-test="staged-totals"]')?.textContent).toContain('合计参保人数：3人（会员卡参保人数1人，社保卡参保人数2人）。保障费用：78元；市总统一划拨：39元；区局/各级工会缴费：39元；基层单位缴费：0元。')
      expect(text).toContain('hongmei')
      click('[data-test="staged-submit"]')
      await flush()
      type('[data-test="enrollment-batch-handler-name"]', '早提交')
      type('[data-test="enrollment-batch-handler-phone"]', '13900001111')
      type('[data-test="enrollment-batch-handler-email"]', 'wang@example.com')
      click('[data-test="enrollment-batch-submit"]')
      await flush()
      expect(document.querySelector('[data-test="enrollment-batch-submit-error"]')?.textContent).toContain('集中参保提交至职保中心尚未开始')
      type('[data-test="enrollment-batch-handler-name"]', '王经办')
      click('[data-test="enrollment-batch-submit"]')
      await flush()
      expect(sent['POST /api/enrollment/batches']).toEqual({ programme: 'member-basic', year: 2024, enrollment_type: '集中参保', handler: { name: '王经办', phone: '13900001111', email: 'wang@example.com' } })
      expect(calls).toContain('GET /api/enrollment/batches/CB202312260001/notice')
      expect(messages()).toContain('批次编号 CB202312260001')
      await asTier('secondary')
      await visit('/enrollment-staged')
      expect(document.querySelector('[data-test="staged-submit"]')).toBeNull() // only the district submits
      expect(document.body.textContent).toContain('由区局（产业）工会统一提交至职保中心')
    })

    it('grassroots: confirmation list, one and all', async () => {
      await asTier('grassroots')
      const text = await visit('/enrollment-confirmations')
      expect(text).toContain('刘通')
      click('[data-test="collective-roster-confirm"]')
      await flush()
      expect(sent['POST /api/enrollment/programmes/member-basic/years/2024/collective/confirmations']).toEqual({ member_ids: ['m-9'] })
      click('[data-test="confirm-all"]')
      await flush()
      expect(document.querySelector('.el-message-box')?.textContent).toContain('已确认的会员自动加入集中参保名单且无法移除')
      button('全部确认').click()
      await flush()
      expect(sent['POST /api/enrollment/programmes/member-basic/years/2024/collective/confirmations']).toEqual({ all: true })
    })

    it('grassroots: 集中参保办理 — counts open their lists, the type, submit and the notice, coverage', async () => {
      await visit('/enrollment-collective')
      const summary = document.querySelector('[data-test="collective-summary"]')?.textContent ?? ''
      for (const part of ['保障年度：2024年', '参保人数：95人', '保障费用：2470元', '市总统一划拨：1235元', '区局/各级工会缴费：1235元', '基层单位缴费：0元']) expect(summary).toContain(part)
      const overview = document.querySelector('[data-test="collective-overview"]')?.textContent ?? ''
      for (const part of ['会员总人数：128人', '未办卡人数：32人', '退休人数：0人', '死亡人数：0人', '待确认人数：1人', '请于2023-12-25之前', '2024-01-01起至2024-12-31止']) expect(overview).toContain(part)
      expect(document.querySelector('[data-test="collective-flagged"]')?.textContent).toContain('2 人在保障年度开始前退休')
      click('[data-test="count-without_card"]')
      await flush()
      expect(calls.some((c) => c.includes('/collective/members?') && c.includes('list=%E6%9C%AA%E5%8A%9E%E5%8D%A1'))).toBe(true)
      expect(document.querySelector('[data-test="collective-list-dialog"]')?.textContent).toContain('李登')
      choose('A+类会员专享基本保障（76元/人）')
      await flush()
      expect(calls).toContain('GET /api/enrollment/programmes/member-basic/years/2024/collective?type_code=A%2B')
      choose('A类会员专享基本保障（26元/人）')
      await flush()
      const exclude = document.querySelectorAll('[data-test="collective-roster-table"] [data-test="collective-roster-exclude"]')
      ;(exclude[exclude.length - 1] as HTMLElement).click()
      await flush()
      button('确定').click()
      await flush()
      expect(sent['POST /api/enrollment/programmes/member-basic/years/2024/collective/exclusions']).toEqual({ member_ids: ['m-8'], reason: '' })
      click('[data-test="collective-submit"]')
      await flush()
      expect(document.querySelector('.el-message-box')?.textContent).toContain('A类会员专享基本保障')
      button('确认提交').click()
      await flush()
      expect(sent['POST /api/enrollment/programmes/member-basic/years/2024/collective/submissions']).toEqual({ type_code: 'A' })
      expect(calls).toContain('GET /api/enrollment/requests/req-2/notice')
      click('[data-test="collective-notice"]')
      await flush()
      expect(calls).toContain('GET /api/enrollment/requests/req-1/notice')
      click('[data-test="collective-roster-coverage"]')
      await flush()
      const coverage = document.querySelector('[data-test="coverage-dialog"]')?.textContent ?? ''
      expect(coverage).toContain('CB202312260001')
      expect(coverage).toContain('2024-01-01 至 2024-12-31')
    })

    it('grassroots: 即时参保 — nothing ticked is the service\'s refusal; the SS-card channel, 待校验 and its confirmation', async () => {
      const text = await visit('/enrollment-instant')
      expect(text).toContain('赵六')
      click('[data-test="instant-submit"]')
      await flush()
      expect(sent['POST /api/enrollment/programmes/member-basic/years/2024/instant/submissions']).toEqual({ type_code: 'A', channel: '会员卡参保', member_ids: [] })
      expect(messages()).toContain('请在【待提交】中勾选要参保的人员!')
      choose('社保卡参保', '[data-test="instant-channel"] .el-tabs__item')
      await flush()
      choose('待校验', '[data-test="instant-list"] .el-radio-button')
      await flush()
      expect(calls.some((c) => c.includes('/instant/candidates?') && c.includes('channel=%E7%A4%BE%E4%BF%9D%E5%8D%A1%E5%8F%82%E4%BF%9D') && c.includes('list=%E5%BE%85%E6%A0%A1%E9%AA%8C'))).toBe(true)
      expect(document.querySelector('[data-test="instant-table"]')?.textContent).toContain('就业状态异常')
      click('[data-test="instant-confirmations"]')
      await flush()
      click('[data-test="instant-confirm-all"]')
      await flush()
      expect(sent['POST /api/enrollment/programmes/member-basic/years/2024/instant/confirmations']).toEqual({ all: true })
      click('[data-test="instant-check"]')
      await flush()
      expect(calls).toContain('POST /api/enrollment/programmes/member-basic/years/2024/instant/checks')
    })

    it('grassroots: 参保信息管理 shows a return with its reason', async () => {
      const text = await visit('/enrollment-submissions')
      expect(text).toContain('已退回')
      expect(document.querySelector('[data-test="submission-return-reason"]')?.textContent).toContain('参保人数有误')
      click('[data-test="submission-lines"]')
      await flush()
      expect(calls).toContain('GET /api/enrollment/submissions/11/lines?page=1&size=20')
      await asTier(null)
    })
  })

  describe('缴费管理', () => {
    const asTier = async (tier: 'district' | 'insurer' | null) => {
      billingTier = tier
      const { useSessionStore } = await import('@/stores/session')
      await useSessionStore().refresh()
    }
    const button = (text: string, scope = '.el-message-box button') =>
      [...document.querySelectorAll(scope)].find((b) => b.textContent?.includes(text)) as HTMLElement
    const setNumber = (sel: string, v: string) => {
      const input = document.querySelector(`${sel} input`) as HTMLInputElement
      input.value = v
      input.dispatchEvent(new Event('input'))
      input.dispatchEvent(new Event('change'))
    }
    const attach = (sel: string, name: string) => {
      const input = document.querySelector(`${sel} input[type="file"]`) as HTMLInputElement
      Object.defineProperty(input, 'files', { value: [new File(['PNG'], name, { type: 'image/png' })], configurable: true })
      input.dispatchEvent(new Event('change'))
    }
    const messages = () => [...document.querySelectorAll('.el-message')].map((m) => m.textContent).join(' ')
    const text = (sel: string) => document.querySelector(sel)?.textContent ?? ''

    it('district: 应缴清单 — filters, export, the detail with its split, account, lines, notice and statistics', async () => {
      await asTier('district')
      const page = await visit('/billing-payables')
      for (const k of ['billing-payables', 'billing-vouchers', 'billing-refunds', 'billing-receipts', 'billing-reconciliation']) expect(document.querySelector(`[data-test="menu-${k}"]`), k).not.toBeNull()
      expect(document.querySelector('[data-test="menu-billing-review"]')).toBeNull()
      for (const label of ['缴费管理', '批次编号', '缴费单位', '应缴金额(元)', '缴费截止', '缴费状态', 'CB202312280001', '1220', '缴费凭证待上传', '已确认']) expect(page).toContain(label)
      choose('已确认')
      click('[data-test="payable-search"]')
      await flush()
      expect(calls.some((c) => c.startsWith('GET /api/billing/payables?') && c.includes('status=%E5%B7%B2%E7%A1%AE%E8%AE%A4'))).toBe(true)
      click('[data-test="export"]')
      await flush()
      expect(calls.some((c) => c.startsWith('GET /api/billing/payables/export?status='))).toBe(true)
      click('[data-test="payable-open"]')
      await flush()
      const drawer = text('[data-test="payable-drawer"]')
      for (const part of ['徐汇区总工会', '1220 元', '市总统一划拨 610 元；区局/各级工会缴费 610 元；基层单位缴费 0 元', 'A类会员专享基本保障', '上海市职工保障互助中心会员专享保障专户', '316023-03002745697', '陈硕', '4201***********0430']) expect(drawer).toContain(part)
      expect(calls).toContain('GET /api/billing/payables/CB202312280001/lines?page=1&size=20')
      expect(document.querySelector('[data-test="payable-reissue"]')).toBeNull() // the insurer's
      click('[data-test="payable-detail-notice"]')
      click('[data-test="payable-detail-statistics"]')
      await flush()
      expect(calls).toContain('GET /api/billing/payables/CB202312280001/notice')
      expect(calls).toContain('GET /api/billing/payables/CB202312280001/statistics.xlsx')
      expect(document.querySelectorAll('[data-test="payable-pay"]')).toHaveLength(1) // the confirmed one takes no voucher
    })

    it('district: 缴费凭证 — 2,000 against 1,220 shows 退款 780 and asks for the refund account; a refusal, then the retry keeps its key', async () => {
      await visit('/billing-vouchers?batch=CB202312280001')
      expect(text('[data-test="voucher-reason"]') + text('[data-test="voucher-table"]')).toContain('缴费金额与凭证不符')
      expect(document.querySelector('[data-test="voucher-correct"]')).not.toBeNull()
      const dialog = () => text('[data-test="voucher-dialog"]')
      for (const label of ['选择批次', '凭证信息填报', '付款单位', '缴费方式', '缴费金额(凭证总金额)', '收款帐户类别', '转账日期', '缴费凭证上传']) expect(dialog()).toContain(label)
      expect((document.querySelector('[data-test="voucher-batch-check"] input') as HTMLInputElement).checked).toBe(true)
      expect((document.querySelector('[data-test="voucher-paying-unit"]') as HTMLInputElement).value).toBe('徐汇区总工会')
      setNumber('[data-test="voucher-amount"]', '1000')
      await flush()
      expect(text('[data-test="voucher-shortfall"]')).toContain('尚差 220 元')
      expect(document.querySelector('[data-test="voucher-refund-form"]')).toBeNull()
      setNumber('[data-test="voucher-amount"]', '2000')
      await flush()
      expect(text('[data-test="voucher-preview"]')).toContain('应缴纳保费合计 1220 元，缴费金额 2000 元')
      expect(text('[data-test="voucher-refund"]')).toBe('780')
      expect(text('[data-test="refund-amount"]')).toBe('780')
      for (const label of ['退款信息填报', '退款帐户类别', '退款帐号', '退款帐户名称', '退款银行', '退款方式']) expect(dialog()).toContain(label)
      choose('在职') // the refund form's select: the newest dropdown
      type('[data-test="refund-account-no"]', '6222 0000 1111 222X')
      type('[data-test="refund-account-name"]', '徐汇区总工会')
      type('[data-test="refund-bank"]', '上海银行')
      attach('[data-test="voucher-file"]', '凭证.png')
      await flush()
      click('[data-test="voucher-submit"]')
      await flush()
      expect(text('[data-test="voucher-error"]')).toContain('退款帐号只能包含数字')
      type('[data-test="refund-account-no"]', '6222 0000 1111 2222')
      await flush()
      click('[data-test="voucher-submit"]')
      await flush()
      const [first, second] = billingSeen.uploads.slice(-2)
      expect(second!.data).toMatchObject({
        batch_nos: ['CB202312280001'], paying_unit: '徐汇区总工会', method: '贷记(网银)', amount_fen: 200000, account_category: '会员专享',
        refund: { account_category: '在职', account_name: '徐汇区总工会', account_no: '6222 0000 1111 2222', bank: '上海银行', method: '划帐' },
      })
      expect(first!.files).toEqual(['凭证.png'])
      const [k1, k2] = billingSeen.keys.slice(-2)
      expect(k1).toBeTruthy()
      expect(k2).toBe(k1) // one key per form opening, reused for the retry
      expect(messages()).toContain('缴费凭证 PZ202312280002 已提交')
    })

    it('insurer: 凭证审核 — the queue oldest first, the file, approval with its key, return with a reason', async () => {
      await asTier('insurer')
      const page = await visit('/billing-review')
      for (const k of ['billing-review', 'billing-accounts', 'billing-reconciliation']) expect(document.querySelector(`[data-test="menu-${k}"]`), k).not.toBeNull()
      expect(document.querySelector('[data-test="menu-billing-vouchers"]')).toBeNull()
      expect(calls.some((c) => c.startsWith('GET /api/billing/vouchers?') && c.includes('oldest_first=true') && c.includes('state=%E5%AE%A1%E6%A0%B8%E4%B8%AD'))).toBe(true)
      for (const label of ['PZ202312280001', '徐汇区总工会', '2000', '780']) expect(page).toContain(label)
      click('[data-test="voucher-review-view"]')
      await flush()
      expect(calls).toContain('GET /api/billing/vouchers/PZ202312280001/file')
      expect(document.querySelector('[data-test="voucher-file-image"]')?.getAttribute('src')).toMatch(/^blob:/)
      click('[data-test="voucher-review-approve"]')
      await flush()
      expect(text('.el-message-box')).toContain('超出部分 780 元将生成退款')
      button('审核通过').click()
      await flush()
      expect(calls).toContain('POST /api/billing/vouchers/PZ202312280001/approve')
      expect(messages()).toContain('退款 TK202401100001 待退款')
      click('[data-test="voucher-review-return"]')
      await flush()
      type('.el-message-box input', '缴费金额与凭证不符')
      button('确定').click()
      await flush()
      expect(sent['POST /api/billing/vouchers/PZ202312280001/return']).toEqual({ reason: '缴费金额与凭证不符' })
    })

    it('insurer: 退款管理 paid back, 专用收据 issued and voided, 收款帐户 with its refusal', async () => {
      const refunds = await visit('/billing-refunds')
      for (const label of ['TK202401100001', '780', '6222 0000 1111 2222', '待退款']) expect(refunds).toContain(label)
      click('[data-test="refund-pay"]')
      await flush()
      type('[data-test="refund-reference"]', 'BK-001')
      click('[data-test="refund-submit"]')
      await flush()
      expect(sent['POST /api/billing/refunds/TK202401100001/issue']).toMatchObject({ reference: 'BK-001' })
      expect(messages()).toContain('已退款 780 元')

      const receipts = await visit('/billing-receipts')
      for (const label of ['ZY20240110001', '上海YYYY公司', '上海XXX公司', '已开具', '待开具']) expect(receipts).toContain(label)
      expect(document.querySelector('[data-test="receipt-create"]')).toBeNull() // payers ask
      click('[data-test="receipt-issue"]')
      await flush()
      button('确定').click()
      await flush()
      expect(calls).toContain('POST /api/billing/payables/CB202312010002/receipts/issue')
      click('[data-test="receipt-void"]')
      await flush()
      type('.el-message-box input', '抬头有误')
      button('确定').click()
      await flush()
      expect(sent['POST /api/billing/receipts/ZY20240110001/void']).toEqual({ reason: '抬头有误' })
      click('[data-test="receipt-pdf"]')
      await flush()
      expect(calls).toContain('GET /api/billing/receipts/ZY20240110001/pdf')

      const accounts = await visit('/billing-accounts')
      for (const label of ['在职', '退休', '会员专享', '上海市职工保障互助中心会员专享保障专户', 'member-basic', '未设置']) expect(accounts).toContain(label)
      click('[data-test="receiving-account-edit"]')
      await flush()
      type('[data-test="receiving-account-form-payee"]', '上海市职工保障互助中心在职专户')
      type('[data-test="receiving-account-form-no"]', '31602303002745698X')
      type('[data-test="receiving-account-form-bank"]', '上海银行人民广场支行')
      click('[data-test="receiving-account-save"]')
      await flush()
      expect(text('[data-test="receiving-account-error"]')).toContain('帐号只能包含数字')
      expect(calls).toContain('PUT /api/billing/accounts/%E5%9C%A8%E8%81%8C')
    })

    it('insurer: 对账 — the newest payable\'s programme-year per payer and the city\'s split, filters, both exports', async () => {
      const page = await visit('/billing-reconciliation')
      expect(calls).toContain('GET /api/billing/reconciliation?programme=member-basic&year=2024')
      expect(calls).toContain('GET /api/billing/reconciliation/split?programme=member-basic&year=2024')
      for (const label of ['应缴(元)', '已到账(元)', '已抵缴(元)', '待退款(元)', '已退款(元)', '未缴(元)', '保障费用分摊（市总视角）', '市总统一划拨(元)', '区局/各级工会缴费(元)']) expect(page).toContain(label)
      // the programme by its name (billing's programme accounts carry it), never its code
      expect(text('[data-test="reconciliation-programme"]')).toContain('上海工会会员专享基本保障')
      expect(text('[data-test="reconciliation-shown"]')).toContain('上海工会会员专享基本保障 2024年度')
      for (const where of ['reconciliation-programme', 'reconciliation-shown']) expect(text(`[data-test="${where}"]`)).not.toContain('member-basic')
      const rows = (table: string) => [...document.querySelectorAll(`[data-test="${table}"] .el-table__body .el-table__row`)]
      const cells = (row: Element | undefined, keys: string[]) => keys.map((k) => row?.querySelector(`[data-test="${k}"]`)?.textContent?.trim())
      const xuhui = rows('reconciliation-table').find((r) => r.textContent?.includes('徐汇区总工会'))
      expect(cells(xuhui, ['recon-due', 'recon-received', 'recon-paid', 'recon-refunded', 'recon-outstanding'])).toEqual(['1220', '2000', '1220', '780', '0'])
      const footer = () => text('[data-test="reconciliation-table"] .el-table__footer')
      expect(footer()).toContain('合计')
      expect(footer()).toContain('1720') // 应缴 of both
      const split = rows('split-table').find((r) => r.textContent?.includes('黄浦区总工会'))
      expect(cells(split, ['split-amount', 'split-city', 'split-district', 'split-grassroots'])).toEqual(['500', '325', '175', '0'])
      click('[data-test="reconciliation-unpaid"] input')
      await flush()
      expect(rows('reconciliation-table').map((r) => r.textContent)).toEqual([expect.stringContaining('黄浦区总工会')])
      expect(footer()).not.toContain('1720') // the rows shown added up
      expect(footer()).toContain('500')
      click('[data-test="reconciliation-unpaid"] input')
      type('[data-test="reconciliation-payer"]', '徐汇')
      await flush()
      expect(rows('reconciliation-table')).toHaveLength(1)
      expect(rows('split-table')).toHaveLength(1)
      setNumber('[data-test="reconciliation-year"]', '2025')
      await flush()
      click('[data-test="reconciliation-search"]')
      await flush()
      expect(calls).toContain('GET /api/billing/reconciliation?programme=member-basic&year=2025')
      const exports = [...document.querySelectorAll('[data-test="billing-reconciliation-page"] [data-test="export"]')] as HTMLElement[]
      expect(exports).toHaveLength(2)
      for (const b of exports) b.click()
      await flush()
      expect(calls).toContain('GET /api/billing/reconciliation/export?programme=member-basic&year=2025')
      expect(calls).toContain('GET /api/billing/reconciliation/split/export?programme=member-basic&year=2025')
    })

    it('district: 专用收据 — a sum other than the premium is the service\'s refusal; refunds show the account masked', async () => {
      await asTier('district')
      await visit('/billing-receipts')
      expect(document.querySelector('[data-test="receipt-issue"]')).toBeNull()
      click('[data-test="receipt-create"]')
      await flush()
      click('[data-test="receipt-batch"] .el-select__wrapper')
      await flush()
      choose('CB202312010002（上海工会会员专享基本保障 40 元，已确认）')
      await flush()
      expect(text('[data-test="receipt-sum"]')).toContain('应缴纳保费 40 元，已开具 0 元；本次填写合计 40 元')
      type('[data-test="receipt-title"]', '上海YYYY公司')
      setNumber('[data-test="receipt-amount"]', '4.5')
      await flush()
      click('[data-test="receipt-submit"]')
      await flush()
      expect(text('[data-test="receipt-error"]')).toContain('必须等于应缴纳保费（40元）')
      setNumber('[data-test="receipt-amount"]', '40')
      await flush()
      click('[data-test="receipt-submit"]')
      await flush()
      expect(sent['PUT /api/billing/payables/CB202312010002/receipts']).toEqual({ lines: [{ title: '上海YYYY公司', amount_fen: 4000, uscc: '', remark: '' }] })
      const [k1, k2] = billingSeen.keys.slice(-2)
      expect(k2).toBe(k1)
      await asTier(null)
    })

    it('district: 退休住院计划 — 13 × 450 with 9 withheld at 300: the 代扣行 in the detail, the voucher for the 3,150 left, 已代扣 in 对账', async () => {
      billingRetiree.on = true
      try {
        await asTier('district')
        await visit('/billing-payables')
        click('[data-test="payable-open"]') // the retiree batch, listed first
        await flush()
        expect(text('[data-test="payable-detail-withheld"]')).toContain('2700 元（代扣成功 9 人')
        expect(text('[data-test="payable-detail-payer-due"]')).toBe('3150 元')
        await visit('/billing-vouchers?batch=TXZY202504300003')
        setNumber('[data-test="voucher-amount"]', '3150')
        await flush()
        expect(text('[data-test="voucher-withheld"]')).toContain('个人代扣 2700 元')
        expect(text('[data-test="voucher-preview"]')).toContain('需单位缴纳 3150 元，缴费金额 3150 元')
        expect(text('[data-test="voucher-preview"]')).toContain('金额与应缴一致')
        await visit('/billing-reconciliation')
        expect(calls).toContain('GET /api/billing/reconciliation?programme=retiree-hospital&year=2025')
        expect(text('[data-test="reconciliation-table"]')).toContain('已代扣(元)')
        const row = document.querySelector('[data-test="reconciliation-table"] .el-table__body .el-table__row')
        const cell = (k: string) => row?.querySelector(`[data-test="${k}"]`)?.textContent?.trim()
        expect([cell('recon-due'), cell('recon-received'), cell('recon-withheld'), cell('recon-outstanding')]).toEqual(['5850', '3150', '2700', '0'])
      } finally {
        billingRetiree.on = false
        await asTier(null)
      }
    })
  })

  describe('互助保障 参保编码', () => {
    const asWho = async (who: 'unit' | 'insurer' | null) => {
      mutualAidTier = who
      const { useSessionStore } = await import('@/stores/session')
      await useSessionStore().refresh()
    }
    const button = (label: string, scope = '.el-message-box button') =>
      [...document.querySelectorAll(scope)].find((b) => b.textContent?.includes(label)) as HTMLElement
    const setNumber = (sel: string, v: string) => {
      const input = document.querySelector(`${sel} input`) as HTMLInputElement
      input.value = v
      input.dispatchEvent(new Event('input'))
      input.dispatchEvent(new Event('change'))
    }
    const attach = (sel: string, name: string) => {
      const input = document.querySelector(`${sel} input[type="file"]`) as HTMLInputElement
      Object.defineProperty(input, 'files', { value: [new File(['PNG'], name, { type: 'image/png' })], configurable: true })
      input.dispatchEvent(new Event('change'))
    }
    const text = (sel: string) => document.querySelector(sel)?.textContent ?? ''
    const messages = () => [...document.querySelectorAll('.el-message')].map((m) => m.textContent).join(' ')

    it('unit: its code and applications; a rejected one edited with a new SMS code and file; a taken name shows its contact', async () => {
      await asWho('unit')
      const page = await visit('/mutual-aid-code-applications')
      for (const k of ['mutual-aid-code-applications', 'mutual-aid-handler', 'mutual-aid-name-changes']) expect(document.querySelector(`[data-test="menu-${k}"]`), k).not.toBeNull()
      expect(document.querySelector('[data-test="menu-mutual-aid-code-review"]')).toBeNull()
      for (const label of ['互助保障', '我的参保编码', '00001X', '未填报', '单位名称', '参保编码', '联系人手机', '最后更新时间', '小明二号公司', '审核不通过', '187*****5678']) expect(page).toContain(label)

      // 【编辑】 a 审核不通过 application: the reason on top, a new SMS code, another file, 重新提交
      click('[data-test="ca-edit"]')
      await flush()
      expect(text('[data-test="code-application-reject-reason"]')).toContain('审核不通过原因：附件未加盖公章')
      setNumber('[data-test="ca-headcount"]', '15')
      click('[data-test="code-application-dialog"] [data-test="sms-send"]')
      await flush()
      expect(sent['POST /api/mutual-aid/sms-codes']).toEqual({ phone: '18712345678', purpose: 'code_application' })
      expect(text('[data-test="code-application-dialog"] [data-test="sms-dev-code"]')).toContain('246810')
      type('[data-test="ca-sms-code"]', '246810')
      attach('[data-test="code-application-dialog"] [data-test="attachment-upload"]', '营业执照（盖章）.png')
      await flush()
      expect(mutualAidSeen.uploads).toContain('营业执照（盖章）.png')
      expect(text('[data-test="code-application-dialog"] [data-test="attachment-list"]')).toContain('营业执照（盖章）.png')
      click('[data-test="code-application-submit"]')
      await flush()
      expect(sent['PUT /api/mutual-aid/code-applications/2']).toMatchObject({
        unit_name: '小明二号公司', contact_phone: '18712345678', headcount: 15, sms_code: '246810',
        attachment_ids: ['a'.repeat(32), '1'.padStart(32, 'c')],
      })
      expect(messages()).toContain('已重新提交')

      // a new application for a name that has a code: the service's title with that code's contact
      click('[data-test="code-application-new"]')
      await flush()
      type('[data-test="ca-unit-name"]', '小明公司')
      type('[data-test="ca-phone"]', '13700002222')
      type('[data-test="ca-sms-code"]', '246810')
      click('[data-test="code-application-submit"]')
      await flush()
      expect(sent['POST /api/mutual-aid/code-applications']).toMatchObject({ unit_name: '小明公司', contact_phone: '13700002222', sms_code: '246810', attachment_ids: [] })
      expect(text('[data-test="code-application-error"]')).toContain('提交失败！该企业已申请过参保编码。【联系人：章先生，手机号：18712345678】')
      click('[data-test="ca-view"]')
      await flush()
      expect(text('[data-test="application-detail"]')).toContain('00001X')
      expect(text('[data-test="application-history"]')).toContain('审核通过（职保会）：参保编码 00001X')
    })

    it('unit: 退休住院计划 新参保编码申请 — 参保项目 in the list and its filter, the retiree form as the manual has it', async () => {
      await asWho('unit')
      await visit('/mutual-aid-handler') // the page afresh, as the hint's link opens it
      const page = await visit('/mutual-aid-code-applications?plan=retiree')
      expect(calls.some((c) => c.startsWith('GET /api/mutual-aid/code-applications?') && c.includes('plan=retiree'))).toBe(true)
      const planCells = () => [...document.querySelectorAll('[data-test="ca-plan-cell"]')].map((c) => c.textContent)
      expect(planCells()).toEqual(['退休住院计划'])
      expect(text('[data-test="code-applications-table"]')).toContain('130000001') // 参保编码栏直接显示参保编码
      expect(page).toContain('参保项目')

      // opened from 参保办理's hint: the form is the retiree plan's — 经办人 fields, 所属区局工会, 经济类型; no 在职人数
      click('[data-test="code-application-new"]')
      await flush()
      expect(document.querySelector('[data-test="ca-retiree-form"]')).not.toBeNull()
      const dialog = text('[data-test="code-application-dialog"]')
      for (const label of ['统一社会信用代码', '经办人姓名', '经办人手机', '经办人邮箱', '所属区局工会', '经济类型', '负责人', '单位电话', '营业执照']) expect(dialog).toContain(label)
      for (const label of ['在职人数', '负责人手机', '工委名称']) expect(dialog).not.toContain(label)
      type('[data-test="ca-unit-name"]', '上海某某新材料有限公司')
      type('[data-test="ca-uscc"]', '91310000MA1FL0000X')
      type('[data-test="ca-contact"]', '王经办')
      type('[data-test="ca-phone"]', '13900001111')
      type('[data-test="ca-email"]', 'wang@example.com')
      type('[data-test="ca-committee"]', '普陀区总工会')
      type('[data-test="ca-economic"]', '私营企业')
      type('[data-test="ca-address"]', '上海市普陀区某某路1号')
      type('[data-test="ca-postcode"]', '200333')
      type('[data-test="ca-sms-code"]', '246810')
      click('[data-test="code-application-submit"]')
      await flush()
      expect(sent['POST /api/mutual-aid/code-applications']).toMatchObject({
        plan: 'retiree', unit_name: '上海某某新材料有限公司', uscc: '91310000MA1FL0000X', contact: '王经办', contact_phone: '13900001111',
        email: 'wang@example.com', committee: '普陀区总工会', nature: '私营企业', postcode: '200333', headcount: 0, leader_phone: null, sms_code: '246810',
      })
      expect(messages()).toContain('申请已提交')

      // the list's 参保项目 filter: every plan, then 互助保障 only
      await visit('/mutual-aid-code-applications')
      expect(planCells()).toEqual(['互助保障', '互助保障', '互助保障', '退休住院计划'])
      click('[data-test="code-application-new"]')
      await flush()
      expect(document.querySelector('[data-test="ca-retiree-form"]')).toBeNull() // 互助保障 unless chosen
      choose('退休住院计划', '[data-test="code-application-dialog"] .el-radio')
      await flush()
      expect(document.querySelector('[data-test="ca-retiree-form"]')).not.toBeNull()
      click('[data-test="code-application-dialog"] .el-dialog__headerbtn')
      await flush()
      click('[data-test="ca-filter-plan"]')
      await flush()
      choose('互助保障')
      await flush()
      click('[data-test="code-applications-page"] button[type="submit"]')
      await flush()
      expect(calls.some((c) => c.startsWith('GET /api/mutual-aid/code-applications?') && c.includes('plan=mutual_aid'))).toBe(true)
      expect(planCells()).toEqual(['互助保障', '互助保障', '互助保障'])
    })

    it('unit: nothing before 经办人填报; the handler saved with its SMS code; then 单位名称变更', async () => {
      await visit('/mutual-aid-name-changes')
      type('[data-test="nc-new-name"]', '小明科技有限公司')
      attach('[data-test="name-changes-page"] [data-test="attachment-upload"]', '名称变更核准通知书.png')
      await flush()
      click('[data-test="nc-submit"]')
      await flush()
      expect(text('[data-test="nc-error"]')).toContain('请先完成【经办人填报】')

      const handler = await visit('/mutual-aid-handler')
      expect(handler).toContain('未填报')
      expect((document.querySelector('[data-test="handler-uscc"]') as HTMLInputElement).value).toBe('91310000MA1FL0000X')
      type('[data-test="handler-name"]', '王经办')
      type('[data-test="handler-phone"]', '13900001111')
      type('[data-test="handler-email"]', 'wang@example.com')
      type('[data-test="handler-union-first"]', '普陀区总工会')
      type('[data-test="handler-union-second"]', '长征镇总工会')
      type('[data-test="handler-industry"]', '制造业')
      click('[data-test="handler-save"]')
      await flush()
      expect(text('[data-test="handler-error"]')).toContain('短信验证码已失效')
      click('[data-test="handler-page"] [data-test="sms-send"]')
      await flush()
      expect(sent['POST /api/mutual-aid/sms-codes']).toEqual({ phone: '13900001111', purpose: 'handler' })
      type('[data-test="handler-sms-code"]', '246810')
      click('[data-test="handler-save"]')
      await flush()
      expect(sent['PUT /api/mutual-aid/codes/00001X/handler']).toMatchObject({
        handler_name: '王经办', handler_phone: '13900001111', handler_email: 'wang@example.com', uscc: '91310000MA1FL0000X',
        economic_type: '企业', union_first: '普陀区总工会', union_second: '长征镇总工会', industry: '制造业', headcount: 12, sms_code: '246810',
      })
      expect(text('[data-test="handler-complete"]')).toContain('已完善')

      await visit('/mutual-aid-name-changes')
      type('[data-test="nc-new-name"]', '小明科技有限公司')
      attach('[data-test="name-changes-page"] [data-test="attachment-upload"]', '名称变更核准通知书.png')
      await flush()
      click('[data-test="nc-submit"]')
      await flush()
      expect(sent['POST /api/mutual-aid/codes/00001X/name-changes']).toMatchObject({ new_name: '小明科技有限公司', note: null })
      expect(messages()).toContain('小明公司 → 小明科技有限公司')
      expect(text('[data-test="name-changes-table"]')).toContain('证明材料不清晰')
    })

    it('insurer: the code queue with its filters, detail, approval and rejection with a reason; name changes', async () => {
      await asWho('insurer')
      const page = await visit('/mutual-aid-code-review')
      for (const k of ['mutual-aid-code-review', 'mutual-aid-name-change-review']) expect(document.querySelector(`[data-test="menu-${k}"]`), k).not.toBeNull()
      expect(document.querySelector('[data-test="menu-mutual-aid-code-applications"]')).toBeNull()
      expect(calls.some((c) => c.startsWith('GET /api/mutual-aid/code-applications?') && c.includes('status=%E7%94%B3%E8%AF%B7%E4%B8%AD'))).toBe(true)
      for (const label of ['参保项目', '工委名称', '单位性质', '在职人数', '大华集团有限公司', '申请中']) expect(page).toContain(label)
      expect([...document.querySelectorAll('[data-test="cr-plan"]')].map((c) => c.textContent)).toEqual(['互助保障'])
      type('[data-test="cr-filter-unit"]', '大华')
      click('[data-test="cr-search"]')
      await flush()
      expect(calls.some((c) => c.startsWith('GET /api/mutual-aid/code-applications?') && c.includes('unit_name=%E5%A4%A7%E5%8D%8E'))).toBe(true)
      click('[data-test="cr-view"]')
      await flush()
      expect(text('[data-test="application-attachments"]')).toContain('营业执照.png')
      click('[data-test="cr-approve"]')
      await flush()
      button('审核通过').click()
      await flush()
      expect(calls).toContain('POST /api/mutual-aid/code-applications/4/approve')
      expect(messages()).toContain('参保编码：00001X')
      click('[data-test="cr-reject"]')
      await flush()
      type('.el-message-box input', '附件未加盖公章')
      button('确定').click()
      await flush()
      expect(sent['POST /api/mutual-aid/code-applications/4/reject']).toEqual({ reason: '附件未加盖公章' })
      click('[data-test="code-review-page"] [data-test="export"]')
      await flush()
      expect(calls.some((c) => c.startsWith('GET /api/mutual-aid/code-applications/export?'))).toBe(true)

      const changes = await visit('/mutual-aid-name-change-review')
      for (const label of ['原单位名称', '变更后单位名称', '证明材料', '小明科技有限公司', '名称变更核准通知书.pdf']) expect(changes).toContain(label)
      click('[data-test="ncr-approve"]')
      await flush()
      button('审核通过').click()
      await flush()
      expect(calls).toContain('POST /api/mutual-aid/name-changes/5/approve')
      click('[data-test="ncr-reject"]')
      await flush()
      type('.el-message-box input', '证明材料不清晰')
      button('确定').click()
      await flush()
      expect(sent['POST /api/mutual-aid/name-changes/5/reject']).toEqual({ reason: '证明材料不清晰' })
      await asWho(null)
    })
  })

  describe('互助保障 参保批次', () => {
    const asWho = async (who: 'unit' | 'insurer' | null) => {
      maBatches.who = who
      resetBatches()
      const { useSessionStore } = await import('@/stores/session')
      await useSessionStore().refresh()
    }
    const button = (label: string, scope = '.el-message-box button') =>
      [...document.querySelectorAll(scope)].filter((b) => b.textContent?.includes(label)).pop() as HTMLElement
    const text = (sel: string) => document.querySelector(sel)?.textContent ?? ''
    const messages = () => [...document.querySelectorAll('.el-message')].map((m) => m.textContent).join(' ')
    const attach = (sel: string, name: string, type = 'image/png') => {
      const input = document.querySelector(`${sel} input[type="file"]`) as HTMLInputElement
      Object.defineProperty(input, 'files', { value: [new File(['x'], name, { type })], configurable: true })
      input.dispatchEvent(new Event('change'))
    }
    const B = '/mutual-aid-batches?batch=HZ202306100001'

    it('unit: the batch list with its actions; 集中参保办理 opens a new batch, 即时参保 out of its window shows why', async () => {
      await asWho('unit')
      const page = await visit('/mutual-aid-batches')
      expect(document.querySelector('[data-test="menu-mutual-aid-batches"]')).not.toBeNull()
      expect(document.querySelector('[data-test="menu-mutual-aid-batch-review"]')).toBeNull()
      for (const label of ['HZ202306100001', '清册校验不通过', '缴费凭证待上传', '即时参保', '4780', '集中参保办理 || 参保年度为2023年7月1日至2024年6月30日。']) expect(page).toContain(label)
      expect(document.querySelectorAll('[data-test="ma-delete"]').length).toBe(1)
      expect(document.querySelectorAll('[data-test="ma-withdraw"]').length).toBe(1)

      click('[data-test="ma-create-instant"]')
      await flush()
      click('[data-test="batch-create-submit"]')
      await flush()
      expect(text('[data-test="batch-create-error"]')).toContain('即时参保办理尚未开始')
      ;(document.querySelector('[data-test="batch-create-dialog"] .el-dialog__headerbtn') as HTMLElement).click()
      await flush()

      click('[data-test="ma-create-collective"]')
      await flush()
      expect(text('[data-test="batch-create-year"]')).toContain('参保年度为2023年7月1日至2024年6月30日')
      click('[data-test="batch-create-submit"]')
      await flush()
      expect(sent['POST /api/mutual-aid/batches']).toEqual({ enrollment_type: '集中参保', code: '00001X', unit_name: '上海建朗信息科技有限公司' })
      expect(router.currentRoute.value.query).toEqual({ batch: 'HZ202306100004', tab: 'roster' })
      expect(text('[data-test="ma-batch-status"]')).toContain('清册待校验')
      click('[data-test="ma-back"]')
      await flush()
      expect(text('[data-test="ma-batches-table"]')).toContain('HZ202306100004')
    })

    it('unit: 参保清册 — last year, the registry, an upload with its progress and rejected rows, edit, names, 设置在职, delete', async () => {
      const page = await visit(`${B}&tab=roster`)
      for (const label of ['胡庆庆', '王梅', '警告', '超龄', '身份信息被上海某某贸易有限公司占用', '是否建议名单', '职退状态']) expect(page).toContain(label)
      click('[data-test="ma-from-last-year"]')
      await flush()
      expect(messages()).toContain('没有找到上年度已完成参保的名单')
      click('[data-test="ma-from-registry"]')
      await flush()
      expect(messages()).toContain('新增加3人，修改0人')

      attach('[data-test="ma-upload-file"]', '参保名单.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      await flush()
      expect(calls).toContain('POST /api/mutual-aid/batches/HZ202306100001/imports?file_name=%E5%8F%82%E4%BF%9D%E5%90%8D%E5%8D%95.xlsx')
      expect(text('[data-test="ma-upload-summary"]')).toContain('数据读取：6人，成功导入：5条信息（新增加5人，修改0人），导入失败：1条信息')
      expect(text('[data-test="ma-upload-rejections"]')).toContain('证件号码校验位不正确')
      expect(text('[data-test="ma-upload-rejections"]')).toContain('张贺')

      expect(document.querySelectorAll('[data-test="ma-row-edit"]').length).toBe(1) // 非身份证 only
      click('[data-test="ma-row-edit"]')
      await flush()
      type('[data-test="ma-row-phone"]', '13911112222')
      click('[data-test="ma-row-save"]')
      await flush()
      expect(sent['PATCH /api/mutual-aid/batches/HZ202306100001/rows/2']).toEqual({ phone: '13911112222' })

      click('[data-test="ma-names"]')
      await flush()
      expect(text('[data-test="ma-names-dialog"]')).toContain('王梅晓')
      click('[data-test="ma-names-confirm"]')
      await flush()
      expect(sent['PUT /api/mutual-aid/batches/HZ202306100001/rows/3/name']).toEqual({ name: '王梅' })

      click('[data-test="ma-row-set-employed"]')
      await flush()
      expect(text('.el-message-box')).toContain('确认该职工在职且正常缴纳社保?')
      button('确定').click()
      await flush()
      expect(sent['POST /api/mutual-aid/batches/HZ202306100001/rows/employment-checks']).toEqual({ row_ids: [5] })

      click('tr [data-test="ma-row-delete"]') // (the table keeps an unrendered copy of each column's cells)
      await flush()
      button('删除').click()
      await flush()
      expect(calls).toContain('DELETE /api/mutual-aid/batches/HZ202306100001/rows/1')
    })

    it('unit: 清册校验 — results per rule, 社保尚在缴金, attachments, 承诺书 and 清册提交', async () => {
      const page = await visit(`${B}&tab=check`)
      for (const label of ['清册校验不通过', '在职超龄', '清册增减幅度校验(10%)', '无单位社保编码人员确认', '单位社保比例校验', '陈美珠', '否（超龄）']) expect(page).toContain(label)
      expect(text('[data-test="ma-check-outcome"]')).toContain('请上传附件：情况说明（加盖公章）')
      click('[data-test="ma-keep-over-age"] input')
      await flush()
      expect(sent['PUT /api/mutual-aid/batches/HZ202306100001/rows/4/over-age-kept']).toEqual({ kept: true })
      attach('[data-test="ma-attach-main"]', '情况说明.png')
      await flush()
      expect(maBatches.uploads).toContain('情况说明:情况说明.png')

      // 清册校验 runs in the background: its progress shows until the job is done, then the batch's result
      const progress = () => document.querySelector('[data-test="ma-check-progress"]')
      const until = async (done: () => boolean) => {
        for (let i = 0; i < 60 && !done(); i++) await flush()
      }
      maBatches.holdCheck = true
      click('[data-test="ma-validate"]')
      await flush()
      expect(calls).toContain('POST /api/mutual-aid/batches/HZ202306100001/validation')
      expect(text('[data-test="ma-check-progress"]')).toContain('校验中：已校验 2 / 5 人')
      expect(progress()?.querySelector('.el-progress')).not.toBeNull()
      expect(document.querySelector('[data-test="ma-validate"]')?.classList.contains('is-loading')).toBe(true)
      maBatches.holdCheck = false
      await until(() => !progress())
      expect(text('[data-test="ma-check-outcome"]')).toContain('清册校验不通过')
      click('[data-test="ma-validate"]')
      await until(() => text('[data-test="ma-check-outcome"]').includes('清册校验通过'))
      expect(text('[data-test="ma-check-outcome"]')).toContain('清册校验通过')
      expect(text('[data-test="ma-change"]')).toContain('清册人数增减幅度在±10%以内：是')

      click('[data-test="ma-submit"]')
      await flush()
      expect(text('[data-test="ma-people-commitment"]')).toContain('建议清册未能匹配到的人员（3人）为本单位在职职工')
      click('[data-test="ma-submit-confirm"]')
      await flush()
      expect(text('[data-test="ma-submit-error"]')).toContain('请勾选【我已阅读并同意】')
      click('[data-test="ma-agree"] input')
      await flush()
      click('[data-test="ma-submit-confirm"]')
      await flush()
      expect(sent['POST /api/mutual-aid/batches/HZ202306100001/submission']).toEqual({ commitment_accepted: true, people_confirmed: true })
      expect(text('[data-test="ma-batch-status"]')).toContain('清册校验通过')
    })

    it('unit: 保障项目选择 — the premium table split 有社保/无社保, 提交确认保费, 批次撤回 with a reason, the log, 批次删除', async () => {
      await visit(`${B}&tab=items`)
      expect(text('[data-test="ma-items"]')).toContain('A0（120元/人）')
      click('[data-test="ma-generate"]')
      await flush()
      expect(text('[data-test="ma-items-error"]')).toContain('基本保障项目 A0、B0、C0 至少选1种')
      for (const c of ['A0', 'B0', 'C0', 'A3', 'B3', 'C3']) {
        click(c.endsWith('0') ? `[data-test="ma-basics"] input[value="${c}"]` : `[data-test="ma-plus-${c[0]}0"] input[value="${c}"]`)
        await flush()
      }
      click('[data-test="ma-generate"]')
      await flush()
      expect(calls.some((c) => c.includes('/premium?items=A0&items=B0&items=C0&items=A3&items=B3&items=C3'))).toBe(true)
      const table = text('[data-test="ma-premium-table"]')
      for (const label of ['A0 B0 C0', '190', '180', '720', '1320', '1840', '900', '总计', '4780', '社保人员', '非社保人员']) expect(table).toContain(label)
      click('[data-test="ma-confirm-premium"]')
      await flush()
      expect(sent['POST /api/mutual-aid/batches/HZ202306100001/premium']).toEqual({ items: ['A0', 'B0', 'C0', 'A3', 'B3', 'C3'] })
      expect(text('[data-test="ma-batch-status"]')).toContain('缴费凭证待上传')
      expect(text('[data-test="ma-payee"]')).toContain('31602300008022150')
      expect(text('[data-test="ma-pay-hint"]')).toContain('15天内')

      click('[data-test="ma-detail-withdraw"]')
      await flush()
      type('.el-message-box input', '漏选保障项目')
      button('确认操作').click()
      await flush()
      expect(sent['POST /api/mutual-aid/batches/HZ202306100001/withdraw']).toEqual({ reason: '漏选保障项目' })
      expect(text('[data-test="ma-batch-status"]')).toContain('清册待校验')

      const log = await visit(`${B}&tab=log`)
      for (const label of ['集中参保办理', '职保会审核不通过', '情况说明未加盖公章', '职保会']) expect(log).toContain(label)
      click('[data-test="ma-detail-delete"]')
      await flush()
      button('批次删除').click()
      await flush()
      expect(calls).toContain('DELETE /api/mutual-aid/batches/HZ202306100001')
      expect(router.currentRoute.value.query).toEqual({})
      expect(text('[data-test="ma-batches-table"]')).not.toContain('HZ202306100001')
    })

    it('insurer: 清册附件审核 — the queue, the files, 不通过 with a reason and 通过; batches read only', async () => {
      await asWho('insurer')
      const page = await visit('/mutual-aid-batch-review')
      expect(document.querySelector('[data-test="menu-mutual-aid-batch-review"]')).not.toBeNull()
      for (const label of ['HZ202306080003', '新参保单位', '拟参保人数']) expect(page).toContain(label)
      click('[data-test="ma-review-view"]')
      await flush()
      expect(text('[data-test="ma-review-drawer"]')).toContain('申报表.png')
      expect(document.querySelector('[data-test="ma-review-drawer"] [data-test="ma-attach-main"]')).toBeNull()
      click('[data-test="ma-review-reject"]')
      await flush()
      type('.el-message-box input', '申报表未加盖公章')
      button('确定').click()
      await flush()
      expect(sent['POST /api/mutual-aid/batches/HZ202306080003/reject']).toEqual({ reason: '申报表未加盖公章' })
      resetBatches()
      await visit('/mutual-aid-batches')
      await visit('/mutual-aid-batch-review')
      click('[data-test="ma-review-approve"]')
      await flush()
      button('审核通过').click()
      await flush()
      expect(calls).toContain('POST /api/mutual-aid/batches/HZ202306080003/approve')
      expect(messages()).toContain('职保会审核通过')

      const batches = await visit('/mutual-aid-batches')
      expect(batches).toContain('HZ202306090002')
      expect(document.querySelector('[data-test="ma-create-collective"]')).toBeNull()
      expect(document.querySelector('[data-test="ma-withdraw"]')).toBeNull()
      await asWho(null)
    })
  })

  it('no runtime errors', () => {
    expect(errors.map(String)).toEqual([])
  })
})
