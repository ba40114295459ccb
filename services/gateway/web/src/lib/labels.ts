/** Chinese labels for the API's enum values. */
import type { AccountStatus, PasswordResetStatus, RegistrationStatus, Tier } from '@/api/types'

export const TIER_LABELS: Record<Tier, string> = {
  city: '市总工会',
  district: '区局（产业）工会',
  secondary: '二级工会',
  grassroots: '基层工会',
  enterprise: '未建会单位',
  insurer: '职保会',
  admin: '系统管理员',
}

export const ACCOUNT_STATUS: Record<AccountStatus, { label: string; type: 'success' | 'danger' | 'info' | 'warning' }> = {
  active: { label: '正常', type: 'success' },
  locked: { label: '已锁定', type: 'danger' },
  disabled: { label: '已停用', type: 'info' },
  pending: { label: '待审核', type: 'warning' },
}

export const REGISTRATION_STATUS: Record<
  RegistrationStatus,
  { label: string; type: 'success' | 'danger' | 'warning' }
> = {
  pending: { label: '待审核', type: 'warning' },
  approved: { label: '已通过', type: 'success' },
  rejected: { label: '已驳回', type: 'danger' },
}

export const PASSWORD_RESET_STATUS: Record<
  PasswordResetStatus,
  { label: string; type: 'success' | 'danger' | 'warning' }
> = {
  pending: { label: '待审核', type: 'warning' },
  approved: { label: '已通过', type: 'success' },
  rejected: { label: '已驳回', type: 'danger' },
}

/** 操作日志 outcomes (the contract does not enumerate them; unknown values are shown as given). */
export const AUDIT_OUTCOMES: Record<string, { label: string; type: 'success' | 'danger' | 'warning' }> = {
  success: { label: '成功', type: 'success' },
  failure: { label: '失败', type: 'danger' },
  denied: { label: '拒绝', type: 'warning' },
}

export function labelOf<K extends string>(map: Record<K, { label: string }>, key: string | null | undefined): string {
  if (!key) return ''
  return (map as Record<string, { label: string }>)[key]?.label ?? key
}

export const options = <K extends string>(map: Record<K, string | { label: string }>) =>
  (Object.keys(map) as K[]).map((value) => {
    const v = map[value]
    return { value, label: typeof v === 'string' ? v : v.label }
  })
