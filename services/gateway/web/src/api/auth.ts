import { http } from './http'
import type { Captcha, LoginBody, Me } from './types'

export const authApi = {
  captcha: () => http.get<Captcha>('/api/captcha'),
  login: (body: LoginBody) => http.post<Me>('/api/auth/login', body),
  logout: () => http.post<void>('/api/auth/logout'),
  /** Ends every session of this account (退出全部设备). */
  logoutAll: () => http.post<void>('/api/auth/logout-all'),
  me: () => http.get<Me>('/api/me'),
  changePassword: (old_password: string, new_password: string) =>
    http.post<void>('/api/auth/password', { old_password, new_password }),
}
