import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { cspPlugin } from './build/csp-plugin.ts';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react(), cspPlugin()],
  // The protocol types are shared with the backend (src/protocol).
  server: { host: '127.0.0.1', port: 5173, fs: { allow: ['..'] } },
  preview: { host: '127.0.0.1', port: 4173 },
  build: { outDir: 'dist', emptyOutDir: true },
});
