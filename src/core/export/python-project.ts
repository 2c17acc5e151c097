import { checkPreprocess } from '../data/table/check';
import { quoteCell } from '../data/table/cells';
import { cellText } from '../data/table/rows';
import type { Recipe, Table } from '../data/table/types';
import { OPTIMIZER_DEFAULTS } from '../optim/defaults';
import { orderedNames, type ParamDef, type SearchSpace } from '../search/space';
import { PRUNER_DEFAULTS } from '../search';
import type { ExperimentSpec } from '../spec/experiment';
import { isMultiObjective, OBJECTIVE_LABELS, studyObjectives } from '../study/objectives';
import type { StudySpec } from '../study/types';
import modelCode from './tunelab_model.py?raw';
import { pythonLiteral } from './python-literal';
import { samplerCode, samplerDifferences } from './python-sampler';
import type { ArchiveFile } from './zip';

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

/** Text broken into lines of at most `width` characters, each started with `prefix`. */
function wrapped(text: string, prefix: string, width = 100): string[] {
  const lines: string[] = [];
  let line = prefix;
  for (const word of text.split(' ')) {
    if (line.length + word.length + 1 > width && line !== prefix) {
      lines.push(line);
      line = prefix;
    }
    line += (line === prefix ? '' : ' ') + word;
  }
  return [...lines, line];
}

/** The comment above make_sampler: how the exported sampler differs from the study's own, if it does. */
function samplerComment(study: StudySpec): string {
  const notes = samplerDifferences(study);
  if (!notes.length) return '';
  const lines = ['# The closest Optuna has to the study\'s own search strategy. How it differs:'];
  for (const note of notes) lines.push(...wrapped(note, '#   ').map((line, i) => (i === 0 ? line.replace('#   ', '# - ') : line)));
  return lines.join('\n') + '\n';
}

/**
 * The multi-objective parts of study.py: the objectives, the cost of a trial's network in
 * PyTorch (parameters, float32 bytes, inference time per row as tunelab measures it), and an
 * objective that returns every value; Optuna prunes no study of several objectives, nor does tunelab.
 */
function multiObjectiveCode(study: StudySpec): { header: string; objective: string; summary: string } {
  const objectives = studyObjectives(study);
  const header = `OBJECTIVES = ${pythonLiteral(objectives.map((o) => o.metric))}
DIRECTIONS = ${pythonLiteral(objectives.map((o) => o.direction))}


def network_cost(spec, parts, rows=1024, repeats=5):
    """
    The network's parameter count, the bytes of its float32 weights, and its inference time per
    row in milliseconds: the median of \`repeats\` forward passes of \`rows\` validation rows
    (repeated to fill them), after one untimed pass, as tunelab measures it in the browser.
    The weights are fresh ones: a dense forward pass costs the same for any weights.
    """
    recipe = load_json("recipe.json")
    classes = recipe["target"].get("classes") or []
    x = parts["val"][0] if len(parts["val"][0]) else parts["train"][0]
    net = build_model(spec["model"], x.shape[1], len(classes) if len(classes) > 2 else 1)
    net.train(False)
    count = sum(p.numel() for p in net.parameters())
    batch = x[torch.arange(rows) % x.shape[0]]
    times = []
    with torch.no_grad():
        net(batch)
        for _ in range(repeats):
            start = time.perf_counter()
            net(batch)
            times.append((time.perf_counter() - start) * 1000)
    return {"paramCount": count, "modelBytes": 4 * count, "inferenceTime": statistics.median(times) / rows}
`;
  const objective = `    def objective(trial):
        spec = apply_params(STUDY["base"], suggest(trial))
        history, kept = train_experiment(spec, parts)
        values = {**kept, **network_cost(spec, parts)}
        trial.set_user_attr("epochs", len(history))
        for name in ("valLoss", "valMetric", "paramCount", "modelBytes", "inferenceTime"):
            trial.set_user_attr(name, values[name])
        return tuple(values[name] for name in OBJECTIVES)
`;
  const summary = `    if done:
        print(f"Pareto front of {', '.join(OBJECTIVES)}:")
        for t in study.best_trials:
            print(f"  trial {t.number}: {t.values} with {t.params}")
`;
  return { header, objective, summary };
}

/** study.py: the Optuna study, its space as suggest_* calls, its sampler, pruner, seed and objective (or objectives). */
export function studyScript(study: StudySpec): string {
  const metric = study.objective.metric;
  const multi = isMultiObjective(study) ? multiObjectiveCode(study) : null;
  const sampler = samplerCode(study);
  const header = multi
    ? multi.header
    : `METRIC = ${pythonLiteral(metric)}
DIRECTION = ${pythonLiteral(study.objective.direction)}
`;
  const objective =
    multi?.objective ??
    `    def objective(trial):
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
`;
  const summary =
    multi?.summary ??
    `    if done:
        print(f"best trial {study.best_trial.number}: {METRIC} {study.best_value:.4f} with {study.best_params}")
`;
  return `"""The tunelab study ${pythonLiteral(study.name)} as an Optuna study.

Run one process, or many on many machines sharing one database (see README.md):
    python3 study.py --storage sqlite:///study.db --n-trials ${study.nTrials}
"""
import argparse
${multi ? 'import statistics\nimport time\n' : ''}
${sampler.includes('numpy.') ? 'import numpy\n' : ''}import optuna
${multi ? 'import torch\n' : ''}
from tunelab_model import apply_params, ${multi ? 'build_model, ' : ''}load_json, load_parts, train_experiment

STUDY = load_json("study.json")
${header}

${suggestFunction(study.space as SearchSpace)}


${samplerComment(study)}def make_sampler(seed):
    """The study's search strategy, seeded."""
    return ${sampler}


def make_pruner():
    """The study's pruner, fed the objective after every epoch."""
    return ${multi ? 'optuna.pruners.NopPruner()' : prunerCode(study)}


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
        ${multi ? 'directions=DIRECTIONS' : 'direction=DIRECTION'},
        sampler=make_sampler(STUDY["seed"] + args.worker),
        pruner=make_pruner(),
    )

${objective}
    if args.n_trials > 0:
        study.optimize(objective, n_trials=args.n_trials)
    done = [t for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
${summary}

if __name__ == "__main__":
    main()
`;
}

/** The README's words on what the study weighs and how its exported search strategy differs from tunelab's. */
function studyAbout(study: StudySpec): string {
  const parts: string[] = [];
  if (isMultiObjective(study)) {
    const objectives = studyObjectives(study);
    const list = objectives.map((o) => `${OBJECTIVE_LABELS[o.metric]} (${o.direction})`).join(', ');
    const timed = objectives.some((o) => o.metric === 'inferenceTime')
      ? ' The inference time per row is measured here, with PyTorch on this machine, so it compares the trials of this run, not figures taken in the browser.'
      : '';
    parts.push(`Each trial returns one value per objective: ${list}.${timed} \`study.best_trials\` is the Pareto front.`);
  }
  const notes = samplerDifferences(study);
  if (notes.length) parts.push(['The sampler in `study.py` is the closest Optuna has to the study\'s own. How it differs:', '', ...notes.map((n) => `- ${n}`)].join('\n'));
  return parts.map((p) => `\n${p}\n`).join('');
}

/** The README's way back for a study of one objective: its trials as CSV. */
function backToTunelabOne(study: StudySpec): string {
  return `\`\`\`python
import optuna
study = optuna.load_study(study_name=${pythonLiteral(study.name)}, storage="sqlite:///study.db")
study.trials_dataframe().to_csv("trials.csv", index=False)
\`\`\`

Open trials.csv in tunelab's Study screen (“Import an Optuna study…”) to read the study there.`;
}

/**
 * The README's way back for a study of several objectives: its trials as trials_dataframe()
 * records, at full precision (pandas rounds them), beside the study's directions and
 * objectives, so that tunelab maps every objective.
 */
function backToTunelabSeveral(study: StudySpec): string {
  return `\`\`\`python
import json
import optuna
study = optuna.load_study(study_name=${pythonLiteral(study.name)}, storage="sqlite:///study.db")
trials = [
    {"number": t.number, "state": t.state.name, "values": t.values,
     "datetime_start": str(t.datetime_start), "datetime_complete": str(t.datetime_complete),
     **{f"params_{k}": v for k, v in t.params.items()},
     **{f"user_attrs_{k}": v for k, v in t.user_attrs.items()},
     "system_attrs_nsga2:generation": t.system_attrs.get("nsga2:generation")}
    for t in study.trials
]
with open("trials.json", "w") as f:
    json.dump({"directions": [d.name.lower() for d in study.directions], "objectives": ${pythonLiteral(studyObjectives(study).map((o) => o.metric))}, "trials": trials}, f)
\`\`\`

Open trials.json in tunelab's Study screen (“Import an Optuna study…”): it reads every
objective and shows the Pareto front. A trials_dataframe() CSV reads too: its \`values_*\`
columns are matched to the measures study.py keeps as \`user_attrs_*\`, each in its usual direction.`;
}

/** README.md of an exported project: what is in it, how to run it on one machine or many. */
function readme(title: string, study?: StudySpec): string {
  const studyPart = study
    ? `## Run the study

\`\`\`sh
python3 study.py                        # one process, storage sqlite:///study.db
\`\`\`
${studyAbout(study)}
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

${isMultiObjective(study) ? backToTunelabSeveral(study) : backToTunelabOne(study)}
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
