import { download, http } from './http'
import type { Account, AccountCreate, AccountCreated, AccountFilter, Page, PageQuery } from './types'

export const accountsApi = {
  list: (q: AccountFilter & PageQuery) => http.get<Page<Account>>('/api/accounts', { ...q }),
  export: (f: AccountFilter) => download('/api/accounts/export', { ...f }, '账号列表.xlsx'),
  /** Creates the account with a temporary password (shown once; changed at first login). */
  create: (body: AccountCreate) => http.post<AccountCreated>('/api/accounts', body),
  resetPassword: (id: number) => http.post<{ temporary_password: string }>(`/api/accounts/${id}/reset-password`),
  unlock: (id: number) => http.post<Account>(`/api/accounts/${id}/unlock`),
  disable: (id: number) => http.post<Account>(`/api/accounts/${id}/disable`),
  enable: (id: number) => http.post<Account>(`/api/accounts/${id}/enable`),
}
