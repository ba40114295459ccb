import { download, http } from './http'
import type {
  CoveredEnterprise,
  CoveredEnterpriseCreate,
  Org,
  OrgCreate,
  OrgFilter,
  OrgMove,
  OrgUpdate,
  Page,
  PageQuery,
} from './types'

export const orgsApi = {
  list: (q: OrgFilter & PageQuery, signal?: AbortSignal) => http.get<Page<Org>>('/api/orgs', { ...q }, signal),
  export: (f: OrgFilter) => download('/api/orgs/export', { ...f }, '组织列表.xlsx'),
  get: (id: number) => http.get<Org>(`/api/orgs/${id}`),
  create: (body: OrgCreate) => http.post<Org>('/api/orgs', body),
  update: (id: number, body: OrgUpdate) => http.patch<Org>(`/api/orgs/${id}`, body),
  remove: (id: number) => http.del(`/api/orgs/${id}`),
  /** 转移组织 / 批量转移: the orgs (with their subtrees) now hang under target_parent_id. */
  move: (body: OrgMove) => http.post<Org[]>('/api/orgs/move', body),

  // 覆盖企业
  coveredEnterprises: (orgId: number) => http.get<CoveredEnterprise[]>(`/api/orgs/${orgId}/enterprises`),
  addCoveredEnterprise: (orgId: number, body: CoveredEnterpriseCreate) =>
    http.post<CoveredEnterprise>(`/api/orgs/${orgId}/enterprises`, body),
  removeCoveredEnterprise: (orgId: number, enterpriseId: number) =>
    http.del(`/api/orgs/${orgId}/enterprises/${enterpriseId}`),
}
