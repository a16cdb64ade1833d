import { describe, expect, it } from 'vitest';
import { parseServerArgs } from './args';

describe('xenstored command line', () => {
  it('needs --socket and defaults to the modern daemon', () => {
    expect(parseServerArgs(['--socket', '/tmp/s'])).toEqual({
      kind: 'run',
      args: { socket: '/tmp/s', domainSockets: [], version: 'modern', quiet: false },
    });
    expect(parseServerArgs([])).toEqual({ kind: 'error', message: '--socket PATH is required' });
  });

  it('takes repeated --domain-socket N=PATH, --version and --quiet', () => {
    const parsed = parseServerArgs([
      '--socket=/tmp/s',
      '--domain-socket',
      '1=/tmp/d1',
      '--domain-socket=2=/tmp/d=2',
      '--version',
      '2006',
      '--quiet',
    ]);
    expect(parsed).toEqual({
      kind: 'run',
      args: {
        socket: '/tmp/s',
        domainSockets: [
          { domid: 1, path: '/tmp/d1' },
          { domid: 2, path: '/tmp/d=2' },
        ],
        version: '2006',
        quiet: true,
      },
    });
  });

  it('asks for help', () => {
    expect(parseServerArgs(['-h'])).toEqual({ kind: 'help' });
    expect(parseServerArgs(['--help', '--socket', 'x'])).toEqual({ kind: 'help' });
  });

  it.each([
    [['--socket'], /argument missing|requires|argument/i],
    [['--socket', 's', '--bogus'], /unknown option/i],
    [['--socket', 's', 'extra'], /positional/i],
    [['--socket', 's', '--version', '2024'], /--version must be 2006 or modern/],
    [['--socket', 's', '--domain-socket', 'x=/p'], /expects N=PATH/],
    [['--socket', 's', '--domain-socket', '1'], /expects N=PATH/],
    [['--socket', 's', '--domain-socket', '0=/p'], /not a guest/],
    [['--socket', 's', '--domain-socket', '32752=/p'], /not a guest/],
    [['--socket', 's', '--domain-socket', '1=/a', '--domain-socket', '1=/b'], /given twice/],
    [['--socket', 's', '--domain-socket', '1=s'], /must differ/],
    [['--socket', `/tmp/${'x'.repeat(110)}`], /longer than 107 bytes/],
  ])('rejects %j', (argv, message) => {
    const parsed = parseServerArgs(argv);
    expect(parsed.kind).toBe('error');
    expect(parsed.kind === 'error' && parsed.message).toMatch(message);
  });
});
