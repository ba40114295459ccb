import { createApp } from 'vue'
import { createPinia } from 'pinia'
import ElementPlus, { ElMessage } from 'element-plus'
import 'element-plus/dist/index.css'
import './styles.css'

import App from './App.vue'
import { i18n, t } from './i18n'
import { router } from './router'
import { ApiError } from './api/errors'
import { setUnauthorizedHandler } from './api/http'
import { showError } from './lib/notify'
import { useSessionStore } from './stores/session'
import './lib/time' // dayjs plugins + zh-cn locale (also used by Element Plus date pickers)

const app = createApp(App)
const pinia = createPinia()
app.use(pinia).use(router).use(i18n).use(ElementPlus)

// A request answered 401 while logged in: the session expired or was ended elsewhere.
setUnauthorizedHandler((err) => {
  const session = useSessionStore(pinia)
  if (!session.loggedIn) return
  session.clear()
  ElMessage({ type: 'warning', message: err.title || t('layout.sessionExpired'), grouping: true })
  const current = router.currentRoute.value
  if (!current.meta.public) router.push({ name: 'login', query: { redirect: current.fullPath } })
})

// Safety net: an API failure nobody caught still shows the server's title.
window.addEventListener('unhandledrejection', (event) => {
  if (event.reason instanceof ApiError) {
    event.preventDefault()
    showError(event.reason)
  }
})
app.config.errorHandler = (err) => {
  showError(err)
  console.error(err)
}

app.mount('#app')
