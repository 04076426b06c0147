import type { Command } from 'commander';
import type { Collaboration } from '../../core/collaboration/collaboration.js';
import type { CliIo } from '../cli-io.js';
import { clientFrom, emit, withClientOptions } from '../client/client-options.js';
import type { ClientFlags } from '../client/client-options.js';

/**
 * `cleanroom attest <collaboration>`: prints the data-use terms and accepts them for the
 * exact template digest the server shows, so a template changed since is refused.
 *
 * @example
 * ```ts
 * registerAttest(program, io); // cleanroom attest c_123
 * ```
 */
export function registerAttest(program: Command, io: CliIo): void {
  withClientOptions(program.command('attest <collaboration>').description('Accept the data-use terms of a collaboration (required before uploading)')).action(async (id: string, flags: ClientFlags) => {
    const client = clientFrom(flags, io);
    const path = `/v1/collaborations/${encodeURIComponent(id)}`;
    const c = await client.json<Collaboration>('GET', path);
    const attested = await client.json<Collaboration>('POST', `${path}/attestations`, { termsVersion: c.template.terms.version, templateDigest: c.templateDigest });
    emit(io, flags, attested, () => `Terms v${c.template.terms.version} of ${c.template.name}@${c.template.version}:\n  ${c.template.terms.text}\n\naccepted for ${c.templateDigest}`);
  });
}
