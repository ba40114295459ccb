/**
 * The fake gateway's 互助保障 年度设置 routes for YearPages.test.ts (test-only; no page imports it): the
 * programme's years, the 2024 year with the manual's items (A0 120 / 60 元 …, 免责期 30 / 60 / 0 days) and
 * rules (A0+B0+C0 −10 元, ±10 %, 75–100 %, ≤ 10 人), the insurer's 建议清册 and 社保在职人数 with masked ID
 * numbers, and the service's refusals the screens must show (rules.ratio_order, load.rows_invalid).
 */
type Answer = [number, unknown]

const problem = (status: number, code: string, title: string, more: object = {}): Answer => [
  status, { type: `urn:problem:${code}`, code, title, status, ...more },
]

/** what the screens asked for: `METHOD /path?query`, and the JSON bodies and file names sent */
export const yearsSeen = { calls: [] as string[], sent: {} as Record<string, unknown>, files: [] as string[] }

const ITEMS: [string, string, number][] = [
  ['A0', '在职住院基本保障', 12000], ['B0', '特种重病基本保障', 5500], ['C0', '意外伤害基本保障', 1500],
  ['A1', '在职住院加强保障一', 13500], ['B1', '特种重病加强保障一', 10000], ['C1', '意外伤害加强保障一', 4000],
]
export const year2024 = {
  programme: 'mutual-aid', programme_name: '上海职工互助保障项目2020', year: 2024, insurance_start: '2024-07-01', insurance_end: '2025-06-30',
  windows: [
    { kind: 'collective', label: '集中参保', opens_at: '2024-05-31T16:00:00Z', closes_at: '2024-06-30T16:00:00Z', open_now: false },
    { kind: 'instant', label: '即时参保', opens_at: '2024-06-30T16:00:00Z', closes_at: '2025-06-30T16:00:00Z', open_now: true },
  ],
  open_now: ['即时参保'],
  items: ITEMS.map(([code, name, full]) => ({
    code, name, full_fen: full, half_fen: full / 2, waiting_days: code.startsWith('C') ? 0 : code.startsWith('B') ? 60 : 30,
    accident_exempt: code.startsWith('A') && code !== 'A0', social_security_only: code === 'A0',
  })),
  rules: { bundle_codes: ['A0', 'B0', 'C0'], bundle_discount_fen: 1000, change_pct: 10, ratio_min_pct: 75, ratio_max_pct: 100, small_unit_max: 10, template_max_rows: 5000 },
  voucher_days: 15, retirement_age_male: 60, retirement_age_female: 55,
  payee_name: '上海市职工保障互助会', payee_account: '31602300008022150', payee_bank: '上海银行人民广场支行',
}

const suggested = [
  { name: '王梅', id_number: '310***********6028', unit_code: '00108537', employment: '在职', updated_at: '2024-05-20T01:00:00Z' },
  { name: '李强', id_number: '310***********0031', unit_code: '00108537', employment: '退休', updated_at: '2024-05-20T01:00:00Z' },
  { name: '赵六', id_number: '310***********0057', unit_code: '00200001', employment: '-', updated_at: '2024-05-20T01:00:00Z' },
]
const headcounts = [
  { unit_code: '00108537', unit_name: '上海卓远人力资源发展有限公司', headcount: 50, updated_at: '2024-05-20T01:00:00Z' },
  { unit_code: '00200001', unit_name: '上海某某贸易有限公司', headcount: 8, updated_at: '2024-05-20T01:00:00Z' },
]
/** a refused 建议清册 file: two wrong rows, three problems (the service's own words) */
export const wrongRows = [
  { row_no: 3, column: '姓名', code: 'suggested.name_required', reason: '姓名不能为空' },
  { row_no: 3, column: '职退状态', code: 'suggested.employment_invalid', reason: '职退状态应填“在职”、“退休”或“-”（未知）' },
  { row_no: 7, column: '证件号码', code: 'suggested.id_number_repeated', reason: '证件号码与第8行重复' },
]
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

function paged(items: object[], u: URL) {
  const page = Number(u.searchParams.get('page') ?? 1)
  const size = Number(u.searchParams.get('size') ?? 20)
  return { items: items.slice((page - 1) * size, page * size), total: items.length, page, size }
}

/** The answer, `xlsx` for a file, or null: not one of these routes. */
export function yearsRoute(u: URL, m: string, init?: RequestInit): Answer | 'xlsx' | null {
  const p = u.pathname
  yearsSeen.calls.push(`${m} ${p}${u.search}`)
  if (init?.body && typeof init.body === 'string') yearsSeen.sent[`${m} ${p}`] = JSON.parse(init.body)
  if (init?.body instanceof File) yearsSeen.files.push(init.body.name)
  if (p === '/api/enrollment/programmes') {
    return [200, [
      { code: 'member-basic', name: '工会会员专享基本保障', description: '', years: [2024] },
      { code: 'mutual-aid', name: '上海职工互助保障项目2020', description: '', years: [2023, 2024] },
    ]]
  }
  if (p === '/api/mutual-aid/years/2024' && m === 'GET') return [200, year2024]
  if (p === '/api/mutual-aid/years/2024/rules' && m === 'PUT') {
    const body = JSON.parse(String(init?.body)) as typeof year2024.rules
    if (body.ratio_min_pct > body.ratio_max_pct) return problem(422, 'rules.ratio_order', '参保比例下限不能高于上限')
    return [200, body]
  }
  if (p === '/api/mutual-aid/years/2024/suggested' && m === 'GET') {
    const unit = u.searchParams.get('unit_code') ?? ''
    const name = u.searchParams.get('name') ?? ''
    return [200, paged(suggested.filter((s) => s.unit_code.startsWith(unit) && s.name.includes(name)), u)]
  }
  if (p === '/api/mutual-aid/years/2024/headcounts' && m === 'GET') {
    const unit = u.searchParams.get('unit_code') ?? ''
    return [200, paged(headcounts.filter((h) => h.unit_code.startsWith(unit)), u)]
  }
  if (p.endsWith('/suggested/upload') || p.endsWith('/headcounts/upload')) {
    const name = u.searchParams.get('file_name') ?? ''
    if (name.includes('有误')) {
      return problem(422, 'load.rows_invalid', '文件中有2行数据有误，未导入任何数据，请修改后重新上传', { rows: wrongRows, bad_rows: 2 })
    }
    if (name.endsWith('.pdf')) return problem(415, 'import.not_xlsx', '仅支持 Excel 文件（.xlsx），请使用下载的建议清册导入模板')
    return [200, { rows: 3, added: 2, updated: 1, summary: '数据读取：3条，成功导入：3条（新增加2条，更新1条）' }]
  }
  if (p.endsWith('-template') || p.endsWith('/export')) return 'xlsx'
  return null
}

export const XLSX_TYPE = XLSX
