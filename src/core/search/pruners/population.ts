import type { Pruner, PrunerTrial } from './pruner';

/** A member of a population, as its trial, with the value it reported at the step judged. */
export interface PopulationMember {
  id: number;
  value: number;
}

/**
 * Judges the members of a population trained in lockstep, all at one step: a pruner sees
 * every member's value at that step before any member is judged, so the order of the members
 * does not matter and the members reaching a rung together compete there together.
 */
export interface PopulationPruner {
  /** The indices into `members` of the members to stop after `step` (from 1); `trials` are all the study's trials, the members' included. */
  prune(step: number, members: PopulationMember[], trials: PrunerTrial[]): number[];
}

/**
 * A population pruner from a pruner that judges one trial at a time. Successive halving and
 * Hyperband already count every trial that reached a rung, running ones included: in
 * lockstep each rung keeps the best ⌊n/η⌋ of the members (and earlier trials) that reached it,
 * so the population shrinks at every rung. The median rule of Optuna counts completed trials
 * only, which in lockstep do not exist yet when the members are judged; with
 * `membersArePeers`, the other members that reached the step count as peers with the
 * completed trials (their value at the step enters the median, and they count towards the
 * startup trials), so a population judges its members against each other.
 *
 * @example
 * const median = populationPruner(createPruner({ kind: 'median', startupTrials: 2 }), true);
 * median.prune(1, [{ id: 0, value: 0.3 }, { id: 1, value: 0.5 }, { id: 2, value: 0.9 }], []); // [2]
 */
export function populationPruner(pruner: Pruner, membersArePeers: boolean): PopulationPruner {
  return {
    prune(step, members, trials) {
      const at = new Map(members.map((m) => [m.id, m.value]));
      // Every member's value at this step in view, whether or not `trials` has it yet.
      const view = trials.map((t) => {
        const value = at.get(t.id);
        if (value === undefined) return t;
        const intermediate = t.intermediate.slice(0, step - 1);
        while (intermediate.length < step - 1) intermediate.push(undefined);
        intermediate.push(value);
        return { ...t, intermediate };
      });
      for (const m of members) if (!trials.some((t) => t.id === m.id)) view.push({ id: m.id, state: 'running', intermediate: [...Array<undefined>(step - 1), m.value] });
      const stopped: number[] = [];
      members.forEach((m, k) => {
        const seen = membersArePeers ? view.map((t) => (at.has(t.id) && t.id !== m.id ? { ...t, state: 'complete' } : t)) : view;
        if (pruner.shouldPrune(m.id, step, m.value, seen)) stopped.push(k);
      });
      return stopped;
    },
  };
}
