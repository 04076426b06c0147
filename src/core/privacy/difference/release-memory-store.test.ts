import { MemoryReleaseMemoryStore } from './release-memory-store.js';
import { releaseMemoryStoreContract } from './testing/release-memory-store-contract.js';

releaseMemoryStoreContract('memory', () => new MemoryReleaseMemoryStore());
