/**
 * CONTROL (alias DEBUG; xenstored control.c do_control): the small, side-effect-free subset of
 * admin commands that makes sense without a daemon process: check, print, log, quota, help.
 */
import { OK_PAYLOAD, splitStrings, stringToBytes } from '../payload';
import type { OpResult, Req } from './common';
import { atoi } from '../path';

const HELP = 'check\t\nlog\ton|off\nprint\t<string>\nquota\t[<domid>]\nhelp\t\n';

function pad(n: number, width: number): string {
  return String(n).padStart(width, ' ');
}

function quotaSettings(req: Req): string {
  const q = req.state.options.quotas;
  return (
    'Quota settings:\n' +
    `nodes            : ${pad(q.nodes, 8)} Nodes per domain\n` +
    `watches          : ${pad(q.watches, 8)} Watches per domain\n` +
    `transactions     : ${pad(q.transactions, 8)} Transactions per domain\n` +
    `transaction-nodes: ${pad(q.transactionNodes, 8)} Max. number of accessed nodes per transaction\n` +
    `node-size        : ${pad(q.nodeSize, 8)} Max. size of a node\n` +
    `path-max         : ${pad(q.pathMax, 8)} Max. length of a node path\n` +
    `permissions      : ${pad(q.permissions, 8)} Max. number of permissions per node\n`
  );
}

function domainUsage(req: Req, domid: number): string | null {
  const dom = req.state.domains.get(domid);
  if (dom === undefined) return null;
  const conn = dom.conn;
  return (
    `Domain ${domid}:\n` +
    `nodes           : ${pad(req.state.tree.ownedBy(domid), 8)}\n` +
    `watches         : ${pad(conn?.watches.length ?? 0, 8)}\n` +
    `transactions    : ${pad(conn?.transactions.size ?? 0, 8)}\n`
  );
}

/** control.c do_control(): unknown or missing commands are EINVAL. */
export function doControl(req: Req): OpResult {
  const [cmd, ...args] = splitStrings(req.payload);
  switch (cmd) {
    case 'check':
    case 'print':
      return OK_PAYLOAD;
    case 'log':
      return args[0] === 'on' || args[0] === 'off' ? OK_PAYLOAD : 'EINVAL';
    case 'help':
      return stringToBytes(`${HELP}\0`);
    case 'quota': {
      if (args.length === 0) return stringToBytes(`${quotaSettings(req)}\0`);
      const usage = domainUsage(req, atoi(args[0] as string));
      return usage === null ? 'ENOENT' : stringToBytes(`${usage}\0`);
    }
    default:
      return 'EINVAL';
  }
}
