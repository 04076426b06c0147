import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Party, PartyStore } from '../../core/parties/party-store.js';
import { WriteQueue, removeTemporaries, writeJsonAtomic } from './atomic-json.js';

/**
 * A {@link PartyStore} in one JSON file (`<dir>/parties.json`, mode 0600), held in memory
 * and rewritten atomically on every change. It holds key hashes only.
 *
 * @example
 * ```ts
 * const parties = await FilePartyStore.open('/data/store');
 * ```
 */
export class FilePartyStore implements PartyStore {
  readonly #path: string;
  readonly #parties: Map<string, Party>;
  /** key id -> party id, so authenticating a request is one lookup. */
  readonly #byKeyId = new Map<string, string>();
  readonly #queue = new WriteQueue();

  private constructor(path: string, parties: Party[]) {
    this.#path = path;
    this.#parties = new Map(parties.map((p) => [p.id, p]));
    for (const party of parties) for (const key of party.keys) this.#byKeyId.set(key.id, party.id);
  }

  static async open(dir: string): Promise<FilePartyStore> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await removeTemporaries(dir);
    const path = join(dir, 'parties.json');
    let parties: Party[] = [];
    try {
      parties = (JSON.parse(await readFile(path, 'utf8')) as { parties: Party[] }).parties;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    return new FilePartyStore(path, parties);
  }

  async create(party: Party): Promise<void> {
    await this.put(party);
  }

  async get(id: string): Promise<Party | undefined> {
    const found = this.#parties.get(id);
    return found === undefined ? undefined : structuredClone(found);
  }

  async list(): Promise<Party[]> {
    return [...this.#parties.values()].map((p) => structuredClone(p));
  }

  async findByKeyId(keyId: string): Promise<Party | undefined> {
    const partyId = this.#byKeyId.get(keyId);
    return partyId === undefined ? undefined : this.get(partyId);
  }

  async put(party: Party): Promise<void> {
    this.#parties.set(party.id, structuredClone(party));
    for (const key of party.keys) this.#byKeyId.set(key.id, party.id);
    const snapshot = { parties: [...this.#parties.values()] };
    await this.#queue.run('parties', () => writeJsonAtomic(this.#path, snapshot));
  }
}
