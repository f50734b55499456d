import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// `npm run dev` proxies the API to a running server (HEATSHIELD_URL, default :8080),
// so the app and the API share an origin just like in production.
const api = process.env.HEATSHIELD_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: {
      '/graphql': { target: api, changeOrigin: true, ws: true },
      '/healthz': { target: api, changeOrigin: true },
    },
  },
  build: {
    outDir: 'dist',
    sourcemap: true,
    chunkSizeWarningLimit: 1000,
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./vitest.setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
    restoreMocks: true,
    unstubGlobals: true,
    // One jsdom for all files: ~5x faster on 2 cores. Tests keep no module state, and
    // storage, mocks, stubbed globals and the DOM are reset after each test.
    pool: 'threads',
    isolate: false,
  },
});
