/**
 * Throughput and memory of the xenstore engine, measured through store.handle() with real wire
 * payloads (what the socket server and the simulator use). Prints one figure per line:
 *
 *   xenstore.read: <n> ops/s                 READ of one 5-byte value, dom0
 *   xenstore.write_1000_watches: <n> ops/s    WRITE of existing leaves, 1,000 watches in the tree
 *   xenstore.transaction_5_writes: <n> commits/s   START, 5 WRITEs, END(T), unprivileged domain
 *   xenstore.directory_100: <n> ops/s         DIRECTORY of a node with 100 children
 *   xenstore.bytes_per_node: <n> bytes        heap growth per node with 100,000 nodes
 *   xenstore.clone_10000_nodes: <ms> ms        XenStore.clone() of 10,000 nodes, watches, an open transaction
 *
 * Each rate is the median of several runs of at least one second, after a warm-up, on one core;
 * the clone time is the median of many single clones, the source changing a little between them.
 * The memory figure needs global.gc: without --expose-gc the script re-runs itself with it.
 * Usage: npx tsx bench/xenstore.ts [--runs N]
 */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { XenStore, XsMsg } from '../src/xenstore';
import { XsType, createXenStore, requestMsg } from '../src/xenstore';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) {
  const self = fileURLToPath(import.meta.url);
  const child = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', self, ...process.argv.slice(2)],
    {
      stdio: 'inherit',
    },
  );
  process.exit(child.status ?? 1);
}

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
const RUN_SECONDS = 1;
const WARMUP_SECONDS = 0.3;

/** Calls `batch()` (which does `perBatch` operations) until `seconds` have passed; returns ops/s. */
function rate(seconds: number, perBatch: number, batch: () => void): number {
  let ops = 0;
  const start = performance.now();
  let now = start;
  while (now - start < seconds * 1000) {
    batch();
    ops += perBatch;
    now = performance.now();
  }
  return (ops * 1000) / (now - start);
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function measure(perBatch: number, batch: () => void): number {
  rate(WARMUP_SECONDS, perBatch, batch);
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(rate(RUN_SECONDS, perBatch, batch));
  return median(runs);
}

function ok(store: XenStore, conn: number, msg: XsMsg): Uint8Array {
  const { reply } = store.handle(conn, msg);
  if (reply === null || reply.type === XsType.ERROR) {
    const why = reply === null ? 'closed' : new TextDecoder().decode(reply.payload);
    throw new Error(`bench setup: type ${msg.type} failed: ${why}`);
  }
  return reply.payload;
}

function print(name: string, value: number, unit: string): void {
  console.log(`${name}: ${Math.round(value)} ${unit}`);
}

function benchRead(): number {
  const store = createXenStore();
  const dom0 = store.connect({ domid: 0, privileged: true, kind: 'socket' });
  const path = '/local/domain/1/device/vbd/51712/state';
  ok(store, dom0, requestMsg('WRITE', [path, '4']));
  ok(store, dom0, requestMsg('WRITE', ['/local/domain/1/device/vbd/51712/ring-ref', '8']));
  const msg = requestMsg('READ', [path]);
  return measure(1000, () => {
    for (let i = 0; i < 1000; i++) store.handle(dom0, msg);
  });
}

function benchWriteWithWatches(): number {
  const store = createXenStore();
  const dom0 = store.connect({ domid: 0, privileged: true, kind: 'socket' });
  // 10 watching tool connections × 100 watches: 1,000 watches on directories and leaves
  const watchers = Array.from({ length: 10 }, () =>
    store.connect({ domid: 0, privileged: true, kind: 'socket' }),
  );
  const leaves: string[] = [];
  for (let d = 0; d < 100; d++) {
    for (let n = 0; n < 10; n++) {
      const leaf = `/local/domain/${1 + (d % 10)}/device/vif/${d}/n${n}`;
      ok(store, dom0, requestMsg('WRITE', [leaf, 'x']));
      leaves.push(leaf);
    }
  }
  let w = 0;
  for (let i = 0; i < 1000; i++) {
    const conn = watchers[i % 10] as number;
    const path = i % 10 === 0 ? (leaves[i] as string).replace(/\/n\d+$/, '') : (leaves[i] as string);
    ok(store, conn, requestMsg('WATCH', [path, `tok${w++}`]));
  }
  const msgs = leaves.map((leaf, i) => requestMsg('WRITE', [leaf, `v${i}`]));
  return measure(msgs.length, () => {
    for (const m of msgs) store.handle(dom0, m);
  });
}

function benchTransactions(): number {
  const store = createXenStore();
  const dom0 = store.connect({ domid: 0, privileged: true, kind: 'socket' });
  const { conn: dom1 } = store.introduceDomain(1);
  const dir = '/local/domain/1/device/vbd/51712';
  ok(store, dom0, requestMsg('MKDIR', [dir]));
  ok(store, dom0, requestMsg('SET_PERMS', ['/local/domain/1', 'n1']));
  ok(store, dom0, requestMsg('SET_PERMS', [dir, 'n1']));
  const keys = ['ring-ref', 'event-channel', 'protocol', 'feature-persistent', 'state'];
  const payloads = keys.map((k, i) => requestMsg('WRITE', [`device/vbd/51712/${k}`, String(i)]).payload);
  const start = requestMsg('TRANSACTION_START', []);
  const commit = requestMsg('TRANSACTION_END', ['T']).payload;
  let committed = 0;
  const rateValue = measure(100, () => {
    for (let i = 0; i < 100; i++) {
      const idPayload = ok(store, dom1, start);
      let txId = 0;
      for (let j = 0; j < idPayload.length - 1; j++) txId = txId * 10 + ((idPayload[j] as number) - 48);
      for (const payload of payloads) store.handle(dom1, { type: XsType.WRITE, reqId: 0, txId, payload });
      const { reply } = store.handle(dom1, { type: XsType.TRANSACTION_END, reqId: 0, txId, payload: commit });
      if (reply !== null && reply.type !== XsType.ERROR) committed++;
    }
  });
  if (committed === 0) throw new Error('bench: no transaction committed');
  return rateValue;
}

function benchDirectory(): number {
  const store = createXenStore();
  const dom0 = store.connect({ domid: 0, privileged: true, kind: 'socket' });
  for (let i = 0; i < 100; i++)
    ok(store, dom0, requestMsg('WRITE', [`/local/domain/0/backend/vbd/${i}`, '']));
  const msg = requestMsg('DIRECTORY', ['/local/domain/0/backend/vbd']);
  return measure(1000, () => {
    for (let i = 0; i < 1000; i++) store.handle(dom0, msg);
  });
}

function benchBytesPerNode(): number {
  const collect = gc as () => void;
  const store = createXenStore();
  const dom0 = store.connect({ domid: 0, privileged: true, kind: 'socket' });
  collect();
  const before = process.memoryUsage();
  let nodes = 0;
  // 100 domains × 10 devices × 100 keys: 100,000 leaves, plus their directories
  for (let d = 1; d <= 100 && nodes < 100_000; d++) {
    for (let dev = 0; dev < 10; dev++) {
      for (let k = 0; k < 100; k++) {
        store.handle(
          dom0,
          requestMsg('WRITE', [`/local/domain/${d}/device/vbd/${51712 + dev}/key${k}`, `v${k}`]),
        );
        nodes++;
      }
    }
  }
  collect();
  const after = process.memoryUsage();
  let total = 0;
  const walk = (path: string): void => {
    total++;
    const node = store.getNode(path);
    for (const c of node?.children ?? []) walk(path === '/' ? `/${c}` : `${path}/${c}`);
  };
  walk('/');
  const grown = after.heapUsed - before.heapUsed + (after.external - before.external);
  return grown / (total - 1);
}

/**
 * A store shaped like a host with many guests: per domain a few keys, 4 vbd frontends and their
 * backends under dom0, filled to exactly `total` nodes. Returns the last leaf written.
 */
function fillHost(store: XenStore, dom0: number, total: number): string {
  const seen = new Set<string>(['/']);
  /** nodes a write of `path` would create */
  const missing = (path: string): string[] => {
    const out: string[] = [];
    for (let p = path; p !== '' && !seen.has(p); p = p.slice(0, p.lastIndexOf('/'))) out.push(p);
    return out;
  };
  const put = (path: string, value: string): boolean => {
    const fresh = missing(path);
    if (seen.size + fresh.length > total) return false;
    ok(store, dom0, requestMsg('WRITE', [path, value]));
    for (const p of fresh) seen.add(p);
    return true;
  };
  const frontKeys = ['backend', 'backend-id', 'state', 'virtual-device', 'device-type', 'ring-ref'];
  const backKeys = ['frontend', 'frontend-id', 'state', 'params', 'mode'];
  let last = '';
  let full = false;
  for (let d = 1; !full; d++) {
    const home = `/local/domain/${d}`;
    const leaves: Array<[string, string]> = [
      [`${home}/name`, `guest${d}`],
      [`${home}/domid`, String(d)],
      [`${home}/memory/target`, '524288'],
    ];
    for (let m = 0; m < 4; m++) {
      const dev = 51712 + 16 * m;
      const front = `${home}/device/vbd/${dev}`;
      const back = `/local/domain/0/backend/vbd/${d}/${dev}`;
      for (const k of frontKeys) leaves.push([`${front}/${k}`, k === 'backend' ? back : '4']);
      for (const k of backKeys) leaves.push([`${back}/${k}`, k === 'frontend' ? front : '4']);
    }
    for (const [path, value] of leaves) {
      if (put(path, value)) last = path;
      else full = true;
    }
  }
  // top up one node at a time
  for (let i = 0; seen.size < total; i++) {
    if (put(`/local/domain/0/data${i}`, '')) last = `/local/domain/0/data${i}`;
  }
  return last;
}

/** Median time of XenStore.clone() of a 10,000-node store with watches and an open transaction. */
function benchClone(): number {
  const store = createXenStore();
  const dom0 = store.connect({ domid: 0, privileged: true, kind: 'socket' });
  const last = fillHost(store, dom0, 10_000);
  ok(store, dom0, requestMsg('WATCH', ['/local/domain/0/backend/vbd', 'backend']));
  ok(store, dom0, requestMsg('WATCH', ['@introduceDomain', 'intro']));
  ok(store, dom0, requestMsg('WATCH', ['@releaseDomain', 'release']));
  for (let d = 1; d <= 5; d++) {
    ok(store, dom0, requestMsg('SET_PERMS', [`/local/domain/${d}`, `n${d}`]));
    // the frontend's own state nodes, as the toolstack hands them over
    for (let m = 0; m < 4; m++) {
      const state = `/local/domain/${d}/device/vbd/${51712 + 16 * m}/state`;
      ok(store, dom0, requestMsg('SET_PERMS', [state, `n${d}`, 'r0']));
    }
    const { conn } = store.introduceDomain(d);
    ok(store, conn, requestMsg('WATCH', ['device/vbd', `vbd${d}`]));
  }
  const dom1 = store.introduceDomain(1).conn;
  const txId = Number(
    new TextDecoder().decode(ok(store, dom1, requestMsg('TRANSACTION_START', []))).slice(0, -1),
  );
  for (let m = 0; m < 4; m++) {
    ok(store, dom1, requestMsg('WRITE', [`device/vbd/${51712 + 16 * m}/state`, '3'], { txId }));
  }
  ok(store, dom1, requestMsg('WRITE', ['data/boot', '1'], { txId }));
  const times: number[] = [];
  let copy: XenStore = store;
  for (let i = 0; i < 80; i++) {
    ok(store, dom0, requestMsg('WRITE', [`/local/domain/${1 + (i % 50)}/name`, `guest-${i}`]));
    const start = performance.now();
    copy = store.clone();
    const took = performance.now() - start;
    if (i >= 20) times.push(took);
  }
  if (copy.getNode(last) === undefined) throw new Error('bench: the clone lost a node');
  return median(times);
}

print('xenstore.read', benchRead(), 'ops/s');
print('xenstore.write_1000_watches', benchWriteWithWatches(), 'ops/s');
print('xenstore.transaction_5_writes', benchTransactions(), 'commits/s');
print('xenstore.directory_100', benchDirectory(), 'ops/s');
print('xenstore.bytes_per_node', benchBytesPerNode(), 'bytes');
console.log(`xenstore.clone_10000_nodes: ${benchClone().toFixed(2)} ms`);
