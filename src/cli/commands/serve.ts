import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { CleanRoomError } from '../../core/errors.js';
import { startServer } from '../../server/main.js';
import type { CliIo } from '../cli-io.js';
import { templatesDir } from '../templates-dir.js';

/**
 * `cleanroom serve --data-dir DIR [--port 8080] [--host 127.0.0.1]`: runs the API until
 * SIGINT or SIGTERM. The operator key comes from CLEANROOM_OPERATOR_KEY, the master key
 * from --master-key-file, --master-key-command or CLEANROOM_MASTER_KEY; else both are
 * generated under DIR at first start (a demo's choice: see docs/encryption.md).
 *
 * @example
 * ```ts
 * registerServe(program, io); // cleanroom serve --data-dir .cleanroom --port 8080
 * ```
 */
export function registerServe(program: Command, io: CliIo): void {
  program
    .command('serve')
    .description('Run the cleanroom HTTP API on this machine')
    .requiredOption('--data-dir <dir>', 'where collaborations, keys and audit logs live')
    .option('--port <n>', 'port to listen on', '8080')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--templates <dir>', 'ready templates directory', templatesDir())
    .option('--web <dir>', 'the built browser UI to serve at / (default: web/dist of this package, when built)', join(dirname(templatesDir()), 'web', 'dist'))
    .option('--master-key-file <file>', 'the master key (64 hex characters), kept outside the data dir (or CLEANROOM_MASTER_KEY_FILE)')
    .option('--master-key-command <command>', 'a command that prints the master key, e.g. a KMS or HSM client (or CLEANROOM_MASTER_KEY_COMMAND)')
    .option('--work-dir <dir>', 'the private RAM-backed directory for open rooms and uploads in flight (default /dev/shm/cleanroom-<uid>/…)')
    .action(async (flags: { dataDir: string; port: string; host: string; templates: string; web: string; masterKeyFile?: string; masterKeyCommand?: string; workDir?: string }) => {
      const port = Number.parseInt(flags.port, 10);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CleanRoomError('invalid_argument', `Cannot listen on --port ${flags.port}: expected 0-65535`, { details: { field: 'port' } });
      const masterKey = { ...(flags.masterKeyFile === undefined ? {} : { file: flags.masterKeyFile }), ...(flags.masterKeyCommand === undefined ? {} : { command: flags.masterKeyCommand }) };
      const server = await startServer({ dataDir: flags.dataDir, templatesDir: flags.templates, webDir: flags.web, port, host: flags.host, env: io.env, out: io.stderr, masterKey, ...(flags.workDir === undefined ? {} : { workDir: flags.workDir }) });
      io.stderr.write(`cleanroom serving ${server.url} (data in ${flags.dataDir}); Ctrl-C stops it\n`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await server.close();
    });
}
