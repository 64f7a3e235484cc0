import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The dashboard: `npm run build:web` writes web/dist, which the API process serves at `/`.
 * `npm run dev:web` serves it with hot reload on :5173 and proxies the API to :8080
 * (run `npm start` alongside).
 */
const api = process.env.DYOCENSE_API ?? 'http://localhost:8080';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 800 },
  server: {
    port: 5173,
    strictPort: true,
    proxy: { '/v1': { target: api, changeOrigin: true } },
  },
});
