import { describe, expect, test } from 'vitest';
import { ReadWriteLock } from './read-write-lock.js';

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));

describe('ReadWriteLock', () => {
  test('shared holders overlap; an exclusive holder runs alone', async () => {
    const lock = new ReadWriteLock();
    const log: string[] = [];
    const reader = (name: string) =>
      lock.shared(async () => {
        log.push(`${name}+`);
        await tick();
        log.push(`${name}-`);
      });
    const writer = () =>
      lock.exclusive(async () => {
        log.push('w+');
        await tick();
        log.push('w-');
      });
    await Promise.all([reader('a'), reader('b'), writer(), reader('c')]);
    // a and b start before the writer; c, arriving after it, waits for it.
    expect(log.indexOf('b+')).toBeLessThan(log.indexOf('a-'));
    expect(log.indexOf('w+')).toBeGreaterThan(Math.max(log.indexOf('a-'), log.indexOf('b-')));
    expect(log.indexOf('c+')).toBeGreaterThan(log.indexOf('w-'));
  });

  test('a failing holder releases the lock', async () => {
    const lock = new ReadWriteLock();
    await expect(lock.exclusive(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(lock.shared(async () => 'next')).resolves.toBe('next');
  });
});
