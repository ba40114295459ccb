/** The message shown for a failed login: the server's title, completed with what the problem carries. */
import { ApiError, errorTitle } from '@/api/errors'
import { formatDateTime } from './time'

export function loginErrorMessage(e: unknown): string {
  if (!(e instanceof ApiError)) return errorTitle(e)
  const { title, extra } = e
  switch (e.code) {
    case 'auth.bad_credentials': {
      const remaining = extra.remaining
      if (typeof remaining === 'number' && !title.includes(String(remaining))) {
        return `${title}，还可尝试 ${remaining} 次`
      }
      return title
    }
    case 'auth.locked': {
      const at = typeof extra.unlock_at === 'string' ? formatDateTime(extra.unlock_at, 'YYYY-MM-DD HH:mm') : ''
      return at && !title.includes(at) ? `${title}，解锁时间：${at}` : title
    }
    case 'auth.rate_limited': {
      const after = extra.retry_after
      return typeof after === 'number' ? `${title}，请 ${Math.ceil(after)} 秒后再试` : title
    }
    default:
      return title
  }
}

/** `password.policy` lists the rules failed: show them after the title. */
export function passwordErrorMessage(e: unknown): string {
  if (e instanceof ApiError && e.code === 'password.policy' && Array.isArray(e.extra.rules)) {
    const rules = (e.extra.rules as unknown[]).map(String).filter(Boolean)
    return rules.length ? `${e.title}：${rules.join('；')}` : e.title
  }
  return errorTitle(e)
}
