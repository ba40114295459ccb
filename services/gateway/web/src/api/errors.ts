/**
 * An API failure as the UI sees it. The gateway answers errors with application/problem+json
 * `{code, title, status, detail?, ...extra}`; `title` is the Chinese text to show.
 */
export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly title: string
  readonly detail?: string
  /** The problem's other members, e.g. `remaining`, `unlock_at`, `retry_after`, `rules`, `errors`. */
  readonly extra: Record<string, unknown>

  constructor(status: number, code: string, title: string, detail?: string, extra: Record<string, unknown> = {}) {
    super(title)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.title = title
    this.detail = detail
    this.extra = extra
  }

  /** `auth.locked`, `uscc.*` … : a trailing `.*` matches the whole family. */
  is(pattern: string): boolean {
    return pattern.endsWith('.*') ? this.code.startsWith(pattern.slice(0, -1)) : this.code === pattern
  }
}

/** Titles for failures that carry no problem body (proxy errors, HTML error pages, network). */
const STATUS_TITLES: Record<number, string> = {
  0: '网络连接失败，请检查网络后重试',
  400: '请求参数不正确',
  401: '请先登录',
  403: '无权执行此操作',
  404: '页面或记录不存在',
  408: '请求超时，请稍后重试',
  413: '上传的文件过大',
  429: '操作过于频繁，请稍后再试',
  500: '服务器内部错误，请稍后重试',
  502: '服务暂时不可用，请稍后重试',
  503: '服务暂时不可用，请稍后重试',
  504: '服务响应超时，请稍后重试',
}

export function statusTitle(status: number): string {
  return STATUS_TITLES[status] ?? (status >= 500 ? STATUS_TITLES[500]! : `请求失败（${status}）`)
}

/** Build the ApiError for a non-2xx response: problem+json when present, else a status title. */
export async function errorFromResponse(res: Response): Promise<ApiError> {
  const type = res.headers.get('content-type') ?? ''
  if (type.includes('json')) {
    try {
      const body = (await res.json()) as Record<string, unknown>
      const { code, title, status, detail, type: _type, ...extra } = body
      return new ApiError(
        typeof status === 'number' ? status : res.status,
        typeof code === 'string' ? code : `http.${res.status}`,
        typeof title === 'string' && title ? title : statusTitle(res.status),
        typeof detail === 'string' ? detail : undefined,
        extra,
      )
    } catch {
      // fall through: a body that claims JSON but is not
    }
  }
  return new ApiError(res.status, `http.${res.status}`, statusTitle(res.status))
}

export function networkError(cause: unknown): ApiError {
  const err = new ApiError(0, 'network.error', statusTitle(0))
  ;(err as { cause?: unknown }).cause = cause
  return err
}

/** The text to show for any thrown value. */
export function errorTitle(e: unknown): string {
  if (e instanceof ApiError) return e.title
  if (e instanceof Error && e.message) return e.message
  return '操作失败，请稍后重试'
}
