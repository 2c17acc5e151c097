import { describe, expect, it } from 'vitest';
import { pythonLiteral } from '../../src/core/export/python-literal';
import { prunerCode, pythonProject, studyScript, suggestFunction } from '../../src/core/export/python-project';
import { samplerCode, samplerDifferences } from '../../src/core/export/python-sampler';
import type { StudySpec } from '../../src/core/study/types';
import { penguinStudy, penguinTable } from '../support/penguin-study';

const spaceWithChoice = {
  'optimizer.kind': { type: 'categorical', choices: ['sgd', 'momentum', 'adam'] },
  'optimizer.lr': { type: 'float', low: 1e-4, high: 0.3, log: true },
  'model.units': { type: 'int', low: 2, high: 32 },
};
const withSampler = (sampler: StudySpec['sampler'], pruner: StudySpec['pruner'] = { kind: 'none' }): StudySpec => ({ ...penguinStudy(), sampler, pruner });

describe('the Python project of a study', () => {
  it('spells values as Python literals', () => {
    expect(pythonLiteral(true)).toBe('True');
    expect(pythonLiteral([0.5, 'relu', false, 3])).toBe('[0.5, "relu", False, 3]');
    expect(pythonLiteral('a "quoted" name\n')).toBe('"a \\"quoted\\" name\\n"');
    expect(() => pythonLiteral(Infinity)).toThrow();
  });

  it('draws each parameter by suggest_*, a conditional one inside an if of its condition', () => {
    const code = suggestFunction({
      'optimizer.kind': { type: 'categorical', choices: ['sgd', 'momentum', 'adam'] },
      'optimizer.lr': { type: 'float', low: 1e-4, high: 0.3, log: true },
      'optimizer.momentum': { type: 'float', low: 0.5, high: 0.99, condition: { param: 'optimizer.kind', in: ['momentum'] } },
      'model.units': { type: 'int', low: 2, high: 32, step: 2 },
      'training.batchSize': { type: 'int', low: 8, high: 128, log: true },
    });
    expect(code.split('\n')).toEqual([
      'def suggest(trial):',
      '    """One trial\'s parameters, drawn from the study\'s search space."""',
      '    params = {}',
      '    params["model.units"] = trial.suggest_int("model.units", 2, 32, step=2)',
      '    params["optimizer.kind"] = trial.suggest_categorical("optimizer.kind", ["sgd", "momentum", "adam"])',
      '    params["optimizer.lr"] = trial.suggest_float("optimizer.lr", 0.0001, 0.3, log=True)',
      '    if params.get("optimizer.kind") in ["momentum"]:',
      '        params["optimizer.momentum"] = trial.suggest_float("optimizer.momentum", 0.5, 0.99)',
      '    params["training.batchSize"] = trial.suggest_int("training.batchSize", 8, 128, log=True)',
      '    return params',
    ]);
  });

  it('names the same sampler and pruner with their options and the seed', () => {
    expect(samplerCode(withSampler({ kind: 'random' }))).toBe('optuna.samplers.RandomSampler(seed=seed)');
    expect(samplerCode(withSampler({ kind: 'tpe', nStartupTrials: 5 }))).toBe(
      'optuna.samplers.TPESampler(n_startup_trials=5, n_ei_candidates=24, prior_weight=1, consider_magic_clip=True, consider_endpoints=False, multivariate=True, constant_liar=True, seed=seed)',
    );
    expect(samplerCode(withSampler({ kind: 'genetic', populationSize: 8 }))).toBe('optuna.samplers.NSGAIISampler(population_size=8, crossover_prob=0.9, seed=seed)');
    expect(samplerCode(withSampler({ kind: 'grid' }))).toBe('optuna.samplers.GridSampler({"optimizer.lr": [0.003, 0.03], "model.units": [4, 12]}, seed=seed)');
    expect(prunerCode(withSampler({ kind: 'grid' }, { kind: 'median', startupTrials: 2, warmupSteps: 3 }))).toBe(
      'optuna.pruners.MedianPruner(n_startup_trials=2, n_warmup_steps=3, interval_steps=1, n_min_trials=1)',
    );
    expect(prunerCode(withSampler({ kind: 'grid' }, { kind: 'asha', reductionFactor: 3 }))).toBe(
      'optuna.pruners.SuccessiveHalvingPruner(min_resource=1, reduction_factor=3, min_early_stopping_rate=0, bootstrap_count=0)',
    );
    // Hyperband's longest run is the trials' epochs, as the study's own pruner takes it.
    const study = withSampler({ kind: 'grid' }, { kind: 'hyperband', minResource: 2, reductionFactor: 2 });
    expect(prunerCode(study)).toBe(`optuna.pruners.HyperbandPruner(min_resource=2, max_resource=${study.base.training.epochs}, reduction_factor=2, bootstrap_count=0)`);
    expect(prunerCode(withSampler({ kind: 'grid' }, { kind: 'hyperband' }))).toBe(`optuna.pruners.HyperbandPruner(min_resource=1, max_resource=${study.base.training.epochs}, reduction_factor=3, bootstrap_count=0)`);
    expect(prunerCode(withSampler({ kind: 'grid' }, { kind: 'asha', minResource: 3, reductionFactor: 2 }))).toBe(
      'optuna.pruners.SuccessiveHalvingPruner(min_resource=3, reduction_factor=2, min_early_stopping_rate=0, bootstrap_count=0)',
    );
    expect(prunerCode(withSampler({ kind: 'grid' }))).toBe('optuna.pruners.NopPruner()');
  });

  it('reports every epoch to the pruner, shares its storage (sqlite:///study.db by default) and seeds each worker', () => {
    const code = studyScript(penguinStudy());
    expect(code).toContain('parser.add_argument("--storage", default="sqlite:///study.db"');
    expect(code).toContain('trial.report(metrics[METRIC], epoch)');
    expect(code).toContain('if trial.should_prune():\n                raise optuna.TrialPruned()');
    expect(code).toContain('sampler=make_sampler(STUDY["seed"] + args.worker)');
    expect(code).toContain('DIRECTION = "maximize"');
    expect(code).toContain('load_if_exists=True');
  });

  it('holds the model code, the table, its split and recipe, and a README on running many processes', async () => {
    const { table, recipe } = await penguinTable();
    const study = penguinStudy();
    const files = pythonProject({ experiment: study.base, table, recipe, study }, 'penguins-study');
    expect(files.map((f) => f.path.replace('penguins-study/', '')).sort()).toEqual(
      ['README.md', 'data.csv', 'experiment.json', 'optimizer-defaults.json', 'recipe.json', 'split.json', 'study.json', 'study.py', 'tunelab_model.py'],
    );
    const text = (name: string) => files.find((f) => f.path === `penguins-study/${name}`)!.content as string;
    const split = JSON.parse(text('split.json'));
    expect(split.train.length + split.val.length + split.test.length).toBe(344);
    expect(text('data.csv').trimEnd().split('\n')).toHaveLength(345);
    expect(text('README.md')).toContain('--storage postgresql://');
    const model = text('tunelab_model.py');
    for (const piece of ['nn.init.xavier_uniform_', 'nn.init.zeros_', 'torch.optim.SGD', 'torch.optim.Adagrad', 'torch.optim.RMSprop', 'torch.optim.AdamW', 'F.cross_entropy', 'F.binary_cross_entropy_with_logits', 'F.mse_loss', 'nn.GELU(approximate="tanh")', 'clip_grad_norm_']) {
      expect(model).toContain(piece);
    }
    expect(() => pythonProject({ experiment: study.base, table, recipe, study: { ...study, folds: 3 } }, 'x')).toThrow('cross-validated');
    const compress = { run: 'r', sparsity: 0.5, bits: 4, distilled: false, distill: { widthFactor: 0.5, temperature: 2, alpha: 0.7, epochs: 15 } };
    expect(() => pythonProject({ experiment: { ...study.base, compress }, table, recipe, study }, 'x')).toThrow('size-against-accuracy study does not export');
  });

  it('exports TPE with every option, as tunelab works out its defaults for the space, and says how it differs', () => {
    const conditional = { ...spaceWithChoice, 'optimizer.momentum': { type: 'float', low: 0.5, high: 0.99, condition: { param: 'optimizer.kind', in: ['momentum'] } } };
    // Choices and numbers, no conditions: the joint model per choice.
    const mixed = { ...withSampler({ kind: 'tpe' }), space: spaceWithChoice };
    expect(samplerCode(mixed)).toBe(
      'optuna.samplers.TPESampler(n_startup_trials=10, n_ei_candidates=24, prior_weight=1, consider_magic_clip=True, consider_endpoints=False, multivariate=True, constant_liar=True, seed=seed)',
    );
    expect(samplerDifferences(mixed).map((n) => n.slice(0, 50))).toEqual([
      'tunelab picks each categorical parameter first, on',
      'tunelab draws the numbers of one trial in 3, once ',
      'Where a Gaussian-process fit finds noise in the va',
      "tunelab's joint kernels are as wide as the geometr",
    ]);
    expect(samplerDifferences({ ...mixed, sampler: { kind: 'tpe', intensify: false } })).toHaveLength(3);
    expect(samplerDifferences({ ...mixed, sampler: { kind: 'tpe', smoothSplit: false } })).toHaveLength(3);
    // Numbers alone: jointly, ranked as observed; with three, the kernels wide at first.
    const numbers = { 'optimizer.lr': spaceWithChoice['optimizer.lr'], 'model.units': spaceWithChoice['model.units'] };
    expect(samplerDifferences({ ...mixed, space: numbers }).map((n) => n.slice(0, 50))).toEqual(["tunelab's joint kernels are as wide as the geometr"]);
    expect(samplerDifferences({ ...mixed, space: numbers })[0]).not.toContain('startup');
    const three = { ...numbers, 'training.l2': { type: 'float', low: 1e-6, high: 1e-2, log: true } };
    expect(samplerDifferences({ ...mixed, space: three })).toEqual([
      "tunelab's joint kernels are as wide as the geometric mean of the univariate gap rule and Scott's rule, from Scott's rule alone when the startup trials end to the even mean by the 100th trial; Optuna's multivariate TPE takes Scott's rule alone, one width for every kernel, and explores more widely.",
    ]);
    // A conditional space: univariate, every trial weighing alike, the conditional parameter ranked where present, its choice judged by formed trials.
    const withCondition = { ...withSampler({ kind: 'tpe', nStartupTrials: 20, priorWeight: 2, considerEndpoints: true, constantLiar: false }), space: conditional };
    expect(samplerCode(withCondition)).toBe(
      'optuna.samplers.TPESampler(n_startup_trials=20, n_ei_candidates=24, prior_weight=2, consider_magic_clip=True, consider_endpoints=True, multivariate=False, weights=numpy.ones, constant_liar=False, seed=seed)',
    );
    expect(samplerDifferences(withCondition).map((n) => n.slice(0, 50))).toEqual([
      "tunelab ranks a conditional parameter's trials int",
      'tunelab judges the choices of a categorical parame',
    ]);
    expect(samplerDifferences({ ...withCondition, sampler: { kind: 'tpe', formedChoices: false } })).toHaveLength(1);
    // Told to model a conditional space jointly, Optuna needs group=True to reach the conditional parameters.
    expect(samplerCode({ ...withCondition, sampler: { kind: 'tpe', multivariate: true, splitWherePresent: false, flatWeights: false } })).toContain('multivariate=True, group=True, constant_liar=True');
    expect(studyScript(withCondition)).toContain('import numpy\nimport optuna');
    expect(studyScript(mixed)).not.toContain('import numpy');
    const script = studyScript(mixed);
    expect(script).toContain("# The closest Optuna has to the study's own search strategy. How it differs:\n# - tunelab picks each categorical");
    expect(script.split('\n').every((line) => line.length <= 200)).toBe(true);
    expect(samplerDifferences(withSampler({ kind: 'random' }))).toEqual([]);
    expect(samplerDifferences(withSampler({ kind: 'genetic', tournamentSize: 3 }))[0]).toContain('tournaments of 3');
  });

  it('exports a study of several objectives as directions, NSGA-II with uniform crossover, and an objective returning every value', async () => {
    const study: StudySpec = {
      ...penguinStudy(),
      sampler: { kind: 'nsga2', populationSize: 6 },
      objectives: [
        { metric: 'valLoss', direction: 'minimize' },
        { metric: 'paramCount', direction: 'minimize' },
        { metric: 'inferenceTime', direction: 'minimize' },
      ],
    };
    expect(samplerCode(study)).toBe(
      'optuna.samplers.NSGAIISampler(population_size=6, mutation_prob=None, crossover=optuna.samplers.nsgaii.UniformCrossover(swapping_prob=0.5), crossover_prob=0.9, seed=seed)',
    );
    expect(samplerCode({ ...study, sampler: { kind: 'nsga2', mutationProb: 0.2, crossoverProb: 0.8, swappingProb: 0.3 } })).toBe(
      'optuna.samplers.NSGAIISampler(population_size=50, mutation_prob=0.2, crossover=optuna.samplers.nsgaii.UniformCrossover(swapping_prob=0.3), crossover_prob=0.8, seed=seed)',
    );
    expect(samplerCode({ ...study, sampler: { kind: 'random' } })).toBe('optuna.samplers.RandomSampler(seed=seed)');
    const code = studyScript(study);
    expect(code).toContain('OBJECTIVES = ["valLoss", "paramCount", "inferenceTime"]\nDIRECTIONS = ["minimize", "minimize", "minimize"]');
    expect(code).toContain('directions=DIRECTIONS,');
    expect(code).toContain('return tuple(values[name] for name in OBJECTIVES)');
    // Optuna prunes no study of several objectives; neither does tunelab.
    expect(code).toContain('return optuna.pruners.NopPruner()');
    expect(code).not.toContain('trial.report');
    expect(samplerDifferences(study)[0]).toContain('one generation as one population');
    const { table, recipe } = await penguinTable();
    const readme = pythonProject({ experiment: study.base, table, recipe, study }, 'p').find((f) => f.path === 'p/README.md')!.content as string;
    expect(readme).toContain('Each trial returns one value per objective: validation loss (minimize), parameter count (minimize), inference ms per row (minimize). The inference time per row is measured here');
    expect(readme).toContain('json.dump({"directions": [d.name.lower() for d in study.directions], "objectives": ["valLoss", "paramCount", "inferenceTime"], "trials": trials}, f)');
    expect(readme).toContain('it reads every\nobjective and shows the Pareto front.');
  });
});
