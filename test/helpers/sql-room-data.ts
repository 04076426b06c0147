import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RoomStore } from '../../src/core/engine-port.js';
import { loadPlanFor } from '../../src/core/ingest/load-plan.js';
import { validateTemplate } from '../../src/core/template/index.js';
import type { Template } from '../../src/core/template/index.js';
import type { RoomFixture } from '../../src/engine/duckdb/room-fixture.js';

/**
 * Readers (the publisher's) and purchases (the retailer's) for custom-SQL room tests, with
 * their truth kept in JS, on the ready template retail-media-insights-dp.
 *
 * Readers 0..499, one row each: segment news/sport/lifestyle/business by i % 10 (4/3/2/1
 * tenths), except 497..499 in 'tech'; age band by i % 4, except 499 alone in '55+'.
 * Customers 100..699 buy 1 + i % 3 times each; readers and customers share emails, so
 * readers 100..499 are matched.
 */

export const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

const SEGMENT = ['news', 'news', 'news', 'news', 'sport', 'sport', 'sport', 'lifestyle', 'lifestyle', 'business'];
const BANDS = ['18-24', '25-34', '35-44', '45-54'];
const CATEGORIES = ['grocery', 'electronics', 'apparel', 'home', 'beauty', 'sports'];

export interface Reader { i: number; email: string; segment: string; ageBand: string }
export interface Purchase { i: number; customerId: string; email: string; category: string; store: string; cents: number; day: string }

export const readers: Reader[] = Array.from({ length: 500 }, (_, i) => ({
  i,
  email: sha(`e${i}@example.com`),
  segment: i >= 497 ? 'tech' : SEGMENT[i % 10]!,
  ageBand: i === 499 ? '55+' : BANDS[i % 4]!,
}));

export const purchases: Purchase[] = Array.from({ length: 600 }, (_, n) => n + 100).flatMap((i) =>
  Array.from({ length: 1 + (i % 3) }, (_, j) => ({
    i,
    customerId: `C${i}`,
    email: sha(`e${i}@example.com`),
    category: CATEGORIES[(i + j) % 6]!,
    store: `S${(i + j) % 4}`,
    cents: (i * 3737 + j * 1111) % 50_000,
    day: `2026-0${1 + ((i + j) % 3)}-${String(1 + ((i * 7 + j) % 28)).padStart(2, '0')}`,
  })),
);

/** Purchases joined with their reader (inner join on email). */
export const matched = purchases.flatMap((p) => {
  const r = readers.find((x) => x.email === p.email);
  return r === undefined ? [] : [{ p, r }];
});

/** The ready DP template as JSON. */
export function dpTemplateJson(): Record<string, any> {
  return JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'templates', 'retail-media-insights-dp.json'), 'utf8')) as Record<string, any>;
}

/** Validate template JSON or throw with its problems. */
export function templateOf(json: unknown): Template {
  const result = validateTemplate(json);
  if (!result.ok) throw new Error(JSON.stringify(result.problems, null, 2));
  return result.template;
}

/** Load both datasets into a fixture room. */
export async function loadRetailData(fixture: RoomFixture, template: Template): Promise<void> {
  const readerLines = ['email,phone,segment,age_band', ...readers.map((r) => `${r.email},,${r.segment},${r.ageBand}`)];
  const purchaseLines = [
    'customer_id,email,phone,category,store,amount,purchased_at',
    ...purchases.map((p) => `${p.customerId},${p.email},,${p.category},${p.store},${(p.cents / 100).toFixed(2)},${p.day}T12:00:00Z`),
  ];
  await fixture.room.loadCsv(await fixture.file('readers.csv', `${readerLines.join('\n')}\n`), loadPlanFor(template, 'readers'));
  await fixture.room.loadCsv(await fixture.file('purchases.csv', `${purchaseLines.join('\n')}\n`), loadPlanFor(template, 'purchases'));
}

/**
 * The room with every call of `query` recorded: the real room underneath, so a test can
 * prove that a refused query never reached execution.
 */
export function recording(room: RoomStore): { room: RoomStore; queries: string[] } {
  const queries: string[] = [];
  const proxy = new Proxy(room, {
    get(target, prop) {
      if (prop === 'query') {
        return (...args: Parameters<RoomStore['query']>) => {
          queries.push(args[0]);
          return target.query(...args);
        };
      }
      const value: unknown = Reflect.get(target, prop);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { room: proxy, queries };
}
