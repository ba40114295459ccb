import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import type { MenuKey } from '@/api/types'
import { useSessionStore } from '@/stores/session'
import { showError } from '@/lib/notify'
import { MENU, homePath } from './menu'

declare module 'vue-router' {
  interface RouteMeta {
    /** reachable without a session */
    public?: boolean
    /** the menu key that must be granted in `Me.menus` */
    menu?: MenuKey
    title?: string
  }
}

const menuRoutes: RouteRecordRaw[] = MENU.map((e) => ({
  path: e.path.replace(/^\//, ''),
  name: e.key,
  component: e.component,
  meta: { menu: e.key, title: e.title },
}))

const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: () => import('@/pages/auth/LoginPage.vue'),
    meta: { public: true, title: '登录' },
  },
  {
    path: '/register',
    name: 'register',
    component: () => import('@/pages/auth/RegisterPage.vue'),
    meta: { public: true, title: '企业注册' },
  },
  {
    path: '/forgot-password',
    name: 'forgot-password',
    component: () => import('@/pages/auth/ForgotPasswordPage.vue'),
    meta: { public: true, title: '找回密码' },
  },
  {
    path: '/change-password',
    name: 'change-password',
    component: () => import('@/pages/auth/ChangePasswordPage.vue'),
    meta: { title: '修改密码' },
  },
  {
    path: '/',
    component: () => import('@/layouts/MainLayout.vue'),
    children: [
      { path: '', name: 'home', component: () => import('@/pages/NoMenusPage.vue'), meta: { title: '首页' } },
      ...menuRoutes,
    ],
  },
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('@/pages/NotFoundPage.vue'),
    meta: { public: true, title: '页面不存在' },
  },
]

export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes,
  scrollBehavior: () => ({ top: 0 }),
})

router.beforeEach(async (to) => {
  if (to.meta.public) return true
  const session = useSessionStore()
  let me
  try {
    me = await session.ensure()
  } catch (e) {
    showError(e)
    me = null
  }
  if (!me) {
    return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } }
  }
  if (me.must_change_password) {
    return to.name === 'change-password' ? true : { name: 'change-password' }
  }
  if (to.name === 'home') {
    const home = homePath(me.menus)
    return home ?? true
  }
  if (to.meta.menu && !me.menus.includes(to.meta.menu)) {
    return homePath(me.menus) ?? { name: 'home' }
  }
  return true
})

router.afterEach((to) => {
  const app = '上海工会网上工作平台'
  document.title = to.meta.title ? `${to.meta.title} - ${app}` : app
})
