import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createTemplateRegistry } from './template-registry.js';

const overlap = JSON.parse(readFileSync(new URL('../../../templates/audience-overlap.json', import.meta.url), 'utf8'));
const lift = JSON.parse(readFileSync(new URL('../../../templates/lift-incrementality.json', import.meta.url), 'utf8'));

describe('createTemplateRegistry', () => {
  it('lists templates by name with their digests', () => {
    const built = createTemplateRegistry([
      { source: 'lift-incrementality.json', json: lift },
      { source: 'audience-overlap.json', json: overlap },
    ]);
    if (!built.ok) throw new Error(JSON.stringify(built.problems));
    expect(built.registry.list().map((t) => t.name)).toEqual(['audience-overlap', 'lift-incrementality']);
    expect(built.registry.get('audience-overlap')).toMatchObject({ version: '1.0.0', digest: expect.stringMatching(/^sha256:/) });
    expect(built.registry.get('constructor')).toBeUndefined();
  });

  it('names the source of each problem', () => {
    const broken = { ...overlap, privacy: { minPeople: 1 } };
    const built = createTemplateRegistry([{ source: 'audience-overlap.json', json: broken }]);
    expect(built.ok ? [] : built.problems.map(({ source, code, path }) => ({ source, code, path }))).toEqual([
      { source: 'audience-overlap.json', code: 'out_of_range', path: 'privacy.minPeople' },
    ]);
  });

  it('requires a ready template file to be named after its template', () => {
    const built = createTemplateRegistry([{ source: 'templates/overlap.json', json: overlap }]);
    expect(built.ok ? [] : built.problems.map((p) => p.code)).toEqual(['invalid_name']);
  });

  it('refuses two templates of one name', () => {
    const built = createTemplateRegistry([
      { source: 'a', json: overlap },
      { source: 'b', json: overlap },
    ]);
    expect(built.ok ? [] : built.problems.map((p) => ({ source: p.source, code: p.code }))).toEqual([{ source: 'b', code: 'duplicate_value' }]);
  });
});
