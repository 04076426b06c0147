import { MemoryBlindExchangeStore } from './blind-exchange-store.js';
import { blindExchangeStoreContract } from './testing/blind-exchange-store-contract.js';

blindExchangeStoreContract('memory', async () => new MemoryBlindExchangeStore());
