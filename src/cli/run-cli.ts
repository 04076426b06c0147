import { Command, CommanderError } from 'commander';
import { CleanRoomError, exitCodeFor } from '../core/errors.js';
import { registerDemo } from './commands/demo.js';
import { registerKeygen } from './commands/keygen.js';
import { registerNormalize } from './commands/normalize.js';
import { registerPrepare } from './commands/prepare.js';
import { registerAttest } from './commands/attest.js';
import { registerAudit } from './commands/audit.js';
import { registerBudget } from './commands/budget.js';
import { registerCollab } from './commands/collab.js';
import { registerMetrics } from './commands/metrics.js';
import { registerParty } from './commands/party.js';
import { registerRun } from './commands/run.js';
import { registerServe } from './commands/serve.js';
import { registerUpload } from './commands/upload.js';
import { registerBlind } from './commands/blind.js';
import { registerRotateMasterKey } from './commands/rotate-master-key.js';
import type { CliIo } from './cli-io.js';

/**
 * Runs the `cleanroom` command line with the given arguments and streams, and returns
 * the exit code: 0 on success, the error code's exit code on a CleanRoomError (its
 * message on stderr, or as JSON with `--json`), 64 on a usage error.
 *
 * @example
 * ```ts
 * const code = await runCli(['normalize', 'email'], { stdin, stdout, stderr, env: {} });
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = new Command('cleanroom')
    .description('A self-hostable data clean room. Party-side commands prepare identifiers offline.')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError();
  registerNormalize(program, io);
  registerPrepare(program, io);
  registerKeygen(program, io);
  registerDemo(program, io);
  registerServe(program, io);
  registerRotateMasterKey(program, io);
  registerParty(program, io);
  registerCollab(program, io);
  registerAttest(program, io);
  registerUpload(program, io);
  registerBlind(program, io);
  registerRun(program, io);
  registerBudget(program, io);
  registerAudit(program, io);
  registerMetrics(program, io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : exitCodeFor('invalid_argument');
    const json = argv.includes('--json');
    if (error instanceof CleanRoomError) {
      io.stderr.write(json ? `${JSON.stringify(error.toJSON())}\n` : `cleanroom: ${error.message}\n`);
      return exitCodeFor(error.code);
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(json ? `${JSON.stringify({ error: { code: 'internal', message, details: {} } })}\n` : `cleanroom: internal error: ${message}\n`);
    return exitCodeFor('internal');
  }
}
