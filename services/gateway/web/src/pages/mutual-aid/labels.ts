/** Tag colours of the review states (申请中 / 审核通过 / 审核不通过). */
export function statusTag(status: string): 'warning' | 'success' | 'danger' | 'info' {
  if (status === '审核通过') return 'success'
  if (status === '审核不通过') return 'danger'
  if (status === '申请中') return 'warning'
  return 'info'
}
