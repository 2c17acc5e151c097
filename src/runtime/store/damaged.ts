import * as v from 'valibot';

/**
 * A stored record that fails its check on reading: listed so that it can be deleted. `id` is
 * its key: a run's or a study's id; a trial's study id, with the trial's `number`.
 */
export type DamagedRecord = {
  /** When it was made, where the record still says so. */
  createdAt?: number;
  /** Why it does not read, in a few words. */
  problem: string;
} & ({ kind: 'run' | 'study'; id: string } | { kind: 'trial'; id: string; number: number });

/** Why `value` fails `schema`, in a few words for the list of damaged records ("its spec does not read"); undefined when it passes. */
export function schemaProblem(schema: v.GenericSchema, value: unknown, what: string): string | undefined {
  const result = v.safeParse(schema, value);
  if (result.success) return undefined;
  const path = v.getDotPath(result.issues[0]);
  return path ? `its ${path} does not read` : `it does not read as a ${what}`;
}

/**
 * The records of one store that fail their check (`problemOf` says why), with what still reads
 * of their key and date; a record without a readable key cannot be deleted by it and is left out.
 */
export function damagedRecords(kind: DamagedRecord['kind'], records: unknown[], problemOf: (record: unknown) => string | undefined): DamagedRecord[] {
  return records.flatMap((r): DamagedRecord[] => {
    const problem = problemOf(r);
    if (problem === undefined) return [];
    const { id, studyId, number, createdAt } = (r ?? {}) as { id?: unknown; studyId?: unknown; number?: unknown; createdAt?: unknown };
    const when = typeof createdAt === 'number' ? { createdAt } : {};
    if (kind === 'trial') return typeof studyId === 'string' && typeof number === 'number' ? [{ kind, id: studyId, number, ...when, problem }] : [];
    return typeof id === 'string' ? [{ kind, id, ...when, problem }] : [];
  });
}
