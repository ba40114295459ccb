import { http } from './http'
import type { JoinsQuery, JoinsSeries, Workbench } from './types'

export const workbenchApi = {
  /** Panels degrade one by one: a panel is `{status: 'unavailable', message}` when its service is down. */
  get: (orgId?: number | null) => http.get<Workbench>('/api/workbench', { org_id: orgId }),
  /** 入会人数统计图 */
  joins: (q: JoinsQuery) => http.get<JoinsSeries>('/api/workbench/joins', { ...q }),
}
