// @vitest-environment happy-dom
/**
 * 互助保障年度设置 (the city) and the insurer's 建议清册 / 社保在职人数 against a fake gateway: the year's windows,
 * items with full- and half-year prices and waiting periods shown read-only; the rules form sends the
 * rules in fen and shows the service's refusal; an upload shows the summary, or — a file with wrong rows —
 * the per-row report (Excel row, column, why); the lists filter and page on the server and export with
 * the same filters.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createApp, h, nextTick, type Component } from 'vue'
import ElementPlus, { ElMessage } from 'element-plus'
import { i18n } from '@/i18n'
import HeadcountsPage from './HeadcountsPage.vue'
import SuggestedRosterPage from './SuggestedRosterPage.vue'
import YearSettingsPage from './YearSettingsPage.vue'
import { XLSX_TYPE, yearsRoute, yearsSeen } from './mutual-aid-years.fake'

vi.stubGlobal('fetch', vi.fn(async (url: string, init?: RequestInit) => {
  const answer = yearsRoute(new URL(url, 'http://x'), init?.method ?? 'GET', init)
  if (answer === 'xlsx') return new Response(new Blob(['PK']), { status: 200, headers: { 'content-type': XLSX_TYPE } })
  const [status, body] = answer ?? [404, { code: 'not_found', title: '记录不存在', status: 404 }]
  const type = status < 300 ? 'application/json' : 'application/problem+json'
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': type } })
}))
vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-03-10T02:00:00Z') }) // the default year: newest ≤ 2026
if (!URL.createObjectURL) URL.createObjectURL = () => 'blob:x'
if (!URL.revokeObjectURL) URL.revokeObjectURL = () => undefined

const flush = async () => {
  for (let i = 0; i < 30; i++) {
    await new Promise((r) => setTimeout(r, 5))
    await nextTick()
  }
}
const click = (el: Element | null | undefined) => (el as HTMLElement).click()
const text = (sel: string) => document.querySelector(sel)?.textContent ?? ''
const calls = (prefix: string) => yearsSeen.calls.filter((c) => c.startsWith(prefix))
/** el-input puts `data-test` on the input itself, el-input-number on its wrapper */
function type(sel: string, value: string) {
  const found = document.querySelector(sel)
  const input = (found?.tagName === 'INPUT' ? found : found?.querySelector('input')) as HTMLInputElement
  input.value = value
  input.dispatchEvent(new Event('input'))
  input.dispatchEvent(new Event('change'))
}
function attach(sel: string, name: string) {
  const input = document.querySelector(`${sel} input[type="file"]`) as HTMLInputElement
  Object.defineProperty(input, 'files', { value: [new File(['PK'], name, { type: XLSX_TYPE })], configurable: true })
  input.dispatchEvent(new Event('change'))
}

function mount(page: Component) {
  const errors: unknown[] = []
  const el = document.createElement('div')
  document.body.appendChild(el)
  const app = createApp({ render: () => h(page) })
  app.config.errorHandler = (e) => { errors.push(e) }
  app.config.warnHandler = (m) => { errors.push(m) }
  app.use(ElementPlus).use(i18n).mount(el)
  return { errors, unmount: () => { app.unmount(); el.remove() } }
}

afterAll(async () => {
  ElMessage.closeAll()
  await new Promise((r) => setTimeout(r, 300))
})

describe('互助保障年度设置', () => {
  let page: ReturnType<typeof mount>
  beforeAll(async () => {
    page = mount(YearSettingsPage)
    await flush()
  }, 60_000) // the first mount loads Element Plus
  afterAll(() => page.unmount())

  it('shows the year: windows, items with full- and half-year prices and waiting periods', () => {
    expect(yearsSeen.calls).toContain('GET /api/mutual-aid/years/2024')
    expect(text('[data-test="ma-year-facts"]')).toContain('2024-07-01 至 2025-06-30')
    const windows = text('[data-test="ma-year-windows"]')
    for (const t of ['集中参保', '2024-06-01 00:00', '2024-07-01 00:00', '即时参保', '办理中']) expect(windows).toContain(t)
    const rows = [...document.querySelectorAll('[data-test="ma-year-items"] .el-table__body tr')].map((r) => r.textContent ?? '')
    expect(rows[0]).toMatch(/A0.*在职住院基本保障.*120.*60.*30天.*仅限参加职工医保/)
    expect(rows[1]).toMatch(/B0.*55.*27\.50.*60天/)
    expect(rows[2]).toMatch(/C0.*15.*7\.50.*无/)
    expect(rows[3]).toContain('30天（意外除外）')
    expect(document.querySelector('[data-test="ma-year-items"] input')).toBeNull() // read-only
    expect(page.errors).toEqual([])
  })

  it('saves the rules in fen with the bundle and the bounds', async () => {
    expect(text('[data-test="ma-rules-form"]')).toContain('A0+B0+C0：原价 190 元')
    expect(text('[data-test="ma-rules-form"]')).toContain('优惠后 180 元')
    type('[data-test="ma-rules-change"]', '12')
    type('[data-test="ma-rules-small"]', '8')
    await flush()
    click(document.querySelector('[data-test="ma-rules-save"]'))
    await flush()
    expect(yearsSeen.sent['PUT /api/mutual-aid/years/2024/rules']).toEqual({
      bundle_codes: ['A0', 'B0', 'C0'], bundle_discount_fen: 1000, change_pct: 12, ratio_min_pct: 75, ratio_max_pct: 100,
      small_unit_max: 8, template_max_rows: 5000,
    })
    expect(document.querySelector('.el-message')?.textContent).toContain('2024年度校验规则已保存')
    expect(document.querySelector('[data-test="ma-rules-error"]')).toBeNull()
  })

  it('shows the service’s refusal of the rules', async () => {
    type('[data-test="ma-rules-ratio-min"]', '101')
    await flush()
    click(document.querySelector('[data-test="ma-rules-save"]'))
    await flush()
    expect(text('[data-test="ma-rules-error"]')).toContain('参保比例下限不能高于上限')
    expect(page.errors).toEqual([])
  })
})

describe('建议清册', () => {
  let page: ReturnType<typeof mount>
  beforeAll(async () => {
    yearsSeen.calls.length = 0
    page = mount(SuggestedRosterPage)
    await flush()
  }, 60_000) // the first mount loads Element Plus
  afterAll(() => page.unmount())

  it('lists the year’s roster with the ID numbers masked', () => {
    expect(calls('GET /api/mutual-aid/years/2024/suggested?')).toEqual(['GET /api/mutual-aid/years/2024/suggested?page=1&size=20'])
    const table = text('[data-test="ma-suggested-table"]')
    for (const t of ['王梅', '310***********6028', '00108537', '在职', '李强', '退休', '赵六']) expect(table).toContain(t)
    expect(page.errors).toEqual([])
  })

  it('filters on the server and exports with the same filters', async () => {
    type('[data-test="ma-suggested-filter-unit"]', '001')
    type('[data-test="ma-suggested-filter-id"]', '310101199001010012')
    await flush()
    click(document.querySelector('[data-test="ma-suggested-search"]'))
    await flush()
    expect(calls('GET /api/mutual-aid/years/2024/suggested?').pop()).toBe(
      'GET /api/mutual-aid/years/2024/suggested?unit_code=001&id_number=310101199001010012&page=1&size=20',
    )
    click(document.querySelector('[data-test="ma-suggested-page"] [data-test="export"]'))
    await flush()
    expect(calls('GET /api/mutual-aid/years/2024/suggested/export')).toEqual([
      'GET /api/mutual-aid/years/2024/suggested/export?unit_code=001&id_number=310101199001010012',
    ])
    click(document.querySelector('[data-test="ma-load-template"]'))
    await flush()
    expect(yearsSeen.calls).toContain('GET /api/mutual-aid/suggested-template')
  })

  it('a good file: the summary, the list again', async () => {
    const before = calls('GET /api/mutual-aid/years/2024/suggested?').length
    attach('[data-test="ma-load-file"]', '2024建议清册.xlsx')
    await flush()
    expect(yearsSeen.calls).toContain('POST /api/mutual-aid/years/2024/suggested/upload?file_name=2024%E5%BB%BA%E8%AE%AE%E6%B8%85%E5%86%8C.xlsx')
    expect(yearsSeen.files).toContain('2024建议清册.xlsx')
    expect(text('[data-test="ma-load-summary"]')).toContain('数据读取：3条，成功导入：3条（新增加2条，更新1条）')
    expect(calls('GET /api/mutual-aid/years/2024/suggested?').length).toBe(before + 1)
  })

  it('a file with wrong rows: nothing loaded, every wrong row in the report', async () => {
    attach('[data-test="ma-load-file"]', '建议清册有误.xlsx')
    await flush()
    expect(text('[data-test="ma-load-error"]')).toContain('文件中有2行数据有误，未导入任何数据，请修改后重新上传')
    expect(document.querySelector('[data-test="ma-load-summary"]')).toBeNull()
    expect(text('[data-test="ma-load-report-count"]')).toContain('共 2 行数据有误（3 处）')
    const rows = [...document.querySelectorAll('[data-test="ma-load-report-table"] .el-table__body tr')].map((r) => r.textContent ?? '')
    expect(rows).toEqual(['3姓名姓名不能为空', '3职退状态职退状态应填“在职”、“退休”或“-”（未知）', '7证件号码证件号码与第8行重复'])
    // not an xlsx: the service's title, no report
    click([...document.querySelectorAll('.el-dialog button')].find((b) => b.textContent?.includes('关闭')))
    await flush()
    attach('[data-test="ma-load-file"]', '建议清册.pdf')
    await flush()
    expect(text('[data-test="ma-load-error"]')).toContain('仅支持 Excel 文件（.xlsx）')
    expect(document.querySelector('[data-test="ma-load-report-open"]')).toBeNull()
    expect(page.errors).toEqual([])
  })
})

describe('社保在职人数', () => {
  let page: ReturnType<typeof mount>
  beforeAll(async () => {
    yearsSeen.calls.length = 0
    page = mount(HeadcountsPage)
    await flush()
  }, 60_000) // the first mount loads Element Plus
  afterAll(() => page.unmount())

  it('lists, filters, uploads and exports the units’ headcounts', async () => {
    const table = text('[data-test="ma-headcounts-table"]')
    for (const t of ['00108537', '上海卓远人力资源发展有限公司', '50', '00200001', '8']) expect(table).toContain(t)
    type('[data-test="ma-headcounts-filter-unit"]', '0020')
    await flush()
    click(document.querySelector('[data-test="ma-headcounts-search"]'))
    await flush()
    expect(calls('GET /api/mutual-aid/years/2024/headcounts?').pop()).toBe('GET /api/mutual-aid/years/2024/headcounts?unit_code=0020&page=1&size=20')
    expect(text('[data-test="ma-headcounts-table"]')).not.toContain('上海卓远人力资源发展有限公司')
    attach('[data-test="ma-load-file"]', '社保在职人数有误.xlsx')
    await flush()
    expect(yearsSeen.calls.some((c) => c.startsWith('POST /api/mutual-aid/years/2024/headcounts/upload?file_name='))).toBe(true)
    expect(text('[data-test="ma-load-report-count"]')).toContain('共 2 行数据有误')
    click([...document.querySelectorAll('.el-dialog button')].find((b) => b.textContent?.includes('关闭')))
    await flush()
    click(document.querySelector('[data-test="ma-headcounts-page"] [data-test="export"]'))
    await flush()
    expect(calls('GET /api/mutual-aid/years/2024/headcounts/export')).toEqual(['GET /api/mutual-aid/years/2024/headcounts/export?unit_code=0020'])
    expect(page.errors).toEqual([])
  })
})
