/**
 * Command line of the socket server (server/xenstored.ts):
 *
 *     xenstored --socket PATH [--domain-socket N=PATH]... [--version 2006|modern] [--quiet]
 *
 * Parsing is pure (argv in, a value out) so it can be tested without a process.
 */
import { parseArgs as parseNodeArgs } from 'node:util';
import type { XsVersion } from '../src/xenstore/types';

/** A socket whose clients act as unprivileged domain `domid`. */
export interface DomainSocketArg {
  domid: number;
  path: string;
}

export interface ServerArgs {
  /** privileged tool socket (what XENSTORED_PATH points at) */
  socket: string;
  domainSockets: DomainSocketArg[];
  version: XsVersion;
  /** no per-connection log lines (errors are still logged) */
  quiet: boolean;
}

export type ParsedArgs =
  { kind: 'run'; args: ServerArgs } | { kind: 'help' } | { kind: 'error'; message: string };

export const USAGE = `usage: xenstored --socket PATH [--domain-socket N=PATH]... [--version 2006|modern] [--quiet]

Serves a simulated xenstore over UNIX sockets with the xenstored wire protocol.

  --socket PATH          privileged tool socket (clients are dom0), e.g. for XENSTORED_PATH
  --domain-socket N=PATH socket whose clients act as unprivileged domain N (introduced at start);
                         repeatable, one per domain
  --version V            daemon behaviour to reproduce: modern (default, Xen 4.17) or 2006
  --quiet                do not log connections (errors are still logged)
  -h, --help             show this help`;

/** UNIX socket paths are limited by sockaddr_un.sun_path (108 bytes with the NUL). */
const SUN_PATH_MAX = 107;
/** DOMID_FIRST_RESERVED (xen.h): domids at or above it are not guests. */
const DOMID_FIRST_RESERVED = 0x7ff0;

/** Parses argv (without the node and script entries). */
export function parseServerArgs(argv: readonly string[]): ParsedArgs {
  let values;
  try {
    ({ values } = parseNodeArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        socket: { type: 'string' },
        'domain-socket': { type: 'string', multiple: true },
        version: { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    return { kind: 'error', message: (err as Error).message };
  }
  if (values.help) return { kind: 'help' };
  if (values.socket === undefined) return { kind: 'error', message: '--socket PATH is required' };

  const version = values.version ?? 'modern';
  if (version !== 'modern' && version !== '2006') {
    return { kind: 'error', message: `--version must be 2006 or modern, not '${version}'` };
  }

  const domainSockets: DomainSocketArg[] = [];
  for (const spec of values['domain-socket'] ?? []) {
    const m = /^(\d+)=(.+)$/.exec(spec);
    if (!m) return { kind: 'error', message: `--domain-socket expects N=PATH, got '${spec}'` };
    const domid = Number(m[1]);
    const path = m[2] as string;
    if (domid === 0 || domid >= DOMID_FIRST_RESERVED) {
      return {
        kind: 'error',
        message: `--domain-socket: domid ${domid} is not a guest (1..${DOMID_FIRST_RESERVED - 1})`,
      };
    }
    if (domainSockets.some((d) => d.domid === domid)) {
      return { kind: 'error', message: `--domain-socket: domain ${domid} given twice` };
    }
    domainSockets.push({ domid, path });
  }

  const paths = [values.socket, ...domainSockets.map((d) => d.path)];
  for (const p of paths) {
    if (Buffer.byteLength(p) > SUN_PATH_MAX) {
      return { kind: 'error', message: `socket path longer than ${SUN_PATH_MAX} bytes: ${p}` };
    }
  }
  if (new Set(paths).size !== paths.length) return { kind: 'error', message: 'socket paths must differ' };

  return {
    kind: 'run',
    args: { socket: values.socket, domainSockets, version, quiet: values.quiet ?? false },
  };
}
