/**
 * Which kind of org may be created under which (mirrors the org service's CHILD_KINDS; the server
 * decides, this only keeps the 新建组织 kind list sensible). 临时工会 is created automatically.
 */
import { OrgKind } from '@/api/types'

const GRASSROOTS_CREATABLE: OrgKind[] = [OrgKind.STANDALONE, OrgKind.JOINT, OrgKind.FEDERATION]

export const CHILD_KINDS: Record<OrgKind, OrgKind[]> = {
  [OrgKind.CITY]: [OrgKind.DISTRICT],
  [OrgKind.DISTRICT]: [OrgKind.SECONDARY, ...GRASSROOTS_CREATABLE],
  [OrgKind.SECONDARY]: [OrgKind.SECONDARY, ...GRASSROOTS_CREATABLE],
  [OrgKind.FEDERATION]: [OrgKind.STANDALONE, OrgKind.JOINT],
  [OrgKind.STANDALONE]: [OrgKind.BRANCH],
  [OrgKind.JOINT]: [OrgKind.BRANCH],
  [OrgKind.BRANCH]: [],
  [OrgKind.TEMPORARY]: [],
}

export function childKinds(parent: OrgKind | null | undefined): OrgKind[] {
  return parent ? (CHILD_KINDS[parent] ?? []) : []
}

/** Kinds that can never be moved (转移组织) or deleted. */
export const FIXED_KINDS: OrgKind[] = [OrgKind.CITY, OrgKind.DISTRICT, OrgKind.TEMPORARY]

export const ALL_KINDS: OrgKind[] = Object.values(OrgKind)

/** 经济类型 choices (free text is also accepted by the server). */
export const ECONOMIC_TYPES = [
  '国有企业',
  '集体企业',
  '私营企业',
  '股份有限公司',
  '有限责任公司',
  '外商投资企业',
  '港澳台商投资企业',
  '事业单位',
  '机关',
  '社会团体',
  '民办非企业单位',
  '其他',
]

/** 所属行业: GB/T 4754 门类. */
export const INDUSTRIES = [
  '农、林、牧、渔业',
  '采矿业',
  '制造业',
  '电力、热力、燃气及水生产和供应业',
  '建筑业',
  '批发和零售业',
  '交通运输、仓储和邮政业',
  '住宿和餐饮业',
  '信息传输、软件和信息技术服务业',
  '金融业',
  '房地产业',
  '租赁和商务服务业',
  '科学研究和技术服务业',
  '水利、环境和公共设施管理业',
  '居民服务、修理和其他服务业',
  '教育',
  '卫生和社会工作',
  '文化、体育和娱乐业',
  '公共管理、社会保障和社会组织',
  '国际组织',
]
