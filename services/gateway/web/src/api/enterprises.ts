import { download, http } from './http'
import type { Enterprise, EnterpriseFilter, Page, PageQuery } from './types'

/** 未建会单位: units without a union (self-registered enterprises). */
export const enterprisesApi = {
  list: (q: EnterpriseFilter & PageQuery) => http.get<Page<Enterprise>>('/api/enterprises', { ...q }),
  export: (f: EnterpriseFilter) => download('/api/enterprises/export', { ...f }, '未建会单位.xlsx'),
}
