import { MemoryLedgerStore } from './ledger-store.js';
import { ledgerStoreContract } from './testing/ledger-store-contract.js';

ledgerStoreContract('memory', () => new MemoryLedgerStore());
