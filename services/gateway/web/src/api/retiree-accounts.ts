import { http } from './http'
import type { AccountStatus, Page, PageQuery, Tier } from './types'

/** 退休住院计划 预派账号 (tuixiu+参保编码): how far the unit got with its initial password. */
export type RetireeLoginStatus = 'not_logged_in' | 'pending_change' | 'changed'

export interface RetireeAccount {
  account_id: number
  /** 登录账号: tuixiu + 参保编码 */
  account: string
  /** 参保编码 */
  code: string
  unit_name: string
  uscc: string
  tier: Tier
  org_id: number | null
  org_name: string | null
  login_status: RetireeLoginStatus
  /** the account's own status: active / locked / disabled */
  status: AccountStatus
  last_login_at: string | null
  password_changed_at: string | null
  issued_at: string
}

export interface RetireeAccountFilter {
  code?: string
  unit_name?: string
  login_status?: RetireeLoginStatus | ''
}

/** The insurer's (职保会) and the platform's list of pre-issued accounts, and a password reset. */
export const retireeAccountsApi = {
  list: (q: RetireeAccountFilter & PageQuery) => http.get<Page<RetireeAccount>>('/api/retiree-accounts', { ...q }),
  /** A temporary password (shown once); the unit changes it at its next login. */
  resetPassword: (accountId: number) =>
    http.post<{ temporary_password: string }>(`/api/retiree-accounts/${accountId}/reset-password`),
}
