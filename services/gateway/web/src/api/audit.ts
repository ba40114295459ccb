import { download, http } from './http'
import type { AuditEntry, AuditFilter, Page, PageQuery } from './types'

/** 操作日志 */
export const auditApi = {
  list: (q: AuditFilter & PageQuery) => http.get<Page<AuditEntry>>('/api/audit', { ...q }),
  export: (f: AuditFilter) => download('/api/audit/export', { ...f }, '操作日志.xlsx'),
}
