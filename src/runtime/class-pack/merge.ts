import type { RunRecord } from '../store/schema';
import type { ClassPack, PackStudy } from './pack';

/** The kinds of thing a class pack carries, in the order messages name them. */
export const PACK_KINDS = ['runs', 'studies', 'datasets', 'lessons'] as const;

/** One of {@link PACK_KINDS}. */
export type PackKind = (typeof PACK_KINDS)[number];

/** A number per kind. */
export type PackCounts = Record<PackKind, number>;

/** The ids of what this browser keeps already, per kind. */
export type KeptIds = Record<PackKind, ReadonlySet<string>>;

/** What importing a pack adds (what is not here yet), and how many of each kind are here already. */
export interface MergePlan {
  add: Pick<ClassPack, PackKind>;
  added: PackCounts;
  already: PackCounts;
}

const idOf: { [K in PackKind]: (record: ClassPack[K][number]) => string } = {
  runs: (r) => r.id,
  studies: (s) => s.study.id,
  datasets: (d) => d.id,
  lessons: (l) => l.id,
};

/**
 * Merges a pack into what is kept, without overwriting anything: a record whose id is here
 * already (the same run, study, dataset or lesson, brought before or made here) is left as it
 * is and counted; everything else is added. A study comes with its trials or not at all.
 */
export function planMerge(pack: Pick<ClassPack, PackKind>, kept: KeptIds): MergePlan {
  const split = <K extends PackKind>(kind: K) => {
    const records = pack[kind] as ClassPack[K][number][];
    const fresh = records.filter((r) => !kept[kind].has(idOf[kind](r)));
    return { fresh, already: records.length - fresh.length };
  };
  const runs = split('runs');
  const studies = split('studies');
  const datasets = split('datasets');
  const lessons = split('lessons');
  return {
    add: { runs: runs.fresh as RunRecord[], studies: studies.fresh as PackStudy[], datasets: datasets.fresh as ClassPack['datasets'], lessons: lessons.fresh as ClassPack['lessons'] },
    added: { runs: runs.fresh.length, studies: studies.fresh.length, datasets: datasets.fresh.length, lessons: lessons.fresh.length },
    already: { runs: runs.already, studies: studies.already, datasets: datasets.already, lessons: lessons.already },
  };
}

const NOUNS: Record<PackKind, [string, string]> = { runs: ['run', 'runs'], studies: ['study', 'studies'], datasets: ['dataset', 'datasets'], lessons: ['lesson', 'lessons'] };

/** "3 runs", "1 study": a count of records of a kind, in words. */
export function countText(n: number, kind: PackKind): string {
  return `${n} ${NOUNS[kind][n === 1 ? 0 : 1]}`;
}

/** "3 runs added, 2 already here; 1 study added": what an import did, kind by kind. */
export function describeMerge(plan: Pick<MergePlan, 'added' | 'already'>): string {
  const parts = PACK_KINDS.flatMap((kind) => {
    const { added, already } = { added: plan.added[kind], already: plan.already[kind] };
    if (!added && !already) return [];
    if (!added) return [`${countText(already, kind)} already here`];
    return [already ? `${countText(added, kind)} added, ${already} already here` : `${countText(added, kind)} added`];
  });
  return parts.length ? `${parts.join('; ')}.` : 'The pack is empty: nothing to import.';
}

/**
 * The imported datasets that runs and studies train on (a table of the library, not one shipped
 * with the site), so that a pack carries the data its runs need.
 */
export function datasetsUsedBy(runs: Pick<RunRecord, 'spec'>[], studies: PackStudy[]): string[] {
  const specs = [...runs.map((r) => r.spec), ...studies.flatMap((s) => [s.study.spec.base, ...s.trials.map((t) => t.spec)])];
  const ids = specs.flatMap((spec) => (spec.data.kind === 'table' && !spec.data.dataset.startsWith('builtin:') ? [spec.data.dataset] : []));
  return [...new Set(ids)];
}
