/**
 * A roster file imported in the background (both plans' 参保名单): the upload answers with the job, which
 * is then polled until it is final; its refused rows (by Excel row) are fetched once it is done.
 *
 *   const importing = useImportJob({ upload: (f) => api.upload(no, f), job: api.importJob, rejections: api.rejections },
 *                                  (job) => emit('done', job))
 *   importing.onFile(uploadFile)   // from el-upload's on-change
 *   importing.job / .rejections / .rejectedTotal / .uploading / .error
 */
import { onBeforeUnmount, ref, type Ref } from 'vue'
import type { UploadFile } from 'element-plus'
import type { Page, PageQuery } from '@/api/types'
import { errorTitle } from '@/api/errors'
import { showError } from '@/lib/notify'

export const IMPORT_FINAL = ['已完成', '已失败']
const POLL_MS = 1500
const REJECTIONS_SHOWN = 200

export interface ImportJob {
  id: string
  state: string
  rows_rejected: number
}

export interface ImportApi<J extends ImportJob, R> {
  upload: (file: File) => Promise<J>
  job: (id: string) => Promise<J>
  rejections: (id: string, q: PageQuery) => Promise<Page<R>>
}

export function useImportJob<J extends ImportJob, R>(api: ImportApi<J, R>, onDone: (job: J) => void) {
  const job = ref<J | null>(null) as Ref<J | null>
  const rejections = ref<R[]>([]) as Ref<R[]>
  const rejectedTotal = ref(0)
  const uploading = ref(false)
  const error = ref('')
  let timer: ReturnType<typeof setTimeout> | null = null

  function stop() {
    if (timer) clearTimeout(timer)
    timer = null
  }
  onBeforeUnmount(stop)

  function isFinal(): boolean {
    return job.value !== null && IMPORT_FINAL.includes(job.value.state)
  }

  function reset() {
    stop()
    job.value = null
    rejections.value = []
    rejectedTotal.value = 0
    error.value = ''
  }

  async function onFile(f: UploadFile) {
    if (!f.raw) return
    error.value = ''
    rejections.value = []
    uploading.value = true
    try {
      job.value = await api.upload(f.raw)
      poll(0)
    } catch (e) {
      error.value = errorTitle(e)
    } finally {
      uploading.value = false
    }
  }

  /** The first look at once (small files finish at once), then every POLL_MS until the job is final. */
  function poll(delay = POLL_MS) {
    stop()
    timer = setTimeout(async () => {
      const current = job.value
      if (!current) return
      try {
        job.value = await api.job(current.id)
      } catch (e) {
        showError(e)
        return
      }
      if (isFinal()) await finished(job.value)
      else poll()
    }, delay)
  }

  async function finished(j: J) {
    if (j.rows_rejected) {
      try {
        const page = await api.rejections(j.id, { page: 1, size: REJECTIONS_SHOWN })
        rejections.value = page.items
        rejectedTotal.value = page.total
      } catch (e) {
        showError(e)
      }
    }
    onDone(j)
  }

  return { job, rejections, rejectedTotal, uploading, error, onFile, isFinal, reset }
}
