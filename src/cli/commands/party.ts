import type { Command } from 'commander';
import type { CliIo } from '../cli-io.js';
import { clientFrom, emit, table, withClientOptions } from '../client/client-options.js';
import type { ClientFlags } from '../client/client-options.js';

interface PartyRow {
  id: string;
  name: string;
  keys?: { id: string; revokedAt: string | null }[];
}

/**
 * `cleanroom party create|list|issue-key|revoke-key` (the operator's key for all but list).
 *
 * @example
 * ```ts
 * registerParty(program, io); // cleanroom party create "Acme Retail" --api-key $OPERATOR_KEY
 * ```
 */
export function registerParty(program: Command, io: CliIo): void {
  const party = program.command('party').description('Parties and their API keys (operator)');
  withClientOptions(party.command('create <name>').description('Create a party; prints its API key once')).action(async (name: string, flags: ClientFlags) => {
    const created = await clientFrom(flags, io).json<{ id: string; name: string; apiKey: string; keyId: string }>('POST', '/v1/parties', { name });
    emit(io, flags, created, () => `created party ${created.id} (${created.name})\nAPI key (shown once, keep it secret):\n  ${created.apiKey}`);
  });
  withClientOptions(party.command('list').description('List parties')).action(async (flags: ClientFlags) => {
    const { parties } = await clientFrom(flags, io).json<{ parties: PartyRow[] }>('GET', '/v1/parties');
    emit(io, flags, { parties }, () =>
      table(
        parties.map((p) => ({ ...p, keys: p.keys?.map((k) => `${k.id}${k.revokedAt === null ? '' : ' (revoked)'}`).join(', ') })),
        parties.some((p) => p.keys !== undefined) ? ['id', 'name', 'keys'] : ['id', 'name'],
      ),
    );
  });
  withClientOptions(party.command('issue-key <partyId>').description('Issue a new API key for a party; printed once')).action(async (partyId: string, flags: ClientFlags) => {
    const issued = await clientFrom(flags, io).json<{ keyId: string; apiKey: string }>('POST', `/v1/parties/${encodeURIComponent(partyId)}/keys`);
    emit(io, flags, issued, () => `new key ${issued.keyId} for ${partyId} (shown once):\n  ${issued.apiKey}`);
  });
  withClientOptions(party.command('revoke-key <partyId> <keyId>').description('Revoke an API key')).action(async (partyId: string, keyId: string, flags: ClientFlags) => {
    const revoked = await clientFrom(flags, io).json<{ keyId: string; revokedAt: string }>('DELETE', `/v1/parties/${encodeURIComponent(partyId)}/keys/${encodeURIComponent(keyId)}`);
    emit(io, flags, revoked, () => `revoked key ${revoked.keyId} at ${revoked.revokedAt}`);
  });
}
