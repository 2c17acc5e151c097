/** Class packs: a chosen set of runs, studies, datasets and lessons in one file, checked and merged on import. */
export { PACK_FORMAT, PACK_VERSION, packText, readPack, type ClassPack, type PackReading, type PackStudy } from './pack';
export { PACK_KINDS, countText, datasetsUsedBy, describeMerge, planMerge, type KeptIds, type MergePlan, type PackCounts, type PackKind } from './merge';
export { newLesson, type NewLesson } from './lesson';
export { PackStore, openPackStore, type ImportOutcome, type PackChoice, type PackInventory } from './pack-store';
export { loadOwnLessons } from './own-lessons';
