import { ElMessage } from 'element-plus'
import { errorTitle } from '@/api/errors'

/** Every failure is shown as a message with the server's Chinese `title`. */
export function showError(e: unknown): void {
  if (e instanceof DOMException && e.name === 'AbortError') return
  ElMessage({ type: 'error', message: errorTitle(e), grouping: true, showClose: true })
}

export function showSuccess(message: string): void {
  ElMessage({ type: 'success', message, grouping: true })
}
