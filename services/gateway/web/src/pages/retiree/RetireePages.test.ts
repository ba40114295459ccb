// @vitest-environment happy-dom
/**
 * 退休住院计划 in the real app shell (router, guard, Pinia, Element Plus) against a fake gateway (retiree.fake.ts):
 * a unit opens a collective batch and walks the manual's step bar — 单位信息维护 (the phone asked again), 委托代扣
 * (amount and the sealed application, final once chosen), 导入参保名单 with its progress and refused rows, 新增参保
 * 人员, 提交系统校验 with its progress, 校验结果查看 with the manual's summary line, 异常核对 (确认社保姓名, 退休年月,
 * 删除), 参保比例 with its evidence and the people without social security classed, 提交职保会审核; the withholding
 * request (我已阅读并同意), the per-person outcomes with 代扣结果 filtered, a deletion refused by the 75 % ratio, and
 * 参保名单确定 (the unit owes 3,150 元); the 委托代扣款申请表 样稿 from the payment dialog and the 代扣受理单 in the batch
 * lists once one working day has passed since the request (said on the step until then). The insurer reviews
 * (不通过 with reasons per 社保编码, 通过), loads units and 社保人数 (a file, its wrong rows reported) and reviews a name change; the city saves a year's
 * rules. Every refusal shows the service's title.
 */
import { afterAll, describe, expect, it, vi } from 'vitest'
import { createApp, nextTick } from 'vue'
import { createPinia } from 'pinia'
import ElementPlus, { ElMessage, ElMessageBox, ElNotification } from 'element-plus'
import App from '@/App.vue'
import { i18n } from '@/i18n'
import { router } from '@/router'
import { useSessionStore } from '@/stores/session'
import { fake, me, reset, route, seen, unitsFake } from './retiree.fake'

vi.mock('vue-echarts', () => ({ default: { name: 'VChart', props: ['option'], render: () => null } }))
vi.stubGlobal('fetch', vi.fn(async (url: string, init?: RequestInit) => {
  const u = new URL(url, 'http://x')
  const m = init?.method ?? 'GET'
  let answer: [number, unknown]
  if (u.pathname === '/api/me') answer = [200, me()]
  else if (u.pathname === '/api/enrollment/programmes') answer = [200, [{ code: 'retiree-hospital', name: '退休住院计划', years: [2025] }]]
  else if (u.pathname.startsWith('/api/retiree/')) answer = route(u, m, init) ?? [404, { code: 'not_found', title: '记录不存在', status: 404 }]
  else answer = [404, { code: 'http.404', title: '页面或记录不存在', status: 404 }]
  const [status, body] = answer
  const type = status < 300 ? 'application/json' : 'application/problem+json'
  return new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { 'content-type': type } })
}))
if (!URL.createObjectURL) URL.createObjectURL = () => 'blob:x'
if (!URL.revokeObjectURL) URL.revokeObjectURL = () => undefined

const flush = async (rounds = 30) => {
  for (let i = 0; i < rounds; i++) {
    await new Promise((r) => setTimeout(r, 5))
    await nextTick()
  }
}
const q = (sel: string) => document.querySelector(sel) as HTMLElement
const click = (sel: string) => q(sel).click()
const text = (sel: string) => (document.querySelector(sel)?.textContent ?? '').trim()
const messages = () => [...document.querySelectorAll('.el-message')].map((m) => m.textContent).join(' ')
const button = (label: string, scope = '.el-message-box button') =>
  [...document.querySelectorAll(scope)].filter((b) => b.textContent?.includes(label)).pop() as HTMLElement
/** an el-input (its inner input) or a plain input, typed into */
function type(sel: string, value: string) {
  const el = q(sel)
  const input = (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' ? el : el.querySelector('input, textarea')) as HTMLInputElement
  input.value = value
  input.dispatchEvent(new Event('input'))
  input.dispatchEvent(new Event('change'))
}
/** an el-select option (rendered in the body), by its text */
const choose = (text: string) => {
  const found = [...document.querySelectorAll('.el-select-dropdown__item')].filter((o) => o.textContent?.trim() === text)
  ;(found[found.length - 1] as HTMLElement).click()
}
const attach = (sel: string, name: string, kind = 'image/png') => {
  const input = document.querySelector(`${sel} input[type="file"]`) as HTMLInputElement
  Object.defineProperty(input, 'files', { value: [new File(['x'], name, { type: kind })], configurable: true })
  input.dispatchEvent(new Event('change'))
}
const until = async (done: () => boolean, rounds = 40) => {
  for (let i = 0; i < rounds && !done(); i++) await flush(5)
}

describe('退休住院计划', () => {
  const errors: unknown[] = []
  const el = document.createElement('div')
  document.body.appendChild(el)
  const app = createApp(App)
  app.config.errorHandler = (e) => { errors.push(e) }
  app.config.warnHandler = (msg) => { errors.push(msg) }
  app.use(createPinia()).use(router).use(i18n).use(ElementPlus)
  app.mount(el)
  afterAll(async () => {
    ElMessage.closeAll()
    ElNotification.closeAll()
    ElMessageBox.close()
    app.unmount()
    await new Promise((r) => setTimeout(r, 1000))
  })
  const as = async (who: 'unit' | 'insurer' | 'city') => {
    fake.who = who
    reset()
    await useSessionStore().refresh()
  }
  const visit = async (path: string) => {
    await router.push(path)
    await router.isReady()
    await flush()
    return document.body.textContent ?? ''
  }

  it('unit: 参保办理 — the list as the manual has it; 集中参保办理 opens a batch on 单位信息维护', async () => {
    await as('unit')
    const page = await visit('/retiree-enrol')
    expect(q('[data-test="menu-retiree-enrol"]')).not.toBeNull()
    expect(q('[data-test="menu-retiree-review"]')).toBeNull()
    expect(text('[data-test="rt-collective-hint"]')).toBe(
      '保障年度为 2025年7月1日至次年6月30日。(集中参保通道6月30日17点关闭;委托扣款缴费参保通道, 5月31日17点关闭)',
    )
    for (const label of ['TXZY202504300003', '代扣完成，点击继续办理参保', '职保会待审核', '继续办理参保', '查看批次信息', '维护单位信息', '查看参保人员']) {
      expect(page).toContain(label)
    }

    click('[data-test="rt-create-collective"]')
    await flush()
    expect(text('[data-test="rt-create-year"]')).toContain('保障年度为2025年7月1日至2026年6月30日')
    type('[data-test="rt-create-unit"]', '不存在的单位')
    click('[data-test="rt-create-submit"]')
    await flush()
    expect(text('[data-test="rt-create-error"]')).toContain('参保编码与参保单位名称不一致')
    type('[data-test="rt-create-unit"]', '上海某某机械有限公司')
    click('[data-test="rt-create-submit"]')
    await flush()
    expect(seen.sent['POST /api/retiree/batches']).toEqual({ enrollment_type: '集中参保', code: '123000000', unit_name: '上海某某机械有限公司' })
    expect(router.currentRoute.value.query).toEqual({ batch: 'TXZY202505120009', view: 'unit' })
    const steps = [...document.querySelectorAll('[data-test="rt-steps"] .el-step__title')].map((s) => s.textContent)
    expect(steps).toEqual(['请选择参保类型', '单位信息维护', '参保名单梳理', '校验结果查看', '提交职保会审核', '代扣申请提交'])
    expect(text('[data-test="rt-unit-uscc"]')).toBe('91310000MA1FL0000X')
    expect(errors.map(String)).toEqual([])
  })

  it('unit: 参保办理 without a code of the plan — the hint sends it to 参保编码申请 (新参保编码申请)', async () => {
    await visit('/retiree-batches') // still the unit of the test before, its batches as they are
    await visit('/retiree-enrol')
    expect(q('[data-test="rt-no-code"]')).toBeNull() // it has its unit (123000000)
    await visit('/retiree-batches')
    unitsFake.none = true
    try {
      await visit('/retiree-enrol')
      expect(text('[data-test="rt-no-code"]')).toContain('暂无退休住院计划参保编码，请先申请参保编码')
      expect(q('[data-test="rt-apply-code"]').getAttribute('href')).toContain('/mutual-aid-code-applications?plan=retiree')
    } finally {
      unitsFake.none = false
    }
    expect(errors.map(String)).toEqual([])
  })

  it('unit: 单位信息维护 — 修改并保存 keeps the masked phone untouched, a refusal shows why; 信息确认无误 goes on', async () => {
    await visit('/retiree-enrol?batch=TXZY202505120001&view=unit')
    expect((q('[data-test="rt-unit-phone"]') as HTMLInputElement).value).toBe('139*****1111')
    type('[data-test="rt-unit-address"]', '上海市普陀区某某路2号')
    click('[data-test="rt-unit-save"]')
    await flush()
    // the phone not retyped: sent back as shown, the service keeps the number on file
    expect(seen.sent['PUT /api/retiree/units/123000000/info']).toMatchObject({ address: '上海市普陀区某某路2号', handler_phone: '139*****1111' })
    expect(messages()).toContain('单位信息已保存')
    expect((q('[data-test="rt-unit-phone"]') as HTMLInputElement).value).toBe('139*****1111')
    type('[data-test="rt-unit-phone"]', '')
    click('[data-test="rt-unit-save"]')
    await flush()
    expect(text('[data-test="rt-unit-error"]')).toContain('请填写经办人手机')
    type('[data-test="rt-unit-phone"]', '13900002222')
    type('[data-test="rt-unit-postcode"]', '2000')
    click('[data-test="rt-unit-save"]')
    await flush()
    expect(text('[data-test="rt-unit-error"]')).toContain('邮政编码应为6位数字')
    type('[data-test="rt-unit-postcode"]', '200070')
    click('[data-test="rt-unit-save"]')
    await flush()
    expect(seen.sent['PUT /api/retiree/units/123000000/info']).toMatchObject({ postcode: '200070', handler_phone: '13900002222', district: '轻工工会' })
    expect(messages()).toContain('单位信息已保存')

    click('[data-test="rt-unit-confirm"]')
    await flush()
    expect(seen.calls).toContain('POST /api/retiree/batches/TXZY202505120001/unit-confirmation')
    expect(router.currentRoute.value.query.view).toBe('roster')
  })

  it('unit: 修改单位名称 — the USCC looked up from the name, the evidence required, then 待审核', async () => {
    fake.usccMatched = false
    await visit('/retiree-enrol?batch=TXZY202505120001&view=unit')
    expect(text('[data-test="rt-uscc-unmatched"]')).toBe('该单位名称无法匹配到统一信用代码，修改单位名称。')
    click('[data-test="rt-name-change"]')
    await flush()
    type('[data-test="rt-nc-name"]', '上海某某机械股份有限公司')
    q('[data-test="rt-nc-name"]').dispatchEvent(new Event('blur'))
    await flush()
    expect(seen.calls).toContain('GET /api/retiree/uscc?unit_name=%E4%B8%8A%E6%B5%B7%E6%9F%90%E6%9F%90%E6%9C%BA%E6%A2%B0%E8%82%A1%E4%BB%BD%E6%9C%89%E9%99%90%E5%85%AC%E5%8F%B8')
    expect((q('[data-test="rt-nc-uscc"]') as HTMLInputElement).value).toBe('91310000MA1FL0001X')
    type('[data-test="rt-nc-phone"]', '13900001111')
    click('[data-test="rt-nc-submit"]')
    await flush()
    expect(text('[data-test="rt-nc-error"]')).toContain('《红头文件》或《工商变更登记表》')
    attach('[data-test="rt-nc-file"]', '工商变更登记表.png')
    await flush()
    click('[data-test="rt-nc-submit"]')
    await flush()
    expect(seen.sent['POST /api/retiree/units/123000000/name-changes']).toMatchObject({
      new_unit_name: '上海某某机械股份有限公司', uscc: '91310000MA1FL0001X', handler_phone: '13900001111', attachment_ids: [3],
    })
    expect(text('[data-test="rt-name-change-pending"]')).toContain('审核时间为提交申请后1个工作日')
    fake.usccMatched = true
    expect(errors.map(String)).toEqual([])
  })

  it('unit: 参保名单梳理 — 委托代扣 final once chosen, 导入参保名单 with progress and refused rows, 新增参保人员, 提交系统校验', async () => {
    await visit('/retiree-enrol?batch=TXZY202505120001&view=roster')
    expect(text('[data-test="rt-withholding-hint"]')).toBe('委托代扣款缴费参保通道，5月31日17点关闭；委托代扣申请，需在6月4日16点完成提交。')
    click('[data-test="rt-choose-委托代扣"]')
    await flush()
    click('[data-test="rt-payment-save"]')
    await flush()
    expect(text('[data-test="rt-payment-error"]')).toContain('委托代扣金额须大于0且小于等于450元/人')
    type('[data-test="rt-payment-amount"]', '300')
    click('[data-test="rt-payment-save"]')
    await flush()
    expect(text('[data-test="rt-payment-error"]')).toContain('请上传已盖章的单位委托代扣款申请书')
    attach('[data-test="rt-entrustment-file"]', '委托代扣申请书.png')
    await flush()
    expect(seen.calls).toContain('POST /api/retiree/batches/TXZY202505120001/attachments?kind=%E5%A7%94%E6%89%98%E4%BB%A3%E6%89%A3%E7%94%B3%E8%AF%B7%E4%B9%A6&file_name=%E5%A7%94%E6%89%98%E4%BB%A3%E6%89%A3%E7%94%B3%E8%AF%B7%E4%B9%A6.png')
    click('[data-test="rt-payment-save"]')
    await flush()
    expect(text('.el-message-box')).toContain('参保缴费方式一旦选择，不能修改，请慎重选择')
    button('确定').click()
    await flush()
    expect(seen.sent['PUT /api/retiree/batches/TXZY202505120001/payment-mode']).toEqual({ mode: '委托代扣', amount_fen: 30000, entrustment_attachment_id: 5 })
    expect(text('[data-test="rt-payment-mode"]')).toContain('方式1：委托代扣款缴费参保（代扣金额 300 元/人）')

    click('[data-test="rt-import"]')
    await flush()
    attach('[data-test="rt-import-file"]', '参保名单.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    await until(() => text('[data-test="rt-import-summary"]') !== '')
    expect(text('[data-test="rt-import-summary"]')).toBe('数据读取：6人，成功导入：5人，导入失败：1条信息')
    expect(text('[data-test="rt-import-rejections"]')).toContain('证件号码校验位不正确')
    expect(text('[data-test="rt-import-rejections"]')).toContain('张贺')
    click('[data-test="rt-import-close"]')
    await flush()

    click('[data-test="rt-add"]')
    await flush()
    type('[data-test="rt-person-name"]', '孙三')
    click('[data-test="rt-person-save"]')
    await flush()
    expect(text('[data-test="rt-person-error"]')).toContain('请填写姓名、手机号、证件类型和证件号码')
    type('[data-test="rt-person-phone"]', '13900000024')
    click('[data-test="rt-person-id-type"] .el-select__wrapper')
    await flush()
    choose('非身份证')
    await flush()
    type('[data-test="rt-person-id-number"]', 'E12345678')
    click('[data-test="rt-person-save"]')
    await flush()
    expect(text('[data-test="rt-person-error"]')).toContain('出生日期和性别为必填')
    click('[data-test="rt-person-gender"] .el-select__wrapper')
    await flush()
    choose('女')
    type('[data-test="rt-person-birth"]', '1958-03-02')
    await flush()
    click('[data-test="rt-person-save"]')
    await flush()
    expect(seen.sent['POST /api/retiree/batches/TXZY202505120001/people']).toEqual({
      name: '孙三', id_type: '非身份证', id_number: 'E12345678', phone: '13900000024', birth_date: '1958-03-02', gender: '女',
    })
    expect(messages()).toContain('已新增参保人员“孙三”')

    seen.holdValidation = true
    click('[data-test="rt-validate"]')
    await flush()
    expect(seen.calls).toContain('POST /api/retiree/batches/TXZY202505120001/validation')
    expect(text('[data-test="rt-validation-progress"]')).toContain('校验中：已校验 9 / 27 人')
    expect(text('[data-test="rt-batch-status"]')).toBe('名单校验中')
    seen.holdValidation = false
    await until(() => text('[data-test="rt-batch-status"]') === '名单校验完成', 200)
    expect(text('[data-test="rt-batch-status"]')).toBe('名单校验完成')
    expect(router.currentRoute.value.query.view).toBe('results')
    expect(errors.map(String)).toEqual([])
  }, 90000)

  it('unit: 校验结果查看 — the summary line, 异常核对 (确认, 退休年月, 删除), the filters', async () => {
    await visit('/retiree-enrol?batch=TXZY202505120001&view=results')
    expect(text('[data-test="rt-check-summary"]')).toBe('数据校验结果：可代扣 21人，不可代扣 4人，社保姓名与导入姓名不一致 2人')
    expect(text('[data-test="rt-anomaly-count"]')).toBe('异常数据 3 人')
    const table = text('[data-test="rt-people-table"]')
    for (const label of ['王梅晓', '异常核对', '参保姓名和社保姓名不一致', '退休年月为空或值无效', '死亡', '不可代扣']) expect(table).toContain(label)
    expect((q('[data-test="rt-go-review"]') as HTMLButtonElement).disabled).toBe(true)

    click('tr [data-test="rt-take-ss-name"]')
    await flush()
    expect(text('.el-message-box')).toContain('以社保姓名“王梅晓”覆盖导入姓名“王梅”？')
    button('确定').click()
    await flush()
    expect(seen.calls).toContain('PUT /api/retiree/batches/TXZY202505120001/people/11/ss-name')

    click('tr [data-test="rt-person-edit"]')
    await flush()
    expect(text('[data-test="rt-person-dialog"] .el-dialog__title')).toBe('补充退休年月')
    click('[data-test="rt-person-save"]')
    await flush()
    expect(text('[data-test="rt-person-error"]')).toContain('请选择退休年月')
    type('[data-test="rt-person-retirement"]', '2018-03')
    await flush()
    click('[data-test="rt-person-save"]')
    await flush()
    expect(seen.sent['PATCH /api/retiree/batches/TXZY202505120001/people/12']).toEqual({ retirement_month: '2018-03' })

    const deletes = [...document.querySelectorAll('tr [data-test="rt-person-delete"]')] as HTMLElement[]
    deletes[2]?.click() // 赵五: 死亡
    await flush()
    button('确定').click()
    await flush()
    expect(seen.calls).toContain('DELETE /api/retiree/batches/TXZY202505120001/people/13')

    click('[data-test="rt-show-anomalies"]')
    await flush()
    expect(seen.calls.some((c) => c.startsWith('GET /api/retiree/batches/TXZY202505120001/people?') && c.includes('anomaly=true'))).toBe(true)
    click('[data-test="rt-filter-withholdable"] .el-select__wrapper')
    await flush()
    choose('可代扣')
    click('[data-test="rt-people-search"]')
    await flush()
    expect(seen.calls.some((c) => c.includes('withholdable=%E5%8F%AF%E4%BB%A3%E6%89%A3'))).toBe(true)
    expect(errors.map(String)).toEqual([])
  })

  it('unit: 提交职保会审核 — 参保比例 below 75 % asks for evidence, people without social security are classed', async () => {
    await visit('/retiree-enrol?batch=TXZY202505120001&view=review')
    const ratios = text('[data-test="rt-ratios"]')
    for (const label of ['00108537', '13777', '0.08%', '未上传', '00200001', '90.00%', '无需上传']) expect(ratios).toContain(label)
    expect(text('[data-test="rt-review-missing"]')).toContain('社保编号 00108537 需上传相关材料')
    expect(text('[data-test="rt-review-state"]')).toContain('委托代扣款_20250411121515.png')
    attach('tr [data-test="rt-evidence-upload"]', '社会保险业务核定表.png')
    await flush()
    expect(seen.calls.some((c) => c.includes('kind=%E5%8F%82%E4%BF%9D%E6%AF%94%E4%BE%8B%E4%BD%90%E8%AF%81%E6%9D%90%E6%96%99&unit_code=00108537'))).toBe(true)

    expect(text('[data-test="rt-without-ss"]')).toContain('孙七')
    click('tr [data-test="rt-no-ss-class"] .el-select__wrapper')
    await flush()
    choose('其他(如：社保封存等)')
    type('tr [data-test="rt-no-ss-remark"]', '社保封存')
    click('tr [data-test="rt-no-ss-save"]')
    await flush()
    expect(messages()).toContain('选择“其他”时请上传附件')
    attach('tr [data-test="rt-no-ss-upload"]', '封存证明.png')
    await flush()
    expect(seen.calls.some((c) => c.includes('person_id=15'))).toBe(true)
    click('tr [data-test="rt-no-ss-save"]')
    await flush()
    expect(seen.sent['PUT /api/retiree/batches/TXZY202505120001/people/15/no-ss-class']).toEqual({ no_ss_class: '其他', remark: '社保封存', attachment_id: 9 })

    click('[data-test="rt-submit-review"]')
    await flush()
    expect(seen.calls).toContain('POST /api/retiree/batches/TXZY202505120001/review-submission')
    expect(text('[data-test="rt-batch-status"]')).toBe('职保会待审核')
    expect(text('[data-test="rt-review-state"]')).toContain('待审核')
    expect((q('[data-test="rt-submit-review"]') as HTMLButtonElement).disabled).toBe(true)
    expect(errors.map(String)).toEqual([])
  })

  it('unit: 代扣申请提交 — 我已阅读并同意, then the outcomes: failed people kept or deleted while the ratio holds, 参保名单确定', async () => {
    await visit('/retiree-enrol?batch=TXZY202504290008')
    expect(router.currentRoute.value.query).toEqual({ batch: 'TXZY202504290008' })
    click('[data-test="rt-request-withholding"]')
    await flush()
    expect(text('[data-test="rt-withholding-confirm-text"]')).toBe('本单位可代扣人员15人，提交后，代扣名单将不可修改，请确认代扣名单。')
    click('[data-test="rt-withholding-send"]')
    await flush()
    expect(text('[data-test="rt-withholding-error"]')).toContain('请勾选【我已阅读并同意】')
    click('[data-test="rt-withholding-accept"] input')
    await flush()
    click('[data-test="rt-withholding-send"]')
    await flush()
    expect(seen.sent['POST /api/retiree/batches/TXZY202504290008/withholding-request']).toEqual({ accepted: true })
    expect(text('[data-test="rt-withholding-progress"]')).toContain('银行代扣处理中：已返回 0 / 15 人')
    expect(document.querySelector('[data-test="rt-withholding-notified"]')).toBeNull() // nothing sent while the bank works

    await visit('/retiree-enrol?batch=TXZY202504300003')
    expect(text('[data-test="rt-withholding-summary"]')).toBe('【查看代扣结果】申请代扣13人，代扣成功9人(代扣金额300元/人)，代扣失败4人。')
    expect(text('[data-test="rt-withholding-notified"]')).toBe('代扣结果已于 2025-06-10 15:30 通过短信和邮件通知经办人')
    expect(text('[data-test="rt-money"]')).toBe('申请参保总人数：13人 (代扣成功9人，需单位缴费参保4人，需单位缴纳参保费用3150元)')
    expect(text('[data-test="rt-people-table"]')).toContain('代扣失败（余额不足）')
    click('[data-test="rt-filter-withholding"] .el-select__wrapper')
    await flush()
    choose('代扣失败')
    click('[data-test="rt-people-search"]')
    await flush()
    expect(seen.calls.some((c) => c.includes('withholding_result=%E4%BB%A3%E6%89%A3%E5%A4%B1%E8%B4%A5'))).toBe(true)
    const deletes = () => [...document.querySelectorAll('tr [data-test="rt-person-delete"]')] as HTMLElement[]
    expect(deletes().length).toBe(2) // failed people only
    deletes()[0]?.click()
    await flush()
    button('确定').click()
    await flush()
    expect(messages()).toContain('删除后社保编码00108537的参保比例将低于75%（74.00%），不能删除')
    deletes()[1]?.click()
    await flush()
    button('确定').click()
    await flush()
    expect(seen.calls).toContain('DELETE /api/retiree/batches/TXZY202504300003/people/32')

    click('[data-test="rt-confirm-roster"]')
    await flush()
    button('参保名单确定').click()
    await flush()
    expect(seen.calls).toContain('POST /api/retiree/batches/TXZY202504300003/confirmation')
    expect(text('[data-test="rt-batch-status"]')).toBe('缴费凭证待上传')
    expect(text('[data-test="rt-pay-status"]')).toContain('请在【缴费管理】上传缴费凭证（批次号 TXZY202504300003')
    expect(text('[data-test="rt-payee"]')).toContain('31602300008023554')
    expect(errors.map(String)).toEqual([])
  })

  it('unit: 参保批次 — a batch read with its tabs; 批次删除 from the list', async () => {
    const listed = await visit('/retiree-batches')
    expect(listed).toContain('TXZY202504300003')
    expect(text('[data-test="rt-list-table"]')).toContain('3150')
    await visit('/retiree-batches?batch=TXZY202504300003&tab=facts')
    expect(text('[data-test="rt-view-withholding"]')).toContain('代扣成功9人(代扣金额300元/人)')
    expect(text('[data-test="rt-view-owes"]')).toBe('3150')
    await visit('/retiree-batches?batch=TXZY202504300003&tab=log')
    expect(text('[data-test="rt-operations"]')).toContain('集中参保办理')

    await visit('/retiree-enrol')
    const before = document.querySelectorAll('[data-test="rt-batch-delete"]').length
    click('[data-test="rt-batch-delete"]')
    await flush()
    button('批次删除').click()
    await flush()
    expect(seen.calls.some((c) => c.startsWith('DELETE /api/retiree/batches/TXZY'))).toBe(true)
    expect(document.querySelectorAll('[data-test="rt-batch-delete"]').length).toBe(before - 1)
    expect(errors.map(String)).toEqual([])
  })

  it('unit: 委托代扣款申请表 样稿 in the payment dialog; 代扣受理单 once one working day has passed since the request', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2025-06-03T02:00:00Z') }) // Tuesday June 3, 10:00 in Shanghai
    try {
      await as('unit')
      await visit('/retiree-enrol?batch=TXZY202505120001&view=roster')
      click('[data-test="rt-choose-委托代扣"]')
      await flush()
      expect(text('[data-test="rt-withholding-form"]')).toBe('下载“委托代扣款申请表”样稿')
      click('[data-test="rt-withholding-form"]')
      await flush()
      expect(seen.calls).toContain('GET /api/retiree/withholding-form?batch_no=TXZY202505120001')
      expect(text('[data-test="rt-payment-error"]')).toBe('')
      click('[data-test="rt-payment-dialog"] .el-dialog__headerbtn')
      await flush()

      // 参保办理 其它操作: only the batch requested before yesterday (from June 3 00:00) has its slip
      await visit('/retiree-enrol')
      const slips = () => [...document.querySelectorAll('[data-test="rt-withholding-slip"]')] as HTMLElement[]
      expect(slips().length).toBe(1)
      expect(slips()[0]?.closest('tr')?.textContent).toContain('TXZY202504300003')
      slips()[0]?.click()
      await flush()
      expect(seen.calls).toContain('GET /api/retiree/batches/TXZY202504300003/withholding-slip')
      await visit('/retiree-enrol?batch=TXZY202504300003')
      expect(text('[data-test="rt-slip-hint"]')).toContain('代扣申请已受理，可下载代扣受理单')

      // requested now: the step says from when; the lists show no link for it yet
      await visit('/retiree-enrol?batch=TXZY202504290008')
      expect(q('[data-test="rt-slip-hint"]')).toBeNull()
      click('[data-test="rt-request-withholding"]')
      await flush()
      click('[data-test="rt-withholding-accept"] input')
      await flush()
      click('[data-test="rt-withholding-send"]')
      await flush()
      expect(text('[data-test="rt-slip-hint"]')).toContain('代扣受理单将于 2025-06-04 起可下载')
      expect(q('[data-test="rt-step-withholding-slip"]')).toBeNull()
      await visit('/retiree-enrol')
      expect(slips().length).toBe(1)
      // 参保批次管理 【操作】: the same
      await visit('/retiree-batches')
      expect(slips().length).toBe(1)
      expect(slips()[0]?.closest('tr')?.textContent).toContain('TXZY202504300003')
      expect(errors.map(String)).toEqual([])
    } finally {
      vi.useRealTimers()
    }
  })

  it('insurer: 参保审核 — the queue, the batch, 不通过 with reasons per 社保编码, 通过', async () => {
    await as('insurer')
    await visit('/retiree-review')
    expect(q('[data-test="menu-retiree-enrol"]')).toBeNull()
    expect(text('[data-test="rt-review-table"]')).toContain('TXZY202505060002')
    click('[data-test="rt-review-view"]')
    await flush()
    expect(text('[data-test="rt-review-drawer"]')).toContain('缴费凭证参保')
    click('[data-test="rt-drawer-reject"]')
    await flush()
    click('[data-test="rt-reject-submit"]')
    await flush()
    expect(text('[data-test="rt-reject-error"]')).toContain('请填写审核不通过原因')
    type('[data-test="rt-reject-reason"]', '参保比例不足，材料不全')
    type('[data-test="rt-reject-line"]', '缺少《社会保险业务核定表》')
    click('[data-test="rt-reject-submit"]')
    await flush()
    expect(seen.sent['POST /api/retiree/batches/TXZY202505060002/reject']).toEqual({
      reason: '参保比例不足，材料不全', lines: [{ unit_code: '00108537', reason: '缺少《社会保险业务核定表》' }],
    })
    reset()
    await visit('/retiree-batches')
    await visit('/retiree-review')
    click('[data-test="rt-review-approve"]')
    await flush()
    button('审核通过').click()
    await flush()
    expect(seen.calls).toContain('POST /api/retiree/batches/TXZY202505060002/approve')
    expect(errors.map(String)).toEqual([])
  })

  it('insurer: 单位名单 and 社保人数; 单位名称变更审核', async () => {
    await visit('/retiree-units')
    attach('[data-test="rt-units-file"]', '上年度参保单位.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    await flush()
    expect(text('[data-test="rt-units-loaded"]')).toContain('读取 2 个单位：新增 1 个')
    expect(text('[data-test="rt-units-invalid"]')).toContain('统一社会信用代码无效')
    // 社保人数: the tab lists the year's (the retiree programme's years), a file with wrong rows loads nothing and
    // its report names each row, a good one loads whole; filtered and exported with the same filter
    click('[data-test="rt-headcounts"]')
    await until(() => seen.calls.includes('GET /api/retiree/years/2025/headcounts?page=1&size=20'))
    expect(text('[data-test="rt-headcounts-year"]')).toContain('2025年度')
    expect(text('[data-test="rt-headcounts-table"]')).toContain('上海某某机械有限公司')
    click('[data-test="rt-headcounts-load-template"]')
    await flush()
    expect(seen.calls).toContain('GET /api/retiree/headcount-template')
    const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
    attach('[data-test="rt-headcounts-load-file"]', '退休人数有误.xlsx', xlsx)
    await flush()
    expect(text('[data-test="rt-headcounts-load-error"]')).toContain('文件中有2行数据有误，未导入任何数据')
    expect(text('[data-test="rt-headcounts-load-report-count"]')).toContain('共 2 行数据有误')
    expect(text('[data-test="rt-headcounts-load-report-table"]')).toContain('退休人数应为不小于0的整数')
    attach('[data-test="rt-headcounts-load-file"]', '退休人数.xlsx', xlsx)
    await flush()
    expect(seen.calls).toContain('POST /api/retiree/years/2025/headcounts/upload?file_name=%E9%80%80%E4%BC%91%E4%BA%BA%E6%95%B0.xlsx')
    expect(text('[data-test="rt-headcounts-load-summary"]')).toContain('成功导入：2条（新增加2条，更新0条）')
    type('[data-test="rt-headcounts-filter-unit"]', '002')
    click('[data-test="rt-headcounts-search"]')
    await flush()
    expect(seen.calls).toContain('GET /api/retiree/years/2025/headcounts?unit_code=002&page=1&size=20')
    expect(text('[data-test="rt-headcounts-table"]')).not.toContain('00108537')
    expect(text('[data-test="rt-headcounts-table"]')).toContain('上海某某机械厂')
    click('[data-test="rt-headcounts-export"]')
    await flush()
    expect(seen.calls).toContain('GET /api/retiree/years/2025/headcounts/export?unit_code=002')
    document.querySelectorAll('.el-overlay').forEach((o) => ((o as HTMLElement).style.display = 'none'))

    await visit('/retiree-name-changes')
    expect(text('[data-test="rt-nc-table"]')).toContain('上海某某机械股份有限公司')
    click('[data-test="rt-nc-reject"]')
    await flush()
    type('.el-message-box input', '工商变更登记表不清晰')
    button('确定').click()
    await flush()
    expect(seen.sent['POST /api/retiree/name-changes/7/reject']).toEqual({ reason: '工商变更登记表不清晰' })
    expect(errors.map(String)).toEqual([])
  })

  it('city: 年度设置 — the windows read, the rules saved in fen, a refusal shown', async () => {
    await as('city')
    await visit('/retiree-years')
    const windows = text('[data-test="rt-year-windows"]')
    for (const label of ['集中参保提交', '2025-06-30 17:00', '委托代扣款缴费参保通道', '2025-05-31 17:00', '委托代扣申请', '2025-06-04 16:00']) expect(windows).toContain(label)
    type('[data-test="rt-rules-withholding"]', '500')
    await flush()
    click('[data-test="rt-rules-save"]')
    await flush()
    expect(text('[data-test="rt-rules-error"]')).toBe('委托代扣金额上限不能高于保费')
    type('[data-test="rt-rules-withholding"]', '400')
    await flush()
    click('[data-test="rt-rules-save"]')
    await flush()
    expect(seen.sent['PUT /api/retiree/years/2025/rules']).toEqual({
      premium_fen: 45000, withholding_max_fen: 40000, waiting_days: 30, ratio_min_pct: 75, phone_valid_pct: 50, pension_day: '2025-06-10', template_max_rows: 5000,
    })
    expect(messages()).toContain('2025年度规则已保存')
    expect(errors.map(String)).toEqual([])
  })

  it('导出: 参保名单, 参保批次 and 单位名单 download with the filters as they stand', async () => {
    const exported = (path: string) => seen.calls.filter((c) => c.startsWith(`GET /api/retiree${path}`))
    const query = (q: Record<string, string>) => `?${new URLSearchParams(q).toString()}`

    await as('unit')
    await visit('/retiree-enrol?batch=TXZY202504300003')
    type('[data-test="rt-filter-name"]', '张')
    click('[data-test="rt-filter-withholding"] .el-select__wrapper')
    await flush()
    choose('代扣失败')
    await flush()
    click('[data-test="rt-people-export"]')
    await flush()
    expect(exported('/batches/TXZY202504300003/people/export')).toEqual([
      `GET /api/retiree/batches/TXZY202504300003/people/export${query({ name: '张', withholding_result: '代扣失败' })}`,
    ])

    await visit('/retiree-enrol')
    type('[data-test="rt-filter-batch"]', 'TXZY2025')
    click('[data-test="rt-batches-export"]')
    await flush()
    expect(exported('/batches/export')).toEqual(['GET /api/retiree/batches/export?batch_no=TXZY2025'])

    await visit('/retiree-batches')
    click('[data-test="rt-list-status"] .el-select__wrapper')
    await flush()
    choose('代扣完成')
    await flush()
    click('[data-test="rt-batches-export"]')
    await flush()
    expect(exported('/batches/export').at(-1)).toBe(`GET /api/retiree/batches/export${query({ status: '代扣完成' })}`)

    await as('insurer')
    await visit('/retiree-units')
    type('[data-test="rt-units-code"]', '1230')
    click('[data-test="rt-units-export"]')
    await flush()
    expect(exported('/units/export')).toEqual(['GET /api/retiree/units/export?code=1230'])
    expect(errors.map(String)).toEqual([])
  })
})
