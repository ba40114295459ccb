/** The colours of the cards service's states (el-tag types). */
type TagType = 'success' | 'info' | 'warning' | 'danger' | 'primary'

const TAGS: Record<string, TagType> = {
  // 办理状态 (卡片信息)
  未办卡: 'info',
  待办中: 'warning',
  已办卡: 'success',
  // 信息校验结果
  未校验: 'info',
  校验中: 'primary',
  已通过: 'success',
  未通过: 'danger',
  // 批次, 每张卡的办理结果
  办理中: 'primary',
  已完成: 'success',
  已撤销: 'info',
  待反馈: 'warning',
  办卡失败: 'danger',
  // 批次撤销情况
  审核中: 'warning',
  审核通过: 'success',
  审核不通过: 'danger',
}

export function statusTag(state: string | null | undefined): TagType {
  return (state && TAGS[state]) || 'info'
}
