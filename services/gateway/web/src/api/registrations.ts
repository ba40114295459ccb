import { download, http } from './http'
import type { Page, PageQuery, Registration, RegistrationBody, RegistrationFilter } from './types'

/** 企业注册 (public) and 企业注册审核 (admin, city). */
export const registrationsApi = {
  submit: (body: RegistrationBody) => http.post<{ id: number; status: 'pending' }>('/api/registrations', body),
  list: (q: RegistrationFilter & PageQuery) => http.get<Page<Registration>>('/api/registrations', { ...q }),
  export: (f: RegistrationFilter) => download('/api/registrations/export', { ...f }, '企业注册申请.xlsx'),
  approve: (id: number) => http.post<Registration>(`/api/registrations/${id}/approve`, {}),
  reject: (id: number, reason: string) => http.post<Registration>(`/api/registrations/${id}/reject`, { reason }),
}
