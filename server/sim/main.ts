/** `npm run sim`: play a scenario headless and print its trace. Exit 2 on a bad argument. */
import { runScenario } from '../../src/sim/scenarios/run';
import { SIM_USAGE, parseSimArgs } from './args';
import { formatTraceTable } from './format';

const parsed = parseSimArgs(process.argv.slice(2));
if (parsed.kind === 'help') {
  process.stdout.write(`${SIM_USAGE}\n`);
} else if (parsed.kind === 'error') {
  process.stderr.write(`sim: ${parsed.message}\n${SIM_USAGE}\n`);
  process.exitCode = 2;
} else {
  const { scenario, profile, seed, policy, until, json } = parsed.args;
  const world = runScenario(scenario, { profile, seed, policy, until });
  process.stdout.write(
    json
      ? `${JSON.stringify({ scenario: scenario.id, profile, seed, policy, trace: world.trace })}\n`
      : `${formatTraceTable(world.trace)}\n`,
  );
}
