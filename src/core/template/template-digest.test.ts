import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jsonDigest, sha256Hex } from '../digest/json-digest.js';
import { templateDigest } from './template-digest.js';
import { validateTemplate } from './validate-template.js';
import type { Template } from './template-types.js';

const text = readFileSync(new URL('../../../templates/audience-overlap.json', import.meta.url), 'utf8');

function validated(json: unknown): Template {
  const result = validateTemplate(json);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.template;
}

function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reversedKeys(v)]));
}

describe('templateDigest', () => {
  it('is sha256: and 64 hex digits', () => {
    expect(templateDigest(validated(JSON.parse(text)))).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('ignores formatting and key order', () => {
    const json = JSON.parse(text);
    const a = templateDigest(validated(json));
    expect(templateDigest(validated(JSON.parse(JSON.stringify(json))))).toBe(a);
    expect(templateDigest(validated(reversedKeys(json)))).toBe(a);
  });

  it('ignores spelt-out defaults and implied roles', () => {
    const json = JSON.parse(text);
    const a = templateDigest(validated(json));
    // The ready template's privacy block spells out its defaults beside its own choices.
    delete json.privacy.rounding;
    delete json.privacy.reviewBy;
    delete json.privacy.dp;
    json.datasets.policyholders.columns.email.role = 'identifier';
    expect(templateDigest(validated(json))).toBe(a);
  });

  it('changes with any content change', () => {
    const json = JSON.parse(text);
    const a = templateDigest(validated(json));
    json.privacy.minPeople = 101;
    expect(templateDigest(validated(json))).not.toBe(a);
  });

  it('is the SHA-256 of the canonical JSON', () => {
    expect(jsonDigest({ b: 1, a: [true] })).toBe(`sha256:${sha256Hex('{"a":[true],"b":1}')}`);
    expect(sha256Hex('{}')).toBe('44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
  });
});
