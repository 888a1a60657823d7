// Cairn dashboard script: login, the overview of the four key results,
// the team dashboard, the alerts list and the drill-down pages of a unit,
// an employee and a customer. It is a separate file because the
// Content-Security-Policy allows no inline script. Every text of the page
// comes from the message catalogs /assets/i18n/<lang>.json, chosen by the
// cairn_lang cookie, which the server also reads to pick the language of
// its messages. ECharts (served from the binary too) draws the charts.
'use strict';

// The display kind of each metric that is not a ratio (the JSON always
// has plain numbers).
const metricKinds = {
  sales: 'money', per_capita_sales: 'money', labor_cost: 'money',
  new_customers: 'count', headcount: 'count', at_risk_customers: 'count', active_customers: 'count',
  csat: 'score', employee_satisfaction: 'score',
  visits_per_head: 'number', sales_per_labor_yuan: 'number', avg_headcount: 'number',
};

// The four key results of the overview: the lead metric (charted) first.
const groups = [
  { key: 'group_growth', metrics: ['sales', 'sales_yoy', 'new_customers', 'market_share'] },
  { key: 'group_team', metrics: ['per_capita_sales', 'headcount', 'attrition_rate', 'training_completion_rate'] },
  { key: 'group_customers', metrics: ['repurchase_rate', 'csat', 'at_risk_customers', 'top20_customer_share'] },
  { key: 'group_cost', metrics: ['labor_cost_ratio', 'sales_per_labor_yuan', 'sales_expense_ratio', 'expense_ratio'] },
];

const teamMetrics = ['sales', 'headcount', 'per_capita_sales', 'opening_rate', 'visits_per_head',
  'training_completion_rate', 'employee_satisfaction', 'attrition_rate'];

const state = {
  lang: 'zh-CN',
  catalog: {},
  session: null,
  units: [],
  scope: null,
  periodKind: 'month',
  period: null,
  charts: [],
  alerts: null,
  // Counts the renders started, so that a render whose data arrives after
  // a newer one started (a quick click) draws nothing.
  generation: 0,
};

// Thrown by a render that a newer one has replaced.
class Superseded extends Error {}

// Waits for promise, then throws Superseded when another render started.
async function current(generation, promise) {
  const value = await promise;
  if (generation !== state.generation) {
    throw new Superseded();
  }
  return value;
}

// ---- Texts and numbers ----

function t(key, vars) {
  let text = key in state.catalog ? state.catalog[key] : key;
  for (const [name, value] of Object.entries(vars || {})) {
    text = text.replace('{' + name + '}', String(value));
  }
  return text;
}

// The languages of the language menu. Each has the locale of its numbers,
// the sign of yuan amounts (CN¥ where a bare ¥ reads as yen), the ECharts
// locale of its charts and the separator of name lists. The JA and ES
// chart locales are registered by vendor/langJA.js and vendor/langES.js.
const languages = {
  'zh-CN': { numbers: 'zh-CN', yuan: '¥', charts: 'ZH', listSeparator: '、' },
  en: { numbers: 'en-US', yuan: '¥', charts: 'EN', listSeparator: ', ' },
  ja: { numbers: 'ja-JP', yuan: 'CN¥', charts: 'JA', listSeparator: '、' },
  es: { numbers: 'es-ES', yuan: 'CN¥', charts: 'ES', listSeparator: ', ' },
};

function locale() {
  return languages[state.lang].numbers;
}

function listSeparator() {
  return languages[state.lang].listSeparator;
}

function formatValue(value, kind, decimals) {
  if (value === null || value === undefined || Number.isNaN(value)) {
    return '—';
  }
  const number = (digits) => new Intl.NumberFormat(locale(), {
    minimumFractionDigits: digits, maximumFractionDigits: digits,
  }).format(value);
  switch (kind) {
    case 'money': return (value < 0 ? '-' : '') + languages[state.lang].yuan + new Intl.NumberFormat(locale(), {
      minimumFractionDigits: decimals || 0, maximumFractionDigits: decimals || 0,
    }).format(Math.abs(value));
    case 'count': return number(0);
    case 'score': return number(2);
    case 'number': return number(2);
    default: return (value * 100).toFixed(1) + '%';
  }
}

function formatMetric(name, value) {
  return formatValue(value, metricKinds[name] || 'ratio');
}

async function loadCatalog(lang) {
  const answer = await fetch('/assets/i18n/' + lang + '.json');
  state.catalog = await answer.json();
  state.lang = lang;
}

// The page's language: the cairn_lang cookie when it names a language of
// the menu, else Chinese. The cookie is always set, so that the server
// uses the same language (and name order) whatever the browser's own
// languages are.
function currentLanguage() {
  const match = document.cookie.match(/(?:^|;\s*)cairn_lang=([^;]*)/);
  const lang = match && Object.hasOwn(languages, match[1]) ? match[1] : 'zh-CN';
  setLanguageCookie(lang);
  return lang;
}

function setLanguageCookie(lang) {
  document.cookie = 'cairn_lang=' + lang + '; Path=/; SameSite=Strict; Max-Age=31536000';
}

function applyLanguage() {
  document.documentElement.lang = state.lang;
  document.title = t('page_title');
  const menu = document.getElementById('lang-menu');
  menu.value = state.lang;
  menu.setAttribute('aria-label', t('language'));
  for (const node of document.querySelectorAll('[data-i18n]')) {
    node.textContent = t(node.dataset.i18n);
  }
}

// ---- Small DOM helpers ----

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text !== undefined && text !== null) {
    node.textContent = text;
  }
  return node;
}

function link(text, href) {
  const a = el('a', null, text);
  a.href = href;
  return a;
}

// The CSV and XLSX download links of a table; href has no format yet.
function exportLinks(href) {
  const links = [];
  for (const [format, label] of [['csv', 'export_csv'], ['xlsx', 'export_xlsx']]) {
    const a = link(t(label), href + (href.includes('?') ? '&' : '?') + 'format=' + format);
    a.className = 'button';
    a.dataset.format = format;
    a.setAttribute('download', '');
    links.push(a);
  }
  return links;
}

// A table from column descriptions: {label, value(row), kind, href(row), status(row)}.
function table(columns, rows) {
  const wrap = el('div', 'table-wrap');
  if (!rows.length) {
    wrap.append(el('p', 'note', t('no_rows')));
    return wrap;
  }
  const tbl = el('table');
  const head = el('tr');
  for (const c of columns) {
    head.append(el('th', c.kind && c.kind !== 'text' ? 'num' : null, t(c.label)));
  }
  const thead = el('thead');
  thead.append(head);
  tbl.append(thead);
  const body = el('tbody');
  for (const row of rows) {
    const tr = el('tr');
    for (const c of columns) {
      const raw = c.value(row);
      const text = c.kind && c.kind !== 'text' ? formatValue(raw, c.kind, c.decimals)
        : (raw === null || raw === undefined || raw === '' ? '—' : String(raw));
      const td = el('td', c.kind && c.kind !== 'text' ? 'num' : null);
      const href = c.href ? c.href(row) : null;
      td.append(href ? link(text, href) : document.createTextNode(text));
      const status = c.status ? c.status(row) : null;
      if (status) {
        td.classList.add('st-' + status);
      }
      tr.append(td);
    }
    body.append(tr);
  }
  tbl.append(body);
  wrap.append(tbl);
  return wrap;
}

// Limits a long table's height; its header stays in view while scrolling.
function scrolling(wrap) {
  wrap.classList.add('scroll');
  return wrap;
}

function card(title, ...children) {
  const box = el('div', 'card');
  const head = el('div', 'card-head');
  head.append(el('h2', null, title));
  box.append(head);
  box.append(...children);
  return box;
}

// ---- API ----

async function api(path) {
  const answer = await fetch(path, { credentials: 'same-origin' });
  const body = await answer.json().catch(() => null);
  if (!answer.ok) {
    if (answer.status === 401) {
      showLogin();
    }
    const error = new Error(body && body.error ? body.error.message : String(answer.status));
    error.status = answer.status;
    throw error;
  }
  return body;
}

function query(params) {
  return new URLSearchParams(params).toString();
}

// ---- Periods ----

function pad(n) {
  return String(n).padStart(2, '0');
}

// The periods the picker offers, newest first; the first is the default
// (the last month that has ended, or the period holding it).
function periodChoices(kind) {
  const today = new Date();
  let year = today.getFullYear();
  let month = today.getMonth(); // the previous month, 1-based
  if (month === 0) {
    year -= 1;
    month = 12;
  }
  const out = [];
  if (kind === 'month') {
    for (let i = 0; i < 24; i++) {
      out.push(year + '-' + pad(month));
      month -= 1;
      if (month === 0) {
        year -= 1;
        month = 12;
      }
    }
  } else if (kind === 'quarter') {
    let q = Math.ceil(month / 3);
    for (let i = 0; i < 8; i++) {
      out.push(year + '-Q' + q);
      q -= 1;
      if (q === 0) {
        year -= 1;
        q = 4;
      }
    }
  } else {
    for (let i = 0; i < 3; i++) {
      out.push(String(year - i));
    }
  }
  return out;
}

function periodLabel(p) {
  let m = p.match(/^(\d{4})-Q(\d)$/);
  if (m) {
    return t('fmt_quarter', { y: m[1], q: m[2] });
  }
  m = p.match(/^(\d{4})-(\d{2})$/);
  if (m) {
    return t('fmt_month', { y: m[1], m: Number(m[2]), mm: m[2] });
  }
  return t('fmt_year', { y: p });
}

// The as-of date for a period: its last day, or today while it runs.
function asOfFor(p) {
  let end;
  let m = p.match(/^(\d{4})-Q(\d)$/);
  if (m) {
    end = new Date(Number(m[1]), Number(m[2]) * 3, 0);
  } else if ((m = p.match(/^(\d{4})-(\d{2})$/))) {
    end = new Date(Number(m[1]), Number(m[2]), 0);
  } else {
    end = new Date(Number(p), 12, 0);
  }
  const today = new Date();
  const day = end < today ? end : today;
  return { date: day.getFullYear() + '-' + pad(day.getMonth() + 1) + '-' + pad(day.getDate()), partial: end >= today };
}

function fillPeriods() {
  const select = document.getElementById('period-value');
  const choices = periodChoices(state.periodKind);
  select.replaceChildren();
  for (const p of choices) {
    const option = el('option', null, periodLabel(p));
    option.value = p;
    select.append(option);
  }
  if (!choices.includes(state.period)) {
    state.period = choices[0];
  }
  select.value = state.period;
}

// ---- Units ----

function fillUnits() {
  const select = document.getElementById('unit-picker');
  select.replaceChildren();
  const own = state.session.scope;
  if (own === 'company') {
    const option = el('option', null, t('whole_company'));
    option.value = 'company';
    select.append(option);
  }
  const walk = (unit, depth) => {
    const option = el('option', null, '\u3000'.repeat(depth) + unit.name);
    option.value = 'unit:' + unit.id;
    select.append(option);
    for (const child of unit.children) {
      walk(child, depth + 1);
    }
  };
  for (const root of state.units) {
    // The company's root unit stands for the whole company.
    if (own === 'company' && root.kind === 'company') {
      root.children.forEach((child) => walk(child, 1));
    } else {
      walk(root, 0);
    }
  }
  document.getElementById('unit-picker').parentElement.hidden = !select.options.length;
  if (!state.scope) {
    state.scope = own;
  }
  select.value = state.scope;
}

function unitName(id) {
  let found = null;
  const walk = (unit) => {
    if (unit.id === id) {
      found = unit.name;
    }
    unit.children.forEach(walk);
  };
  state.units.forEach(walk);
  return found || id;
}

// ---- Charts ----

function disposeCharts() {
  state.charts.forEach((c) => c.dispose());
  state.charts = [];
}

// Draws option into node. Charts with money axes set containLabel on their
// grid, because the labels' width depends on the language (¥ or CN¥).
function chartIn(node, option) {
  const chart = echarts.init(node, null, { renderer: 'canvas', locale: languages[state.lang].charts });
  chart.setOption(Object.assign({
    animation: false,
    // The page's fonts, which app.css chooses by language.
    textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
    tooltip: { trigger: 'axis', renderMode: 'richText' },
  }, option));
  state.charts.push(chart);
  return chart;
}

// Axis labels stay short: money in 万/亿 for Chinese, 万/億 for Japanese
// and k/M for English, with the steps and unit words of the catalog
// (compact_steps).
function compactMoney(v) {
  for (const step of JSON.parse(t('compact_steps'))) {
    if (Math.abs(v) >= step[0]) {
      const n = new Intl.NumberFormat(locale(), { maximumFractionDigits: 1 }).format(v / step[0]);
      return languages[state.lang].yuan + n + step[1];
    }
  }
  return formatValue(v, 'money');
}

function axisFormatter(kind) {
  return (v) => (kind === 'money' ? compactMoney(v) : formatValue(v, kind));
}

// ---- Views ----

function showOnly(view) {
  for (const id of ['login', 'overview', 'teams', 'explain', 'linkage', 'import', 'alerts', 'detail']) {
    document.getElementById(id + '-view').hidden = id !== view;
  }
  document.getElementById('filters').hidden = view === 'login' || view === 'alerts' || view === 'import';
  for (const a of document.querySelectorAll('#nav a')) {
    a.classList.toggle('active', a.dataset.view === view);
  }
}

function showLogin() {
  state.session = null;
  document.getElementById('nav').hidden = true;
  document.getElementById('who').hidden = true;
  document.getElementById('logout').hidden = true;
  showOnly('login');
}

function showError(error) {
  const node = document.getElementById('load-error');
  node.textContent = t('load_failed') + error.message;
  node.classList.remove('page-error');
  node.hidden = false;
}

// Replaces every view with the server's message for a page the caller may
// not open (403) or that does not exist (404). The previous page's
// content must not stay under the new address.
function showPageError(error) {
  showOnly(null);
  const node = document.getElementById('load-error');
  node.textContent = error.message;
  node.classList.add('page-error');
  node.hidden = false;
}

async function renderOverview(generation) {
  showOnly('overview');
  const asOf = asOfFor(state.period);
  const note = document.getElementById('partial-note');
  note.hidden = !asOf.partial;
  note.textContent = t('partial') + ' ' + asOf.date;
  const lead = groups.map((g) => g.metrics[0]);
  const [kpi, series] = await current(generation, Promise.all([
    api('/api/v1/kpi?' + query({ period: state.period, scope: state.scope, as_of: asOf.date })),
    api('/api/v1/series?' + query({ metric: lead.join(','), scope: state.scope, months: 12, as_of: asOf.date })),
  ]));
  const box = document.getElementById('groups');
  box.replaceChildren();
  disposeCharts();
  for (const g of groups) {
    const name = g.metrics[0];
    const item = el('div', 'card group');
    item.dataset.group = g.key;
    const status = kpi.status[name] || 'none';
    const head = el('div', 'card-head');
    head.append(el('h2', null, t(g.key)), el('span', 'pill st-' + status, t('status_' + status)));
    item.append(head);

    const main = el('div', 'lead');
    main.append(el('div', 'lead-label', t('m_' + name)));
    main.append(el('div', 'lead-value st-' + status, formatMetric(name, kpi.metrics[name])));
    const target = kpi.targets[name];
    const facts = el('div', 'lead-facts');
    facts.append(el('span', null, t('target') + ' ' + formatMetric(name, target ? target.target : null)));
    facts.append(el('span', null, t('attainment') + ' ' + formatValue(target ? target.attainment : null, 'ratio')));
    main.append(facts);
    item.append(main);

    const list = el('dl', 'minor');
    for (const m of g.metrics.slice(1)) {
      list.append(el('dt', null, t('m_' + m)));
      list.append(el('dd', 'st-' + (kpi.status[m] || 'none'), formatMetric(m, kpi.metrics[m])));
    }
    item.append(list);
    item.append(el('div', 'chart-title', t('trend_12m')));
    const chart = el('div', 'chart');
    item.append(chart);
    box.append(item);

    const kind = metricKinds[name] || 'ratio';
    chartIn(chart, {
      grid: { left: 4, right: 12, top: 12, bottom: 4, containLabel: true },
      xAxis: { type: 'category', data: series.months.map((m) => m.slice(2)), axisLabel: { fontSize: 11 } },
      yAxis: { type: 'value', scale: true, axisLabel: { fontSize: 11, formatter: axisFormatter(kind) } },
      tooltip: { trigger: 'axis', renderMode: 'richText', valueFormatter: (v) => formatValue(v, kind) },
      series: [{
        type: 'line', name: t('m_' + name), data: series.series[name], smooth: false, connectNulls: false,
        symbolSize: 5, lineStyle: { width: 2, color: '#1f6feb' }, itemStyle: { color: '#1f6feb' },
        areaStyle: { color: 'rgba(31, 111, 235, 0.08)' },
      }],
    });
  }
}

async function renderTeams(generation) {
  showOnly('teams');
  const asOf = asOfFor(state.period);
  const params = { period: state.period, scope: state.scope, as_of: asOf.date };
  const data = await current(generation, api('/api/v1/teams?' + query(params)));
  document.getElementById('teams-export').href = '/api/v1/teams?' + query(Object.assign({ format: 'csv' }, params));
  document.getElementById('teams-export-xlsx').href = '/api/v1/teams?' + query(Object.assign({ format: 'xlsx' }, params));
  const metric = document.getElementById('team-chart-metric').value || 'per_capita_sales';
  const value = (m) => (row) => (row.metrics ? row.metrics[m] : null);
  const status = (m) => (row) => (row.status ? row.status[m] : null);
  const columns = [
    { label: 'col_team', value: (r) => r.name },
    { label: 'col_city', value: (r) => r.parent },
  ];
  for (const m of teamMetrics) {
    const column = { label: 'm_' + m, value: value(m), kind: metricKinds[m] || 'ratio', status: status(m) };
    if (m === 'sales') {
      column.href = (r) => '#/unit/' + encodeURIComponent(r.id) + '?' + query({ period: state.period });
    }
    columns.push(column);
  }
  document.getElementById('teams-table').replaceChildren(table(columns, data.teams));
  disposeCharts();
  // The top-20 % profile (profile.js); a rep's scope has no such comparison.
  document.getElementById('profile-card').hidden = state.session.role === 'rep';
  if (state.session.role !== 'rep') {
    await renderProfile(generation, params);
  }
  // A scope without teams (a rep's) gets the "no data" note only.
  document.getElementById('team-chart').hidden = !data.teams.length;
  if (!data.teams.length) {
    return;
  }
  const kind = metricKinds[metric] || 'ratio';
  chartIn(document.getElementById('team-chart'), {
    grid: { left: 8, right: 16, top: 16, bottom: 16, containLabel: true },
    tooltip: { trigger: 'axis', renderMode: 'richText', valueFormatter: (v) => formatValue(v, kind) },
    xAxis: { type: 'category', data: data.teams.map((r) => r.name), axisLabel: { interval: 0, fontSize: 12 } },
    yAxis: { type: 'value', axisLabel: { formatter: axisFormatter(kind) } },
    series: [{
      type: 'bar', name: t('m_' + metric), data: data.teams.map((r) => value(metric)(r)),
      barMaxWidth: 36, itemStyle: { color: '#1f6feb' },
      label: { show: true, position: 'top', fontSize: 11, formatter: (p) => formatValue(p.value, kind) },
    }],
  });
}

function alertHref(a) {
  if (a.rule === 'customer_at_risk') {
    return '#/customer/' + encodeURIComponent(a.subject);
  }
  const m = a.scope.match(/^(unit|employee):(.*)$/);
  return m ? '#/' + m[1] + '/' + encodeURIComponent(m[2]) : null;
}

// A scope as people read it: the unit's name, else the written scope.
function scopeName(a) {
  const m = a.scope.match(/^unit:(.*)$/);
  return m ? unitName(m[1]) : a.scope.replace(/^employee:/, '');
}

async function loadAlerts() {
  state.alerts = await api('/api/v1/alerts');
  const badge = document.getElementById('alert-badge');
  badge.textContent = String(state.alerts.length);
  badge.hidden = state.alerts.length === 0;
}

async function renderAlerts(generation) {
  showOnly('alerts');
  await current(generation, loadAlerts());
  const box = document.getElementById('alerts-table');
  if (!state.alerts.length) {
    box.replaceChildren(el('p', 'note', t('alerts_none')));
    return;
  }
  box.replaceChildren(table([
    { label: 'col_rule', value: (a) => t('rule_' + a.rule) },
    { label: 'col_scope', value: scopeName, href: alertHref },
    { label: 'col_subject', value: (a) => a.subject },
    { label: 'col_period', value: (a) => a.period },
    { label: 'col_owner', value: (a) => a.owner },
  ], state.alerts));
}

const orderColumns = [
  { label: 'col_order_id', value: (o) => o.order_id },
  { label: 'col_order_date', value: (o) => o.order_date },
  { label: 'col_customer', value: (o) => o.customer || o.customer_id, href: (o) => (o.customer_id ? '#/customer/' + encodeURIComponent(o.customer_id) : null) },
  { label: 'col_seller', value: (o) => o.employee || o.employee_id, href: (o) => (o.employee_id ? '#/employee/' + encodeURIComponent(o.employee_id) : null) },
  { label: 'col_product', value: (o) => o.product },
  { label: 'col_status', value: (o) => t('order_' + o.status) },
  { label: 'col_amount', value: (o) => o.amount, kind: 'money', decimals: 2 },
];

function facts(pairs) {
  const list = el('dl', 'facts');
  for (const [label, value] of pairs) {
    list.append(el('dt', null, t(label)));
    list.append(el('dd', null, value === null || value === undefined || value === '' ? '—' : String(value)));
  }
  return list;
}

async function renderUnit(generation, id, params) {
  showOnly('detail');
  const period = params.get('period') || state.period;
  const page = Number(params.get('page') || 1);
  const scope = 'unit:' + id;
  const [unit, orders] = await current(generation, Promise.all([
    api('/api/v1/units/' + encodeURIComponent(id)),
    api('/api/v1/orders?' + query({ scope, period, page, page_size: 20 })),
  ]));
  const box = document.getElementById('detail');
  const head = card(unit.name, facts([['col_id', unit.id], ['parent_unit', unit.parent_name], ['period', periodLabel(period)]]));
  const pages = Math.max(1, Math.ceil(orders.total / orders.page_size));
  const pager = el('div', 'pager');
  const pageHref = (n) => '#/unit/' + encodeURIComponent(id) + '?' + query({ period, page: n });
  if (page > 1) {
    pager.append(link(t('prev_page'), pageHref(page - 1)));
  }
  pager.append(el('span', null, t('page', { page, pages })));
  if (page < pages) {
    pager.append(link(t('next_page'), pageHref(page + 1)));
  }
  const ordersCard = card(t('orders'),
    el('p', 'note', orders.total + ' ' + t('orders_total') + ' ' + formatValue(orders.sales, 'money', 2)),
    table(orderColumns, orders.orders), pager);
  ordersCard.id = 'unit-orders';
  ordersCard.firstChild.append(...exportLinks('/api/v1/orders?' + query({ scope, period })));
  const employees = card(t('employees'), table([
    { label: 'employee_id', value: (e) => e.employee_id },
    { label: 'col_name', value: (e) => e.name, href: (e) => '#/employee/' + encodeURIComponent(e.employee_id) },
    { label: 'col_position', value: (e) => (e.position ? t('pos_' + e.position) : null) },
    { label: 'col_hire_date', value: (e) => e.hire_date },
    { label: 'col_leave_date', value: (e) => e.leave_date },
    { label: 'col_email', value: (e) => e.email },
    { label: 'col_phone', value: (e) => e.phone },
  ], unit.employees));
  employees.firstChild.append(...exportLinks('/api/v1/units/' + encodeURIComponent(id)));
  const risks = await current(generation, unitRiskCards(scope));
  box.replaceChildren(head, ordersCard, employees, ...risks);
}

async function renderEmployee(generation, id) {
  showOnly('detail');
  const e = await current(generation, api('/api/v1/employees/' + encodeURIComponent(id)));
  const hidden = t('hidden_field');
  const base = '/api/v1/employees/' + encodeURIComponent(id) + '?table=';
  const head = card(e.name, facts([
    ['employee_id', e.employee_id],
    ['unit_heading', e.unit],
    ['col_position', e.position ? t('pos_' + e.position) : null],
    ['employment_type', e.employment_type ? t('emp_' + e.employment_type) : null],
    ['manager', e.manager],
    ['col_hire_date', e.hire_date],
    ['col_leave_date', e.leave_date],
    ['base_salary', e.pay_visible ? formatValue(e.base_salary, 'money', 2) : hidden],
    ['col_email', e.personal_visible ? e.email : hidden],
    ['col_phone', e.personal_visible ? e.phone : hidden],
  ]));
  if (e.unit_id) {
    head.firstChild.append(link(e.unit, '#/unit/' + encodeURIComponent(e.unit_id)));
  }
  const customers = card(t('customers'), table([
    { label: 'customer_id', value: (c) => c.customer_id },
    { label: 'col_customer', value: (c) => c.name, href: (c) => '#/customer/' + encodeURIComponent(c.customer_id) },
    { label: 'col_segment', value: (c) => c.segment },
    { label: 'col_created', value: (c) => c.created_date },
  ], e.customers));
  customers.firstChild.append(...exportLinks(base + 'customers'));
  const orders = card(t('orders'), scrolling(table(orderColumns, e.orders)));
  orders.firstChild.append(...exportLinks(base + 'orders'));
  const risks = await current(generation, employeeRiskCards(id));
  document.getElementById('detail').replaceChildren(head, ...risks, customers, orders);
}

async function renderCustomer(generation, id) {
  showOnly('detail');
  const c = await current(generation, api('/api/v1/customers/' + encodeURIComponent(id)));
  const base = '/api/v1/customers/' + encodeURIComponent(id) + '?table=';
  const head = card(c.name || c.customer_id, facts([
    ['customer_id', c.customer_id],
    ['unit_heading', c.unit],
    ['col_segment', c.segment],
    ['market_tier', c.market_tier],
    ['col_owner', c.owner],
    ['col_created', c.created_date],
  ]));
  const orders = card(t('orders'), scrolling(table(orderColumns, c.orders)));
  orders.firstChild.append(...exportLinks(base + 'orders'));
  const owners = card(t('owner_history'), table([
    { label: 'col_owner', value: (o) => o.employee || o.employee_id, href: (o) => '#/employee/' + encodeURIComponent(o.employee_id) },
    { label: 'col_from', value: (o) => o.start_date },
    { label: 'col_until', value: (o) => o.end_date },
  ], c.owners));
  owners.firstChild.append(...exportLinks(base + 'owners'));
  const surveys = card(t('surveys'), table([
    { label: 'col_survey_date', value: (s) => s.survey_date },
    { label: 'col_score', value: (s) => s.score, kind: 'score' },
    { label: 'col_seller', value: (s) => s.employee_id },
  ], c.surveys));
  surveys.firstChild.append(...exportLinks(base + 'surveys'));
  const risks = await current(generation, customerRiskCards(id));
  document.getElementById('detail').replaceChildren(head, ...risks, orders, owners, surveys);
}

// ---- Routing ----

async function route() {
  if (!state.session) {
    return;
  }
  document.getElementById('load-error').hidden = true;
  const hash = location.hash || '#/overview';
  const [path, search] = hash.slice(1).split('?');
  const params = new URLSearchParams(search || '');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const generation = ++state.generation;
  delete document.body.dataset.ready;
  try {
    if (parts[0] === 'teams') {
      await renderTeams(generation);
    } else if (parts[0] === 'alerts') {
      await renderAlerts(generation);
    } else if (parts[0] === 'explain') {
      await renderExplain(generation);
    } else if (parts[0] === 'linkage') {
      await renderLinkage(generation);
    } else if (parts[0] === 'import' && mayImport(state.session.role)) {
      await renderImport();
    } else if (parts[0] === 'unit' && parts[1]) {
      await renderUnit(generation, parts[1], params);
    } else if (parts[0] === 'employee' && parts[1]) {
      await renderEmployee(generation, parts[1]);
    } else if (parts[0] === 'customer' && parts[1]) {
      await renderCustomer(generation, parts[1]);
    } else {
      await renderOverview(generation);
    }
    document.body.dataset.ready = hash;
  } catch (error) {
    // A failure of a page the user has already left is not shown.
    if (error instanceof Superseded || generation !== state.generation) {
      return;
    }
    if (error.status === 403 || error.status === 404) {
      showPageError(error);
    } else {
      showError(error);
    }
  }
}

async function startSession(data) {
  state.session = data;
  state.scope = data.scope;
  const who = document.getElementById('who');
  who.textContent = data.login + ' · ' + t('role_' + data.role);
  who.hidden = false;
  document.getElementById('nav').hidden = false;
  document.getElementById('logout').hidden = false;
  // A rep's scope is one employee: it has no teams to compare.
  document.querySelector('#nav a[data-view=teams]').hidden = data.role === 'rep';
  document.querySelector('#nav a[data-view=linkage]').hidden = data.role === 'rep';
  document.querySelector('#nav a[data-view=import]').hidden = !mayImport(data.role);
  const units = await api('/api/v1/units');
  state.units = units.units;
  fillPeriods();
  fillUnits();
  loadAlerts().catch(showError);
  await route();
}

async function loadSession() {
  const answer = await fetch('/api/v1/session', { credentials: 'same-origin' });
  if (answer.ok) {
    await startSession(await answer.json());
  } else {
    showLogin();
  }
}

async function logIn(event) {
  event.preventDefault();
  const error = document.getElementById('login-error');
  error.hidden = true;
  const answer = await fetch('/api/v1/session', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      login: document.getElementById('login').value,
      password: document.getElementById('password').value,
    }),
  });
  document.getElementById('password').value = '';
  if (answer.ok) {
    await startSession(await answer.json());
    return;
  }
  const body = await answer.json().catch(() => null);
  error.textContent = body && body.error ? body.error.message : String(answer.status);
  error.hidden = false;
}

async function logOut() {
  await fetch('/api/v1/session', {
    method: 'DELETE',
    credentials: 'same-origin',
    headers: { 'X-CSRF-Token': state.session ? state.session.csrf : '' },
  });
  showLogin();
}

function fillChartMetrics() {
  const select = document.getElementById('team-chart-metric');
  const current = select.value || 'per_capita_sales';
  select.replaceChildren();
  for (const m of teamMetrics) {
    const option = el('option', null, t('m_' + m));
    option.value = m;
    select.append(option);
  }
  select.value = current;
}

async function switchLanguage(next) {
  setLanguageCookie(next);
  await loadCatalog(next);
  applyLanguage();
  fillChartMetrics();
  if (state.session) {
    // Unit names are re-sorted by the server in the new language's order.
    state.units = (await api('/api/v1/units')).units;
    document.getElementById('who').textContent = state.session.login + ' · ' + t('role_' + state.session.role);
    fillPeriods();
    fillUnits();
    await route();
  }
}

document.addEventListener('DOMContentLoaded', async () => {
  await loadCatalog(currentLanguage());
  applyLanguage();
  fillChartMetrics();
  document.getElementById('lang-menu').addEventListener('change', (event) => switchLanguage(event.target.value));
  document.getElementById('login-form').addEventListener('submit', logIn);
  document.getElementById('logout').addEventListener('click', logOut);
  document.getElementById('period-kind').addEventListener('change', (event) => {
    state.periodKind = event.target.value;
    fillPeriods();
    route();
  });
  document.getElementById('period-value').addEventListener('change', (event) => {
    state.period = event.target.value;
    route();
  });
  document.getElementById('unit-picker').addEventListener('change', (event) => {
    state.scope = event.target.value;
    if (!/^#\/(overview|teams|explain|linkage)?$/.test(location.hash || '#/')) {
      location.hash = '#/overview';
    } else {
      route();
    }
  });
  document.getElementById('team-chart-metric').addEventListener('change', () => route());
  document.getElementById('explain-vs').addEventListener('change', () => route());
  document.getElementById('import-form').addEventListener('submit', (event) => submitImport(event).catch(showError));
  window.addEventListener('hashchange', route);
  window.addEventListener('resize', () => state.charts.forEach((c) => c.resize()));
  loadSession();
});
