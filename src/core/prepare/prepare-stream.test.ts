import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildChunkSettings } from './chunk-settings.js';
import { planColumns } from './column-plan.js';
import { prepareChunk } from './prepare-chunk.js';
import { prepareStream } from './prepare-stream.js';
import type { ByteSource, ChunkRunner, PrepareStreamOptions } from './prepare-stream.js';

const encoder = new TextEncoder();
const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

/** A source that hands out the text in pieces of `step` bytes. */
function pieces(text: string, step: number): ByteSource {
  const bytes = encoder.encode(text);
  let at = 0;
  return {
    size: bytes.length,
    read: async () => {
      if (at >= bytes.length) return null;
      const piece = bytes.slice(at, at + step);
      at += step;
      return piece;
    },
  };
}

/** Prepares on this thread, but answers the chunks in reverse order of asking, two at a time. */
function shuffledRunner(delimiter: string, plan: ReturnType<typeof planColumns>): ChunkRunner & { seen: number[] } {
  const settings = buildChunkSettings({ plan, profile: 'default', defaultCountry: 'US', scheme: 'sha256', delimiter });
  const seen: number[] = [];
  let turn = 0;
  return {
    seen,
    prepare: (bytes, firstLine) => {
      seen.push(firstLine);
      const chunk = prepareChunk(bytes, firstLine, settings);
      const wait = turn++ % 2 === 0 ? 20 : 0;
      return new Promise((resolve) => setTimeout(() => resolve(chunk), wait));
    },
  };
}

async function run(text: string, step: number, extra: Partial<PrepareStreamOptions> = {}) {
  const out: Uint8Array[] = [];
  const progress: number[] = [];
  const rejects: string[] = [];
  let runner: ReturnType<typeof shuffledRunner> | undefined;
  const result = await prepareStream({
    source: pieces(text, step),
    label: 'people.csv',
    start: (head) => {
      const plan = planColumns(head.header, { file: 'people.csv' });
      runner = shuffledRunner(head.delimiter, plan);
      return { plan, outputHeader: head.header, runner, inFlight: 3 };
    },
    write: (bytes) => {
      out.push(bytes.slice());
    },
    onRejects: (list) => {
      for (const r of list) rejects.push(`${r.line}:${r.field}:${r.action}`);
    },
    onProgress: (done) => progress.push(done),
    ...extra,
  });
  const written = new TextDecoder().decode(Buffer.concat(out));
  return { result, written, progress, rejects, firstLines: runner?.seen ?? [] };
}

describe('prepareStream', () => {
  const rows = Array.from({ length: 400 }, (_, i) => `user${i % 300}@example.com,${i % 300}`);
  const text = `email,customer_no\n${rows.join('\n')}\n`;

  it('keeps input order across chunks answered out of order, and removes duplicates across chunks', async () => {
    const { result, written, firstLines } = await run(text, 1000);
    expect(firstLines.length).toBeGreaterThan(5);
    const lines = written.trimEnd().split('\n');
    expect(lines[0]).toBe('email,customer_no');
    expect(lines.slice(1)).toEqual(Array.from({ length: 300 }, (_, i) => `${sha(`user${i}@example.com`)},${i}`));
    expect(result.stats.duplicatesRemoved).toBe(100);
    expect(result.stats.rowsWritten).toBe(300);
    expect(result.rowsWithKind.email).toBe(300);
  });

  it('writes every record when asked not to deduplicate', async () => {
    const { result, written } = await run(text, 1000, { dedupe: false });
    expect(written.trimEnd().split('\n')).toHaveLength(401);
    expect(result.stats.duplicatesRemoved).toBe(0);
    expect(result.rowsWithKind.email).toBe(400);
  });

  it('reports progress in prepared input bytes, never falling, ending at the size', async () => {
    const { progress } = await run(text, 1000);
    expect(progress.every((done, i) => i === 0 || done >= progress[i - 1]!)).toBe(true);
    expect(progress.at(-1)).toBe(encoder.encode(text).length);
  });

  it('hands the rejects of each chunk to the host with their input line', async () => {
    const { rejects } = await run('email,customer_no\nnot-an-email,1\nok@example.com,2\n', 7);
    // The only identifier is invalid, so the row has none left and is rejected.
    expect(rejects).toEqual(['2:email:row_rejected']);
  });

  it('refuses an unterminated quote naming the file, line and column', async () => {
    const bad = `email,customer_no\n${rows.slice(0, 50).join('\n')}\n"broken@example.com,1\n`;
    await expect(run(bad, 64)).rejects.toMatchObject({ code: 'invalid_input', details: { file: 'people.csv', line: 52, column: 1 } });
  });

  it('refuses an empty input before asking the host to start', async () => {
    let started = false;
    await expect(
      prepareStream({ source: pieces('', 10), label: 'empty.csv', start: () => ((started = true), undefined as never), write: () => undefined }),
    ).rejects.toThrow(/Cannot read empty.csv as CSV: the file is empty/);
    expect(started).toBe(false);
  });
});
