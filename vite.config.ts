import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Relative base so the production build also works from static files (file:// or any sub-path).
export default defineConfig({
  base: './',
  plugins: [react()],
  server: { host: 'localhost', port: 5173, strictPort: true },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
  build: { target: 'es2022', sourcemap: true },
});
