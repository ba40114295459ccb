/**
 * The fake gateway's /api/mutual-aid/… (参保编码) for pages.test.ts (test-only; no page imports it): the
 * shapes of docs/gateway-api.md with the manual's example (小明公司, 章先生), a unit's and the insurer's
 * sessions, and the service's refusals the screens must show (the name that already has a code with
 * its contact, handler.incomplete, a missing SMS code).
 */
type Answer = [number, unknown]

const page = (items: unknown[]) => ({ items, total: items.length, page: 1, size: 20 })
const problem = (status: number, code: string, title: string, more: object = {}): Answer => [status, { type: `urn:problem:${code}`, code, title, status, ...more }]

export const MUTUAL_AID_MENUS: Record<'unit' | 'insurer', string[]> = {
  unit: ['mutual-aid-code-applications', 'mutual-aid-handler', 'mutual-aid-name-changes'],
  insurer: ['mutual-aid-code-review', 'mutual-aid-name-change-review'],
}

export function mutualAidMe(who: 'unit' | 'insurer') {
  const unit = who === 'unit'
  return {
    account_id: unit ? 101 : 201, account: unit ? 'jianlang' : 'zhibao', name: unit ? '经办人' : '职保会', tier: unit ? 'grassroots' : 'insurer',
    org_id: unit ? 13 : null, org_name: unit ? '上海建朗信息科技有限公司工会' : null, org_path: unit ? '1.12.14.13' : '',
    must_change_password: false, menus: ['workbench', ...MUTUAL_AID_MENUS[who]],
  }
}

export const attachment = (id: string, file_name: string) => ({
  id, file_name, content_type: file_name.endsWith('.pdf') ? 'application/pdf' : 'image/png', size: 2048,
  uploaded_at: '2023-06-08T02:00:00Z', url: `/api/mutual-aid/attachments/${id}`,
})
const fields = {
  plan: 'mutual_aid', unit_name: '小明公司', committee: '普陀区', uscc: '91310000MA1FL0000X', nature: '企业', contact: '章先生', contact_phone: '187*****5678',
  email: '114@qq.com', address: '上海市普陀区某某路1号', postcode: '200333', headcount: 12, leader: null, leader_phone: null, unit_phone: null,
}
export const application = (id: number, status: string, more: object = {}) => ({
  id, ...fields, status, code: status === '审核通过' ? '00001X' : null, owner_tier: 'grassroots', submitted_by: '101', submitted_by_name: '经办人',
  submitted_at: '2023-06-08T02:00:00Z', reviewed_by: status === '申请中' ? null : '201', reviewed_by_name: status === '申请中' ? undefined : '职保会',
  reviewed_at: status === '申请中' ? null : '2023-06-09T02:00:00Z', reject_reason: status === '审核不通过' ? '附件未加盖公章' : null,
  updated_at: '2023-06-09T02:00:00Z', ...more,
})
const detail = (id: number, status: string) => ({
  ...application(id, status, { contact_phone: '18712345678' }),
  attachments: [attachment('a'.repeat(32), '营业执照.png')],
  history: [
    { action: '提交申请', actor: '101', actor_name: '经办人', at: '2023-06-08T02:00:00Z', note: null },
    ...(status === '申请中' ? [] : [{ action: status, actor: '201', actor_name: '职保会', at: '2023-06-09T02:00:00Z', note: status === '审核不通过' ? '附件未加盖公章' : '参保编码 00001X' }]),
  ],
})
export const code = {
  code: '00001X', unit_name: '小明公司', owner_tier: 'grassroots', application_id: 1, contact: '章先生', contact_phone: '187*****5678',
  approved_by: '201', approved_at: '2023-06-09T02:00:00Z', handler_complete: false,
  units: [{ id: 1, unit_name: '小明公司', uscc: null, main: true, added_by: '201', added_at: '2023-06-09T02:00:00Z' }], pending_name_change: null,
}
const handler = (complete: boolean) => ({
  code: '00001X', unit_name: '小明公司', complete, union_names_required: true, handler_name: complete ? '王经办' : null,
  handler_phone: complete ? '13900001111' : null, handler_email: complete ? 'wang@example.com' : null, uscc: '91310000MA1FL0000X',
  economic_type: '企业', union_first: complete ? '普陀区总工会' : null, union_second: complete ? '长征镇总工会' : null,
  address: '上海市普陀区某某路1号', industry: complete ? '制造业' : null, headcount: 12, saved_by: complete ? '101' : null,
  saved_at: complete ? '2023-06-10T02:00:00Z' : null,
})
export const nameChange = (id: number, status: string) => ({
  id, code: '00001X', old_name: '小明公司', new_name: '小明科技有限公司', note: '工商更名', status, applied_by: '101', applied_at: '2023-06-10T02:00:00Z',
  reviewed_by: null, reviewed_at: null, reject_reason: status === '审核不通过' ? '证明材料不清晰' : null,
  attachments: [attachment('b'.repeat(32), '名称变更核准通知书.pdf')],
})

/** 退休住院计划 新参保编码申请 approved: the plan's code shown in the list (manual 003) */
const retireeApplication = application(6, '审核通过', {
  plan: 'retiree', unit_name: '上海某某新材料有限公司', code: '130000001', committee: '普陀区总工会', nature: '私营企业', contact: '王经办',
  contact_phone: '139*****1111', headcount: 0,
})

/** what the fake saw besides JSON bodies: the uploaded files' names */
export const mutualAidSeen = { uploads: [] as string[] }
let handlerSaved = false

function json(init?: RequestInit): Record<string, unknown> {
  return typeof init?.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : {}
}

export function mutualAidRoute(u: URL, m: string, init?: RequestInit): Answer | null {
  const p = u.pathname.replace('/api/mutual-aid', '')
  if (p === '/sms-codes' && m === 'POST') {
    return [201, { phone: '187*****5678', expires_at: '2023-06-08T02:05:00Z', resend_after_seconds: 60, code: '246810' }]
  }
  if (p === '/attachments' && m === 'POST') {
    const name = u.searchParams.get('file_name') ?? ''
    mutualAidSeen.uploads.push(name)
    return [201, attachment(String(mutualAidSeen.uploads.length).padStart(32, 'c'), name)]
  }
  if (p.startsWith('/attachments/')) return [200, {}]
  if (p === '/code-applications' && m === 'POST') {
    const body = json(init)
    if (body.sms_code !== '246810') return problem(422, 'sms.code_expired', '短信验证码已失效，请重新获取', { field: 'sms_code' })
    if (body.unit_name === '小明公司') {
      return problem(409, 'code_application.name_has_code', '提交失败！该企业已申请过参保编码。【联系人：章先生，手机号：18712345678】', { contact: '章先生', contact_phone: '18712345678' })
    }
    return [201, { ...detail(3, '申请中'), unit_name: body.unit_name }]
  }
  if (p === '/code-applications' || p === '/code-applications/export') {
    const status = u.searchParams.get('status')
    const plan = u.searchParams.get('plan')
    const rows = [application(2, '审核不通过', { unit_name: '小明二号公司' }), application(1, '审核通过'), application(4, '申请中', { unit_name: '大华集团有限公司' }), retireeApplication]
    return [200, page(rows.filter((r) => (!status || r.status === status) && (!plan || r.plan === plan)))]
  }
  const one = /^\/code-applications\/(\d+)(\/approve|\/reject)?$/.exec(p)
  if (one) {
    const id = Number(one[1])
    if (one[2] === '/approve') return [200, detail(id, '审核通过')]
    if (one[2] === '/reject') return [200, detail(id, '审核不通过')]
    if (m === 'PUT') return [200, { ...detail(id, '申请中'), ...json(init) }]
    return [200, id === 2 ? { ...detail(2, '审核不通过'), unit_name: '小明二号公司' } : detail(id, id === 4 ? '申请中' : '审核通过')]
  }
  if (p === '/codes') return [200, page([{ ...code, handler_complete: handlerSaved }])]
  if (p === '/codes/00001X/handler' && m === 'PUT') {
    const body = json(init)
    if (body.sms_code !== '246810') return problem(422, 'sms.code_expired', '短信验证码已失效，请重新获取', { field: 'sms_code' })
    handlerSaved = true
    return [200, handler(true)]
  }
  if (p === '/codes/00001X/handler') return [200, handler(handlerSaved)]
  if (p === '/codes/00001X/units' && m === 'POST') {
    return [201, { ...code, units: [...code.units, { id: 2, unit_name: String(json(init).unit_name), uscc: null, main: false, added_by: '101', added_at: '2023-06-10T02:00:00Z' }] }]
  }
  if (p === '/codes/00001X/name-changes' && m === 'POST') {
    if (!handlerSaved) return problem(409, 'handler.incomplete', '请先完成【经办人填报】（经办人姓名、电话、邮箱等）并保存后，再办理后续操作')
    return [201, { ...nameChange(5, '申请中'), new_name: json(init).new_name }]
  }
  if (p === '/name-changes' || p === '/name-changes/export') {
    const status = u.searchParams.get('status')
    const rows = [nameChange(5, '申请中'), nameChange(4, '审核不通过')]
    return [200, page(status ? rows.filter((r) => r.status === status) : rows)]
  }
  const change = /^\/name-changes\/(\d+)\/(approve|reject)$/.exec(p)
  if (change) return [200, nameChange(Number(change[1]), change[2] === 'approve' ? '审核通过' : '审核不通过')]
  return null
}
