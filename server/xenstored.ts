/**
 * `npm run xenstored -- --socket PATH [--domain-socket N=PATH]...`: serves the simulated store on UNIX
 * sockets so that unmodified xenstore clients (xenstore-read, -write, -ls, -watch… with
 * XENSTORED_PATH=PATH) can use it. Runs until SIGINT or SIGTERM, then removes its socket files.
 * Exit status: 0 after a signal, 1 if it cannot start, 2 for bad arguments.
 */
import { USAGE, parseServerArgs } from './args';
import { startXenstoredServer } from './socketServer';
import { createServedStore } from './startStore';

const log = (line: string) => process.stderr.write(`xenstored: ${line}\n`);

async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseServerArgs(argv);
  if (parsed.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (parsed.kind === 'error') {
    process.stderr.write(`xenstored: ${parsed.message}\n${USAGE}\n`);
    return 2;
  }
  const { args } = parsed;
  // Handlers go in before the sockets exist: until a listener is added, SIGINT/SIGTERM kill at once.
  const signal = new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  const store = createServedStore(args.version);

  let server;
  try {
    server = await startXenstoredServer({
      store,
      socket: args.socket,
      domainSockets: args.domainSockets,
      log,
      logConnections: !args.quiet,
    });
  } catch (err) {
    log(`cannot start: ${(err as Error).message}`);
    return 1;
  }
  const domains = args.domainSockets.map((d) => ` dom${d.domid}=${d.path}`).join('');
  log(`serving (${args.version}) on ${args.socket}${domains}`);

  log(`${await signal}: shutting down`);
  await server.close();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    log(`fatal: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exitCode = 1;
  },
);
