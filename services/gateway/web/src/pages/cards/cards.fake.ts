/**
 * The fake gateway's /api/cards part for pages.test.ts: answers as the cards service would (masked
 * values, problem+json refusals), with the checks' progress moving on between polls.
 */
const page = (items: unknown[]) => ({ items, total: items.length, page: 1, size: 20 })
const progressOf = (p: Partial<Record<string, number | boolean>>) => ({
  total: 0, unchecked: 0, checking: 0, passed: 0, failed: 0, complete: 0, incomplete: 0, ready: false, ...p,
})

export const card = {
  member_id: 'm-1', member_no: 'SH0000000001', name: '张三', id_type: '身份证', id_number: '310***********0012', gender: '男',
  org_id: 13, union_name: '某公司工会', work_unit: '某公司', work_address: '上海市徐汇区虹漕路88号', status: '已办卡',
  card_number: '6222 **** **** 1234', applied_at: '2024-03-01T02:00:00Z', channel: '普通', batch_no: 'cb-202403011000001',
  issued_on: '2024-03-05', note: null, addable: false, not_addable_reason: '已办卡',
}
const freeCard = { ...card, member_id: 'm-2', member_no: 'SH0000000002', name: '李四', status: '未办卡', card_number: null, applied_at: null, channel: null, batch_no: null, issued_on: null, addable: true, not_addable_reason: null }
const row = (id: number, name: string, more: object = {}) => ({
  id, member_id: `m-${id}`, member_no: `SH000000000${id}`, name, id_type: '身份证', id_number: '310***********0012', org_id: 13,
  union_name: '某公司工会', channel: '普通', added_at: '2024-03-01T02:00:00Z', added_by: 'jiceng', id_expiry: null, id_long_term: false,
  nationality: '中国', check_state: '已通过', check_reason: '', checked_at: '2024-03-01T02:01:00Z', info_complete: true, ready: true, ...more,
})
const revocation = {
  id: 7, batch_no: 'cb-202403011000001', org_id: 13, union_name: '某公司工会', channel: '普通', batch_total: 2, applicant_name: '王老师',
  applicant_phone: '139*****1111', state: '审核中', requested_by: 'jiceng', requested_at: '2024-03-02T02:00:00Z', reviewed_by: null,
  reviewed_at: null, review_reason: null,
}
export const batch = {
  batch_no: 'cb-202403011000001', org_id: 13, union_name: '某公司工会', channel: '普通', total: 2, issued_count: 1, rejected_count: 0,
  waiting_count: 1, state: '办理中', submitted_at: '2024-03-01T02:00:00Z', submitted_by: 'jiceng', feedback_at: '2024-03-01T02:05:00Z',
  branch: '工商银行徐汇支行', outlet: '虹漕路网点', outlet_address: '上海市徐汇区虹漕路100号', contact: '王老师', contact_phone: '139*****1111',
  revocation_state: null, revocable: true, version: 1,
  cards: [
    { member_id: 'm-1', member_no: 'SH0000000001', name: '张三', id_type: '身份证', id_number: '310***********0012', work_unit: '某公司', id_expiry: null, id_long_term: true, nationality: '中国', outcome: '已办卡', card_number: '6222 **** **** 1234', reason: null, answered_at: '2024-03-01T02:05:00Z' },
    { member_id: 'm-3', member_no: 'SH0000000003', name: '王五', id_type: '身份证', id_number: '310***********0034', work_unit: '某公司', id_expiry: null, id_long_term: false, nationality: '中国', outcome: '待反馈', card_number: null, reason: null, answered_at: null },
  ],
  revocations: [],
}

/** What the pages sent that a test looks at, beyond the JSON bodies. */
export const cardsSeen = { idempotencyKeys: [] as string[], checksDone: false }

/** The checks are out (校验中) until a test says they came back (已通过 / 未通过). */
function progress(): unknown {
  const normal = cardsSeen.checksDone
    ? progressOf({ total: 2, passed: 1, failed: 1 })
    : progressOf({ total: 2, checking: 2 })
  return { 普通: normal, 特殊: progressOf({ total: 1, incomplete: 1 }), 个人: progressOf({}) }
}

function pendingRows(channel: string | null): unknown {
  if (channel === '特殊') return page([row(4, '赵六', { channel: '特殊', check_state: '未校验', info_complete: false, ready: false })])
  if (!cardsSeen.checksDone) return page([row(1, '张三', { check_state: '校验中' }), row(2, '李四', { check_state: '校验中' })])
  return page([row(1, '张三'), row(2, '李四', { check_state: '未通过', check_reason: '已退休', ready: false })])
}

export function cardsRoute(u: URL, method: string, init?: RequestInit): [number, unknown] | null {
  const p = u.pathname
  if (!p.startsWith('/api/cards/')) return null
  if (p === '/api/cards/cards/pending') {
    return [409, { code: 'cards.not_addable', title: '张三不能加入待办：已办卡', status: 409, members: [{ member_id: 'm-1', name: '张三', reason: '已办卡' }] }]
  }
  if (p === '/api/cards/cards/pending/all') return [201, { added: 3 }]
  if (p === '/api/cards/cards') return [200, page([card, freeCard])]
  if (p === '/api/cards/cards/m-1') return [200, { ...card, history: [{ batch_no: card.batch_no, channel: '普通', submitted_at: '2024-03-01T02:00:00Z', outcome: '已办卡', card_number: card.card_number, reason: null }] }]
  if (p === '/api/cards/pending/progress') return [200, progress()]
  if (p === '/api/cards/pending/checks') return [202, { request_ids: ['r-1'], rows: 1 }]
  if (p === '/api/cards/pending') return [200, pendingRows(u.searchParams.get('channel'))]
  if (method === 'PUT' && p === '/api/cards/pending/1/expiry') {
    return [422, { code: 'cards.expiry_past', title: '证件到期日须晚于今天', status: 422, field: 'expiry' }]
  }
  if (method === 'PUT' && /^\/api\/cards\/pending\/\d+\/(expiry|info|channel)$/.test(p)) {
    return [200, row(Number(p.split('/')[4]), '赵六', JSON.parse(String(init?.body ?? '{}')) as object)]
  }
  if (p === '/api/cards/batches' && method === 'POST') {
    const key = (init?.headers as Record<string, string> | undefined)?.['Idempotency-Key']
    if (key) cardsSeen.idempotencyKeys.push(key)
    return [201, { ...batch, batch_no: 'cb-202403021000001', total: 1 }]
  }
  if (p === '/api/cards/batches') return [200, page([batch])]
  if (p === `/api/cards/batches/${batch.batch_no}`) return [200, batch]
  if (p === `/api/cards/batches/${batch.batch_no}/roster.pdf`) return [200, { pdf: true }]
  if (p === `/api/cards/batches/${batch.batch_no}/revocations`) return [201, revocation]
  if (p === '/api/cards/revocations') return [200, page([revocation])]
  if (p === '/api/cards/revocations/7/approve') return [200, { ...revocation, state: '审核通过' }]
  if (p === '/api/cards/revocations/7/reject') return [200, { ...revocation, state: '审核不通过' }]
  return null
}
