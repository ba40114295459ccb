import { download, http } from './http'
import type {
  Compare,
  CompareHandlingBody,
  CompareMissing,
  ImportDataType,
  ImportJob,
  ImportRejection,
  Member,
  MemberCreate,
  MemberFilter,
  MemberUpdate,
  Page,
  PageQuery,
  Transfer,
  TransferCreate,
  TransferTarget,
} from './types'

/** 会员信息 */
export const membersApi = {
  list: (q: MemberFilter & PageQuery, signal?: AbortSignal) =>
    http.get<Page<Member>>('/api/members', { ...q }, signal),
  export: (f: MemberFilter) => download('/api/members/export', { ...f }, '会员信息.xlsx'),
  get: (id: string) => http.get<Member>(`/api/members/${encodeURIComponent(id)}`),
  /** 新增会员 */
  create: (body: MemberCreate) => http.post<Member>('/api/members', body),
  /** 编辑: only the changed fields */
  update: (id: string, body: MemberUpdate) => http.patch<Member>(`/api/members/${encodeURIComponent(id)}`, body),
  /** 删除: only 退休 / 犯罪 / 死亡; the member stays as history (status 已删除). */
  remove: (id: string, reason: string) => http.del<Member>(`/api/members/${encodeURIComponent(id)}`, { reason }),
}

export interface ImportUpload {
  file: File
  data_type: ImportDataType
  enterprise_name?: string
  enterprise_uscc?: string
}

/** 批量导入 */
export const importsApi = {
  template: () => download('/api/imports/template', undefined, '会员导入模板.xlsx'),
  upload: (u: ImportUpload) => {
    const form = new FormData()
    form.append('file', u.file, u.file.name)
    form.append('data_type', u.data_type)
    if (u.enterprise_name) form.append('enterprise_name', u.enterprise_name)
    if (u.enterprise_uscc) form.append('enterprise_uscc', u.enterprise_uscc)
    return http.upload<ImportJob>('/api/imports', form)
  },
  list: (q: { state?: string } & PageQuery) => http.get<Page<ImportJob>>('/api/imports', { ...q }),
  get: (id: string) => http.get<ImportJob>(`/api/imports/${encodeURIComponent(id)}`),
  rejections: (id: string, q: PageQuery) =>
    http.get<Page<ImportRejection>>(`/api/imports/${encodeURIComponent(id)}/rejections`, { ...q }),
  rejectionsXlsx: (id: string) =>
    download(`/api/imports/${encodeURIComponent(id)}/rejections.xlsx`, undefined, '导入错误明细.xlsx'),
  retry: (id: string) => http.post<ImportJob>(`/api/imports/${encodeURIComponent(id)}/retry`),
}

/** 会员转移 / 会籍审核管理 */
export const transfersApi = {
  create: (body: TransferCreate) => http.post<Transfer[]>('/api/transfers', body),
  list: (q: { direction?: 'in' | 'out'; state?: string; member_name?: string } & PageQuery) =>
    http.get<Page<Transfer>>('/api/transfers', { ...q }),
  approve: (id: number, note?: string) => http.post<Transfer>(`/api/transfers/${id}/approve`, { note }),
  reject: (id: number, note: string) => http.post<Transfer>(`/api/transfers/${id}/reject`, { note }),
  /** 转入区/产业局: every district of the city (not only the caller's) */
  districts: (q: { name?: string } & Partial<PageQuery> = {}) =>
    http.get<Page<TransferTarget>>('/api/transfer-targets', { ...q }),
  /** 转入工会: the unions under a district, its 临时工会 first */
  unions: (districtId: number, q: { name?: string } & Partial<PageQuery> = {}) =>
    http.get<Page<TransferTarget>>('/api/transfer-targets', { district_id: districtId, ...q }),
}

/** 会员比对 */
export const comparesApi = {
  template: () => download('/api/compares/template', undefined, '会员比对模板.xlsx'),
  upload: (file: File) => {
    const form = new FormData()
    form.append('file', file, file.name)
    return http.upload<Compare>('/api/compares', form)
  },
  list: (q: { file_name?: string; uploader_id?: string; state?: string } & PageQuery) =>
    http.get<Page<Compare>>('/api/compares', { ...q }),
  get: (id: string) => http.get<Compare>(`/api/compares/${encodeURIComponent(id)}`),
  /** 查看处理详情: members on the platform but not in the roster */
  missing: (id: string, q: PageQuery) =>
    http.get<Page<CompareMissing>>(`/api/compares/${encodeURIComponent(id)}/missing`, { ...q }),
  /** 转出 makes a transfer request; 退休 / 死亡 / 犯罪 delete the member; 保留 keeps them */
  handle: (id: string, memberId: string, body: CompareHandlingBody) =>
    http.post<{ member_id: string; handling: string; handled_by: string }>(
      `/api/compares/${encodeURIComponent(id)}/missing/${encodeURIComponent(memberId)}/handling`,
      body,
    ),
  /** 下载比对结果: people in the file but not on the platform, in the import template's columns. */
  extraXlsx: (id: string) =>
    download(`/api/compares/${encodeURIComponent(id)}/extra.xlsx`, undefined, '比对结果.xlsx'),
}
