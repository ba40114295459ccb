/** Who is logged in (`Me`), and the login/logout actions. */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { authApi } from '@/api/auth'
import { ApiError } from '@/api/errors'
import type { LoginBody, Me, MenuKey } from '@/api/types'

export const useSessionStore = defineStore('session', () => {
  const me = ref<Me | null>(null)
  /** true once /api/me has been asked this page load (answered or 401) */
  const checked = ref(false)

  const loggedIn = computed(() => me.value !== null)
  const menus = computed<MenuKey[]>(() => me.value?.menus ?? [])
  const mustChangePassword = computed(() => me.value?.must_change_password === true)

  function can(key: MenuKey): boolean {
    return menus.value.includes(key)
  }

  /** Load the session once per page load; null when not logged in. Other errors propagate. */
  async function ensure(): Promise<Me | null> {
    if (checked.value) return me.value
    return refresh()
  }

  async function refresh(): Promise<Me | null> {
    try {
      me.value = await authApi.me()
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401) throw e
      me.value = null
    } finally {
      checked.value = true
    }
    return me.value
  }

  async function login(body: LoginBody): Promise<Me> {
    me.value = await authApi.login(body)
    checked.value = true
    return me.value
  }

  /** Forget the session locally (after logout, or when the server says it expired). */
  function clear(): void {
    me.value = null
    checked.value = true
  }

  async function logout(allDevices = false): Promise<void> {
    try {
      await (allDevices ? authApi.logoutAll() : authApi.logout())
    } finally {
      clear()
    }
  }

  return { me, checked, loggedIn, menus, mustChangePassword, can, ensure, refresh, login, logout, clear }
})
