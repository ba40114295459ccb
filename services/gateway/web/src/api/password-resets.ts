import { download, http } from './http'
import type { Page, PageQuery, PasswordReset, PasswordResetApproved, PasswordResetBody, PasswordResetFilter } from './types'

/** 找回密码（未建会单位, public) and 密码重置申请 (admin). */
export const passwordResetsApi = {
  apply: (body: PasswordResetBody) =>
    http.post<{ id: number; status: 'pending' }>('/api/password-resets', body),
  list: (q: PasswordResetFilter & PageQuery) => http.get<Page<PasswordReset>>('/api/password-resets', { ...q }),
  export: (f: PasswordResetFilter) => download('/api/password-resets/export', { ...f }, '密码重置申请.xlsx'),
  /** Sets a temporary password on the unit's account: shown once in the answer. */
  approve: (id: number) => http.post<PasswordResetApproved>(`/api/password-resets/${id}/approve`, {}),
  reject: (id: number, reason: string) => http.post<PasswordReset>(`/api/password-resets/${id}/reject`, { reason }),
}
