/**
 * A paged list with filters: the state behind every list page.
 *
 *   const list = useList((q) => auditApi.list(q), () => ({ account: '', outcome: '' }))
 *   list.search()   // page 1 with the current filters
 *   list.filters    // bind the filter form to it
 *   list.exportFilters()  // the same filters without page/size, for /export
 */
import { reactive, ref, shallowRef, type UnwrapRef } from 'vue'
import type { Page, PageQuery } from '@/api/types'
import { showError } from '@/lib/notify'

export const PAGE_SIZES = [10, 20, 50, 100]

type Cleaned<F> = { [K in keyof F]: Exclude<F[K], ''> }

/** Drop '' / null / undefined and trim strings, so the query carries only real filters. */
export function cleanFilters<F extends object>(filters: F): Partial<Cleaned<F>> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(filters)) {
    const v = typeof value === 'string' ? value.trim() : value
    if (v === '' || v === null || v === undefined) continue
    out[key] = v
  }
  return out as Partial<Cleaned<F>>
}

export function useList<F extends object, T>(
  fetchPage: (query: Partial<Cleaned<F>> & PageQuery) => Promise<Page<T>>,
  initialFilters: () => F,
  options: { size?: number; immediate?: boolean } = {},
) {
  const filters = reactive(initialFilters())
  const items = shallowRef<T[]>([])
  const total = ref(0)
  const page = ref(1)
  const size = ref(options.size ?? 20)
  const loading = ref(false)
  let seq = 0

  function exportFilters(): Partial<Cleaned<F>> {
    return cleanFilters(filters as F)
  }

  async function load(): Promise<void> {
    const mine = ++seq
    loading.value = true
    try {
      const result = await fetchPage({ ...exportFilters(), page: page.value, size: size.value })
      if (mine !== seq) return // a newer request superseded this one
      items.value = result.items
      total.value = result.total
    } catch (e) {
      if (mine === seq) showError(e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  function search(): Promise<void> {
    page.value = 1
    return load()
  }

  function reset(): Promise<void> {
    Object.assign(filters, initialFilters() as UnwrapRef<F>)
    return search()
  }

  function onPage(p: number): void {
    page.value = p
    void load()
  }

  function onSize(s: number): void {
    size.value = s
    page.value = 1
    void load()
  }

  if (options.immediate !== false) void load()

  return { filters, items, total, page, size, loading, load, search, reset, onPage, onSize, exportFilters }
}
