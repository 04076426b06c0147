import { randomBytes } from 'node:crypto';
import { access } from 'node:fs/promises';
import type { Command } from 'commander';
import { CleanRoomError } from '../../core/errors.js';
import { resolveMasterKey, writeKeyFile } from '../../node/keys/master-key.js';
import { rotateMasterKey } from '../../node/keys/rotate-master-key.js';
import { lockDataDir } from '../../node/store/data-dir-lock.js';
import type { CliIo } from '../cli-io.js';

/**
 * `cleanroom rotate-master-key --data-dir DIR --new-key-file FILE`: re-wraps every
 * collaboration's keys with a new master key, without re-encrypting any data. The old key
 * comes from where `serve` takes it (--master-key-file, --master-key-command,
 * CLEANROOM_MASTER_KEY, else DIR/master.key); the new one from FILE, made there (0600) when
 * it does not exist. With the default key file, DIR/master.key is replaced by the new key
 * last. No server may run on DIR meanwhile (its lock is taken).
 *
 * @example
 * ```ts
 * registerRotateMasterKey(program, io); // cleanroom rotate-master-key --data-dir /var/cleanroom --new-key-file /secure/master-2.key
 * ```
 */
export function registerRotateMasterKey(program: Command, io: CliIo): void {
  program
    .command('rotate-master-key')
    .description('Re-wrap every collaboration key of a data dir with a new master key (no data is re-encrypted; stop the server first)')
    .requiredOption('--data-dir <dir>', 'the data dir whose keys to re-wrap')
    .requiredOption('--new-key-file <file>', 'the new master key (64 hex characters); made here when the file does not exist')
    .option('--master-key-file <file>', 'the current master key file (else CLEANROOM_MASTER_KEY, CLEANROOM_MASTER_KEY_COMMAND or DIR/master.key)')
    .option('--master-key-command <command>', 'a command that prints the current master key')
    .option('--json', 'print the result as JSON')
    .action(async (flags: { dataDir: string; newKeyFile: string; masterKeyFile?: string; masterKeyCommand?: string; json?: boolean }) => {
      await access(flags.dataDir).catch(() => {
        throw new CleanRoomError('not_found', `Cannot rotate the master key of ${flags.dataDir}: no such directory`, { details: { field: 'data-dir' } });
      });
      const lock = await lockDataDir(flags.dataDir, {
        onLost: () => {
          io.stderr.write('cleanroom: lost the data dir lock during the rotation; run it again\n');
        },
      });
      try {
        const current = await resolveMasterKey(flags.dataDir, {
          file: flags.masterKeyFile ?? io.env.CLEANROOM_MASTER_KEY_FILE,
          command: flags.masterKeyCommand ?? io.env.CLEANROOM_MASTER_KEY_COMMAND,
          env: io.env.CLEANROOM_MASTER_KEY,
        });
        const made = !(await access(flags.newKeyFile).then(() => true, () => false));
        if (made) await writeKeyFile(flags.newKeyFile, randomBytes(32), 'wx');
        const next = await resolveMasterKey(flags.dataDir, { file: flags.newKeyFile });
        if (Buffer.from(next.key).equals(Buffer.from(current.key))) {
          throw new CleanRoomError('invalid_argument', `Cannot rotate to the key in ${flags.newKeyFile}: it is the current master key`, { details: { field: 'new-key-file' } });
        }
        const moved = await rotateMasterKey(flags.dataDir, current.key, next.key);
        if (current.source === 'default' && current.path !== undefined) await writeKeyFile(current.path, next.key, 'replace');
        const result = { ...moved, newKeyFile: flags.newKeyFile, madeNewKey: made, replacedDefaultKeyFile: current.source === 'default' };
        if (flags.json === true) io.stdout.write(`${JSON.stringify(result)}\n`);
        else {
          io.stdout.write(`re-wrapped the keys of ${moved.rooms} room(s) and ${moved.dataKeys} store key(s) of ${flags.dataDir} with the key in ${flags.newKeyFile}${made ? ' (made now)' : ''}\n`);
          io.stdout.write(current.source === 'default' ? `${current.path} now holds the new key\n` : 'start the server with the new key from now on; the old one opens nothing\n');
        }
      } finally {
        await lock.release();
      }
    });
}
