/**
 * 批次撤回 and 批次删除, from the batch list and the batch's page alike. 撤回 asks for the reason (it goes
 * to the operation log) and sends the batch back to 清册待校验; 删除 takes the batch and its roster away
 * (only in 清册待校验 or 清册校验不通过). Each resolves to what happened, or null when the user cancelled.
 */
import { ElMessageBox } from 'element-plus'
import { batchesApi, type Batch } from '@/api/mutual-aid'
import { showError, showSuccess } from '@/lib/notify'

export async function withdrawBatch(b: Batch): Promise<Batch | null> {
  let reason: string
  try {
    const answer = await ElMessageBox.prompt(
      `批次 ${b.batch_no} 撤回后状态将变回“清册待校验”，已选保障项目和保费作废，可重新整理清册。请简单写明原因：`,
      '批次撤回',
      {
        confirmButtonText: '确认操作',
        inputPlaceholder: '如：漏选保障项目',
        inputValidator: (v: string) => (v && v.trim() ? true : '请填写撤回原因'),
      },
    )
    reason = answer.value.trim()
  } catch {
    return null
  }
  try {
    const back = await batchesApi.withdraw(b.batch_no, reason)
    showSuccess(`批次 ${b.batch_no} 已撤回，状态：${back.status}`)
    return back
  } catch (e) {
    showError(e)
    return null
  }
}

export async function deleteBatch(b: Batch): Promise<boolean> {
  try {
    await ElMessageBox.confirm(`删除批次 ${b.batch_no}（${b.unit_name}）及其参保清册？删除后不可恢复。`, '批次删除', {
      type: 'warning',
      confirmButtonText: '批次删除',
    })
  } catch {
    return false
  }
  try {
    await batchesApi.remove(b.batch_no)
    showSuccess(`批次 ${b.batch_no} 已删除`)
    return true
  } catch (e) {
    showError(e)
    return false
  }
}
