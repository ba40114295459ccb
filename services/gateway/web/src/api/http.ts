/** The one fetch wrapper: cookies included, JSON in and out, failures thrown as ApiError. */
import { type ApiError, errorFromResponse, networkError } from './errors'
import type { Query } from './types'

export { ApiError } from './errors'

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'

interface Options {
  query?: Query
  body?: unknown
  /** multipart/form-data (uploads): the browser sets the boundary */
  form?: FormData
  signal?: AbortSignal
}

type UnauthorizedHandler = (error: ApiError) => void
let onUnauthorized: UnauthorizedHandler | null = null

/**
 * Called when a request made while logged in answers 401 (session expired or gone).
 * Login, captcha and /api/me itself are left to their callers.
 */
export function setUnauthorizedHandler(handler: UnauthorizedHandler | null): void {
  onUnauthorized = handler
}

const SELF_HANDLED_401 = ['/api/auth/', '/api/me', '/api/captcha', '/api/registrations']

/** `?a=1&b=x` without empty values; arrays repeat the key. */
export function toSearch(query: Query | undefined): string {
  if (!query) return ''
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue
    if (Array.isArray(value)) value.forEach((v) => params.append(key, String(v)))
    else params.append(key, String(value))
  }
  const s = params.toString()
  return s ? `?${s}` : ''
}

async function send(method: Method, path: string, opts: Options, accept: string): Promise<Response> {
  const headers: Record<string, string> = { Accept: accept }
  const init: RequestInit = { method, headers, credentials: 'include', signal: opts.signal }
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json'
    init.body = JSON.stringify(opts.body)
  } else if (opts.form !== undefined) {
    init.body = opts.form
  }
  let res: Response
  try {
    res = await fetch(path + toSearch(opts.query), init)
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e
    throw networkError(e)
  }
  if (!res.ok) {
    const err = await errorFromResponse(res)
    if (err.status === 401 && onUnauthorized && !SELF_HANDLED_401.some((p) => path.startsWith(p))) {
      onUnauthorized(err)
    }
    throw err
  }
  return res
}

export async function request<T>(method: Method, path: string, opts: Options = {}): Promise<T> {
  const res = await send(method, path, opts, 'application/json')
  if (res.status === 204 || res.headers.get('content-length') === '0') return undefined as T
  const type = res.headers.get('content-type') ?? ''
  if (!type.includes('json')) return undefined as T
  return (await res.json()) as T
}

export const http = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  del: <T = void>(path: string, query?: Query) => request<T>('DELETE', path, { query }),
  /** POST a multipart form (file uploads). */
  upload: <T>(path: string, form: FormData) => request<T>('POST', path, { form }),
}

/** File name from Content-Disposition (RFC 5987 `filename*=UTF-8''…` first). */
export function dispositionFileName(header: string | null, fallback: string): string {
  if (!header) return fallback
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header)
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''))
    } catch {
      /* ignore a malformed encoding */
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(header)
  return plain?.[1]?.trim() || fallback
}

/**
 * Download an export (xlsx) with the list's filters. Fetched (not navigated to) so a problem+json
 * error can be shown as a message instead of replacing the page.
 */
export async function download(path: string, query: Query | undefined, fallbackName: string): Promise<void> {
  const res = await send('GET', path, { query }, '*/*')
  const blob = await res.blob()
  const name = dispositionFileName(res.headers.get('content-disposition'), fallbackName)
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
