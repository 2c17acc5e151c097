import { countText, describeMerge, openPackStore, packText, readPack, PACK_KINDS, type PackChoice, type PackInventory, type PackKind, type PackStore } from '../../runtime/class-pack';
import { saveBlob } from '../../runtime/download';

const noChoice = (): PackChoice => ({ runs: [], studies: [], datasets: [], lessons: [] });


/**
 * The Class pack panel's state: what this browser keeps, what is chosen for a pack, and what the
 * last export or import did. Exports and imports go through runtime/class-pack.
 */
export class ClassPackState {
  /** Everything a pack can carry, or null until read. */
  inventory = $state.raw<PackInventory | null>(null);
  /** The ids chosen for the next pack, per kind. */
  chosen = $state<PackChoice>(noChoice());
  /** Why the last import (or opening the store) failed, shown by the file picker; nothing was changed. */
  problem = $state<string | null>(null);
  /** What the last export or import did, in a sentence. */
  result = $state<string | null>(null);
  /** Whether anything is chosen. */
  readonly any = $derived(PACK_KINDS.some((k) => this.chosen[k].length > 0));

  private store: PackStore | null = null;

  /** `onImported` is told when an import added something, so other screens read their lists again. */
  constructor(private readonly onImported: () => void = () => {}) {}

  /** Opens the store and reads what it keeps. */
  async open(): Promise<void> {
    try {
      this.store ??= await openPackStore();
      await this.refresh();
    } catch (error) {
      this.problem = error instanceof Error ? error.message : String(error);
    }
  }

  /** Whether a record is chosen. */
  isChosen(kind: PackKind, id: string): boolean {
    return this.chosen[kind].includes(id);
  }

  /** Chooses a record, or leaves it out again. */
  toggle(kind: PackKind, id: string): void {
    const ids = this.chosen[kind];
    this.chosen[kind] = ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id];
  }

  /** Chooses every record of a kind, or none. */
  chooseAll(kind: PackKind, all: boolean): void {
    const kept = this.inventory?.[kind] ?? [];
    this.chosen[kind] = all ? kept.map((r) => r.id) : [];
  }

  /** Downloads the chosen records (and the datasets their runs and studies use) as one class pack file. */
  async exportPack(): Promise<void> {
    if (!this.store) return;
    const pack = await this.store.gather($state.snapshot(this.chosen));
    const day = new Date(pack.createdAt).toISOString().slice(0, 10);
    saveBlob(`tunelab-class-pack-${day}.json`, new Blob([packText(pack)], { type: 'application/json' }));
    const extra = pack.datasets.length - this.chosen.datasets.length;
    const parts = [countText(pack.runs.length, 'runs'), countText(pack.studies.length, 'studies'), countText(pack.datasets.length, 'datasets'), countText(pack.lessons.length, 'lessons')];
    this.problem = null;
    this.result = `Exported ${parts.join(', ')}${extra > 0 ? ` (${countText(extra, 'datasets')} that the runs and studies train on)` : ''}.`;
  }

  /** Reads a class pack file and merges it in; a bad file changes nothing and says why. */
  async importFile(file: File): Promise<void> {
    this.problem = null;
    this.result = null;
    if (!this.store) return;
    const read = readPack(await file.text());
    if (!read.ok) {
      this.problem = `“${file.name}”: ${read.message}`;
      return;
    }
    const outcome = await this.store.merge(read.pack);
    if (!outcome.ok) {
      this.problem = outcome.message;
      return;
    }
    this.result = describeMerge(outcome.plan);
    await this.refresh();
    if (PACK_KINDS.some((k) => outcome.plan.added[k] > 0)) this.onImported();
  }

  /** Reads what is kept again (the library changed on this screen, say). */
  async refresh(): Promise<void> {
    if (!this.store) return;
    this.inventory = await this.store.inventory();
  }
}
