// The exported predictor's page: builds the form from the recipe in model.js, predicts a typed
// row, and adds a prediction column to a dropped CSV file offered back as a download. A classic
// script after predictor.js; it writes text only through textContent, never as markup.
(function () {
  const model = TUNELAB_MODEL;
  const recipe = model.recipe;
  const $ = (id) => document.getElementById(id);
  const el = (tag, text) => Object.assign(document.createElement(tag), text === undefined ? {} : { textContent: text });

  $('title').textContent = model.name;
  $('target').textContent = recipe.spec.target;
  const fields = $('fields');
  for (const column of recipe.columns) {
    const label = el('label');
    label.append(el('span', column.name));
    let input;
    if (column.kind === 'categorical') {
      input = el('select');
      input.append(Object.assign(el('option', `(empty: ${column.fill})`), { value: '' }));
      for (const level of column.levels) input.append(Object.assign(el('option', level), { value: level }));
    } else if (column.kind === 'date') {
      input = Object.assign(el('input'), { type: 'text', placeholder: `empty: ${column.fill}` });
    } else {
      input = Object.assign(el('input'), { type: 'text', inputMode: 'decimal', placeholder: `empty: ${Number(column.fill.toPrecision(4))}` });
    }
    input.name = column.name;
    input.setAttribute('aria-label', column.name);
    label.append(input);
    fields.append(label);
  }

  $('row').addEventListener('submit', (event) => {
    event.preventDefault();
    const row = Object.fromEntries(recipe.columns.map((c) => [c.name, fields.querySelector(`[name="${CSS.escape(c.name)}"]`).value]));
    const out = $('result');
    out.replaceChildren();
    try {
      const result = predictRow(model.network, recipe, row);
      if ('value' in result) {
        out.append(el('p', `${recipe.spec.target}: ${Number(result.value.toPrecision(6))}`));
        out.dataset.value = String(result.value);
      } else {
        out.append(el('p', `${recipe.spec.target}: ${result.label}`));
        const list = el('ul');
        recipe.target.classes.forEach((name, k) => list.append(el('li', `${name}: ${(result.probabilities[k] * 100).toFixed(1)}%`)));
        out.append(list);
        out.dataset.value = result.label;
        out.dataset.probabilities = JSON.stringify(result.probabilities);
      }
    } catch (error) {
      out.append(Object.assign(el('p', error.message), { className: 'error' }));
    }
  });

  async function predictFile(file) {
    const status = $('file-status');
    const link = $('download');
    link.hidden = true;
    try {
      const text = predictCsv(model.network, recipe, await file.text());
      const rows = text.trimEnd().split('\n').length - 1;
      if (link.href) URL.revokeObjectURL(link.href);
      link.href = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
      link.download = file.name.replace(/\.(csv|tsv|txt)$/i, '') + '-predicted.csv';
      link.textContent = `Download ${link.download} (${rows} rows)`;
      link.hidden = false;
      status.textContent = `Predicted ${rows} rows of ${file.name}.`;
      status.className = '';
    } catch (error) {
      status.textContent = error.message;
      status.className = 'error';
    }
  }
  $('file').addEventListener('change', (event) => event.target.files[0] && predictFile(event.target.files[0]));
  const zone = $('drop');
  zone.addEventListener('dragover', (event) => event.preventDefault());
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    if (event.dataTransfer.files[0]) predictFile(event.dataTransfer.files[0]);
  });
})();
