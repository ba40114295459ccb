/**
 * 互助保障 年度设置 — the enrollment service through the gateway (`/api/mutual-aid/…`): the city's 清册校验
 * rules of a year, and the insurer's loads of the year as files — 建议清册 (姓名, 证件号码, 单位社保编码, 职退状态)
 * and 社保在职人数 (单位社保编码, 单位名称, 社保在职人数). A file is loaded whole or not at all: a wrong row and
 * the answer is 422 `load.rows_invalid` with every wrong row in `rows` (see `loadProblems`). ID numbers
 * arrive masked. The year itself (windows, items and prices) is `batchesApi.year`.
 */
import { ApiError, download, http, request } from './http'
import { errorFromResponse, networkError } from './errors'
import type { YearRules } from './mutual-aid'
import type { Page, PageQuery } from './types'

const BASE = '/api/mutual-aid'
/** the programme's code in /api/enrollment/programmes (its `years` are the configured ones) */
export const MUTUAL_AID_PROGRAMME = 'mutual-aid'

/** A file loaded whole (数据读取 / 新增加 / 更新). */
export interface LoadResult {
  rows: number
  added: number
  updated: number
  /** 数据读取：3条，成功导入：3条（新增加3条，更新0条） */
  summary: string
}

/** One wrong cell of a refused file. */
export interface LoadProblem {
  /** Excel row (the header is row 1) */
  row_no: number
  column: string
  code: string
  reason: string
}

export interface SuggestedPerson {
  /** 社保姓名 */
  name: string
  /** masked */
  id_number: string
  /** 单位社保编码 */
  unit_code: string
  /** 职退状态: 在职 / 退休 / - */
  employment: string
  updated_at: string
}

export interface UnitHeadcount {
  unit_code: string
  unit_name: string
  /** 社保在职人数 */
  headcount: number
  updated_at: string
}

export interface SuggestedFilter {
  /** 单位社保编码, its beginning */
  unit_code?: string
  /** part of the name */
  name?: string
  /** the whole number */
  id_number?: string
}

export interface HeadcountFilter {
  unit_code?: string
  unit_name?: string
}

/** The wrong rows of a refused file (`load.rows_invalid`); [] for any other failure. */
export function loadProblems(e: unknown): LoadProblem[] {
  if (!(e instanceof ApiError) || !e.is('load.rows_invalid')) return []
  const rows = e.extra.rows
  return Array.isArray(rows) ? (rows as LoadProblem[]) : []
}

/** The .xlsx itself is the body (`?file_name=`); a failure is the ApiError with the service's title. */
async function sendFile<T>(path: string, file: File): Promise<T> {
  const search = new URLSearchParams({ file_name: file.name }).toString()
  let res: Response
  try {
    res = await fetch(`${path}?${search}`, {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': file.type || 'application/octet-stream' },
      credentials: 'include',
      body: file,
    })
  } catch (e) {
    throw networkError(e)
  }
  if (!res.ok) throw await errorFromResponse(res)
  return (await res.json()) as T
}

const year = (y: number, rest = '') => `${BASE}/years/${y}${rest}`

export const yearSettingsApi = {
  /** 设置年度校验规则 (the city): `rules.ratio_order`, `rules.bundle_unknown` … as the service says */
  putRules: (y: number, rules: YearRules) => request<YearRules>('PUT', year(y, '/rules'), { body: rules }),

  suggestedTemplate: () => download(`${BASE}/suggested-template`, undefined, '建议清册导入模板.xlsx'),
  uploadSuggested: (y: number, file: File) => sendFile<LoadResult>(year(y, '/suggested/upload'), file),
  suggested: (y: number, q: SuggestedFilter & PageQuery) =>
    http.get<Page<SuggestedPerson>>(year(y, '/suggested'), { ...q }),
  exportSuggested: (y: number, q: SuggestedFilter) =>
    download(year(y, '/suggested/export'), { ...q }, `${y}年度建议清册.xlsx`),

  headcountTemplate: () => download(`${BASE}/headcount-template`, undefined, '社保在职人数导入模板.xlsx'),
  uploadHeadcounts: (y: number, file: File) => sendFile<LoadResult>(year(y, '/headcounts/upload'), file),
  headcounts: (y: number, q: HeadcountFilter & PageQuery) =>
    http.get<Page<UnitHeadcount>>(year(y, '/headcounts'), { ...q }),
  exportHeadcounts: (y: number, q: HeadcountFilter) =>
    download(year(y, '/headcounts/export'), { ...q }, `${y}年度社保在职人数.xlsx`),
}
