import type { Command } from 'commander';
import type { AuditEvent, ChainVerification } from '../../core/audit/index.js';
import type { CliIo } from '../cli-io.js';
import { clientFrom, emit, table, withClientOptions } from '../client/client-options.js';
import type { ClientFlags } from '../client/client-options.js';

/**
 * `cleanroom audit <collaboration> [--verify]`: the audit events, or the check of their
 * hash chain (exit 65 when it is broken).
 *
 * @example
 * ```ts
 * registerAudit(program, io); // cleanroom audit c_123 --verify
 * ```
 */
export function registerAudit(program: Command, io: CliIo): void {
  withClientOptions(program.command('audit <collaboration>').description("A collaboration's audit log").option('--verify', 'verify the hash chain instead of listing')).action(
    async (id: string, flags: ClientFlags & { verify?: boolean }) => {
      const client = clientFrom(flags, io);
      const path = `/v1/collaborations/${encodeURIComponent(id)}/audit`;
      if (flags.verify === true) {
        const result = await client.json<ChainVerification>('GET', `${path}/verify`);
        emit(io, flags, result, () => (result.ok ? `audit chain verified: ${JSON.stringify(result)}` : `audit chain BROKEN: ${JSON.stringify(result)}`));
        if (!result.ok) process.exitCode = 65;
        return;
      }
      const { events } = await client.json<{ events: AuditEvent[] }>('GET', path);
      emit(io, flags, { events }, () =>
        table(
          events.map((e) => ({ seq: e.seq, at: e.at, party: e.actor.party, key: e.actor.keyId, action: e.action, object: `${e.object.type}:${e.object.id}`, decision: e.decision ?? '', reason: e.reason ?? '' })),
          ['seq', 'at', 'party', 'key', 'action', 'object', 'decision', 'reason'],
        ),
      );
    },
  );
}
