// The one worker that trains: the training screen, the landscape lab and a study's pool each
// start it under their own name and get their adapter (train.worker, landscape.worker,
// study.worker). One script for the three, so tfjs, nearly all of its size, is bundled and
// downloaded once rather than once per screen.
import * as Comlink from 'comlink';
import { landscapeApi } from './landscape.worker';
import { studyApi } from './study.worker';
import { trainApi } from './train.worker';
import { trainedLandscapeApi } from './trained-landscape.worker';

/** The adapters by the name a worker is started with. */
const ROLES = { train: trainApi, landscape: landscapeApi, study: studyApi, trained: trainedLandscapeApi };

/** A name this worker answers to, given as `new Worker(url, { name })`. */
export type TensorWorkerRole = keyof typeof ROLES;

/** What every role answers besides its adapter: a heartbeat for runtime/worker-watch. */
export interface Heartbeat {
  ping(): boolean;
}
const heartbeat: Heartbeat = { ping: () => true };

const role = self.name;
if (!Object.hasOwn(ROLES, role)) throw new Error(`tensor.worker was started as “${role}”, not as one of ${Object.keys(ROLES).join(', ')}`);
Comlink.expose({ ...ROLES[role as TensorWorkerRole], ...heartbeat });
