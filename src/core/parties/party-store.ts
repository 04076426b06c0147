/** One API key of a party, as stored: never the key, only its hash. */
export interface StoredKey {
  id: string;
  hash: string;
  createdAt: string;
  revokedAt: string | null;
}

/** A party known to the server. */
export interface Party {
  id: string;
  name: string;
  createdAt: string;
  keys: StoredKey[];
}

/**
 * Where parties and their key hashes are kept. Core declares it (the server authenticates with it); src/node/store
 * supplies a durable one.
 *
 * @example
 * ```ts
 * const party = await parties.findByKeyId('k0011223344556677');
 * ```
 */
export interface PartyStore {
  create(party: Party): Promise<void>;
  get(id: string): Promise<Party | undefined>;
  list(): Promise<Party[]>;
  /** The party that owns a key id (revoked or not). */
  findByKeyId(keyId: string): Promise<Party | undefined>;
  /** Replaces a party (new key, revocation). */
  put(party: Party): Promise<void>;
}
