/// <reference types="vitest/config" />
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// The Python gateway serves dist/ at / (SPA fallback) and the API under /api.
// In dev, `npm run dev` proxies /api to a gateway on port 8000.
export default defineConfig({
  plugins: [vue()],
  resolve: {
    alias: { '@': '/src' },
  },
  define: {
    __VUE_I18N_FULL_INSTALL__: false,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: 'http://127.0.0.1:8000', changeOrigin: false },
    },
  },
  test: {
    // Mounting every page is CPU-bound; on a busy 2-core CI machine 5 s is not enough.
    testTimeout: 60_000,
    // Element Plus through Vite like the app, so it shares the app's Vue: left to Node it loads a
    // second copy of Vue, and el-form validation (rules, error messages) silently never runs.
    server: { deps: { inline: ['element-plus'] } },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
  },
})
