import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Actor } from '../../src/core/collaboration/collaboration.js';
import type { CleanRoom } from '../../src/core/room/clean-room.js';
import { MemoryCollaborationStore } from '../../src/core/collaboration/collaboration-store.js';
import type { Template } from '../../src/core/template/index.js';
import { createNodeCleanRoom } from '../../src/node/room/create-node-clean-room.js';
import { loadReadyTemplates } from '../../src/node/template/load-ready-templates.js';
import { tempDir } from './run-cleanroom.js';

/** A clean room on a temporary data directory, and the ready templates. */
export async function roomHarness(): Promise<{ room: CleanRoom; dir: string; dataDir: string; masterKey: Uint8Array; store: MemoryCollaborationStore; template: (name: string) => Template; close: () => Promise<void> }> {
  const dir = tempDir('cleanroom-room-');
  const registry = await loadReadyTemplates(join(import.meta.dirname, '..', '..', 'templates'));
  const store = new MemoryCollaborationStore();
  const masterKey = randomBytes(32);
  const dataDir = join(dir, 'data');
  const { room, close } = await createNodeCleanRoom({ dataDir, masterKey, encryption: 'off', store });
  return {
    room,
    dir,
    dataDir,
    masterKey,
    store,
    template: (name) => {
      const found = registry.get(name);
      if (found === undefined) throw new Error(`no ready template ${name}`);
      return found.template;
    },
    close,
  };
}

/** An actor for a party id. */
export function actor(party: string): Actor {
  return { party, keyId: `k_${party}` };
}
