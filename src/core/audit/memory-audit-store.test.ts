import { auditStoreContract } from '../../../test/contracts/audit-store-contract.js';
import { MemoryAuditStore } from './memory-audit-store.js';

auditStoreContract('MemoryAuditStore', async () => {
  const store = new MemoryAuditStore();
  return { store, reopen: async () => store };
});
