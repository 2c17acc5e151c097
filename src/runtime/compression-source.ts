import type { CompressionSource } from '../core/compress/compressed-training';
import { openStore } from './store/open';

/**
 * The saved run a compression study starts from, in the page or a worker: its experiment and
 * trained weights, read from IndexedDB. Rejects with a message for the user when the run was
 * deleted or has no weights.
 */
export async function loadCompressionSource(runId: string): Promise<CompressionSource> {
  const { store } = await openStore();
  try {
    const run = await store.getRun(runId);
    if (!run) throw new Error('The run this study compresses is no longer saved in this browser.');
    if (!run.weights) throw new Error('The run this study compresses has no saved weights.');
    return { spec: run.spec, weights: run.weights };
  } finally {
    store.close();
  }
}
