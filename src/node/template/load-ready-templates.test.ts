import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CleanRoomError } from '../../core/errors.js';
import { loadReadyTemplates } from './load-ready-templates.js';

const overlapText = await readFile(new URL('../../../templates/audience-overlap.json', import.meta.url), 'utf8');

describe('loadReadyTemplates', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cleanroom-templates-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads the JSON files of a directory and ignores other files', async () => {
    await writeFile(join(dir, 'audience-overlap.json'), overlapText);
    await writeFile(join(dir, 'README.md'), '# notes');
    const registry = await loadReadyTemplates(dir);
    expect(registry.list().map((t) => t.name)).toEqual(['audience-overlap']);
  });

  it('names the file that is not JSON', async () => {
    await writeFile(join(dir, 'broken.json'), '{ "name": ');
    await expect(loadReadyTemplates(dir)).rejects.toMatchObject({ code: 'invalid_input', details: { file: 'broken.json' } });
  });

  it('refuses to load a broken template, listing its problems', async () => {
    const json = JSON.parse(overlapText);
    json.privacy.minPeople = 1;
    await writeFile(join(dir, 'audience-overlap.json'), JSON.stringify(json));
    const error = await loadReadyTemplates(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CleanRoomError);
    expect((error as CleanRoomError).details['problems']).toEqual([
      expect.objectContaining({ source: 'audience-overlap.json', code: 'out_of_range', path: 'privacy.minPeople' }),
    ]);
  });
});
