import { mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/main.js';
import { runCleanroom, tempDir } from '../helpers/run-cleanroom.js';
import { TEMPLATES } from './server-harness.js';

// One server per data dir: its stores (runs, the privacy ledger, audit logs, uploads in
// progress) assume a single writer. A second server on the same dir must not start.

const quiet = { out: { write: () => true } as never, logTo: { write: () => undefined } as never };

describe('the data dir lock', () => {
  it('refuses a second server on the same data dir, leaves the first untouched, and frees the dir on close', async () => {
    const dataDir = join(tempDir('cleanroom-lock-'), 'data');
    const first = await startServer({ dataDir, templatesDir: TEMPLATES, port: 0, ...quiet });
    try {
      // An upload in progress of the first server: a second one would remove it as stale.
      const inProgress = join(dataDir, 'incoming', 'upload-in-progress.csv');
      writeFileSync(inProgress, 'email\n');
      const error = await startServer({ dataDir, templatesDir: TEMPLATES, port: 0, ...quiet }).then(
        () => null,
        (e: unknown) => e as { code?: string; message: string },
      );
      expect(error).toMatchObject({ code: 'conflict' });
      expect(error!.message).toContain(`Cannot use data dir ${dataDir}: another cleanroom server holds it`);
      expect(readdirSync(join(dataDir, 'incoming'))).toContain('upload-in-progress.csv');
      expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
    } finally {
      await first.close();
    }
    const again = await startServer({ dataDir, templatesDir: TEMPLATES, port: 0, ...quiet });
    await again.close();
  });

  it('takes over a lock left by a killed server once it is stale', async () => {
    const dataDir = join(tempDir('cleanroom-lock-stale-'), 'data');
    mkdirSync(join(dataDir, 'server.lock'), { recursive: true });
    const old = new Date(Date.now() - 5 * 60_000);
    utimesSync(join(dataDir, 'server.lock'), old, old);
    const server = await startServer({ dataDir, templatesDir: TEMPLATES, port: 0, ...quiet });
    await server.close();
  });

  it('takes at once a fresh lock whose holder on this host is gone (a server killed with SIGKILL, restarted), but not one whose holder runs', async () => {
    const dataDir = join(tempDir('cleanroom-lock-dead-'), 'data');
    mkdirSync(join(dataDir, 'server.lock'), { recursive: true });
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(join(dataDir, 'server.lock.owner'), JSON.stringify({ pid: dead, host: hostname() }));
    const server = await startServer({ dataDir, templatesDir: TEMPLATES, port: 0, ...quiet });
    await server.close();
    // A fresh lock whose recorded holder is alive (this test's own process) is respected.
    mkdirSync(join(dataDir, 'server.lock'));
    writeFileSync(join(dataDir, 'server.lock.owner'), JSON.stringify({ pid: process.pid, host: hostname() }));
    await expect(startServer({ dataDir, templatesDir: TEMPLATES, port: 0, ...quiet })).rejects.toMatchObject({ code: 'conflict' });
    // So is one held on another host: its pid means nothing here.
    writeFileSync(join(dataDir, 'server.lock.owner'), JSON.stringify({ pid: dead, host: `not-${hostname()}` }));
    await expect(startServer({ dataDir, templatesDir: TEMPLATES, port: 0, ...quiet })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('cleanroom serve exits non-zero naming the dir when another server holds it', async () => {
    const dataDir = join(tempDir('cleanroom-lock-cli-'), 'data');
    const first = await startServer({ dataDir, templatesDir: TEMPLATES, port: 0, ...quiet });
    try {
      const second = await runCleanroom(['serve', '--data-dir', dataDir, '--port', '0']);
      expect(second.code).not.toBe(0);
      expect(second.stderr).toContain('another cleanroom server holds it');
    } finally {
      await first.close();
    }
  });

  it('cleanroom demo refuses to wipe a directory whose demo server is running', async () => {
    const dir = tempDir('cleanroom-lock-demo-');
    const first = await startServer({ dataDir: join(dir, 'server'), templatesDir: TEMPLATES, port: 0, ...quiet });
    try {
      writeFileSync(join(dir, 'customers.csv'), 'kept\n');
      const second = await runCleanroom(['demo', '--dir', dir, '--port', '0', '--exit']);
      expect(second.code).not.toBe(0);
      expect(second.stderr).toContain('a demo server is already running there');
      expect(readdirSync(dir)).toContain('customers.csv');
      expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
    } finally {
      await first.close();
    }
  });
});
