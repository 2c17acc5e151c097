import type { ScheduleSpec } from '../train/types';

/**
 * The factor a learning-rate schedule applies at `epoch` (from 0) of `epochs`:
 * constant 1; step γ^⌊epoch / every⌋ (torch's StepLR); cosine
 * minFactor + (1 − minFactor)·(1 + cos(π·epoch / epochs)) / 2 (torch's CosineAnnealingLR with
 * T_max = epochs and η_min = minFactor·lr).
 */
export function lrFactor(schedule: ScheduleSpec, epoch: number, epochs: number): number {
  switch (schedule.kind) {
    case 'constant':
      return 1;
    case 'step':
      return schedule.gamma ** Math.floor(epoch / schedule.every);
    case 'cosine':
      return schedule.minFactor + ((1 - schedule.minFactor) * (1 + Math.cos((Math.PI * epoch) / epochs))) / 2;
  }
}
