import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { CleanRoomError } from '../../core/errors.js';
import { startServer } from '../../server/main.js';
import type { CliIo } from '../cli-io.js';
import { templatesDir } from '../templates-dir.js';

interface ServeFlags {
  dataDir: string;
  port: string;
  host: string;
  templates: string;
  web: string;
  tlsCert?: string;
  tlsKey?: string;
  insecureHttp?: boolean;
  masterKeyFile?: string;
  masterKeyCommand?: string;
  workDir?: string;
}

/**
 * `cleanroom serve --data-dir DIR [--port 8080] [--host 127.0.0.1] [--tls-cert FILE --tls-key FILE]
 * [--insecure-http]`: runs the API until SIGINT or SIGTERM. The operator key comes from
 * CLEANROOM_OPERATOR_KEY, the master key from --master-key-file, --master-key-command or
 * CLEANROOM_MASTER_KEY; else both are generated under DIR at first start (a demo's choice:
 * see docs/encryption.md). With a certificate and key it serves HTTPS (HTTP/2 and HTTP/1.1,
 * TLS 1.2+); plain HTTP off loopback needs `--insecure-http`.
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
    .option('--host <host>', 'address to listen on; one other than loopback needs --tls-cert and --tls-key (or --insecure-http)', '127.0.0.1')
    .option('--templates <dir>', 'ready templates directory', templatesDir())
    .option('--web <dir>', 'the built browser UI to serve at / (default: web/dist of this package, when built)', join(dirname(templatesDir()), 'web', 'dist'))
    .option('--tls-cert <file>', 'serve HTTPS with this PEM certificate (and chain); needs --tls-key')
    .option('--tls-key <file>', 'the PEM private key of --tls-cert')
    .option('--insecure-http', 'allow plain HTTP on a non-loopback --host (only behind a proxy that does TLS)')
    .option('--master-key-file <file>', 'the master key (64 hex characters), kept outside the data dir (or CLEANROOM_MASTER_KEY_FILE)')
    .option('--master-key-command <command>', 'a command that prints the master key, e.g. a KMS or HSM client (or CLEANROOM_MASTER_KEY_COMMAND)')
    .option('--work-dir <dir>', 'the private RAM-backed directory for open rooms and uploads in flight (default /dev/shm/cleanroom-<uid>/…)')
    .action(async (flags: ServeFlags) => {
      const port = Number.parseInt(flags.port, 10);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CleanRoomError('invalid_argument', `Cannot listen on --port ${flags.port}: expected 0-65535`, { details: { field: 'port' } });
      const tls = tlsFiles(flags);
      const masterKey = { ...(flags.masterKeyFile === undefined ? {} : { file: flags.masterKeyFile }), ...(flags.masterKeyCommand === undefined ? {} : { command: flags.masterKeyCommand }) };
      const server = await startServer({ dataDir: flags.dataDir, templatesDir: flags.templates, webDir: flags.web, port, host: flags.host, env: io.env, out: io.stderr, insecureHttp: flags.insecureHttp === true, ...(tls !== undefined ? { tls } : {}), masterKey, ...(flags.workDir === undefined ? {} : { workDir: flags.workDir }) });
      io.stderr.write(`cleanroom serving ${server.url} (data in ${flags.dataDir}); Ctrl-C stops it\n`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await server.close();
    });
}

/** `--tls-cert` and `--tls-key` come together or not at all. */
function tlsFiles(flags: ServeFlags): { certFile: string; keyFile: string } | undefined {
  if (flags.tlsCert === undefined && flags.tlsKey === undefined) return undefined;
  if (flags.tlsCert === undefined || flags.tlsKey === undefined) {
    const [given, missing] = flags.tlsCert === undefined ? ['--tls-key', '--tls-cert'] : ['--tls-cert', '--tls-key'];
    throw new CleanRoomError('invalid_argument', `Cannot serve HTTPS with ${given} alone: pass ${missing} FILE too`, { details: { field: missing.slice(2) } });
  }
  return { certFile: flags.tlsCert, keyFile: flags.tlsKey };
}
