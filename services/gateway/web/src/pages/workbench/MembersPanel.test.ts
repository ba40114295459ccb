// @vitest-environment happy-dom
/**
 * 业务工作台's members panel against a fake gateway: the three cards and the counts line show what
 * the members service sent, 查看导入结果 opens the import's rejected rows, the links lead to 批量导入
 * and 会籍审核管理, and an unavailable panel shows why with a retry.
 */
import { describe, expect, it, vi } from 'vitest'
import { createApp, h, nextTick, ref } from 'vue'
import { createMemoryHistory, createRouter } from 'vue-router'
import ElementPlus from 'element-plus'
import type { MemberStatistics, Panel } from '@/api/types'
import MembersPanel from './MembersPanel.vue'

const job = (id: string, state: string, rejected: number) => ({
  id, state, category: '关联企业类', enterprise_name: '上海华申信息科技有限公司', file_name: `${id}.xlsx`, file_size: 1000,
  uploader_id: 'demo-roster', rows_total: 12, rows_read: 12, rows_validated: 12, rows_stored: 12 - rejected,
  rows_created: 12 - rejected, rows_updated: 0, rows_unchanged: 0, rows_rejected: rejected, error_code: null,
  error_message: null, attempts: 1, created_at: '2024-03-13T02:00:00Z', started_at: null, finished_at: null,
})
const statistics: MemberStatistics = {
  org_id: 12, as_of: '2024-03-13', members: 2960, by_status: { 正常: 2960, 已删除: 3 },
  by_category: { 灵活就业类: 240, 企业外入会类: 120, 关联企业类: 2600 }, e_card: { activated: 846, rate: 0.2858 },
  member_no: { assigned: 2950, pending: 10 }, joins: { today: 12, week: 40, month: 2960 }, pending_transfers: 4,
  recent_imports: [job('imp-1', '已完成', 1), job('imp-2', '已失败', 0)],
}
const calls: string[] = []

vi.stubGlobal('fetch', vi.fn(async (url: string) => {
  calls.push(url)
  const body = url.startsWith('/api/imports/imp-1/rejections')
    ? { items: [{ row_no: 7, column: '证件号码', code: 'id_number.check_digit', reason: '证件号码校验位错误', name: '李四', id_number_masked: '310***********001X' }], total: 1, page: 1, size: 20 }
    : { code: 'http.404', title: '页面或记录不存在', status: 404 }
  return new Response(JSON.stringify(body), { status: 'items' in body ? 200 : 404, headers: { 'content-type': 'application/json' } })
}))

const flush = async () => {
  for (let i = 0; i < 20; i++) {
    await new Promise((r) => setTimeout(r, 5))
    await nextTick()
  }
}

function mount(panel: Panel<MemberStatistics>) {
  const errors: unknown[] = []
  const retries = ref(0)
  const router = createRouter({
    history: createMemoryHistory(),
    routes: ['/', '/member-imports', '/member-reviews'].map((path) => ({ path, component: { render: () => null } })),
  })
  const el = document.createElement('div')
  document.body.appendChild(el)
  const app = createApp({ render: () => h(MembersPanel, { panel, onRetry: () => retries.value++ }) })
  app.config.errorHandler = (e) => { errors.push(e) }
  app.config.warnHandler = (m) => { errors.push(m) }
  app.use(router).use(ElementPlus).mount(el)
  return { el, errors, retries, router, unmount: () => { app.unmount(); el.remove() } }
}

const text = (root: ParentNode, sel: string) => root.querySelector(sel)?.textContent ?? ''

describe('members panel', () => {
  it('shows the figures, the latest imports and their result', async () => {
    const { el, errors, router, unmount } = mount({ status: 'ok', data: statistics })
    await flush()
    expect(text(el, '[data-test="stat-member-total"] [data-test="stat-value"]')).toBe('2,960')
    expect(text(el, '[data-test="stat-member-total"]')).toContain('待生成会员编号 10')
    expect(text(el, '[data-test="stat-e-card-rate"] [data-test="stat-value"]')).toBe('28.6%')
    expect(text(el, '[data-test="stat-e-card-rate"]')).toContain('已激活 846 人')
    expect(text(el, '[data-test="stat-pending-transfers"] [data-test="stat-value"]')).toBe('4')
    const line = text(el, '[data-test="member-counts"]')
    for (const part of ['今日入会: 12', '本周入会: 40', '本月入会: 2,960', '关联企业类: 2,600', '灵活就业类: 240']) {
      expect(line).toContain(part)
    }
    const table = text(el, '[data-test="recent-imports"]')
    expect(table).toContain('imp-1.xlsx')
    expect(table).toContain('已失败')
    expect(table).toContain('2024-03-13 10:00:00')

    ;(el.querySelector('[data-test="recent-import-result"]') as HTMLButtonElement).click()
    await flush()
    expect(calls.some((c) => c.startsWith('/api/imports/imp-1/rejections'))).toBe(true)
    expect(text(document.body, '[data-test="import-result-dialog"]')).toContain('证件号码校验位错误')

    ;(el.querySelector('[data-test="stat-pending-transfers"] a') as HTMLAnchorElement).click()
    await flush()
    expect(router.currentRoute.value.path).toBe('/member-reviews')
    ;(el.querySelector('[data-test="recent-imports-more"]') as HTMLAnchorElement).click()
    await flush()
    expect(router.currentRoute.value.path).toBe('/member-imports')
    expect(errors).toEqual([])
    unmount()
  })

  it('an unavailable members service: the reason and a retry, no figures', async () => {
    const { el, errors, retries, unmount } = mount({ status: 'unavailable', message: '会员服务暂时不可用' })
    await flush()
    expect(text(el, '[data-test="members-panel-unavailable"]')).toContain('会员统计暂不可用：会员服务暂时不可用')
    expect(el.querySelector('[data-test="stat-member-total"]')).toBeNull()
    ;(el.querySelector('[data-test="members-panel-unavailable"] button') as HTMLButtonElement).click()
    await flush()
    expect(retries.value).toBe(1)
    expect(errors).toEqual([])
    unmount()
  })
})
