import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blindExchangeStoreContract, sampleBlindRecord } from '../../core/ingest/testing/blind-exchange-store-contract.js';
import { tempDir } from '../../../test/helpers/run-cleanroom.js';
import { FileBlindExchangeStore } from './file-blind-exchange-store.js';

blindExchangeStoreContract('file', () => FileBlindExchangeStore.open(tempDir('cleanroom-blind-')));

describe('FileBlindExchangeStore', () => {
  it('keeps a record across a restart in a private file, and deletes the file on remove', async () => {
    const dir = tempDir('cleanroom-blind-');
    await (await FileBlindExchangeStore.open(dir)).write('c_1', sampleBlindRecord());
    const again = await FileBlindExchangeStore.open(dir);
    expect(await again.read('c_1')).toEqual(sampleBlindRecord());
    expect(statSync(join(dir, 'c_1', 'record.json')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'c_1')).mode & 0o777).toBe(0o700);
    await again.remove('c_1');
    expect(() => statSync(join(dir, 'c_1'))).toThrow();
  });

  it('refuses a damaged file, naming it, rather than starting over', async () => {
    const dir = tempDir('cleanroom-blind-');
    const store = await FileBlindExchangeStore.open(dir);
    mkdirSync(join(dir, 'c_1'));
    writeFileSync(join(dir, 'c_1', 'record.json'), '{"keyChecks":');
    await expect(store.read('c_1')).rejects.toMatchObject({ code: 'internal', message: expect.stringContaining(`Cannot read the double-blind exchange of c_1 from ${join(dir, 'c_1', 'record.json')}`) });
  });

  it('refuses an id that could leave its directory', async () => {
    const store = await FileBlindExchangeStore.open(tempDir('cleanroom-blind-'));
    await expect(store.read('../c_1')).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(store.write('a/b', sampleBlindRecord())).rejects.toThrow(/an id is 1 to 100 letters/);
    await expect(store.getValues('c_1', '..', 'singles-0')).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(store.putValues('c_1', '1-a', '../x', [])).rejects.toMatchObject({ code: 'invalid_argument' });
  });
});
