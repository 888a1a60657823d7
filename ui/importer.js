// Cairn dashboard import page (导入). It uploads one data file to
// POST /api/v1/import with the CSRF header and polls GET /api/v1/import/ID
// until the job has ended. Then it shows the validation report: the counts
// per file and every listed error with its source, line, column and value.
// It is loaded after app.js and uses its helpers (t, el, card, table, …).
// NOTE: the page sends no mapping file (the API's `map` field), so files
// in a source system's own layout still need `cairn import --map`.
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

function importStatus(job) {
  const box = document.getElementById('import-status');
  box.replaceChildren(facts([
    ['im_job', String(job.id)],
    ['im_state', t('im_state_' + job.state)],
    ['im_rows', String(job.rows)],
  ]));
  box.dataset.state = job.state;
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

async function renderImport() {
  showOnly('import');
  fillImportKinds();
}

// Sends the form's file and options, then polls the job until it ends.
// The polling stops when another page is opened.
async function submitImport(event) {
  event.preventDefault();
  const form = event.target;
  const generation = state.generation;

  const body = new FormData();
  body.append('file', form.elements.file.files[0]);
  for (const name of ['kind', 'encoding', 'date_order']) {
    if (form.elements[name].value) {
      body.append(name, form.elements[name].value);
    }
  }

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
    error.textContent = created && created.error ? created.error.message : String(answer.status);
    error.hidden = false;
    return;
  }

  let job = { id: created.id, state: 'queued', rows: 0 };
  importStatus(job);
  while (job.state === 'queued' || job.state === 'running') {
    await new Promise((resolve) => setTimeout(resolve, importPollMilliseconds));
    if (generation !== state.generation) {
      return;
    }
    job = await api('/api/v1/import/' + encodeURIComponent(created.id));
    importStatus(job);
  }

  importReport(job.report || {});
}
