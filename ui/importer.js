// Cairn dashboard import page (导入). The steps:
// 1. choose a file and, for a file in a source system's own layout, a
//    mapping: an example embedded in the binary or one saved earlier
//    (GET /api/v1/mappings). Its JSON can be edited, checked
//    (POST /api/v1/mappings/check, errors with line and column) and saved
//    under a name (POST /api/v1/mappings);
// 2. "check data" uploads the file with dry_run=1: the job validates and
//    counts everything and stores nothing, and the page shows its report;
// 3. "confirm import" uploads the same file again without dry_run, and the
//    page shows the job's progress (rows read) until it ends, then its
//    report.
// Jobs run on the server's job thread, never inside a request; the page
// polls GET /api/v1/import/ID. It is loaded after app.js and uses its
// helpers (t, el, card, table, …).
'use strict';

// The entities each role may import, as in the API's role table.
const importEntities = {
  gm: ['org_units', 'employees', 'assignments', 'customers', 'customer_owners', 'orders', 'visits',
    'customer_surveys', 'employee_surveys', 'courses', 'trainings', 'skills', 'payroll', 'expenses',
    'targets', 'market'],
  hr: ['org_units', 'employees', 'assignments', 'employee_surveys', 'courses', 'trainings', 'skills'],
  finance: ['payroll', 'expenses'],
};

const importPollMilliseconds = 500;

// The file and mapping of the latest successful check, which the confirm
// button imports.
let importChecked = null;

function mayImport(role) {
  return role in importEntities;
}

function fillImportKinds() {
  const select = document.getElementById('import-kind');
  const role = state.session ? state.session.role : null;
  select.replaceChildren();
  const auto = el('option', null, t('im_kind_auto'));
  auto.value = '';
  select.append(auto);
  for (const kind of importEntities[role] || []) {
    const option = el('option', null, kind);
    option.value = kind;
    select.append(option);
  }
}

// A POST of a JSON body with the CSRF header; returns [ok, body].
async function postJson(path, body) {
  const answer = await fetch(path, {
    method: 'POST', credentials: 'same-origin', body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': state.session.csrf },
  });
  return [answer.ok, await answer.json().catch(() => null)];
}

// Fills the mapping picker: none, the examples, then the saved mappings.
async function loadMappings(selected) {
  const data = await api('/api/v1/mappings');
  const select = document.getElementById('import-map');
  const none = el('option', null, t('im_map_none'));
  none.value = '';
  const groups = [['example', 'im_map_examples'], ['saved', 'im_map_saved']].map(([origin, label]) => {
    const group = el('optgroup');
    group.label = t(label);
    for (const m of data.mappings.filter((x) => x.origin === origin)) {
      const option = el('option', null, origin === 'saved' ? m.name + ' · ' + m.login : m.name);
      option.value = m.id;
      group.append(option);
    }
    return group;
  }).filter((g) => g.children.length);
  select.replaceChildren(none, ...groups);
  select.value = selected || '';
}

function mapStatus(text, ok) {
  const status = document.getElementById('import-map-status');
  status.textContent = text;
  let state = '';
  if (ok === true)
    state = ' ok';
  else if (ok === false)
    state = ' bad';
  status.className = 'map-status' + state;
}

// Shows the chosen mapping's JSON in the editor, or hides the editor.
async function chooseMapping() {
  const id = document.getElementById('import-map').value;
  const editor = document.getElementById('import-map-editor');
  forgetCheck();
  mapStatus('');
  document.getElementById('import-kind').disabled = Boolean(id);
  editor.hidden = !id;
  if (!id) {
    return;
  }
  const m = await api('/api/v1/mappings/' + encodeURIComponent(id));
  document.getElementById('import-map-text').value = m.text;
  document.getElementById('import-map-name').value = m.name;
}

// The mapping text to send, or null without a mapping.
function mappingText() {
  return document.getElementById('import-map').value
    ? document.getElementById('import-map-text').value : null;
}

// An error of the mapping parser: its message, with the line and column
// of a JSON syntax error, whose place is then selected in the editor.
function mapError(error) {
  let text = error.message;
  if (error.line) {
    text = t('im_map_at').replace('{line}', error.line).replace('{column}', error.column) + text;
    // The line and column count characters, as the editor does.
    const area = document.getElementById('import-map-text');
    const lines = area.value.split('\n');
    let at = error.column - 1;
    for (let i = 0; i < error.line - 1 && i < lines.length; i++) {
      at += lines[i].length + 1;
    }
    area.focus();
    area.setSelectionRange(Math.max(at - 1, 0), at);
  }
  mapStatus(text, false);
}

async function checkMapping() {
  const file = document.querySelector('#import-form input[name=file]').files[0];
  const [ok, body] = await postJson('/api/v1/mappings/check',
    Object.assign({ text: mappingText() }, file ? { file: file.name } : {}));
  if (ok && body.valid) {
    mapStatus(t('im_map_valid') + body.entities.join(', '), true);
  } else {
    mapError(body && body.error ? body.error : { message: String(body) });
  }
}

async function saveMapping() {
  const name = document.getElementById('import-map-name').value.trim();
  const [ok, body] = await postJson('/api/v1/mappings', { name, text: mappingText() });
  if (!ok) {
    mapError(body && body.error ? body.error : { message: t('im_map_failed') });
    return;
  }
  await loadMappings(body.id);
  mapStatus(t('im_map_saved_as').replace('{name}', body.name), true);
}

function importStatus(job) {
  const box = document.getElementById('import-status');
  const shown = job.dry_run && job.state === 'done' ? 'checked' : job.state;
  box.replaceChildren(facts([
    ['im_job', String(job.id)],
    ['im_state', t('im_state_' + shown)],
    ['im_rows', formatValue(job.rows, 'count')],
  ]));
  box.dataset.state = job.state;
  document.getElementById('import-progress').hidden = job.state !== 'queued' && job.state !== 'running';
}

// The report of an ended job: one summary row per file, then its errors.
function importReport(report) {
  const files = report.files || [];
  const errors = (report.errors || []).concat(...files.map((f) => f.errors || []));
  const parts = [card(t('im_files'), table([
    { label: 'im_col_file', value: (f) => f.path },
    { label: 'im_col_kind', value: (f) => f.kind },
    { label: 'im_rows', value: (f) => f.rows, kind: 'count' },
    { label: 'im_col_inserted', value: (f) => f.inserted, kind: 'count' },
    { label: 'im_col_updated', value: (f) => f.updated, kind: 'count' },
    { label: 'im_col_unchanged', value: (f) => f.unchanged, kind: 'count' },
    { label: 'im_col_rejected', value: (f) => f.rejected, kind: 'count' },
    { label: 'im_col_error_count', value: (f) => f.error_count, kind: 'count' },
  ], files))];
  const list = card(t('im_errors'), scrolling(table([
    { label: 'im_col_source', value: (e) => e.source },
    { label: 'im_col_line', value: (e) => e.line },
    { label: 'im_col_column', value: (e) => e.column },
    { label: 'im_col_value', value: (e) => e.value },
    { label: 'im_col_message', value: (e) => e.message },
  ], errors)));
  list.id = 'import-errors';
  parts.push(list);
  document.getElementById('import-report').replaceChildren(...parts);
}

function forgetCheck() {
  importChecked = null;
  document.getElementById('import-confirm').hidden = true;
}

async function renderImport() {
  showOnly('import');
  fillImportKinds();
  forgetCheck();
  await loadMappings(document.getElementById('import-map').value);
  // Edits survive a language switch; the first visit loads the choice.
  if (!document.getElementById('import-map-text').value) {
    await chooseMapping();
  }
}

// Uploads the file with the form's options (and the mapping), then polls
// the job until it ends. Returns the ended job, or null when the upload
// was refused or another page was opened meanwhile.
async function runImportJob(form, dryRun) {
  const generation = state.generation;
  const body = new FormData();
  body.append('file', form.elements.file.files[0]);
  const map = mappingText();
  for (const name of map === null ? ['kind', 'encoding', 'date_order'] : ['encoding', 'date_order']) {
    if (form.elements[name].value) {
      body.append(name, form.elements[name].value);
    }
  }
  if (map !== null) {
    body.append('map', map);
  }
  body.append('dry_run', dryRun ? '1' : '0');

  const error = document.getElementById('import-error');
  error.hidden = true;
  document.getElementById('import-report').replaceChildren();
  const status = document.getElementById('import-status');
  status.replaceChildren();
  delete status.dataset.state;
  const answer = await fetch('/api/v1/import', {
    method: 'POST', credentials: 'same-origin', body,
    headers: { 'X-CSRF-Token': state.session.csrf },
  });

  const created = await answer.json().catch(() => null);
  if (!answer.ok) {
    if (created && created.error && created.error.line !== undefined) {
      mapError(created.error);
    }
    error.textContent = created && created.error ? created.error.message : String(answer.status);
    error.hidden = false;
    return null;
  }

  let job = { id: created.id, state: 'queued', rows: 0, dry_run: dryRun };
  importStatus(job);
  while (job.state === 'queued' || job.state === 'running') {
    await new Promise((resolve) => setTimeout(resolve, importPollMilliseconds));
    if (generation !== state.generation) {
      return null;
    }
    job = await api('/api/v1/import/' + encodeURIComponent(created.id));
    importStatus(job);
  }
  importReport(job.report || {});
  return job;
}

// "Check data": a dry run; a clean one offers the confirm button.
async function submitImport(event) {
  event.preventDefault();
  forgetCheck();
  const job = await runImportJob(event.target, true);
  if (job && job.state === 'done') {
    importChecked = job.id;
    document.getElementById('import-confirm').hidden = false;
  }
}

async function confirmImport() {
  if (importChecked === null) {
    return;
  }
  forgetCheck();
  await runImportJob(document.getElementById('import-form'), false);
}

document.addEventListener('DOMContentLoaded', () => {
  const form = document.getElementById('import-form');
  document.getElementById('import-map').addEventListener('change', () => chooseMapping().catch(showError));
  document.getElementById('import-map-check').addEventListener('click', () => checkMapping().catch(showError));
  document.getElementById('import-map-save').addEventListener('click', () => saveMapping().catch(showError));
  document.getElementById('import-confirm').addEventListener('click', () => confirmImport().catch(showError));
  // A changed file, option or mapping needs a new check before importing.
  form.addEventListener('change', (event) => {
    if (event.target.id !== 'import-map') {
      forgetCheck();
    }
  });
  document.getElementById('import-map-text').addEventListener('input', forgetCheck);
});
