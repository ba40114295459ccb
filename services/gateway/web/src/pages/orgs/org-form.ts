/** Helpers between the org form and the API. */
import type { Org, OrgFields, OrgKind, OrgUpdate } from '@/api/types'

export type OrgFormModel = OrgFields & { kind?: OrgKind | '' }

export const ORG_FIELDS: Array<keyof OrgFields> = [
  'name',
  'uscc',
  'economic_type',
  'industry',
  'union_code',
  'contact_name',
  'contact_phone',
  'address',
  'social_security_code',
]

export function emptyOrgForm(): OrgFormModel {
  return {
    kind: '',
    name: '',
    uscc: '',
    economic_type: '',
    industry: '',
    union_code: '',
    contact_name: '',
    contact_phone: '',
    address: '',
    social_security_code: '',
  }
}

export function orgToForm(org: Org): OrgFormModel {
  const form = emptyOrgForm()
  for (const f of ORG_FIELDS) (form[f] as string) = org[f] ?? ''
  form.kind = org.kind
  return form
}

const normalise = (f: keyof OrgFields, v: string | null | undefined): string | null => {
  const s = (v ?? '').trim()
  if (!s) return null
  return f === 'uscc' ? s.toUpperCase() : s
}

/** Only the fields the user changed (a PATCH must not send masked values back). Cleared → null. */
export function changedFields(org: Org, form: OrgFormModel): OrgUpdate {
  const out: Record<string, string | null> = {}
  for (const f of ORG_FIELDS) {
    const next = normalise(f, form[f])
    if (next !== normalise(f, org[f])) out[f] = next
  }
  return out as OrgUpdate
}

/** The form as an OrgFields body (create). */
export function formToFields(form: OrgFormModel): OrgFields {
  const out: Record<string, string | null> = {}
  for (const f of ORG_FIELDS) out[f] = normalise(f, form[f])
  return { ...(out as unknown as OrgFields), name: out.name ?? '', union_code: out.union_code ?? '' }
}

/** The filter form of 组织查询管理. */
export interface OrgFilterModel {
  name: string
  uscc: string
  economic_type: string
  industry: string
  enterprise_name: string
  kind: OrgKind | ''
}

export const emptyOrgFilters = (): OrgFilterModel => ({
  name: '',
  uscc: '',
  economic_type: '',
  industry: '',
  enterprise_name: '',
  kind: '',
})
