import { memoryLedgerStore } from './ledger-store.js';
import { ledgerStoreContract } from './testing/ledger-store-contract.js';

ledgerStoreContract('memory', () => memoryLedgerStore());
