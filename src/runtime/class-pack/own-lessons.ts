import { ownLesson, useOwnLessons } from '../../core/landscape/lessons';
import type { LessonRecord } from '../store/schema';
import { openPackStore } from './pack-store';

/**
 * Reads the lessons kept in this browser and makes them known to the lab (see useOwnLessons),
 * so that their links and steps open there as the built-in lessons' do. Where storage cannot
 * be read the lab goes on with the built-in lessons alone.
 */
export async function loadOwnLessons(name?: string): Promise<void> {
  let records: LessonRecord[] = [];
  try {
    const store = await openPackStore(name);
    try {
      records = await store.lessons();
    } finally {
      store.close();
    }
  } catch (error) {
    console.warn('tunelab: the lessons of one\'s own could not be read', error);
  }
  useOwnLessons(records.flatMap((r) => ownLesson(r) ?? []));
}
