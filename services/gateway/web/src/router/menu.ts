/**
 * THE route/menu table. One entry = one page in the left sidebar (when the server lists its `key`
 * in `Me.menus`) and one route. To add a page: create `src/pages/<area>/<Name>Page.vue` and add an
 * entry below (see README.md). Nothing else reads the menu.
 */
import type { Component } from 'vue'
import type { RouteComponent } from 'vue-router'
import {
  Avatar,
  Checked,
  CreditCard,
  Files,
  List,
  DataAnalysis,
  Document,
  Finished,
  House,
  Key,
  OfficeBuilding,
  Setting,
  Stamp,
  School,
  User,
  Tickets,
  Unlock,
  Upload,
} from '@element-plus/icons-vue'
import type { MenuKey } from '@/api/types'
// 会员专享保障
import { Coin, DocumentChecked, Memo, Notebook, Promotion, SetUp, Stopwatch, Umbrella, Wallet } from '@element-plus/icons-vue'
// 缴费管理
import { Money, Postcard, RefreshLeft, Ticket } from '@element-plus/icons-vue'
import { Histogram } from '@element-plus/icons-vue'
// 互助保障
import { EditPen, FirstAidKit, UserFilled } from '@element-plus/icons-vue'

export interface MenuEntry {
  /** the menu key the server grants in `Me.menus`; the page is reachable only when granted */
  key: MenuKey
  /** URL path (absolute) */
  path: string
  /** menu text and page title */
  title: string
  icon?: Component
  /** sidebar sub-menu this entry sits in (see MENU_GROUPS); top level when absent */
  group?: keyof typeof MENU_GROUPS
  /** the page (lazy: each page is its own chunk) */
  component: () => Promise<RouteComponent | { default: RouteComponent }>
  /** a route without a sidebar item (detail pages …); still requires `key` to be granted */
  hidden?: boolean
}

/** Sidebar sub-menus, in display order. */
export const MENU_GROUPS = {
  org: { title: '组织管理', icon: OfficeBuilding as Component },
  members: { title: '会员管理', icon: Avatar as Component },
  cards: { title: '会员服务卡', icon: CreditCard as Component },
  enrollment: { title: '会员专享保障', icon: Umbrella as Component },
  billing: { title: '缴费管理', icon: Money as Component },
  mutualAid: { title: '互助保障', icon: FirstAidKit as Component },
  retiree: { title: '退休住院计划', icon: FirstAidKit as Component },
  system: { title: '系统管理', icon: Setting as Component },
}

export const MENU: MenuEntry[] = [
  {
    key: 'workbench',
    path: '/workbench',
    title: '业务工作台',
    icon: House,
    component: () => import('@/pages/workbench/WorkbenchPage.vue'),
  },
  {
    key: 'orgs',
    path: '/orgs',
    title: '组织查询管理',
    group: 'org',
    icon: OfficeBuilding,
    component: () => import('@/pages/orgs/OrgQueryPage.vue'),
  },
  {
    key: 'org-info',
    path: '/org-info',
    title: '本单位信息',
    group: 'org',
    icon: School,
    component: () => import('@/pages/org-info/OrgInfoPage.vue'),
  },
  {
    key: 'enterprises',
    path: '/enterprises',
    title: '未建会单位',
    group: 'org',
    icon: Tickets,
    component: () => import('@/pages/enterprises/EnterprisesPage.vue'),
  },
  {
    key: 'members',
    path: '/members',
    title: '会员信息',
    group: 'members',
    icon: Avatar,
    component: () => import('@/pages/members/MembersPage.vue'),
  },
  {
    key: 'member-imports',
    path: '/member-imports',
    title: '批量导入',
    group: 'members',
    icon: Upload,
    component: () => import('@/pages/members/MemberImportsPage.vue'),
  },
  {
    key: 'member-reviews',
    path: '/member-reviews',
    title: '会籍审核管理',
    group: 'members',
    icon: Finished,
    component: () => import('@/pages/members/MemberReviewsPage.vue'),
  },
  {
    key: 'member-compares',
    path: '/member-compares',
    title: '会员比对',
    group: 'members',
    icon: DataAnalysis,
    component: () => import('@/pages/members/MemberComparesPage.vue'),
  },
  {
    key: 'card-info',
    path: '/card-info',
    title: '卡片信息管理',
    group: 'cards',
    icon: CreditCard,
    component: () => import('@/pages/cards/CardInfoPage.vue'),
  },
  {
    key: 'card-pending',
    path: '/card-pending',
    title: '待办会员列表',
    group: 'cards',
    icon: List,
    component: () => import('@/pages/cards/CardPendingPage.vue'),
  },
  {
    key: 'card-batches',
    path: '/card-batches',
    title: '办卡批次管理',
    group: 'cards',
    icon: Files,
    component: () => import('@/pages/cards/CardBatchesPage.vue'),
  },
  {
    key: 'card-revocations',
    path: '/card-revocations',
    title: '撤销申请审核',
    group: 'cards',
    icon: Checked,
    component: () => import('@/pages/cards/CardRevocationsPage.vue'),
  },
  {
    key: 'enrollment-programmes',
    path: '/enrollment-programmes',
    title: '项目与保障类型',
    group: 'enrollment',
    icon: SetUp,
    component: () => import('@/pages/enrollment/ProgrammesPage.vue'),
  },
  {
    key: 'enrollment-splits',
    path: '/enrollment-splits',
    title: '保障金额设置',
    group: 'enrollment',
    icon: Coin,
    component: () => import('@/pages/enrollment/SplitsPage.vue'),
  },
  {
    key: 'enrollment-confirmations',
    path: '/enrollment-confirmations',
    title: '集中参保待确认名单',
    group: 'enrollment',
    icon: DocumentChecked,
    component: () => import('@/pages/enrollment/ConfirmationsPage.vue'),
  },
  {
    key: 'enrollment-collective',
    path: '/enrollment-collective',
    title: '集中参保办理',
    group: 'enrollment',
    icon: Umbrella,
    component: () => import('@/pages/enrollment/CollectivePage.vue'),
  },
  {
    key: 'enrollment-instant',
    path: '/enrollment-instant',
    title: '即时参保',
    group: 'enrollment',
    icon: Stopwatch,
    component: () => import('@/pages/enrollment/InstantPage.vue'),
  },
  {
    key: 'enrollment-reviews',
    path: '/enrollment-reviews',
    title: '参保审核',
    group: 'enrollment',
    icon: Memo,
    component: () => import('@/pages/enrollment/ReviewPage.vue'),
  },
  {
    key: 'enrollment-staged',
    path: '/enrollment-staged',
    title: '待提交参保列表',
    group: 'enrollment',
    icon: Promotion,
    component: () => import('@/pages/enrollment/StagedPage.vue'),
  },
  {
    key: 'enrollment-batches',
    path: '/enrollment-batches',
    title: '参保批次管理',
    group: 'enrollment',
    icon: Wallet,
    component: () => import('@/pages/enrollment/BatchesPage.vue'),
  },
  {
    key: 'enrollment-submissions',
    path: '/enrollment-submissions',
    title: '参保信息管理',
    group: 'enrollment',
    icon: Notebook,
    component: () => import('@/pages/enrollment/SubmissionsPage.vue'),
  },
  {
    key: 'billing-payables',
    path: '/billing-payables',
    title: '应缴清单',
    group: 'billing',
    icon: Tickets,
    component: () => import('@/pages/billing/PayablesPage.vue'),
  },
  {
    key: 'billing-vouchers',
    path: '/billing-vouchers',
    title: '缴费凭证',
    group: 'billing',
    icon: Postcard,
    component: () => import('@/pages/billing/VouchersPage.vue'),
  },
  {
    key: 'billing-review',
    path: '/billing-review',
    title: '凭证审核',
    group: 'billing',
    icon: DocumentChecked,
    component: () => import('@/pages/billing/VoucherReviewPage.vue'),
  },
  {
    key: 'billing-refunds',
    path: '/billing-refunds',
    title: '退款管理',
    group: 'billing',
    icon: RefreshLeft,
    component: () => import('@/pages/billing/RefundsPage.vue'),
  },
  {
    key: 'billing-receipts',
    path: '/billing-receipts',
    title: '专用收据',
    group: 'billing',
    icon: Ticket,
    component: () => import('@/pages/billing/ReceiptsPage.vue'),
  },
  {
    key: 'billing-accounts',
    path: '/billing-accounts',
    title: '收款帐户',
    group: 'billing',
    icon: CreditCard,
    component: () => import('@/pages/billing/ReceivingAccountsPage.vue'),
  },
  {
    key: 'billing-reconciliation',
    path: '/billing-reconciliation',
    title: '对账',
    group: 'billing',
    icon: Histogram,
    component: () => import('@/pages/billing/ReconciliationPage.vue'),
  },
  {
    key: 'mutual-aid-code-applications',
    path: '/mutual-aid-code-applications',
    title: '参保编码申请',
    group: 'mutualAid',
    icon: Stamp,
    component: () => import('@/pages/mutual-aid/CodeApplicationsPage.vue'),
  },
  {
    key: 'mutual-aid-handler',
    path: '/mutual-aid-handler',
    title: '经办人信息',
    group: 'mutualAid',
    icon: UserFilled,
    component: () => import('@/pages/mutual-aid/HandlerPage.vue'),
  },
  {
    key: 'mutual-aid-name-changes',
    path: '/mutual-aid-name-changes',
    title: '单位名称变更',
    group: 'mutualAid',
    icon: EditPen,
    component: () => import('@/pages/mutual-aid/NameChangesPage.vue'),
  },
  {
    key: 'mutual-aid-code-review',
    path: '/mutual-aid-code-review',
    title: '参保编码审核',
    group: 'mutualAid',
    icon: DocumentChecked,
    component: () => import('@/pages/mutual-aid/CodeReviewPage.vue'),
  },
  {
    key: 'mutual-aid-name-change-review',
    path: '/mutual-aid-name-change-review',
    title: '名称变更审核',
    group: 'mutualAid',
    icon: Finished,
    component: () => import('@/pages/mutual-aid/NameChangeReviewPage.vue'),
  },
  {
    key: 'mutual-aid-batches',
    path: '/mutual-aid-batches',
    title: '参保批次管理',
    group: 'mutualAid',
    icon: Files,
    component: () => import('@/pages/mutual-aid/BatchesPage.vue'),
  },
  {
    key: 'mutual-aid-batch-review',
    path: '/mutual-aid-batch-review',
    title: '清册附件审核',
    group: 'mutualAid',
    icon: Checked,
    component: () => import('@/pages/mutual-aid/BatchReviewPage.vue'),
  },
  {
    // 互助保障年度设置: the city sets a year's 清册校验 rules (windows, items and prices shown)
    key: 'mutual-aid-years',
    path: '/mutual-aid-years',
    title: '互助保障年度设置',
    group: 'mutualAid',
    icon: Setting,
    component: () => import('@/pages/mutual-aid/YearSettingsPage.vue'),
  },
  {
    // the insurer's loads of a year that 清册校验 compares rosters with
    key: 'mutual-aid-suggested',
    path: '/mutual-aid-suggested',
    title: '建议清册',
    group: 'mutualAid',
    icon: List,
    component: () => import('@/pages/mutual-aid/SuggestedRosterPage.vue'),
  },
  {
    key: 'mutual-aid-headcounts',
    path: '/mutual-aid-headcounts',
    title: '社保在职人数',
    group: 'mutualAid',
    icon: DataAnalysis,
    component: () => import('@/pages/mutual-aid/HeadcountsPage.vue'),
  },
  // 退休住院计划 (manual 003): units work their batches through the step bar (参保办理) and follow them (参保批次);
  // the insurer reviews (参保审核), loads last year's units (单位名单) and reviews name changes; the city sets a year.
  {
    key: 'retiree-enrol',
    path: '/retiree-enrol',
    title: '参保办理',
    group: 'retiree',
    icon: EditPen,
    component: () => import('@/pages/retiree/EnrolPage.vue'),
  },
  {
    key: 'retiree-batches',
    path: '/retiree-batches',
    title: '参保批次',
    group: 'retiree',
    icon: Files,
    component: () => import('@/pages/retiree/BatchesPage.vue'),
  },
  {
    key: 'retiree-review',
    path: '/retiree-review',
    title: '参保审核',
    group: 'retiree',
    icon: Checked,
    component: () => import('@/pages/retiree/ReviewPage.vue'),
  },
  {
    key: 'retiree-units',
    path: '/retiree-units',
    title: '单位名单',
    group: 'retiree',
    icon: OfficeBuilding,
    component: () => import('@/pages/retiree/UnitsPage.vue'),
  },
  {
    key: 'retiree-name-changes',
    path: '/retiree-name-changes',
    title: '单位名称变更审核',
    group: 'retiree',
    icon: Finished,
    component: () => import('@/pages/retiree/NameChangeReviewPage.vue'),
  },
  {
    key: 'retiree-years',
    path: '/retiree-years',
    title: '年度设置',
    group: 'retiree',
    icon: Setting,
    component: () => import('@/pages/retiree/YearPage.vue'),
  },
  {
    key: 'accounts',
    path: '/accounts',
    title: '账号管理',
    group: 'system',
    icon: User,
    component: () => import('@/pages/accounts/AccountsPage.vue'),
  },
  {
    key: 'registrations',
    path: '/registrations',
    title: '企业注册审核',
    group: 'system',
    icon: Stamp,
    component: () => import('@/pages/registrations/RegistrationsPage.vue'),
  },
  {
    key: 'password-resets',
    path: '/password-resets',
    title: '密码重置申请',
    group: 'system',
    icon: Unlock,
    component: () => import('@/pages/password-resets/PasswordResetsPage.vue'),
  },
  {
    // 退休住院计划 预派账号 (tuixiu+参保编码): the insurer and the platform admin
    key: 'retiree-accounts',
    path: '/retiree-accounts',
    title: '预派账号管理',
    group: 'system',
    icon: Key,
    component: () => import('@/pages/retiree-accounts/RetireeAccountsPage.vue'),
  },
  {
    key: 'audit',
    path: '/audit',
    title: '操作日志',
    group: 'system',
    icon: Document,
    component: () => import('@/pages/audit/AuditPage.vue'),
  },
]

/** Icon for pages without one. */
export const DEFAULT_ICON: Component = Key

/** The sidebar for a user: granted entries, grouped, in table order. */
export interface SidebarItem {
  group?: { id: string; title: string; icon: Component }
  entries: MenuEntry[]
}

export function sidebarFor(granted: readonly MenuKey[]): SidebarItem[] {
  const visible = MENU.filter((e) => !e.hidden && granted.includes(e.key))
  const items: SidebarItem[] = []
  for (const entry of visible) {
    if (!entry.group) {
      items.push({ entries: [entry] })
      continue
    }
    const existing = items.find((i) => i.group?.id === entry.group)
    if (existing) existing.entries.push(entry)
    else items.push({ group: { id: entry.group, ...MENU_GROUPS[entry.group] }, entries: [entry] })
  }
  return items
}

/** Where "/" leads: the first granted page. */
export function homePath(granted: readonly MenuKey[]): string | null {
  return MENU.find((e) => !e.hidden && granted.includes(e.key))?.path ?? null
}
