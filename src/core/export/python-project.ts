import { checkPreprocess } from '../data/table/check';
import { quoteCell } from '../data/table/cells';
import { cellText } from '../data/table/rows';
import type { Recipe, Table } from '../data/table/types';
import { OPTIMIZER_DEFAULTS } from '../optim/defaults';
import { gridValues } from '../search/grid';
import { orderedNames, type ParamDef, type SearchSpace } from '../search/space';
import { DEFAULT_GRID_RESOLUTION, PRUNER_DEFAULTS } from '../search';
import type { ExperimentSpec } from '../spec/experiment';
import type { StudySpec } from '../study/types';
import modelCode from './tunelab_model.py?raw';
import type { ArchiveFile } from './zip';

/** A value as a Python literal: JSON's strings and numbers are Python's too; booleans and lists are spelled out. */
export function pythonLiteral(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`${value} has no place in a search space.`);
    return Number.isInteger(value) ? String(value) : JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(pythonLiteral).join(', ')}]`;
  return JSON.stringify(String(value));
}

/** The `trial.suggest_*` call of one parameter, as Optuna spells it. */
function suggestCall(name: string, def: ParamDef): string {
  const n = pythonLiteral(name);
  if (def.type === 'categorical') return `trial.suggest_categorical(${n}, ${pythonLiteral(def.choices)})`;
  const kind = def.type === 'int' ? 'suggest_int' : 'suggest_float';
  const extra = [def.log ? 'log=True' : '', def.step ? `step=${pythonLiteral(def.step)}` : ''].filter(Boolean);
  return `trial.${kind}(${[n, pythonLiteral(def.low), pythonLiteral(def.high), ...extra].join(', ')})`;
}

/** The body of `suggest(trial)`: one suggest_* per parameter, a conditional one inside the `if` of its condition. */
export function suggestFunction(space: SearchSpace): string {
  const lines = ['def suggest(trial):', '    """One trial\'s parameters, drawn from the study\'s search space."""', '    params = {}'];
  for (const name of orderedNames(space)) {
    const def = space[name];
    const set = `params[${pythonLiteral(name)}] = ${suggestCall(name, def)}`;
    if (def.condition) {
      lines.push(`    if params.get(${pythonLiteral(def.condition.param)}) in ${pythonLiteral(def.condition.in)}:`, `        ${set}`);
    } else lines.push(`    ${set}`);
  }
  lines.push('    return params');
  return lines.join('\n');
}

/** Optuna's sampler for the study's, with its options and the study's seed (plus the worker's number, see the README). */
export function samplerCode(study: StudySpec): string {
  const s = study.sampler as Record<string, unknown> & { kind: string };
  const space = study.space as SearchSpace;
  switch (s.kind) {
    case 'random':
      return 'optuna.samplers.RandomSampler(seed=seed)';
    case 'grid': {
      const resolution = (s.resolution as number | undefined) ?? DEFAULT_GRID_RESOLUTION;
      const grid = Object.keys(space).map((name) => `${pythonLiteral(name)}: ${pythonLiteral(gridValues(space[name], resolution))}`);
      return `optuna.samplers.GridSampler({${grid.join(', ')}}, seed=seed)`;
    }
    case 'tpe': {
      const args = [
        `n_startup_trials=${pythonLiteral(s.nStartupTrials ?? 10)}`,
        `n_ei_candidates=${pythonLiteral(s.nEiCandidates ?? 24)}`,
        `multivariate=${pythonLiteral(s.multivariate ?? true)}`,
        `constant_liar=${pythonLiteral(s.constantLiar ?? true)}`,
      ];
      return `optuna.samplers.TPESampler(${args.join(', ')}, seed=seed)`;
    }
    case 'genetic': {
      const args = [`population_size=${pythonLiteral(s.populationSize ?? 20)}`, `crossover_prob=${pythonLiteral(s.crossoverProb ?? 0.9)}`];
      if (s.mutationProb !== undefined) args.push(`mutation_prob=${pythonLiteral(s.mutationProb)}`);
      return `optuna.samplers.NSGAIISampler(${args.join(', ')}, seed=seed)`;
    }
    default:
      throw new Error(`The search strategy “${s.kind}” has no Optuna counterpart here.`);
  }
}

/** Optuna's pruner for the study's, with its options (Hyperband's longest run: the epochs, unless the spec says otherwise). */
export function prunerCode(study: StudySpec): string {
  const p = study.pruner as Record<string, unknown> & { kind: string };
  if (p.kind === 'median') {
    const args = [
      `n_startup_trials=${pythonLiteral(p.startupTrials ?? PRUNER_DEFAULTS.median.startupTrials)}`,
      `n_warmup_steps=${pythonLiteral(p.warmupSteps ?? PRUNER_DEFAULTS.median.warmupSteps)}`,
      `interval_steps=${pythonLiteral(p.intervalSteps ?? 1)}`,
      `n_min_trials=${pythonLiteral(p.minTrials ?? 1)}`,
    ];
    return `optuna.pruners.MedianPruner(${args.join(', ')})`;
  }
  if (p.kind === 'asha') {
    const args = [
      `min_resource=${pythonLiteral(p.minResource ?? PRUNER_DEFAULTS.asha.minResource)}`,
      `reduction_factor=${pythonLiteral(p.reductionFactor ?? PRUNER_DEFAULTS.asha.reductionFactor)}`,
      `min_early_stopping_rate=${pythonLiteral(p.minEarlyStoppingRate ?? 0)}`,
      `bootstrap_count=${pythonLiteral(p.bootstrapCount ?? 0)}`,
    ];
    return `optuna.pruners.SuccessiveHalvingPruner(${args.join(', ')})`;
  }
  if (p.kind === 'hyperband') {
    const args = [
      `min_resource=${pythonLiteral(p.minResource ?? PRUNER_DEFAULTS.hyperband.minResource)}`,
      `max_resource=${pythonLiteral(p.maxResource ?? study.base.training.epochs)}`,
      `reduction_factor=${pythonLiteral(p.reductionFactor ?? PRUNER_DEFAULTS.hyperband.reductionFactor)}`,
      `bootstrap_count=${pythonLiteral(p.bootstrapCount ?? 0)}`,
    ];
    return `optuna.pruners.HyperbandPruner(${args.join(', ')})`;
  }
  return 'optuna.pruners.NopPruner()';
}

/** study.py: the Optuna study, its space as suggest_* calls, its sampler, pruner, seed and objective. */
export function studyScript(study: StudySpec): string {
  const metric = study.objective.metric;
  return `"""The tunelab study ${pythonLiteral(study.name)} as an Optuna study.

Run one process, or many on many machines sharing one database (see README.md):
    python3 study.py --storage sqlite:///study.db --n-trials ${study.nTrials}
"""
import argparse

import optuna

from tunelab_model import apply_params, load_json, load_parts, train_experiment

STUDY = load_json("study.json")
METRIC = ${pythonLiteral(metric)}
DIRECTION = ${pythonLiteral(study.objective.direction)}


${suggestFunction(study.space as SearchSpace)}


def make_sampler(seed):
    """The study's search strategy, seeded."""
    return ${samplerCode(study)}


def make_pruner():
    """The study's pruner, fed the objective after every epoch."""
    return ${prunerCode(study)}


def make_storage(url):
    """The database the processes share; SQLite waits for a lock rather than failing at once."""
    if url.startswith("sqlite"):
        return optuna.storages.RDBStorage(url, engine_kwargs={"connect_args": {"timeout": 60}})
    return url


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--storage", default="sqlite:///study.db", help="database URL shared by every process (default: sqlite:///study.db)")
    parser.add_argument("--study-name", default=STUDY["name"])
    parser.add_argument("--n-trials", type=int, default=STUDY["nTrials"], help="trials this process runs")
    parser.add_argument("--worker", type=int, default=0, help="this process's number: added to the sampler's seed, so processes do not draw the same trials")
    args = parser.parse_args()

    parts = load_parts(load_json("recipe.json"))
    study = optuna.create_study(
        study_name=args.study_name,
        storage=make_storage(args.storage),
        load_if_exists=True,
        direction=DIRECTION,
        sampler=make_sampler(STUDY["seed"] + args.worker),
        pruner=make_pruner(),
    )

    def objective(trial):
        spec = apply_params(STUDY["base"], suggest(trial))

        def report(epoch, metrics):
            trial.report(metrics[METRIC], epoch)
            if trial.should_prune():
                raise optuna.TrialPruned()

        history, kept = train_experiment(spec, parts, report)
        trial.set_user_attr("epochs", len(history))
        trial.set_user_attr("valLoss", kept["valLoss"])
        trial.set_user_attr("valMetric", kept["valMetric"])
        return kept[METRIC]

    if args.n_trials > 0:
        study.optimize(objective, n_trials=args.n_trials)
    done = [t for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
    if done:
        print(f"best trial {study.best_trial.number}: {METRIC} {study.best_value:.4f} with {study.best_params}")


if __name__ == "__main__":
    main()
`;
}

/** README.md of an exported project: what is in it, how to run it on one machine or many. */
function readme(title: string, study?: StudySpec): string {
  const studyPart = study
    ? `## Run the study

\`\`\`sh
python3 study.py                        # one process, storage sqlite:///study.db
\`\`\`

## Many processes, many machines

Every process that runs \`study.py\` with the same \`--storage\` and \`--study-name\` works on
one study, as Optuna's distributed optimization has it: each asks the database for the trials
so far, samples its next trial from them, and writes its results back. Give each process its
own \`--worker\` number, so that seeded samplers do not draw the same trials.

\`\`\`sh
python3 study.py --n-trials 0           # creates the study (and its tables) once
python3 study.py --worker 0 --n-trials ${Math.ceil(study.nTrials / 2)} &
python3 study.py --worker 1 --n-trials ${Math.floor(study.nTrials / 2)} &
wait
\`\`\`

SQLite suits processes on one machine. Across machines, use a database server every machine
reaches, e.g. \`--storage postgresql://user:password@host/db\` (with psycopg2 installed) or
\`--storage mysql+pymysql://user:password@host/db\`.

## Back to tunelab

\`\`\`python
import optuna
study = optuna.load_study(study_name=${pythonLiteral(study.name)}, storage="sqlite:///study.db")
study.trials_dataframe().to_csv("trials.csv", index=False)
\`\`\`

Open trials.csv in tunelab's Study screen (“Import an Optuna study…”) to read the study there.
`
    : '';
  return `# ${title}

Exported from tunelab: the same network (architecture, Glorot-uniform initial weights, zero
biases, loss), the same optimizer by its torch.optim name and hyperparameters, and the same
preprocessing: \`recipe.json\` was fitted on the training rows in the browser and is applied
here row by row; \`split.json\` lists the rows of each part of \`data.csv\`.

Needs Python 3 with PyTorch${study ? ' and Optuna' : ''} (\`pip install torch${study ? ' optuna' : ''}\`, or Debian's
\`python3-torch\`${study ? ' and `python3-optuna`' : ''}).

## Train the experiment

\`\`\`sh
python3 tunelab_model.py                # trains experiment.json, prints every epoch
\`\`\`

${studyPart}
## Files

- \`tunelab_model.py\`: data, model, optimizer and training loop.
${study ? '- `study.py`: the Optuna study: search space (`suggest_*`), sampler, pruner, objective.\n- `study.json`: the study as tunelab stores it.\n' : ''}- \`experiment.json\`: the experiment${study ? ' the study starts from' : ''}.
- \`recipe.json\`, \`data.csv\`, \`split.json\`: the table and how it becomes the network's inputs.
- \`optimizer-defaults.json\`: torch.optim's defaults, for hyperparameters the experiment leaves out.

PyTorch draws its own random numbers, so a run here starts from other initial weights and
batches than the browser's; results agree as two seeds of one configuration do.
`;
}

/** The table as CSV text, every column, empty cells empty. */
function tableCsv(table: Table): string {
  const lines = [table.columns.map((c) => quoteCell(c.name)).join(',')];
  for (let r = 0; r < table.rows; r++) lines.push(table.columns.map((c) => quoteCell(cellText(c, r) ?? '')).join(','));
  return lines.join('\n') + '\n';
}

/** What an exported Python project is made from: an experiment on a table, with its recipe, and optionally a study. */
export interface PythonProjectInput {
  experiment: ExperimentSpec;
  table: Table;
  recipe: Recipe;
  study?: StudySpec;
}

/**
 * The files of a Python project, under `folder/`, that trains the experiment with PyTorch and,
 * for a study, runs it as an Optuna study over any number of processes sharing a database.
 *
 * @example
 * const files = pythonProject({ experiment: study.base, table, recipe, study }, 'penguins-study');
 */
export function pythonProject(input: PythonProjectInput, folder: string): ArchiveFile[] {
  const { experiment, table, recipe, study } = input;
  if (experiment.data.kind !== 'table') throw new Error('Only an experiment on a table exports as a Python project.');
  if (study && (study.folds ?? 1) > 1) throw new Error('A cross-validated study does not export yet: set its folds to 1.');
  if (experiment.compress) throw new Error('A size-against-accuracy study does not export as a Python project: its pruning and quantization-aware fine-tuning have no counterpart there.');
  const check = checkPreprocess(table, recipe.spec);
  if (!check.ok) throw new Error(check.problems[0].message);
  const { train, val, test } = check.checked.parts;
  const json = (value: unknown) => JSON.stringify(value, null, 2) + '\n';
  const title = study ? `tunelab study: ${study.name}` : `tunelab experiment on ${experiment.data.name}`;
  const files: ArchiveFile[] = [
    { path: `${folder}/README.md`, content: readme(title, study) },
    { path: `${folder}/tunelab_model.py`, content: modelCode },
    { path: `${folder}/experiment.json`, content: json(experiment) },
    { path: `${folder}/recipe.json`, content: json(recipe) },
    { path: `${folder}/split.json`, content: JSON.stringify({ train, val, test }) + '\n' },
    { path: `${folder}/data.csv`, content: tableCsv(table) },
    { path: `${folder}/optimizer-defaults.json`, content: json(OPTIMIZER_DEFAULTS) },
  ];
  if (study) files.push({ path: `${folder}/study.py`, content: studyScript(study) }, { path: `${folder}/study.json`, content: json(study) });
  return files;
}
