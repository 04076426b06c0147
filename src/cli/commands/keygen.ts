import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CleanRoomError } from '../../core/errors.js';
import { blindReady, formatBlindKey, newBlindKey } from '../../core/identity/blind/index.js';
import { generateHashKey } from '../../core/identity/hash-identifier.js';
import type { CliIo } from '../cli-io.js';

/**
 * `cleanroom keygen --output key.txt`: a new random HMAC key (32 bytes, hex), mode 0600.
 * With `--blind`, a party's secret blinding key for double-blind collaborations instead
 * (`cleanroom-blind-key-v1:<scalar hex>`), which must never leave this machine.
 *
 * @example
 * ```ts
 * registerKeygen(program, io); // cleanroom keygen --blind --output blind.key
 * ```
 */
export function registerKeygen(program: Command, io: CliIo): void {
  program
    .command('keygen')
    .description('Write a new random HMAC key (32 bytes, hex) for --hash hmac, shared only with your collaboration partners; with --blind, your own secret blind key for double-blind collaborations, shared with no one')
    .requiredOption('--output <path>', 'where to write the key (refuses to overwrite)')
    .option('--blind', 'write a secret blind key (ristretto255 scalar) for --hash blind and double-blind templates')
    .action(async (flags: { output: string; blind?: boolean }) => {
      let text: string;
      if (flags.blind === true) {
        await blindReady();
        text = formatBlindKey(newBlindKey());
      } else {
        text = generateHashKey();
      }
      try {
        await writeFile(flags.output, `${text}\n`, { mode: 0o600, flag: 'wx' });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new CleanRoomError(code === 'EEXIST' ? 'invalid_argument' : 'io_error', `Cannot write key file ${flags.output}: ${code === 'EEXIST' ? 'it already exists' : (error as Error).message}`, {
          details: { file: flags.output },
        });
      }
      io.stderr.write(flags.blind === true ? `wrote a new secret blind key to ${flags.output}: keep it on this machine, share it with no one, and back it up (a lost key cannot blind again)\n` : `wrote a new HMAC key to ${flags.output}\n`);
    });
}
