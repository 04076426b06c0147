import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { CLI } from './run-cleanroom.js';

/**
 * Starts the built CLI's `cleanroom serve --port 0 …args` in a child process; resolves with
 * the child and the URL it prints once it listens, rejects if it exits first.
 *
 * @example
 * ```ts
 * const { child, url } = await serveBuiltCli(['--data-dir', dataDir], { CLEANROOM_OPERATOR_KEY: key });
 * child.kill('SIGKILL');
 * ```
 */
export function serveBuiltCli(args: readonly string[], env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (b: Buffer) => {
      err += b.toString('utf8');
      const match = /cleanroom serving (\S+) /.exec(err);
      if (match !== null) resolve({ child, url: match[1]! });
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
}
