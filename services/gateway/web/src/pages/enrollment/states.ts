/** How the enrollment states look in tables. */
import { dayjs } from '@/lib/time'
type TagType = 'success' | 'warning' | 'danger' | 'info' | 'primary'

const TAGS: Record<string, TagType> = {
  待审核: 'warning',
  待提交: 'primary',
  待缴费: 'warning',
  已生效: 'success',
  已完成: 'success',
  已退回: 'danger',
  已失效: 'danger',
  已替代: 'info',
}

export function stateTag(state: string): TagType {
  return TAGS[state] ?? 'info'
}

/** true / false / null (not asked yet) of a social-security answer */
export function yesNo(value: boolean | null | undefined, yes = '正常', no = '异常'): string {
  return value === null || value === undefined ? '未校验' : value ? yes : no
}

/** A picked day range [from, to] (Shanghai days) → the API's submitted_from (inclusive) / submitted_to (exclusive). */
export function submittedBetween(days: string[] | null | undefined): { submitted_from?: string; submitted_to?: string } {
  if (!days || days.length !== 2 || !days[0] || !days[1]) return {}
  return { submitted_from: `${days[0]}T00:00:00+08:00`, submitted_to: `${dayjs(days[1]).add(1, 'day').format('YYYY-MM-DD')}T00:00:00+08:00` }
}
