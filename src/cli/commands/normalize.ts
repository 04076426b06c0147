import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { CleanRoomError } from '../../core/errors.js';
import { IDENTIFIER_KINDS, isIdentifierKind } from '../../core/identity/identifier-kind.js';
import { existingDigest } from '../../core/identity/existing-digest.js';
import { createHasher } from '../../core/identity/hash-identifier.js';
import type { Normalized } from '../../core/identity/identifier-kind.js';
import { getProfile } from '../../core/identity/profiles.js';
import type { CliIo } from '../cli-io.js';
import { loadKeyFile, parseCountry, parseHashScheme, parseProfile } from '../options.js';

interface NormalizeFlags {
  profile: ReturnType<typeof parseProfile>;
  country: string;
  hash?: 'sha256' | 'hmac';
  keyFile?: string;
  json?: boolean;
}

/**
 * `cleanroom normalize <kind>`: one value per stdin line, exactly one output line per
 * input line: the normalised value (or its hash with --hash), an empty line where the
 * value is invalid; with --json one object per line with the reason. A value that is
 * already a SHA-256 digest passes through, as in `cleanroom prepare`.
 */
export function registerNormalize(program: Command, io: CliIo): void {
  program
    .command('normalize')
    .description('Normalise (and optionally hash) values read one per line from stdin; shows why a value will not match')
    .argument('<kind>', `identifier kind: ${IDENTIFIER_KINDS.join(', ')}`)
    .option('--profile <name>', 'formatting rules: default, meta, google, uid2', parseProfile, 'default')
    .option('--country <code>', 'default country for phones and postal codes (ISO alpha-2)', parseCountry, 'US')
    .option('--hash <scheme>', 'also hash: sha256 or hmac', parseHashScheme)
    .option('--key-file <path>', 'HMAC key file (hex or base64, at least 32 bytes)')
    .option('--json', 'one JSON object per line: {"input","normalized","hash","existingDigest","error"}; error says why a value is blank')
    .action(async (kind: string, flags: NormalizeFlags) => {
      if (!isIdentifierKind(kind)) {
        throw new CleanRoomError('invalid_argument', `Cannot normalize kind '${kind}': known kinds are ${IDENTIFIER_KINDS.join(', ')}`, { details: { field: 'kind' } });
      }
      if (flags.hash === 'hmac' && flags.keyFile === undefined) {
        throw new CleanRoomError('invalid_argument', 'Cannot hash with HMAC: no key given (use --key-file)', { details: { field: 'key-file' } });
      }
      const profile = getProfile(flags.profile);
      const key = flags.keyFile === undefined ? undefined : await loadKeyFile(flags.keyFile);
      const hasher =
        flags.hash === undefined ? undefined : createHasher(key === undefined ? { scheme: flags.hash, encoding: profile.hashEncoding } : { scheme: flags.hash, encoding: profile.hashEncoding, key });
      const options = { defaultCountry: flags.country };
      const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
      let batch = '';
      for await (const input of lines) {
        // The one rule of prepare, the browser and the room: an existing SHA-256 digest passes
        // through (lower-cased hex, or Base64 under uid2), it is never normalised or hashed again.
        const digest = existingDigest(input, profile.hashEncoding);
        const result: Normalized = digest !== undefined ? { ok: true, value: digest } : profile.normalize(kind, input, options);
        const normalized = result.ok ? result.value : null;
        let hash: string | null = null;
        if (result.ok && hasher !== undefined) hash = digest !== undefined ? hasher.asExistingHash(input)! : hasher.hash(result.value);
        if (flags.json) {
          // Every blank output carries its reason: a value is either written or explained.
          batch += `${JSON.stringify({ input, normalized, hash, existingDigest: digest !== undefined, error: result.ok ? null : result.reason })}\n`;
        } else {
          batch += `${(hasher ? hash : normalized) ?? ''}\n`;
        }
        if (batch.length > 65_536) {
          io.stdout.write(batch);
          batch = '';
        }
      }
      io.stdout.write(batch);
    });
}
