/** 参保批次: status colours and what a unit may do in each status (the service decides; these are hints). */
import type { Batch } from '@/api/mutual-aid'
import { ITEMS_OPEN, ROSTER_EDITABLE } from '@/api/mutual-aid'

export function batchTag(status: string): 'warning' | 'success' | 'danger' | 'info' | 'primary' {
  if (status === '参保已完成' || status === '清册校验通过' || status === '职保会审核通过') return 'success'
  if (status.endsWith('不通过')) return 'danger'
  if (status === '职保会待审核' || status === '审核中') return 'warning'
  if (status === '缴费凭证待上传') return 'primary'
  return 'info'
}

/** The roster can still change (upload, edit, delete, 清册校验, attachments, 清册提交). */
export const rosterOpen = (b: Batch) => ROSTER_EDITABLE.includes(b.status)
/** 保障项目选择: choose items and confirm the premium. */
export const itemsOpen = (b: Batch) => ITEMS_OPEN.includes(b.status) || b.actions.includes('confirm_premium')
/** The items of the three lines: 基本保障 A0 B0 C0, then one plus item per line. */
export const LINES = [
  { label: '在职住院', basic: 'A0', plus: ['A1', 'A2', 'A3'] },
  { label: '特种重病', basic: 'B0', plus: ['B1', 'B2', 'B3'] },
  { label: '意外伤害', basic: 'C0', plus: ['C1', 'C2', 'C3'] },
]
