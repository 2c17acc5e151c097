/**
 * Taking a model out of the browser app: a self-contained predictor folder, and the Python
 * project of a study or experiment, each handed over as one zip archive.
 */
export { predictorFolder, predictorNetwork, type SavedTableModel } from './predictor-folder';
export { predictRow, predictCsv, readCsv, rowInputs, networkOutputs, type PredictorNetwork, type RowPrediction } from './predictor.js';
export { zipFiles, crc32, type ArchiveFile } from './zip';
export { pythonProject, studyScript, suggestFunction, prunerCode, type PythonProjectInput } from './python-project';
export { samplerCode, samplerDifferences } from './python-sampler';
export { pythonLiteral } from './python-literal';
export { readOptunaStudy, readOptunaTrials, objectivesOfStudy, spaceOfTrials, importedStudy, type OptunaStudyFile, type OptunaTrial } from './optuna-import';
