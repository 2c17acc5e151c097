/** The IndexedDB store of tunelab: runs now, datasets and studies as the schema grows. */
export { openStore, IdbRunStore, MemoryRunStore, DB_NAME, type RunStore, type RunFinish } from './run-store';
export { DB_VERSION, MIGRATIONS, type RunRecord, type TunelabDB } from './schema';
