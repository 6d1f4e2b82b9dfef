import { afterEach } from 'vitest';
import { openStore } from '../../../src/server/storage/open-store.ts';
import type { Store } from '../../../src/server/storage/store.ts';
import { openTestStore, type TestStore, type TestStoreKind } from '../../support/test-store.ts';

/**
 * The stores a test opens, closed and dropped after it. `twoProcesses()` stands for several app
 * processes writing at once: two stores, two connection pools, on one fresh PostgreSQL schema.
 */
export function useStores(tempDir: () => string): {
  open(kind: TestStoreKind): Promise<TestStore>;
  twoProcesses(): Promise<[Store, Store, TestStore]>;
} {
  const opened: TestStore[] = [];
  const others: Store[] = [];
  afterEach(async () => {
    // The second pool closes before dispose() drops the schema under it.
    for (const store of others.splice(0)) await store.close();
    for (const test of opened.splice(0)) await test.dispose();
  });

  async function open(kind: TestStoreKind): Promise<TestStore> {
    const test = await openTestStore(tempDir(), kind);
    opened.push(test);
    return test;
  }

  return {
    open,
    async twoProcesses() {
      const first = await open('postgres');
      const second = await openStore(first.location);
      others.push(second);
      return [first.store, second, first];
    },
  };
}
