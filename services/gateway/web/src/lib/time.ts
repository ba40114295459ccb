/** Dates are shown and picked in Asia/Shanghai, whatever the browser's zone. */
import dayjs, { type Dayjs } from 'dayjs'
import utc from 'dayjs/plugin/utc'
import timezone from 'dayjs/plugin/timezone'
import 'dayjs/locale/zh-cn'

dayjs.extend(utc)
dayjs.extend(timezone)
dayjs.locale('zh-cn')

export const TZ = 'Asia/Shanghai'

/** Now in Shanghai. */
export function shanghaiNow(): Dayjs {
  return dayjs().tz(TZ)
}

/** `2024-03-01T02:00:00Z` → `2024-03-01 10:00:00`; empty → '' */
export function formatDateTime(iso: string | null | undefined, pattern = 'YYYY-MM-DD HH:mm:ss'): string {
  if (!iso) return ''
  const d = dayjs(iso)
  return d.isValid() ? d.tz(TZ).format(pattern) : iso
}

/** A calendar date (no zone) as given by the server, e.g. `2024-03-01`. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return ''
  return value.length > 10 ? formatDateTime(value, 'YYYY-MM-DD') : value
}

/** First and last day of a month `YYYY-MM`, as ISO dates. */
export function monthRange(month: string): { start: string; end: string; days: number } {
  const m = dayjs(`${month}-01`)
  return { start: m.format('YYYY-MM-DD'), end: m.endOf('month').format('YYYY-MM-DD'), days: m.daysInMonth() }
}

/** First and last day of a year `YYYY`. */
export function yearRange(year: string): { start: string; end: string } {
  return { start: `${year}-01-01`, end: `${year}-12-31` }
}

export { dayjs }
