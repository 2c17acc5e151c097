/** The IndexedDB store of tunelab: runs, studies and their trials, and datasets as the schema grows. */
export { openStore, type OpenedStore } from './open';
export { IdbRunStore, MemoryRunStore, type RunStore, type RunFinish } from './run-store';
export type { DamagedRecord } from './damaged';
export { isRunRecord } from './run-check';
export { IdbStudyStore, MemoryStudyStore, type StudyStore } from './study-store';
export { DB_NAME, DB_VERSION, MIGRATIONS, type LessonRecord, type RunRecord, type TunelabDB } from './schema';
export { DatasetStore, openDatasetStore, storageInfo, keepData, type DatasetSummary, type DatasetRecord, type StorageInfo, type WriteOutcome } from './dataset-store';
