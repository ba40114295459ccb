/**
 * The fake gateway's /api/mutual-aid/… batch routes (参保批次, 清册, 清册校验, 保障项目, 职保会审核) for pages.test.ts
 * (test-only; no page imports it): the shapes of docs/gateway-api.md with the manual's example (上海建朗信息科技有限公司,
 * 王梅 / 王梅晓, 陈美珠 over age, 4 people × A0 B0 C0 A3 B3 C3 = 4,780 元), a unit's and the insurer's sessions,
 * and the service's refusals the screens must show. Active only while `maBatches.who` is set, so the 参保编码
 * fake keeps its own answers otherwise.
 */
type Answer = [number, unknown]

const page = (items: unknown[]) => ({ items, total: items.length, page: 1, size: 20 })
const problem = (status: number, code: string, title: string, more: object = {}): Answer => [status, { type: `urn:problem:${code}`, code, title, status, ...more }]

/** who is signed in for these visits (null: the fake is off); `holdCheck`: 清册校验 stays 校验中 until cleared */
export const maBatches = { who: null as 'unit' | 'insurer' | null, uploads: [] as string[], holdCheck: false }

export function maBatchesMe(who: 'unit' | 'insurer') {
  const unit = who === 'unit'
  return {
    account_id: unit ? 101 : 201, account: unit ? 'jianlang' : 'zhibao', name: unit ? '经办人' : '职保会', tier: unit ? 'grassroots' : 'insurer',
    org_id: unit ? 13 : null, org_name: unit ? '上海建朗信息科技有限公司工会' : null, org_path: unit ? '1.12.14.13' : '',
    must_change_password: false,
    menus: unit ? ['workbench', 'mutual-aid-code-applications', 'mutual-aid-batches'] : ['workbench', 'mutual-aid-batches', 'mutual-aid-batch-review'],
  }
}

const UNIT = '上海建朗信息科技有限公司'
const ITEMS: [string, string, number][] = [
  ['A0', '在职住院基本保障', 12000], ['B0', '特种重病基本保障', 5500], ['C0', '意外伤害基本保障', 1500],
  ['A1', '在职住院加强保障一', 13500], ['B1', '特种重病加强保障一', 10000], ['C1', '意外伤害加强保障一', 4000],
  ['A2', '在职住院加强保障二', 23000], ['B2', '特种重病加强保障二', 23500], ['C2', '意外伤害加强保障二', 7500],
  ['A3', '在职住院加强保障三', 33000], ['B3', '特种重病加强保障三', 46000], ['C3', '意外伤害加强保障三', 22500],
]
const year = {
  programme: 'mutual-aid', programme_name: '上海职工互助保障项目2020', year: 2023, insurance_start: '2023-07-01', insurance_end: '2024-06-30',
  windows: [], open_now: ['集中参保'],
  items: ITEMS.map(([code, name, full]) => ({
    code, name, full_fen: full, half_fen: full / 2, waiting_days: code.startsWith('C') ? 0 : code.startsWith('B') ? 60 : 30,
    accident_exempt: code.startsWith('A') && code !== 'A0', social_security_only: code === 'A0',
  })),
  rules: { bundle_codes: ['A0', 'B0', 'C0'], bundle_discount_fen: 1000, change_pct: 10, ratio_min_pct: 75, ratio_max_pct: 100, small_unit_max: 10, template_max_rows: 5000 },
  voucher_days: 15, retirement_age_male: 60, retirement_age_female: 55,
  payee_name: '上海市职工保障互助会', payee_account: '31602300008022150', payee_bank: '上海银行人民广场支行',
}
/** the manual's table: 4 people with social security, A0 B0 C0 + A3 B3 C3 */
export const premium = {
  items: ['A0', 'B0', 'C0', 'A3', 'B3', 'C3'], half_year: false, ss_persons: 4, non_ss_persons: 0, ss_fen: 478000, non_ss_fen: 0, total_fen: 478000, locked_items: null,
  rows: [
    { label: 'A0 B0 C0', standard_fen: 19000, discount_fen: 1000, price_fen: 18000, ss_persons: 4, ss_fen: 72000, non_ss_persons: 0, non_ss_fen: 0, total_fen: 72000 },
    { label: 'A3', standard_fen: 33000, discount_fen: 0, price_fen: 33000, ss_persons: 4, ss_fen: 132000, non_ss_persons: 0, non_ss_fen: 0, total_fen: 132000 },
    { label: 'B3', standard_fen: 46000, discount_fen: 0, price_fen: 46000, ss_persons: 4, ss_fen: 184000, non_ss_persons: 0, non_ss_fen: 0, total_fen: 184000 },
    { label: 'C3', standard_fen: 22500, discount_fen: 0, price_fen: 22500, ss_persons: 4, ss_fen: 90000, non_ss_persons: 0, non_ss_fen: 0, total_fen: 90000 },
  ],
}
const failed = {
  outcome: '清册校验不通过', insured: 5, unmatched: 3, new_unit: false, evidence: '情况说明（加盖公章）', evidence_uploaded: false, checked_at: '2023-06-10T02:00:00Z',
  removals: [{ row_id: 4, name: '陈美珠', id_number: '310***********7621', id_type: '身份证', gender: '女', reason: '超龄' }],
  clashes: [{ row_id: 5, name: '叶开', id_number: '310***********3110', unit_name: '上海某某贸易有限公司', handler_name: '李经办', handler_phone: '139*****2222', message: '身份信息被上海某某贸易有限公司占用' }],
  change: { last: 4, this: 5, percent: '-25%', within: false },
  ratio: {
    units: [{ unit_code: '00108537', unit_name: '上海卓远人力资源发展有限公司', insured: 1, headcount: 1300, percent: '0.07%' }],
    overall: { unit_code: '', unit_name: '', insured: 1, headcount: 1300, percent: '0.07%' }, required_min_pct: 75, max_pct: 100, within: false,
  },
}
const passed = { ...failed, outcome: '清册校验通过', insured: 4, evidence: null, removals: [], clashes: [], change: { last: 4, this: 4, percent: '0%', within: true }, ratio: null }
const ACTIONS: Record<string, string[]> = {
  清册待校验: ['check_failed', 'submit', 'submit_for_review', 'delete'],
  清册校验不通过: ['check_failed', 'submit', 'submit_for_review', 'delete'],
  清册校验通过: ['confirm_premium', 'withdraw'],
  职保会待审核: ['approve', 'reject'],
  缴费凭证待上传: ['upload_voucher', 'withdraw'],
}
function batch(batch_no: string, status: string, more: object = {}) {
  return {
    batch_no, programme: 'mutual-aid', year: 2023, enrollment_type: '集中参保', code: '00001X', unit_name: UNIT, org_id: 13, status,
    actions: ACTIONS[status] ?? [], handler_name: '王经办', handler_phone: '139*****1111', handler_email: 'wang@example.com', persons: 5,
    check: null, roster_submitted_at: null, cover_start: null, cover_end: null, half_year: false, items: [], premium: null, amount_fen: 0,
    premium_confirmed_at: null, voucher_due: null, voucher_late: false, payable_no: null, voucher_no: null, voucher_submitted_at: null,
    paid_amount_fen: null, completed_at: null, created_by: '101', created_by_name: '经办人', created_at: '2023-06-10T01:00:00Z',
    updated_at: '2023-06-10T02:00:00Z', version: 1, ...more,
  }
}
const submitted = { roster_submitted_at: '2023-06-10T03:00:00Z', cover_start: '2023-07-01', cover_end: '2024-06-30', check: passed, persons: 4 }
const confirmed = { ...submitted, items: premium.items, premium, amount_fen: 478000, premium_confirmed_at: '2023-06-10T04:00:00Z', voucher_due: '2023-06-25', payable_no: 'HZ202306100001' }
const row = (id: number, name: string, more: object = {}) => ({
  id, name, name_options: [], id_type: '身份证', id_number: '310***********4279', birth_date: '1990-01-01', gender: '男', phone: '',
  has_social_security: true, employment: '在职', unit_code: null, suggested: false, over_age: false, over_age_kept: false, source: '本地导入',
  checking: false, check_note: '', problem: '', premium_fen: null, editable: false, ...more,
})
const rows = [
  row(1, '胡庆庆'),
  row(2, '王豆', { id_type: '非身份证', id_number: 'E1****678', birth_date: '1998-12-09', editable: true }),
  row(3, '王梅', { name_options: ['王梅', '王梅晓'], suggested: true, unit_code: '00108537', gender: '女' }),
  row(4, '陈美珠', { over_age: true, gender: '女', birth_date: '1965-03-01', problem: '超龄' }),
  row(5, '叶开', { employment: '-', has_social_security: false, source: '会员库', problem: '身份信息被上海某某贸易有限公司占用' }),
]
const attachment = (id: number, kind: string, file_name: string) => ({
  id, kind, file_name, media_type: 'image/png', size: 2048, uploaded_by: '101', uploaded_by_name: '经办人', uploaded_at: '2023-06-10T02:30:00Z',
  url: `/api/mutual-aid/batches/HZ202306100001/attachments/${id}/file`,
})
const importJob = (state: string) => ({
  id: 'mi-1', batch_no: 'HZ202306100001', state, file_name: '参保名单.xlsx', file_size: 8000, rows_total: 6, rows_checked: state === '已完成' ? 6 : 2,
  rows_added: 5, rows_updated: 0, rows_rejected: 1, progress: state === '已完成' ? 100 : 40,
  summary: state === '已完成' ? '数据读取：6人，成功导入：5条信息（新增加5人，修改0人），导入失败：1条信息' : '', error_code: null, error_message: null,
  created_at: '2023-06-10T02:00:00Z', started_at: '2023-06-10T02:00:01Z', finished_at: null,
})
const checkJob = (state: string, more: object = {}) => ({
  id: 'mc-1', batch_no: 'HZ202306100001', state, rows_total: 5, rows_checked: 0, progress: 0, outcome: null, error_code: null,
  error_message: null, requested_by: '101', requested_by_name: '经办人', created_at: '2023-06-10T02:00:00Z', started_at: null,
  finished_at: null, ...more,
})
/** the batch's last 清册校验 job, and the verdict it leaves when it ends */
let check: { job: ReturnType<typeof checkJob>; no: string; verdict: typeof failed | typeof passed } | null = null
const operations = [
  { id: 1, batch_no: 'HZ202306100001', action: 'create', label: '集中参保办理', from_status: null, to_status: '清册待校验', reason: null, detail: null, actor_id: '101', actor_tier: 'grassroots', actor_name: '经办人', at: '2023-06-10T01:00:00Z' },
  { id: 2, batch_no: 'HZ202306100001', action: 'reject', label: '职保会审核', from_status: '职保会待审核', to_status: '职保会审核不通过', reason: '情况说明未加盖公章', detail: null, actor_id: '201', actor_tier: 'insurer', actor_name: '职保会', at: '2023-06-11T01:00:00Z' },
]

let batches: Record<string, ReturnType<typeof batch>> = {}
/** the starting state of every visit */
export function resetBatches() {
  batches = {
    HZ202306100001: batch('HZ202306100001', '清册校验不通过', { check: failed }),
    HZ202306090002: batch('HZ202306090002', '缴费凭证待上传', { enrollment_type: '即时参保', ...confirmed, batch_no: 'HZ202306090002', payable_no: 'HZ202306090002' }),
    HZ202306080003: batch('HZ202306080003', '职保会待审核', { ...submitted, check: { ...passed, outcome: '需上传附件', new_unit: true, change: null, evidence: '《社会保险费缴费申报表》或《单位参加城镇社会保险基本情况》', evidence_uploaded: true } }),
  }
  maBatches.uploads = []
  maBatches.holdCheck = false
  check = null
}
resetBatches()

function json(init?: RequestInit): Record<string, unknown> {
  return typeof init?.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : {}
}

export function maBatchesRoute(u: URL, m: string, init?: RequestInit): Answer | null {
  if (!maBatches.who) return null
  const p = u.pathname.replace('/api/mutual-aid', '')
  if (p === '/years/open') return [200, [{ year: 2023, enrollment_type: '集中参保' }, { year: 2022, enrollment_type: '即时参保' }]]
  if (/^\/years\/\d+$/.test(p)) return [200, year]
  if (p === '/codes') {
    return [200, page([{ code: '00001X', unit_name: UNIT, owner_tier: 'grassroots', application_id: 1, contact: '章先生', contact_phone: '187*****5678', approved_by: '201', approved_at: '2023-06-09T02:00:00Z', handler_complete: true, pending_name_change: null, units: [{ id: 1, unit_name: UNIT, uscc: null, main: true, added_by: '201', added_at: '2023-06-09T02:00:00Z' }, { id: 2, unit_name: '上海建朗软件有限公司', uscc: null, main: false, added_by: '101', added_at: '2023-06-09T03:00:00Z' }] }])]
  }
  if (p === '/batches' && m === 'POST') {
    const body = json(init)
    if (body.enrollment_type === '即时参保') return problem(409, 'window.not_open', '即时参保办理尚未开始（2023-07-01 起）')
    const made = batch('HZ202306100004', '清册待校验', { unit_name: body.unit_name, persons: 0 })
    batches[made.batch_no] = made
    return [201, made]
  }
  if (p === '/batches') {
    const status = u.searchParams.get('status')
    const all = Object.values(batches)
    return [200, page(status ? all.filter((b) => b.status === status) : all)]
  }
  if (p === '/review') return [200, page(Object.values(batches).filter((b) => b.status === '职保会待审核'))]
  if (p === '/imports/mi-1') return [200, importJob('已完成')]
  if (p === '/checks/mc-1' && check) {
    if (maBatches.holdCheck) return [200, (check.job = checkJob('校验中', { rows_checked: 2, progress: 39, started_at: '2023-06-10T02:00:01Z' }))]
    if (check.job.state !== '已完成') {
      const { no, verdict } = check
      const b = batches[no]
      if (b) {
        const status = verdict === passed ? '清册待校验' : '清册校验不通过'
        const result: object = { check: verdict }
        batches[no] = { ...b, ...result, status, actions: ACTIONS[status] ?? [] }
      }
      check.job = checkJob('已完成', { rows_checked: 5, progress: 100, outcome: verdict.outcome, finished_at: '2023-06-10T02:00:05Z' })
    }
    return [200, check.job]
  }
  if (p === '/imports/mi-1/rejections') return [200, page([{ row_no: 7, column: '证件号码', code: 'id_number.check_digit', reason: '证件号码校验位不正确', name: '张贺' }])]
  const one = /^\/batches\/(HZ\d+)(\/.*)?$/.exec(p)
  if (!one) return null
  const no = one[1] as string
  const rest = one[2] ?? ''
  const b = batches[no]
  if (!b) return problem(404, 'not_found', '参保批次不存在')
  const set = (status: string, more: object = {}) => {
    batches[no] = { ...b, ...more, status, actions: ACTIONS[status] ?? [] }
    return batches[no]
  }
  if (rest === '' && m === 'DELETE') {
    if (!b.actions.includes('delete')) return problem(409, 'batch.delete_refused', `批次状态为“${b.status}”，只有清册待校验、清册校验不通过的批次可以删除`)
    delete batches[no]
    return [200, null]
  }
  if (rest === '') return [200, b]
  if (rest === '/withdraw') {
    if (!String(json(init).reason ?? '').trim()) return problem(422, 'batch.reason_required', '请填写撤回原因')
    return [200, set('清册待校验', { items: [], premium: null, amount_fen: 0, payable_no: null, cover_start: null, cover_end: null })]
  }
  if (rest === '/operations') return [200, operations]
  if (rest === '/rows' && m === 'GET') {
    const name = u.searchParams.get('name')
    const overAge = u.searchParams.get('over_age')
    let found = b.status === '清册待校验' && b.persons === 0 ? [] : rows
    if (name) found = found.filter((r) => r.name.includes(name))
    if (overAge) found = found.filter((r) => String(r.over_age) === overAge)
    return [200, page(found)]
  }
  const rowOp = /^\/rows\/(\d+)(\/name|\/over-age-kept)?$/.exec(rest)
  if (rowOp) {
    if (m === 'DELETE') return [200, { count: 1 }]
    if (m === 'PATCH' && rowOp[1] !== '2') return problem(409, 'roster.row_not_editable', '身份证类型人员不能编辑')
    return [200, null]
  }
  if (rest === '/rows/delete') return [200, { count: (json(init).row_ids as unknown[]).length }]
  if (rest === '/rows/from-last-year') return problem(409, 'roster.no_last_year', '没有找到上年度已完成参保的名单')
  if (rest === '/rows/from-registry') return [200, { added: 3, updated: 0, skipped: 0 }]
  if (rest === '/rows/employment-checks') return [202, { request_ids: ['ma-1'], rows: json(init).all ? 1 : 1 }]
  if (rest === '/imports' && m === 'POST') {
    maBatches.uploads.push(u.searchParams.get('file_name') ?? '')
    return [202, importJob('校验中')]
  }
  if (rest === '/validation' && m === 'GET') return [200, check?.no === no ? check.job : null]
  if (rest === '/validation') {
    if (check && check.job.state !== '已完成') return problem(409, 'check.running', '清册校验正在进行中，请等待本次校验完成', { check_id: check.job.id })
    const verdict = maBatches.uploads.includes('checked') ? passed : failed
    maBatches.uploads.push('checked')
    const job = checkJob('排队中')
    check = { job, no, verdict }
    return [202, job]
  }
  if (rest === '/submission') {
    const body = json(init)
    if (!body.commitment_accepted) return problem(409, 'roster.commitment_required', '请阅读并同意承诺书')
    return [200, set('清册校验通过', submitted)]
  }
  if (rest === '/attachments' && m === 'POST') {
    const name = u.searchParams.get('file_name') ?? ''
    maBatches.uploads.push(`${u.searchParams.get('kind')}:${name}`)
    return [201, attachment(9, u.searchParams.get('kind') ?? '', name)]
  }
  if (rest === '/attachments') return [200, b.status === '职保会待审核' ? [attachment(8, '社保缴费申报表', '申报表.png')] : []]
  if (rest === '/approve') return [200, set('职保会审核通过')]
  if (rest === '/reject') return [200, set('职保会审核不通过')]
  if (rest === '/premium' && m === 'GET') {
    const items = u.searchParams.getAll('items')
    if (!items.some((c) => c.endsWith('0'))) return problem(422, 'items.basic_required', '加强保障项目需在参保基本保障项目的基础上参保')
    return [200, { ...premium, items }]
  }
  if (rest === '/premium') return [200, set('缴费凭证待上传', { ...confirmed, items: json(init).items })]
  return null
}
