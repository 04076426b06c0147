import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CleanRoomError } from '../../core/errors.js';
import { generateHashKey } from '../../core/identity/hash-identifier.js';
import type { CliIo } from '../cli-io.js';

/** `cleanroom keygen --output key.txt`: a new random HMAC key (32 bytes, hex), mode 0600. */
export function registerKeygen(program: Command, io: CliIo): void {
  program
    .command('keygen')
    .description('Write a new random HMAC key (32 bytes, hex) for --hash hmac; share it only with your collaboration partners')
    .requiredOption('--output <path>', 'where to write the key (refuses to overwrite)')
    .action(async (flags: { output: string }) => {
      try {
        await writeFile(flags.output, `${generateHashKey()}\n`, { mode: 0o600, flag: 'wx' });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new CleanRoomError(code === 'EEXIST' ? 'invalid_argument' : 'io_error', `Cannot write key file ${flags.output}: ${code === 'EEXIST' ? 'it already exists' : (error as Error).message}`, {
          details: { file: flags.output },
        });
      }
      io.stderr.write(`wrote a new HMAC key to ${flags.output}\n`);
    });
}
