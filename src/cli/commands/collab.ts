import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CleanRoomError } from '../../core/errors.js';
import type { Collaboration } from '../../core/collaboration/collaboration.js';
import type { CliIo } from '../cli-io.js';
import { clientFrom, emit, table, withClientOptions } from '../client/client-options.js';
import type { ClientFlags } from '../client/client-options.js';

type CollabView = Collaboration & { roles: string[] };

/**
 * `cleanroom collab create|list|show|delete|csv-template`.
 *
 * @example
 * ```ts
 * registerCollab(program, io); // cleanroom collab create --name Q3 --template audience-overlap --member insurer=p_1 --member partner=p_2
 * ```
 */
export function registerCollab(program: Command, io: CliIo): void {
  const collab = program.command('collab').description('Collaborations you are a member of');
  withClientOptions(
    collab
      .command('create')
      .description('Create a collaboration from a ready template')
      .requiredOption('--name <name>', 'a name for people')
      .requiredOption('--template <name>', 'a ready template (GET /v1/templates)')
      .option('--member <role=partyId>', 'a member per role (repeat)', collectMember, {})
      .option('--hashing <mode>', "protect identifiers another way than the template: double-blind (no one can test a guessed identifier; docs/double-blind.md)"),
  ).action(async (flags: ClientFlags & { name: string; template: string; member: Record<string, string>; hashing?: string }) => {
    const body = { name: flags.name, template: flags.template, members: flags.member, ...(flags.hashing === undefined ? {} : { hashing: flags.hashing }) };
    const created = await clientFrom(flags, io).json<CollabView>('POST', '/v1/collaborations', body);
    emit(io, flags, created, () => describe(created));
  });
  withClientOptions(collab.command('list').description('List your collaborations')).action(async (flags: ClientFlags) => {
    const { collaborations } = await clientFrom(flags, io).json<{ collaborations: CollabView[] }>('GET', '/v1/collaborations');
    emit(io, flags, { collaborations }, () =>
      table(
        collaborations.map((c) => ({ id: c.id, name: c.name, template: `${c.template.name}@${c.template.version}`, roles: c.roles.join(','), datasets: Object.keys(c.datasets).join(',') })),
        ['id', 'name', 'template', 'roles', 'datasets'],
      ),
    );
  });
  withClientOptions(collab.command('show <id>').description('Show one collaboration')).action(async (id: string, flags: ClientFlags) => {
    const found = await clientFrom(flags, io).json<CollabView>('GET', `/v1/collaborations/${encodeURIComponent(id)}`);
    emit(io, flags, found, () => describe(found));
  });
  withClientOptions(collab.command('delete <id>').description("Delete a collaboration for good (operator key): its keys first, so even backups of it become unreadable")).action(async (id: string, flags: ClientFlags) => {
    await clientFrom(flags, io).delete(`/v1/collaborations/${encodeURIComponent(id)}`);
    emit(io, flags, { deleted: id }, () => `deleted ${id}: its keys were destroyed first, then its room and records`);
  });
  withClientOptions(collab.command('csv-template <id> <dataset>').description("Download a dataset's CSV template").option('--output <file>', 'write it here instead of stdout')).action(
    async (id: string, dataset: string, flags: ClientFlags & { output?: string }) => {
      const csv = await clientFrom(flags, io).text(`/v1/collaborations/${encodeURIComponent(id)}/datasets/${encodeURIComponent(dataset)}/template.csv`);
      if (flags.output === undefined) io.stdout.write(csv);
      else await writeFile(flags.output, csv);
    },
  );
}

function describe(c: CollabView): string {
  const members = Object.entries(c.members).map(([role, party]) => ({ role, party, attested: c.attestations.some((a) => a.party === party && a.role === role) ? 'yes' : 'no', dataset: Object.entries(c.template.datasets).filter(([, d]) => d.owner === role).map(([name]) => (c.datasets[name] ? `${name} v${c.datasets[name]!.version} (${c.datasets[name]!.rows} rows)` : `${name} (waiting)`)).join(', ') }));
  return [
    `${c.id}  ${c.name}`,
    `template ${c.template.name}@${c.template.version}  ${c.templateDigest}`,
    `encrypted at rest: ${c.encryptedAtRest === true ? 'yes' : 'no'}`,
    `your roles: ${c.roles.join(', ') || '(none)'}`,
    '',
    table(members, ['role', 'party', 'attested', 'dataset']),
    '',
    `analyses: ${Object.keys(c.template.analyses).join(', ')}`,
  ].join('\n');
}

function collectMember(value: string, previous: Record<string, string>): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new CleanRoomError('invalid_argument', `Cannot use --member ${value}: expected role=partyId`, { details: { field: 'member' } });
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
}
