// `npm run bench`: every performance figure, one per line, as `name: value unit`.
// 1. The production bundle's JavaScript size (raw and gzip), from a fresh `vite build`.
// 2. Each benchmark script in bench/ (bundled with esbuild, run with node), which prints its own figures.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { npx, run } from './run.mjs';

// Figures are measured on one core: every benchmark process (and the server it starts) is pinned to
// CPU 0 with taskset where it exists, so a second core cannot flatter the numbers.
const pin = spawnSync('taskset', ['-c', '0', 'true']).status === 0;

const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;

if (npx(['vite', 'build', '--logLevel', 'error']) !== 0) {
  console.error('bench: vite build failed');
  process.exit(1);
}
// The entry script is inlined into index.html (so the page opens from file://); chunks loaded on
// demand, if any, are files under assets/.
const scriptsJs = [
  ...readFileSync(join('dist', 'index.html'), 'utf8').matchAll(/<script type="module">([\s\S]*?)<\/script>/g),
].map((m) => Buffer.from(m[1]));
const assets = join('dist', 'assets');
let files = [];
try {
  files = readdirSync(assets).filter((f) => f.endsWith('.js'));
} catch {
  // no chunks beside the page
}
for (const file of files) scriptsJs.push(readFileSync(join(assets, file)));
let raw = 0;
let gzip = 0;
for (const bytes of scriptsJs) {
  raw += bytes.length;
  gzip += gzipSync(bytes, { level: 9 }).length;
}
console.log(`bundle.js.raw: ${kB(raw)}`);
console.log(`bundle.js.gzip: ${kB(gzip)}`);

let status = 0;
const only = process.argv.slice(2);
const scripts = readdirSync('bench')
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
for (const script of scripts) {
  // Each benchmark runs as one bundled ES module (as the app ships: no per-module loader, no
  // re-export getters); --expose-gc lets memory figures collect garbage before they read the heap.
  if (script === 'ui.ts') {
    // the browser measures the production build; Chromium gets both cores (see the README)
    const s = run('npx', ['--no-install', 'tsx', join('bench', script)]);
    if (s !== 0) {
      console.error(`bench: ${script} failed (exit ${s})`);
      status = 1;
    }
    continue;
  }
  if (script === 'server.ts') {
    // the socket server benchmark starts `npm run xenstored`'s entry point from its own location: run as source
    const tsx = ['npx', '--no-install', 'tsx', '--expose-gc', join('bench', script)];
    const s = pin ? run('taskset', ['-c', '0', ...tsx]) : run(tsx[0], tsx.slice(1));
    if (s !== 0) {
      console.error(`bench: ${script} failed (exit ${s})`);
      status = 1;
    }
    continue;
  }
  const bundle = join('dist', 'bench', script.replace(/\.ts$/, '.mjs'));
  const built = npx([
    'esbuild',
    join('bench', script),
    '--bundle',
    '--platform=node',
    '--format=esm',
    '--packages=external',
    `--outfile=${bundle}`,
    '--log-level=warning',
  ]);
  if (built !== 0) {
    console.error(`bench: could not bundle ${script}`);
    status = 1;
    continue;
  }
  const node = [process.execPath, '--expose-gc', bundle];
  const s = pin ? run('taskset', ['-c', '0', ...node]) : run(node[0], node.slice(1));
  if (s !== 0) {
    console.error(`bench: ${script} failed (exit ${s})`);
    status = 1;
  }
}
process.exit(status);
