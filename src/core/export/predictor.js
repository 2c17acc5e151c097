// The exported predictor's engine: plain JavaScript with no imports, so the same text runs
// as a classic script in an exported folder opened from disk (where modules cannot load)
// and as a module in the app and its tests. The app's export removes the `export` keywords.

/** Cell texts that mean "no value", compared in lower case (as the importer reads them). */
const MISSING_MARKERS = new Set(['na', 'n/a', '#n/a', 'nan', 'null', 'none', '?', '-']);

/** Whether a trimmed cell holds no value: empty, or a marker such as NA or null. */
export function missingCell(cell) {
  return cell === '' || (cell.length <= 4 && MISSING_MARKERS.has(cell.toLowerCase()));
}

/** The number a trimmed cell holds, or NaN for text (hexadecimal and "Infinity" are text; "3,5" reads 3.5). */
export function cellNumber(cell) {
  const value = Number(cell);
  if (Number.isFinite(value)) return /^0[xob]/i.test(cell) ? NaN : value;
  return /^[+-]?\d*,\d+$/.test(cell) ? Number(cell.replace(',', '.')) : NaN;
}

/** Year first: 2015-01-31 or 2015/01/31, a time of day after it read past (as the app's import reads dates). */
const DATE = /^([1-9]\d{3})([-/])(\d{1,2})\2(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** The calendar date { year, month, day } a trimmed cell holds, or null (also for a day the calendar lacks). */
export function cellDate(cell) {
  const m = DATE.exec(cell);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[3]);
  const day = Number(m[4]);
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return month >= 1 && month <= 12 && day >= 1 && day <= last ? { year, month, day } : null;
}

/**
 * A date column's five inputs: (year − shift)/scale, sin and cos of 2π(month − 1)/12, sin and
 * cos of 2π·weekday/7 (Monday 0); an empty cell (null) takes the column's fill date.
 */
export function dateInputs(column, date) {
  const d = date ?? cellDate(column.fill);
  const weekday = (new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay() + 6) % 7;
  const month = (2 * Math.PI * (d.month - 1)) / 12;
  const day = (2 * Math.PI * weekday) / 7;
  return [(d.year - column.shift) / column.scale, Math.sin(month), Math.cos(month), Math.sin(day), Math.cos(day)];
}

/**
 * A row given as text, { column: cell }, as the network's inputs: numbers filled, shifted and
 * scaled, dates as their year and month and weekday circles, categories one-hot (an unseen
 * level gives zeros, or its column's "other" input), exactly as the recipe was fitted.
 * Throws an Error naming the column when a numeric cell is not a number, or a date cell not a date.
 */
export function rowInputs(recipe, row) {
  const x = new Float32Array(recipe.inputs.length);
  let at = 0;
  for (const column of recipe.columns) {
    const cell = String(row[column.name] ?? '').trim();
    if (column.kind === 'numeric') {
      const value = missingCell(cell) ? NaN : cellNumber(cell);
      if (!missingCell(cell) && Number.isNaN(value)) throw new Error(`“${column.name}” is a numeric column, but “${cell}” is not a number.`);
      x[at++] = ((Number.isNaN(value) ? column.fill : value) - column.shift) / column.scale;
    } else if (column.kind === 'date') {
      const date = missingCell(cell) ? null : cellDate(cell);
      if (!missingCell(cell) && !date) throw new Error(`“${column.name}” is a date column, but “${cell}” is not a date (write it as 2015-01-31).`);
      x.set(dateInputs(column, date), at);
      at += 5;
    } else {
      const known = column.levels.indexOf(missingCell(cell) ? column.fill : cell);
      // A capped column's last input takes every level it does not list.
      const level = known < 0 && column.other ? column.levels.length : known;
      if (level >= 0) x[at + level] = 1;
      at += column.levels.length + (column.other ? 1 : 0);
    }
  }
  return x;
}

const GELU_C = Math.sqrt(2 / Math.PI);
/** Hidden activations, as the app's networks compute them (GELU in its tanh form). */
const ACTIVATIONS = {
  relu: (z) => Math.max(z, 0),
  tanh: Math.tanh,
  sigmoid: (z) => 1 / (1 + Math.exp(-z)),
  linear: (z) => z,
  elu: (z) => (z > 0 ? z : Math.expm1(z)),
  gelu: (z) => 0.5 * z * (1 + Math.tanh(GELU_C * (z + 0.044715 * z * z * z))),
};

/**
 * The network's raw outputs for one input row: Dense layers, W [in, out] row-major and b
 * [out], each hidden layer's activation, the last layer linear (logits or the scaled value).
 */
export function networkOutputs(network, x) {
  let h = Array.from(x);
  network.layers.forEach((layer, l) => {
    const units = layer.bias.length;
    const out = new Array(units);
    for (let j = 0; j < units; j++) {
      let s = layer.bias[j];
      for (let i = 0; i < h.length; i++) s += h[i] * layer.kernel[i * units + j];
      out[j] = l < network.layers.length - 1 ? ACTIVATIONS[layer.activation](s) : s;
    }
    h = out;
  });
  return h;
}

/**
 * What the model says of a row given as text: { label, probabilities } (one per class, in the
 * recipe's class order) for classification, { value } in the target's units for regression.
 */
export function predictRow(network, recipe, row) {
  const z = networkOutputs(network, rowInputs(recipe, row));
  if (recipe.target.kind === 'value') return { value: z[0] * recipe.target.std + recipe.target.mean };
  const classes = recipe.target.classes;
  let probabilities;
  if (z.length === 1) {
    const p = 1 / (1 + Math.exp(-z[0]));
    probabilities = [1 - p, p];
  } else {
    const top = Math.max(...z);
    const e = z.map((v) => Math.exp(v - top));
    const sum = e.reduce((a, b) => a + b, 0);
    probabilities = e.map((v) => v / sum);
  }
  const best = probabilities.indexOf(Math.max(...probabilities));
  return { label: classes[best], probabilities };
}

/**
 * A CSV or TSV text as a header and rows of cells: the delimiter is the one among , ; and tab
 * that the first line holds most; quoted cells may hold delimiters, quotes ("") and line breaks.
 */
export function readCsv(text) {
  const clean = text.replace(/^\uFEFF/, '');
  const firstLine = clean.slice(0, clean.search(/\r?\n|$/));
  const delimiter = [',', ';', '\t'].reduce((best, d) => (firstLine.split(d).length > firstLine.split(best).length ? d : best), ',');
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < clean.length; i++) {
    const ch = clean[i];
    if (quoted) {
      if (ch === '"' && clean[i + 1] === '"') { cell += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === delimiter) { row.push(cell); cell = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && clean[i + 1] === '\n') i++;
      row.push(cell);
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return { header: rows[0] ?? [], rows: rows.slice(1), delimiter };
}

/** One CSV line: a cell is quoted when it holds the delimiter, a quote or a line break. */
export function csvLine(cells, delimiter = ',') {
  return cells.map((c) => (c.includes(delimiter) || /["\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(delimiter);
}

/**
 * A CSV text with the model's prediction appended to every row: a column "prediction" (the
 * class, or the value), and for classification one "p(class)" column per class.
 */
export function predictCsv(network, recipe, text) {
  const { header, rows, delimiter } = readCsv(text);
  const classes = recipe.target.kind === 'classes' ? recipe.target.classes : [];
  const lines = [csvLine([...header, 'prediction', ...classes.map((c) => `p(${c})`)], delimiter)];
  rows.forEach((cells, r) => {
    const row = Object.fromEntries(header.map((name, c) => [name, cells[c] ?? '']));
    let result;
    try {
      result = predictRow(network, recipe, row);
    } catch (error) {
      throw new Error(`Row ${r + 2}: ${error.message}`);
    }
    const added = 'value' in result ? [String(result.value)] : [result.label, ...result.probabilities.map(String)];
    lines.push(csvLine([...cells, ...added], delimiter));
  });
  return lines.join('\n') + '\n';
}
