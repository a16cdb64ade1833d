/**
 * Throughput and memory of the xenstore engine, measured through store.handle() with real wire
 * payloads (what the socket server and the simulator use). Prints one figure per line:
 *
 *   xenstore.read: <n> ops/s                 READ of one 5-byte value, dom0
 *   xenstore.write_1000_watches: <n> ops/s    WRITE of existing leaves, 1,000 watches in the tree
 *   xenstore.transaction_5_writes: <n> commits/s   START, 5 WRITEs, END(T), unprivileged domain
 *   xenstore.directory_100: <n> ops/s         DIRECTORY of a node with 100 children
 *   xenstore.bytes_per_node: <n> bytes        heap growth per node with 100,000 nodes
 *
 * Each rate is the median of several runs of at least one second, after a warm-up, on one core.
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

print('xenstore.read', benchRead(), 'ops/s');
print('xenstore.write_1000_watches', benchWriteWithWatches(), 'ops/s');
print('xenstore.transaction_5_writes', benchTransactions(), 'commits/s');
print('xenstore.directory_100', benchDirectory(), 'ops/s');
print('xenstore.bytes_per_node', benchBytesPerNode(), 'bytes');
