/**
 * The fake gateway's /api/enrollment/… for pages.test.ts (test-only; no page imports it): the shapes of
 * docs/gateway-api.md with the manuals' figures (A类 26 元 = 13 + 13 + 0), a session per tier, and the
 * service's refusals the screens must show (split.not_adding_up, instant.none_selected, window.not_open).
 */
type Answer = [number, unknown]

const page = (items: unknown[]) => ({ items, total: items.length, page: 1, size: 20 })
const split = (city: number, district: number, grassroots: number) => ({ city_fen: city, district_fen: district, grassroots_fen: grassroots })
const amounts = (fen: number) => ({ amount_fen: fen, city_fen: fen / 2, district_fen: fen / 2, grassroots_fen: 0 })

export const ENROLLMENT_MENUS: Record<string, string[]> = {
  city: ['enrollment-programmes', 'enrollment-submissions', 'enrollment-batches'],
  district: ['enrollment-splits', 'enrollment-reviews', 'enrollment-staged', 'enrollment-submissions', 'enrollment-batches'],
  secondary: ['enrollment-reviews', 'enrollment-staged', 'enrollment-submissions', 'enrollment-batches'],
  grassroots: ['enrollment-confirmations', 'enrollment-collective', 'enrollment-instant', 'enrollment-submissions'],
}

const ORGS: Record<string, [number, string, string]> = {
  city: [1, '上海市总工会', '1'],
  district: [12, '徐汇区总工会', '1.12'],
  secondary: [14, '虹梅街道总工会', '1.12.14'],
  grassroots: [13, '上海建朗信息科技有限公司工会', '1.12.14.13'],
}

export function enrollmentMe(tier: string) {
  const [orgId, orgName, path] = ORGS[tier]!
  return {
    account_id: 7, account: `${tier}-1`, name: '经办人', tier, org_id: orgId, org_name: orgName, org_path: path,
    must_change_password: false, menus: ['workbench', ...ENROLLMENT_MENUS[tier]!],
  }
}

const typeA = { code: 'A', name: 'A类会员专享基本保障', premium_fen: 2600, default_split: split(1300, 1300, 0), half_year_premium_fen: null, waiting_days: 0, active: true, sort: 1 }
const typeAPlus = { code: 'A+', name: 'A+类会员专享基本保障', premium_fen: 7600, default_split: split(1300, 6300, 0), half_year_premium_fen: null, waiting_days: 0, active: true, sort: 3 }
const windows = [
  ['split', '保障金额设置', '2023-10-24T16:00:00Z', '2023-10-31T16:00:00Z', false],
  ['collective', '集中参保提交', '2023-10-31T16:00:00Z', '2023-12-25T16:00:00Z', true],
  ['review', '集中参保审核', '2023-10-31T16:00:00Z', '2023-12-25T16:00:00Z', true],
  ['district_submit', '集中参保提交至职保中心', '2023-12-25T16:00:00Z', '2023-12-31T16:00:00Z', false],
  ['instant', '即时参保办理', '2023-12-31T16:00:00Z', '2024-12-31T16:00:00Z', true],
].map(([kind, label, opens_at, closes_at, open_now]) => ({ kind, label, opens_at, closes_at, open_now }))
export const programmeYear = {
  programme: 'member-basic', programme_name: '工会会员专享基本保障', year: 2024, insurance_start: '2024-01-01', insurance_end: '2024-12-31',
  unit_pay_by: '2023-12-25', collective_pay_by: '2024-01-20', instant_pay_days: 15, lapse_grace_days: 0, ss_card_channel: true,
  retirement_age_male: 60, retirement_age_female: 55, issuer_name: '上海市职工保障互助中心', payee_name: '上海市职工保障互助中心会员专享保障专户',
  payee_account: '316023-03002745697', payee_bank: '上海银行人民广场支行', windows, types: [typeA, typeAPlus], version: 1,
}
const overview = {
  org_id: 13, org_name: '上海建朗信息科技有限公司工会', programme: 'member-basic', year: 2024, insurance_start: '2024-01-01',
  insurance_end: '2024-12-31', deadline: '2023-12-25T16:00:00Z', window_open: true, unit_pay_by: '2023-12-25', type_code: 'A',
  locked_type_code: null, premium: { amount_fen: 247000, city_fen: 123500, district_fen: 123500, grassroots_fen: 0 },
  counts: { total_members: 128, submitted: 0, without_card: 32, retired: 0, deceased: 0, pending: 1, excluded: 0, covered: 0, insured: 95, member_card: 95, ss_card: 0, flagged_retiring: 2 },
  last_submission: { request_id: 'req-1', type_code: 'A', persons: 95, amount_fen: 247000, submitted_at: '2023-11-20T02:00:00Z', states: ['待审核'], notice_url: '/api/enrollment/requests/req-1/notice' },
}
const rosterRow = (member_id: string, name: string, standing: string, more: object = {}) => ({
  member_id, member_no: '0070001', name, id_type: '身份证', id_number: '4201***********0430', card_number: '6231 **** **** 0640',
  standing, channel: standing === '参保名单' ? '会员卡参保' : null, confirmed: false, flagged_retiring: false, cover_start: '2024-01-01',
  cover_end: '2024-12-31', ss_card_held: true, employed: standing === '待确认' ? false : true, checked_at: '2023-11-02T02:00:00Z', ...more,
})
const ROSTERS: Record<string, unknown[]> = {
  参保名单: [rosterRow('m-7', '陈硕', '参保名单'), rosterRow('m-8', '任一平', '参保名单', { flagged_retiring: true })],
  待确认: [rosterRow('m-9', '刘通', '待确认')],
  未办卡: [rosterRow('m-10', '李登', '未办卡', { card_number: null })],
}
const instantRow = (member_id: string, name: string, list: string, reason = '') => ({
  member_id, member_no: null, name, id_type: '身份证', id_number: '4113***********2040', card_number: null, newly_carded: false,
  channel: '社保卡参保', list, reason, ss_card_held: list === '待提交', employed: true, confirmed: false,
  expected_cover_start: '2024-05-11', cover_end: '2024-12-31', half_year: false,
})
const request = { request_id: 'req-2', org_id: 13, enrollment_type: '集中参保', type_code: 'A', persons: 95, amount_fen: 247000, submission_ids: [21], submitted_at: '2023-11-21T02:00:00Z', notice_url: '/api/enrollment/requests/req-2/notice' }
const submission = (id: number, state: string, more: object = {}) => ({
  id, request_id: 'req-1', org_id: 13, org_name: '上海金桥建设监理有限公司工会', union_code: '310104000117', upper_org_name: '虹梅街道总工会',
  programme: 'member-basic', year: 2024, enrollment_type: '即时参保', channel: '社保卡参保', type_code: 'A', type_name: 'A类会员专享基本保障',
  persons: 2, amounts: amounts(5200), state, submitted_by: 'jinqiao', submitted_at: '2024-05-10T02:00:00Z', staged_by: null, staged_at: null,
  returned_by: null, returned_at: null, return_reason: null, batch_no: null, updated_at: '2024-05-10T02:00:00Z', ...more,
})
const line = { member_id: 'm-7', org_id: 13, name: '陈硕', id_number: '4201***********0430', channel: '会员卡参保', type_code: 'A', premium_fen: 2600, state: '待缴费', cover_start: '2024-01-01', cover_end: '2024-12-31', batch_no: 'CB202312260001' }
export const batch = {
  batch_no: 'CB202312260001', programme: 'member-basic', year: 2024, payer_org_id: 12, payer_org_name: '徐汇区总工会', enrollment_type: '集中参保',
  persons: 1064, persons_member_card: 1064, persons_ss_card: 0, amounts: { amount_fen: 6384000, city_fen: 2128000, district_fen: 4256000, grassroots_fen: 0 },
  by_type: [{ code: 'A+', name: 'A+类会员专享基本保障', persons: 1064, amount_fen: 6384000 }], pay_by: '2024-01-20', coverage_start: '2024-01-01',
  coverage_end: '2024-12-31', handler_name: '王经办', handler_phone: '139****1111', handler_email: 'wang@example.com', state: '待缴费',
  submitted_by: 'xuhui', submitted_at: '2023-12-28T02:00:00Z', paid_amount_fen: null, confirmed_at: null, lapsed_at: null,
  updated_at: '2023-12-28T02:00:00Z', notice_url: '/api/enrollment/batches/CB202312260001/notice',
}
const coverage = { programme: 'member-basic', programme_name: '工会会员专享基本保障', year: 2024, enrollment_type: '集中参保', channel: '会员卡参保', type_code: 'A', type_name: 'A类会员专享基本保障', premium_fen: 2600, org_id: 13, state: '已生效', cover_start: '2024-01-01', cover_end: '2024-12-31', batch_no: 'CB202312260001', submitted_at: '2023-11-20T02:00:00Z', updated_at: '2024-01-15T02:00:00Z' }
const problem = (status: number, code: string, title: string, extra: object = {}): Answer => [status, { code, title, status, ...extra }]

function body(init?: RequestInit): Record<string, unknown> {
  return typeof init?.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : {}
}

/** The answer for a /api/enrollment/… request, or null when the path is not one of them. */
export function enrollmentRoute(u: URL, method: string, init?: RequestInit): Answer | null {
  const p = decodeURIComponent(u.pathname.replace(/^\/api\/enrollment/, ''))
  const q = u.searchParams
  const y = /^\/programmes\/member-basic\/years\/\d+/
  const rest = p.replace(y, '')
  if (p === '/programmes') return [200, [{ code: 'member-basic', name: '工会会员专享基本保障', description: '', years: [2024] }]]
  if (p === '/programmes/member-basic' && method === 'PUT') return [200, { code: 'member-basic', name: body(init).name, description: '', years: [2024] }]
  if (!y.test(p)) return otherRoute(p, method, q, init)
  if (rest === '' && method === 'PUT') return [200, programmeYear]
  if (rest === '') return [200, programmeYear]
  if (rest.startsWith('/types/')) {
    const b = body(init) as Record<string, number>
    const total = b.city_fen! + b.district_fen! + b.grassroots_fen!
    if (total !== b.premium_fen) return problem(422, 'split.not_adding_up', `市总统一划拨、区局/各级工会和基层单位缴纳合计（${total / 100}元）与参保费用（${b.premium_fen! / 100}元）不一致`, { premium_fen: b.premium_fen, total_fen: total })
    return [200, { ...typeA, code: rest.slice(7), name: b.name }]
  }
  if (rest === '/splits') return [200, [{ type_code: 'A', type_name: typeA.name, premium_fen: 2600, default_split: split(1300, 1300, 0), split: split(1300, 1300, 0), set_by: null, set_at: null }]]
  if (rest.startsWith('/splits/')) {
    const b = body(init) as Record<string, number>
    if (1300 + b.district_fen! + b.grassroots_fen! !== 2600) return problem(422, 'split.not_adding_up', '缴费比例合计与参保费用（26元）不一致')
    return [200, { type_code: 'A', type_name: typeA.name, premium_fen: 2600, default_split: split(1300, 1300, 0), split: split(1300, b.district_fen!, b.grassroots_fen!), set_by: 'xuhui', set_at: '2023-10-28T02:00:00Z' }]
  }
  if (rest === '/collective') return [200, { ...overview, type_code: q.get('type_code') || 'A' }]
  if (rest === '/collective/members') return [200, page(ROSTERS[q.get('list') ?? ''] ?? [])]
  if (rest === '/collective/confirmations' || rest === '/instant/confirmations') return [200, { count: body(init).all ? 1 : 1 }]
  if (rest === '/collective/exclusions') return [200, { count: 1 }]
  if (rest.endsWith('/checks')) return [202, { request_ids: ['r-1'], members: 3, skipped: 0 }]
  if (rest === '/collective/submissions') return [201, request]
  if (rest === '/instant/candidates') {
    if (q.get('channel') === '社保卡参保' && q.get('list') === '待校验') return [200, page([instantRow('m-11', '王五', '待校验', '就业状态异常：需人工确认')])]
    return [200, page([instantRow('m-12', '赵六', '待提交')])]
  }
  if (rest === '/instant/submissions') {
    if (!(body(init).member_ids as string[]).length) return problem(409, 'instant.none_selected', '请在【待提交】中勾选要参保的人员!')
    return [201, { ...request, enrollment_type: '即时参保', persons: 1, amount_fen: 2600 }]
  }
  return null
}

function otherRoute(p: string, method: string, q: URLSearchParams, init?: RequestInit): Answer | null {
  if (p === '/submissions') return [200, page([submission(11, '已退回', { return_reason: '参保人数有误', returned_by: 'hongmei' })])]
  if (/^\/submissions\/\d+\/lines$/.test(p) || /^\/batches\/CB\d+\/lines$/.test(p)) return [200, page([line])]
  if (p === '/review/pending') return [200, page([submission(21, '待审核')])]
  if (p === '/review/staged') {
    const totals = { persons: 3, persons_member_card: 1, persons_ss_card: 2, amounts: { amount_fen: 7800, city_fen: 3900, district_fen: 3900, grassroots_fen: 0 } }
    return [200, { ...page([submission(22, '待提交', { persons: 3, staged_by: 'hongmei', staged_at: '2024-05-11T02:00:00Z' })]), totals }]
  }
  if (p === '/review/return' && !String(body(init).reason ?? '').trim()) return problem(422, 'review.reason_required', '请填写退回原因')
  if (p.startsWith('/review/')) return [200, { count: (body(init).submission_ids as number[]).length }]
  if (p === '/batches' && method === 'POST') {
    const handler = body(init).handler as Record<string, string>
    if (handler.name === '早提交') return problem(409, 'window.not_open', '集中参保提交至职保中心尚未开始（2023-12-26 00:00 至 2023-12-31 24:00）')
    return [201, batch]
  }
  if (p === '/batches') return [200, page([batch])]
  if (p === '/batches/lapse-overdue') return [200, { lapsed: [] }]
  if (/\/notice$|\/statistics\.xlsx$/.test(p)) return [200, { file: p }]
  if (/^\/members\/[\w-]+\/coverage$/.test(p)) return [200, [coverage]]
  void q
  return null
}
