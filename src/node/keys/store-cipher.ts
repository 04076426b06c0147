import { CleanRoomError } from '../../core/errors.js';
import { sealBytes, unsealBytes } from '../../crypto/sealed-format.js';
import type { SealKey } from '../../crypto/sealed-file.js';
import type { LineCodec } from '../store/line-codec.js';
import type { KeyRing } from './key-ring.js';

/**
 * Seals what the durable stores write, under the collaboration's data key from the
 * {@link KeyRing}: whole records (a run, a collaboration, a blind batch) and single lines
 * of append-only logs (a ledger charge, a remembered release, an audit event), each bound
 * to its label, e.g. `run:c_1/r_9`, so a sealed record moved to another place does not
 * open. The stores call it when the server seals at rest; without one they write plainly.
 *
 * @example
 * ```ts
 * const cipher = new StoreCipher(ring);
 * const line = await cipher.sealLine('c_1', 'ledger', '{"run":"r_1"}');
 * await cipher.openLine('c_1', 'ledger', line, 'line 1 of /data/ledger/c_1.jsonl'); // '{"run":"r_1"}'
 * ```
 */
export class StoreCipher {
  readonly #ring: KeyRing;

  constructor(ring: KeyRing) {
    this.#ring = ring;
  }

  async seal(scope: string, label: string, plain: Uint8Array): Promise<Buffer> {
    return sealBytes(await this.#ring.keyFor(scope), `${label}:${scope}`, plain);
  }

  async open(scope: string, label: string, sealed: Uint8Array, source: string): Promise<Buffer> {
    return unsealBytes(await this.#ring.keyFor(scope), `${label}:${scope}`, sealed, source);
  }

  /** The key and full label of a sealed file of this scope, for sealFile / unsealFile. */
  async fileKey(scope: string, label: string): Promise<SealKey> {
    return { key: await this.#ring.keyFor(scope), label: `${label}:${scope}` };
  }

  /** One line of a log, sealed, as Base64 (no line break can occur in it). */
  async sealLine(scope: string, label: string, text: string): Promise<string> {
    return (await this.seal(scope, label, Buffer.from(text, 'utf8'))).toString('base64');
  }

  /** The text of a line written by {@link sealLine}, or an io_error naming `source`. */
  async openLine(scope: string, label: string, line: string, source: string): Promise<string> {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(line)) throw new CleanRoomError('io_error', `Cannot read ${source}: it is not a sealed line`, { details: { file: source } });
    return (await this.open(scope, label, Buffer.from(line, 'base64'), source)).toString('utf8');
  }

  /** The lines of one collaboration's log, sealed under its key. */
  lines(scope: string, label: string): LineCodec {
    return { encode: (text) => this.sealLine(scope, label, text), decode: (line, where) => this.openLine(scope, label, line, where) };
  }

  /** Forgets a collaboration's key for good (see KeyRing.destroy). */
  destroy(scope: string): Promise<void> {
    return this.#ring.destroy(scope);
  }
}
