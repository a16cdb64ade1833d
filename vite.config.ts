import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * Puts the entry script and the stylesheet into index.html itself. Browsers refuse module scripts
 * and stylesheets loaded from file:// (an opaque origin), so only an inlined page opens from static
 * files with no server at all; served over http it behaves the same. The app is one chunk; should
 * a build ever split it, nothing is inlined (a split chunk imports the entry by its file name).
 */
function inlineEntry(): Plugin {
  return {
    name: 'xenscope-inline-entry',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const html = Object.values(bundle).find((f) => f.type === 'asset' && f.fileName === 'index.html');
      if (html === undefined || html.type !== 'asset') return;
      const chunks = Object.values(bundle).filter((f) => f.type === 'chunk');
      if (chunks.length !== 1) return;
      let page = String(html.source);
      for (const file of Object.values(bundle)) {
        const ref = `./${file.fileName}`;
        if (file.type === 'chunk' && file.isEntry) {
          const tag = new RegExp(
            `<script type="module" crossorigin src="${ref.replace(/[.$?]/g, '\\$&')}"></script>`,
          );
          if (!tag.test(page)) continue;
          // `</script` inside the code would end the element early
          const code = file.code
            .replace(/<\/script/gi, '<\\/script')
            .replace(/\/\/# sourceMappingURL=\S+\s*$/, '');
          page = page.replace(tag, () => `<script type="module">${code}</script>`);
          delete bundle[file.fileName];
          if (bundle[`${file.fileName}.map`] !== undefined) delete bundle[`${file.fileName}.map`];
        } else if (file.type === 'asset' && file.fileName.endsWith('.css')) {
          const tag = new RegExp(
            `<link rel="stylesheet" crossorigin href="${ref.replace(/[.$?]/g, '\\$&')}">`,
          );
          if (!tag.test(page)) continue;
          page = page.replace(tag, () => `<style>${String(file.source)}</style>`);
          delete bundle[file.fileName];
        }
      }
      html.source = page;
    },
  };
}

// Relative base so the production build also works from static files (file:// or any sub-path).
export default defineConfig({
  base: './',
  plugins: [react(), inlineEntry()],
  server: { host: 'localhost', port: 5173, strictPort: true },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 1024 },
});
