/**
 * The fake gateway's /api/retiree/… routes for RetireePages.test.ts (test-only; no page imports it): the shapes of
 * docs/retiree-api.md with the manual's figures — the summary line "可代扣 21人，不可代扣 4人，社保姓名与导入姓名
 * 不一致 2人", the withholding "申请代扣13人，代扣成功9人(代扣金额300元/人)，代扣失败4人" (the unit owes 3,150 元), the
 * 2025 year's deadlines (集中参保 6月30日17点, 委托代扣款缴费参保通道 5月31日17点, 委托代扣申请 6月4日16点), the 委托代扣款申请表
 * 样稿 and the 代扣受理单 (downloadable from `withholding_slip_from`, one working day after the request) — a unit's, the
 * insurer's and the city's sessions, and the service's refusals the screens must show.
 */
type Answer = [number, unknown]

const page = (items: unknown[]) => ({ items, total: items.length, page: 1, size: 15 })
const problem = (status: number, code: string, title: string, more: object = {}): Answer => [status, { type: `urn:problem:${code}`, code, title, status, ...more }]

export const seen = { calls: [] as string[], sent: {} as Record<string, unknown>, holdValidation: false }
/** `usccMatched`: false — the unit's name finds no USCC (修改单位名称) */
export const fake = { who: 'unit' as 'unit' | 'insurer' | 'city', usccMatched: true }

export function me() {
  const who = fake.who
  const menus = {
    unit: ['workbench', 'retiree-enrol', 'retiree-batches', 'billing-payables'],
    insurer: ['workbench', 'retiree-batches', 'retiree-review', 'retiree-units', 'retiree-name-changes'],
    city: ['workbench', 'retiree-batches', 'retiree-years'],
  }[who]
  return {
    account_id: who === 'unit' ? 301 : who === 'insurer' ? 201 : 1, account: who === 'unit' ? 'tuixiu123000000' : who === 'insurer' ? 'zhibao' : 'shizong',
    name: who === 'unit' ? '上海某某机械有限公司' : who === 'insurer' ? '职保会' : '市总', tier: who === 'unit' ? 'enterprise' : who === 'insurer' ? 'insurer' : 'city',
    org_id: null, org_name: null, org_path: '', must_change_password: false, menus,
  }
}

const UNIT = '上海某某机械有限公司'
const CODE = '123000000'
// Asia/Shanghai: 2025-06-30 17:00 = 09:00Z, 2025-05-31 17:00 = 09:00Z, 2025-06-04 16:00 = 08:00Z
const year = {
  programme: 'retiree-hospital', programme_name: '退休住院计划', year: 2025, insurance_start: '2025-07-01', insurance_end: '2026-06-30',
  windows: [
    { kind: 'collective', label: '集中参保提交', opens_at: '2025-05-11T16:00:00Z', closes_at: '2025-06-30T09:00:00Z', open_now: true },
    { kind: 'withholding', label: '委托代扣款缴费参保通道', opens_at: '2025-05-11T16:00:00Z', closes_at: '2025-05-31T09:00:00Z', open_now: true },
    { kind: 'withholding_request', label: '委托代扣申请', opens_at: '2025-05-11T16:00:00Z', closes_at: '2025-06-04T08:00:00Z', open_now: true },
    { kind: 'instant', label: '即时参保办理', opens_at: '2025-06-30T16:00:00Z', closes_at: '2026-06-30T16:00:00Z', open_now: false },
  ],
  open_now: ['集中参保'],
  rules: { premium_fen: 45000, withholding_max_fen: 45000, waiting_days: 30, ratio_min_pct: 75, phone_valid_pct: 50, pension_day: '2025-06-10', template_max_rows: 5000 },
  payee_name: '上海市职工保障互助会退休职工医保专户', payee_account: '31602300008023554', payee_bank: '上海银行人民广场支行',
}
const unit = {
  code: CODE, unit_name: UNIT, uscc: '91310000MA1FL0000X', uscc_matched: true, org_id: null, owner_user_id: '301', owner_tier: 'enterprise',
  address: '上海市普陀区某某路1号', postcode: '200070', district: '轻工工会', economic_type: '私营企业', handler_name: '王经办',
  handler_phone: '139*****1111', handler_email: 'wang@example.com', info_complete: true, pending_name_change_id: null as number | null,
  updated_at: '2025-05-12T02:00:00Z',
}
const counts = (more: object = {}) => ({
  persons: 0, unchecked: 0, anomalies: 0, passed: 0, withholdable: 0, not_withholdable: 0, name_mismatch: 0, deceased: 0,
  retirement_missing: 0, not_found: 0, check_failed: 0, ...more,
})
const money = (persons: number, withheldPersons = 0, amount = 0, unitPaid = persons) => ({
  persons, premium_fen: 45000, amount_fen: persons * 45000, withheld_persons: withheldPersons, withheld_fen: withheldPersons * amount,
  unit_paid_persons: unitPaid, unit_owes_fen: persons * 45000 - withheldPersons * amount,
})
const UNIT_ACTS: Record<string, string[]> = {
  名单待导入: ['add_people', 'import', 'upload_attachment', 'delete'],
  名单待校验: ['add_people', 'import', 'upload_attachment', 'edit_people', 'delete_people', 'submit_validation', 'delete'],
  名单校验完成: ['add_people', 'import', 'upload_attachment', 'edit_people', 'delete_people', 'submit_validation', 'confirm_ss_name', 'classify', 'submit_review', 'delete'],
  职保会审核通过: ['request_withholding'],
  代扣完成: ['delete_failed', 'confirm_roster'],
}
type Batch = ReturnType<typeof batch>
function actions(b: { status: string; unit_confirmed_at: string | null; payment_mode: string | null }): string[] {
  if (fake.who === 'insurer') return b.status === '职保会待审核' ? ['approve', 'reject'] : []
  if (fake.who !== 'unit') return []
  const acts = [...(UNIT_ACTS[b.status] ?? [])]
  if (acts.includes('add_people')) {
    if (!b.payment_mode) acts.unshift('choose_payment_mode')
    if (!b.unit_confirmed_at) acts.unshift('confirm_unit')
  }
  return acts
}
function batch(batch_no: string, status: string, step: number, more: object = {}) {
  const b = {
    batch_no, year: 2025, enrollment_type: '集中参保', code: CODE, unit_name: UNIT, uscc: unit.uscc, status, step,
    step_label: '', actions: [] as string[], payment_mode: '委托代扣' as string | null, withholding_amount_fen: 30000 as number | null,
    entrustment_attachment_id: 5 as number | null, unit_confirmed_at: '2025-05-12T02:00:00Z' as string | null, counts: counts(),
    validation: null as null | { requested: number; answered: number; percent: number; requested_at: string | null },
    review_reason: null as string | null, review_lines: [] as { unit_code: string; reason: string }[],
    withholding: null as null | Record<string, unknown>, withholding_slip_from: null as string | null, money: money(0), cover_start: null as string | null,
    cover_end: null as string | null, covered_from: null, payable_no: null as string | null, voucher_no: null, paid_amount_fen: null,
    completed_at: null, handler_name: '王经办', handler_phone: '139*****1111', handler_email: 'wang@example.com',
    created_at: '2025-05-12T01:00:00Z', updated_at: '2025-05-12T02:00:00Z', version: 1, ...more,
  }
  return b
}
const checked = counts({ persons: 27, anomalies: 3, passed: 21, withholdable: 21, not_withholdable: 4, name_mismatch: 2, deceased: 1, retirement_missing: 1, not_found: 1 })
const withheld = { request_no: 'WH-1', requested: 13, succeeded: 9, failed: 4, pending: 0, amount_fen: 30000, pension_day: '2025-06-10', requested_at: '2025-06-01T02:00:00Z', deducted_on: '2025-06-10', notified_at: '2025-06-10T07:30:00Z' as string | null }

let batches: Record<string, Batch> = {}
let validationPolls = 0
/** `none`: the account has no unit of the plan (参保办理 hints at 新参保编码申请) */
export const unitsFake = { none: false }

export function reset() {
  batches = {
    TXZY202505120001: batch('TXZY202505120001', '名单待导入', 2, { payment_mode: null, withholding_amount_fen: null, entrustment_attachment_id: null, unit_confirmed_at: null }),
    // requested Sunday June 1 10:00 → accepted Monday → the 代扣受理单 from Tuesday June 3 00:00 (Shanghai)
    TXZY202504300003: batch('TXZY202504300003', '代扣完成', 9, { counts: counts({ persons: 13, passed: 13, withholdable: 13 }), withholding: withheld, withholding_slip_from: '2025-06-02T16:00:00Z', money: money(13, 9, 30000, 4) }),
    TXZY202504290008: batch('TXZY202504290008', '职保会审核通过', 9, { counts: counts({ persons: 16, passed: 16, withholdable: 15, not_withholdable: 1 }), money: money(16) }),
    TXZY202505060002: batch('TXZY202505060002', '职保会待审核', 8, { payment_mode: '缴费凭证', withholding_amount_fen: null, counts: counts({ persons: 2, passed: 2 }), money: money(2) }),
  }
  for (const b of Object.values(batches)) b.actions = actions(b)
  unit.pending_name_change_id = null
  fake.usccMatched = true
  seen.calls.length = 0
  seen.sent = {}
  seen.holdValidation = false
  validationPolls = 0
}
reset()

const person = (id: number, name: string, more: object = {}) => ({
  id, name, ss_name: name, id_type: '身份证', id_number: '310***********0012', birth_date: '1958-03-02', gender: '男',
  phone: '139*****0001', phone_valid: true, source: '导入', check_result: '校验通过', anomaly: false, ss_found: true,
  ss_unit_code: '00108537', ss_unit_name: UNIT, retired: true, retirement_month: '2018-03', medical_insured: true, withholdable: '可代扣',
  new_retiree: false, no_ss_class: null, no_ss_remark: '', no_ss_attachment_id: null, withholding_result: null as string | null,
  withholding_amount_fen: null, withholding_reason: '', premium_fen: 45000, cover_start: '2025-07-01', cover_end: '2026-06-30', ...more,
})
const checkedPeople = [
  person(11, '王梅', { ss_name: '王梅晓', check_result: '参保姓名和社保姓名不一致', anomaly: true, withholdable: '不可代扣' }),
  person(12, '李四', { id_type: '非身份证', id_number: 'E1****678', check_result: '退休年月为空或值无效', anomaly: true, withholdable: '-', retirement_month: null }),
  person(13, '赵五', { check_result: '死亡', anomaly: true, withholdable: '-' }),
  person(14, '钱六'),
  person(15, '孙七', { check_result: '未匹配到社保信息', ss_found: false, ss_unit_code: null, ss_name: '', withholdable: '不可代扣' }),
]
const withholdingPeople = [
  person(31, '周一', { withholding_result: '代扣失败', withholding_reason: '余额不足' }),
  person(32, '吴二', { withholding_result: '代扣失败', withholding_reason: '账户已冻结' }),
  person(33, '郑三', { withholding_result: '代扣成功', withholding_amount_fen: 30000 }),
]
const attachment = (id: number, kind: string, file_name: string, more: object = {}) => ({
  id, kind, unit_code: null, person_id: null, file_name, media_type: 'image/png', size: 2048, uploaded_by: '301',
  uploaded_by_name: UNIT, uploaded_at: '2025-05-12T02:30:00Z', url: `/api/retiree/batches/TXZY202505120001/attachments/${id}/file`, ...more,
})
const ratios = {
  min_pct: 75,
  lines: [
    { unit_code: '00108537', unit_name: UNIT, headcount: 13777, insured: 11, already_insured: 0, percent: '0.08%', below_min: true, new_retirees_only: false, evidence_required: true, evidence: [], review_reason: null },
    { unit_code: '00200001', unit_name: '上海某某机械厂', headcount: 20, insured: 18, already_insured: 0, percent: '90.00%', below_min: false, new_retirees_only: false, evidence_required: false, evidence: [], review_reason: null },
  ],
  without_ss: { insured: 1, people: [checkedPeople[4]] },
  evidence_missing: ['00108537'], unclassed: 1, ready: false,
}
const importJob = (state: string) => ({
  id: 'rt-imp-1', batch_no: 'TXZY202505120001', state, file_name: '参保名单.xlsx', file_size: 8000, rows_total: 6,
  rows_checked: state === '已完成' ? 6 : 2, rows_added: 5, rows_rejected: 1, progress: state === '已完成' ? 100 : 40,
  summary: state === '已完成' ? '数据读取：6人，成功导入：5人，导入失败：1条信息' : '', error_code: null, error_message: null,
  created_at: '2025-05-12T02:00:00Z', started_at: '2025-05-12T02:00:01Z', finished_at: null,
})
const nameChange = {
  id: 7, code: CODE, old_unit_name: UNIT, new_unit_name: '上海某某机械股份有限公司', uscc: '91310000MA1FL0000X', handler_name: '王经办',
  handler_phone: '139*****1111', handler_email: 'wang@example.com', district: '轻工工会', economic_type: '私营企业', address: '上海市普陀区某某路1号',
  postcode: '200070', principal: '', unit_phone: '', status: '申请中', reason: null, submitted_by: '301', submitted_by_name: UNIT,
  submitted_at: '2025-05-12T03:00:00Z', reviewed_by: null, reviewed_at: null,
  attachments: [{ id: 3, file_name: '工商变更登记表.png', media_type: 'image/png', size: 1024, uploaded_at: '2025-05-12T03:00:00Z', url: '/api/retiree/name-changes/7/attachments/3/file' }],
}

function json(init?: RequestInit): Record<string, unknown> {
  return typeof init?.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : {}
}

export function route(u: URL, m: string, init?: RequestInit): Answer | null {
  const p = u.pathname.replace('/api/retiree', '')
  seen.calls.push(`${m} ${u.pathname}${u.search}`)
  if (typeof init?.body === 'string') seen.sent[`${m} ${u.pathname}`] = JSON.parse(init.body)
  if (p === '/years/open') return [200, [{ year: 2025, enrollment_type: '集中参保' }]]
  if (p === '/years/2025') return [200, year]
  if (p === '/years/2025/rules') {
    const body = json(init)
    if (Number(body.withholding_max_fen) > Number(body.premium_fen)) return problem(422, 'rules.withholding_max', '委托代扣金额上限不能高于保费')
    return [200, body]
  }
  if (p === '/years/2025/headcounts' && m === 'PUT') return [200, { count: (json(init).units as unknown[]).length }]
  // 社保人数 as a file: a name with 有误 is refused by its rows (nothing loaded), any other loads whole
  if (p === '/years/2025/headcounts/upload') {
    if (u.searchParams.get('file_name')?.includes('有误')) {
      const rows = [
        { row_no: 3, column: '单位社保编码', code: 'headcount.unit_code_required', reason: '单位社保编码不能为空' },
        { row_no: 4, column: '退休人数', code: 'headcount.headcount_invalid', reason: '退休人数应为不小于0的整数' },
      ]
      return problem(422, 'load.rows_invalid', '文件中有2行数据有误，未导入任何数据，请修改后重新上传', { rows, bad_rows: 2 })
    }
    return [200, { rows: 2, added: 2, updated: 0, summary: '数据读取：2条，成功导入：2条（新增加2条，更新0条）' }]
  }
  if (p === '/years/2025/headcounts') {
    const all = [
      { unit_code: '00108537', unit_name: '上海某某机械有限公司', headcount: 17, updated_at: '2025-05-20T02:00:00Z' },
      { unit_code: '00200001', unit_name: '上海某某机械厂', headcount: 20, updated_at: '2025-05-20T02:00:00Z' },
    ]
    const code = u.searchParams.get('unit_code') ?? ''
    return [200, page(all.filter((r) => r.unit_code.startsWith(code)))]
  }
  if (p === '/years/2025/headcounts/export' || p === '/headcount-template') return [200, {}]
  if (p === '/units/imports') return [200, { received: 2, registered: 1, updated: 0, unchanged: 0, invalid: [{ code: '123000001', unit_name: '上海无代码单位', uscc: '123', reason: '统一社会信用代码无效' }] }]
  if (p === '/units') return [200, page(unitsFake.none ? [] : [unit])]
  // 导出: the file's bytes do not matter here, the URL and its filters do (seen.calls)
  if (p === '/units/export' || p === '/batches/export' || /^\/batches\/TXZY\d+\/people\/export$/.test(p)) return [200, {}]
  if (p === `/units/${CODE}`) return [200, { ...unit, uscc_matched: fake.usccMatched, uscc: fake.usccMatched ? unit.uscc : null }]
  if (p === `/units/${CODE}/info`) {
    const body = json(init)
    if (!/^\d{6}$/.test(String(body.postcode))) return problem(422, 'unit.postcode_invalid', '邮政编码应为6位数字')
    // as the service: the masked number sent back as shown keeps the one on file; a mask of another is refused
    const phone = String(body.handler_phone)
    if (phone !== unit.handler_phone && !/^1\d{10}$/.test(phone)) return problem(422, 'phone.format', '手机号格式不正确')
    return [200, { ...unit, ...body, handler_phone: phone === unit.handler_phone ? phone : `${phone.slice(0, 3)}*****${phone.slice(-4)}` }]
  }
  if (p === `/units/${CODE}/attachments`) return [201, { id: 3, file_name: u.searchParams.get('file_name'), media_type: 'image/png', size: 1024, uploaded_at: '2025-05-12T03:00:00Z', url: null }]
  if (p === `/units/${CODE}/name-changes`) {
    unit.pending_name_change_id = 7
    return [201, { ...nameChange, ...json(init) }]
  }
  if (p === '/withholding-form') return [200, '%PDF-1.7 委托代扣款申请书']
  if (p === '/uscc') return [200, { unit_name: u.searchParams.get('unit_name'), uscc: '91310000MA1FL0001X', org_id: null }]
  if (p === '/name-changes') return [200, page([nameChange])]
  if (p === '/name-changes/7/approve') return [200, { ...nameChange, status: '审核通过' }]
  if (p === '/name-changes/7/reject') return [200, { ...nameChange, status: '审核不通过', reason: json(init).reason }]
  if (p === '/batches' && m === 'POST') {
    const body = json(init)
    if (body.unit_name !== UNIT) return problem(409, 'retiree.unit_name_mismatch', '参保编码与参保单位名称不一致，若单位名称有误，请申请修改单位名称')
    const made = batch('TXZY202505120009', '名单待导入', 2, { payment_mode: null, withholding_amount_fen: null, entrustment_attachment_id: null, unit_confirmed_at: null })
    made.actions = actions(made)
    batches[made.batch_no] = made
    return [201, made]
  }
  if (p === '/batches') {
    const all = Object.values(batches).map((b) => ({ ...b, actions: actions(b) }))
    const status = u.searchParams.get('status')
    return [200, page(status ? all.filter((b) => b.status === status) : all)]
  }
  if (p === '/review') return [200, page(Object.values(batches).filter((b) => b.status === '职保会待审核').map((b) => ({ ...b, actions: actions(b) })))]
  if (p === '/imports/rt-imp-1') return [200, importJob('已完成')]
  if (p === '/imports/rt-imp-1/rejections') return [200, page([{ row_no: 7, column: '证件号码', code: 'id.check_digit', reason: '证件号码校验位不正确', name: '张贺' }])]
  const one = /^\/batches\/(TXZY\d+)(\/.*)?$/.exec(p)
  if (!one) return null
  const no = one[1] as string
  const rest = one[2] ?? ''
  const b = batches[no]
  if (!b) return problem(404, 'not_found', '参保批次不存在')
  const set = (more: Partial<Batch>) => {
    const next = { ...b, ...more, version: b.version + 1 }
    next.actions = actions(next)
    batches[no] = next
    return next
  }
  if (rest === '' && m === 'DELETE') {
    delete batches[no]
    return [204, null]
  }
  if (rest === '') {
    // social security answers in its own time: the second look finds the roster checked
    if (b.status === '名单校验中' && !seen.holdValidation && ++validationPolls >= 1) {
      return [200, set({ status: '名单校验完成', step: 6, counts: checked, validation: { requested: 27, answered: 27, percent: 100, requested_at: '2025-05-12T04:00:00Z' } })]
    }
    return [200, { ...b, actions: actions(b) }]
  }
  if (rest === '/operations') return [200, [{ action: 'create', label: '集中参保办理', from_status: null, to_status: '名单待导入', reason: null, detail: null, actor_id: '301', actor_tier: 'enterprise', actor_name: UNIT, at: '2025-05-12T01:00:00Z' }]]
  if (rest === '/unit-confirmation') return [200, set({ unit_confirmed_at: '2025-05-12T02:10:00Z', step: 3 })]
  if (rest === '/payment-mode') {
    const body = json(init)
    if (body.mode === '委托代扣' && !(Number(body.amount_fen) > 0 && Number(body.amount_fen) <= 45000)) return problem(422, 'payment.amount_invalid', '委托代扣金额须大于0且小于等于450元/人')
    return [200, set({ payment_mode: String(body.mode), withholding_amount_fen: (body.amount_fen as number) ?? null, entrustment_attachment_id: (body.entrustment_attachment_id as number) ?? null, step: 4 })]
  }
  if (rest === '/people' && m === 'GET') {
    let found = b.status === '代扣完成' ? withholdingPeople : ['名单校验完成', '职保会待审核'].includes(b.status) ? checkedPeople : b.counts.persons ? checkedPeople.slice(3, 4) : []
    if (u.searchParams.get('anomaly') === 'true') found = found.filter((x) => x.anomaly)
    const w = u.searchParams.get('withholdable')
    if (w) found = found.filter((x) => x.withholdable === w)
    const r = u.searchParams.get('withholding_result')
    if (r) found = found.filter((x) => x.withholding_result === r)
    return [200, page(found)]
  }
  if (rest === '/people' && m === 'POST') {
    const body = json(init)
    set({ status: '名单待校验', counts: counts({ persons: b.counts.persons + 1, unchecked: b.counts.unchecked + 1 }) })
    return [201, person(21, String(body.name), { source: '新增', check_result: '待校验', withholdable: '-' })]
  }
  const one_person = /^\/people\/(\d+)(\/ss-name|\/no-ss-class)?$/.exec(rest)
  if (one_person) {
    const id = Number(one_person[1])
    const found = [...checkedPeople, ...withholdingPeople].find((x) => x.id === id) ?? person(id, '某人')
    if (m === 'DELETE') {
      if (id === 31) return problem(409, 'ratio.would_break', '删除后社保编码00108537的参保比例将低于75%（74.00%），不能删除', { unit_code: '00108537', percent: '74.00%' })
      set({ counts: counts({ ...b.counts, persons: b.counts.persons - 1 }) })
      return [200, { count: 1 }]
    }
    if (one_person[2] === '/ss-name') return [200, { ...found, name: found.ss_name, check_result: '已确认社保姓名', anomaly: false }]
    if (one_person[2] === '/no-ss-class') {
      const body = json(init)
      if (body.no_ss_class === '其他' && !body.attachment_id) return problem(422, 'roster.attachment_required', '选择“其他”时请上传附件')
      return [200, { ...found, no_ss_class: body.no_ss_class, no_ss_remark: body.remark ?? '' }]
    }
    return [200, { ...found, ...json(init) }]
  }
  if (rest === '/people/delete') return [200, { count: json(init).all ? b.counts.persons : (json(init).person_ids as unknown[]).length }]
  if (rest === '/imports') {
    set({ status: '名单待校验', counts: counts({ persons: 5, unchecked: 5 }) })
    return [202, importJob('校验中')]
  }
  if (rest === '/validation') {
    validationPolls = 0
    return [202, set({ status: '名单校验中', step: 5, validation: { requested: 27, answered: 9, percent: 33, requested_at: '2025-05-12T04:00:00Z' } })]
  }
  if (rest === '/ratios') return [200, ratios]
  if (rest === '/attachments' && m === 'POST') {
    const kind = u.searchParams.get('kind') ?? ''
    return [201, attachment(kind === '委托代扣申请书' ? 5 : 9, kind, u.searchParams.get('file_name') ?? '', { unit_code: u.searchParams.get('unit_code'), person_id: Number(u.searchParams.get('person_id')) || null })]
  }
  if (rest === '/attachments') return [200, [attachment(5, '委托代扣申请书', '委托代扣款_20250411121515.png')]]
  if (rest === '/review-submission') return [200, set({ status: '职保会待审核', step: 8 })]
  if (rest === '/approve') return [200, set({ status: '职保会审核通过', step: b.payment_mode === '委托代扣' ? 9 : 10 })]
  if (rest === '/reject') {
    const body = json(init)
    return [200, set({ status: '职保会审核不通过', step: 7, review_reason: String(body.reason), review_lines: body.lines as never })]
  }
  if (rest === '/withholding-request') {
    if (!json(init).accepted) return problem(422, 'withholding.not_accepted', '请阅读并同意代扣名单确认')
    // requested Tuesday June 3 10:00 (the test's clock) → the 代扣受理单 from Wednesday June 4 00:00
    return [200, set({ status: '代扣处理中', withholding: { ...withheld, requested: 15, succeeded: 0, failed: 0, pending: 15, requested_at: '2025-06-03T02:00:00Z', notified_at: null }, withholding_slip_from: '2025-06-03T16:00:00Z' })]
  }
  if (rest === '/withholding-slip') {
    if (!b.withholding_slip_from) return problem(409, 'retiree.no_withholding_request', '该批次未提交代扣申请，没有代扣受理单')
    if (Date.parse(b.withholding_slip_from) > Date.now()) return problem(409, 'retiree.slip_not_ready', '代扣受理单将于 2025-06-04 起可下载')
    return [200, '%PDF-1.7 代扣受理单']
  }
  if (rest === '/confirmation') return [200, set({ status: '缴费凭证待上传', step: 10, payable_no: no })]
  return null
}
