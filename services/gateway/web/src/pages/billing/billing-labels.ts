/** How the billing states look in tables, and who the signed-in tier is to the money. */
import type { Tier } from '@/api/types'

type TagType = 'success' | 'info' | 'warning' | 'danger' | 'primary'

const TAGS: Record<string, TagType> = {
  // 缴费状态 (应缴)
  缴费凭证待上传: 'info',
  审核中: 'warning',
  未缴足: 'danger',
  已确认: 'success',
  已失效: 'info',
  // 凭证
  审核通过: 'success',
  审核不通过: 'danger',
  // 退款
  待退款: 'warning',
  已退款: 'success',
  // 专用收据
  待开具: 'warning',
  已开具: 'success',
  已作废: 'info',
}

export function statusTag(state: string | null | undefined): TagType {
  return (state && TAGS[state]) || 'info'
}

/** Payers upload vouchers and ask for receipts (the city pays its 市总统一划拨 too). */
export function isPayer(tier: Tier | undefined): boolean {
  return ['city', 'district', 'secondary', 'grassroots', 'enterprise'].includes(tier ?? '')
}

/** The insurer (职保会) and the platform review, refund, issue receipts and keep the accounts. */
export function isInsurer(tier: Tier | undefined): boolean {
  return tier === 'insurer' || tier === 'admin'
}
