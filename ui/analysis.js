// Cairn dashboard analysis pages: 解释 (GET /api/v1/explain, a change in
// sales split three ways, each split drawn as a waterfall) and 关联分析
// (GET /api/v1/linkage, the three linkage views), and the model risk
// lists of the unit, employee and customer pages. It is loaded after
// app.js and uses its helpers (t, el, card, table, api, chartIn, …).
'use strict';

// ---- Explain ----

const explainSplits = ['headcount', 'customers', 'units'];

// The label of one part of a split. The API names a unit part by its unit
// id, which is shown as the unit's name.
function explainPartLabel(split, name) {
  if (split === 'units' && name !== 'other') {
    return unitName(name);
  }
  return t('ex_part_' + name);
}

// Fills the comparison picker with the periods of the filter's kind that
// lie before the selected one. The first (the period before) is the default.
function fillComparison(select, period) {
  const choices = periodChoices(state.periodKind);
  const earlier = choices.slice(choices.indexOf(period) + 1);
  // A new selected period resets the comparison to the period before it.
  const previous = select.dataset.period === period ? select.value : null;
  select.dataset.period = period;
  select.replaceChildren();
  for (const p of earlier) {
    const option = el('option', null, periodLabel(p));
    option.value = p;
    select.append(option);
  }
  select.value = earlier.includes(previous) ? previous : earlier[0];
}

// Draws a waterfall: the start bar, one floating bar per part (rising
// green or falling red) on an invisible base, and the end bar. The value
// axis starts near the lowest running total, so that parts of a few
// percent stay visible. Its labels show where it starts.
// NOTE: a running total below zero (more refunds than sales) draws the
// base bar below the axis, so such a waterfall floats wrongly.
function waterfall(node, data, split) {
  const parts = data.splits[split];
  const names = [periodLabel(data.vs)];
  const base = [0];
  const rise = [data.from];
  const fall = ['-'];
  let total = data.from;
  for (const part of parts) {
    names.push(explainPartLabel(split, part.name));
    const next = total + part.value;
    base.push(Math.min(total, next));
    rise.push(part.value >= 0 ? part.value : '-');
    fall.push(part.value < 0 ? -part.value : '-');
    total = next;
  }
  names.push(periodLabel(data.period));
  base.push(0);
  rise.push(data.to);
  fall.push('-');

  let low = Math.min(data.from, data.to);
  let high = Math.max(data.from, data.to);
  total = data.from;
  for (const part of parts) {
    total += part.value;
    low = Math.min(low, total);
    high = Math.max(high, total);
  }
  // About five ticks of a 1-2-5 step. The axis starts on a tick that lies
  // below the lowest running total by about the totals' range.
  const span = Math.max(high - low, Math.abs(high) * 0.05, 1);
  const raw = (high - Math.max(0, low - span)) / 5;
  const magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = magnitude * [1, 2, 5, 10].find((f) => raw <= f * magnitude);
  const axisMin = Math.max(0, Math.floor((low - span) / step) * step);
  const axisMax = Math.ceil((high + step * 0.3) / step) * step;

  const isEnd = (i) => i === 0 || i === names.length - 1;
  const label = (sign) => ({
    show: true, position: 'top', fontSize: 11,
    formatter: (p) => (isEnd(p.dataIndex) || p.value === 0 ? compactMoney(p.value) : sign + compactMoney(p.value)),
  });
  chartIn(node, {
    grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
    tooltip: { show: false },
    xAxis: { type: 'category', data: names, axisLabel: { interval: 0, fontSize: 12 } },
    yAxis: { type: 'value', min: axisMin, max: axisMax, interval: step, axisLabel: { formatter: axisFormatter('money') } },
    series: [
      { type: 'bar', stack: 'all', data: base, itemStyle: { color: 'transparent' }, silent: true },
      {
        type: 'bar', stack: 'all', name: t('ex_rise'), barMaxWidth: 56, label: label('+'),
        data: rise.map((v, i) => (isEnd(i) ? { value: v, itemStyle: { color: '#1f6feb' } } : v)),
        itemStyle: { color: '#1a7f37' },
      },
      {
        type: 'bar', stack: 'all', name: t('ex_fall'), barMaxWidth: 56, label: label('-'),
        data: fall, itemStyle: { color: '#d92d20' },
      },
    ],
  });
}

async function renderExplain(generation) {
  showOnly('explain');
  const select = document.getElementById('explain-vs');
  fillComparison(select, state.period);
  if (!select.value) {
    document.getElementById('explain-body').replaceChildren(el('p', 'note', t('ex_no_earlier')));
    return;
  }
  // One as-of date bounds both periods: the end of the selected period (or
  // today while it runs), because the picker offers only earlier periods.
  const asOf = asOfFor(state.period);
  const data = await current(generation, api('/api/v1/explain?' + query({
    metric: 'sales', period: state.period, vs: select.value, scope: state.scope, as_of: asOf.date,
  })));
  disposeCharts();

  const summary = el('p', 'explain-summary', t('ex_summary', {
    from: formatValue(data.from, 'money', 2), vs: periodLabel(data.vs),
    to: formatValue(data.to, 'money', 2), period: periodLabel(data.period),
    change: (data.change >= 0 ? '+' : '') + formatValue(data.change, 'money', 2),
  }));
  summary.id = 'explain-change';
  summary.dataset.change = String(data.change);

  const cards = [summary];
  const charts = [];
  for (const split of explainSplits) {
    const rows = data.splits[split].map((part) => ({ label: explainPartLabel(split, part.name), value: part.value }));
    rows.push({ label: t('ex_change_total'), value: data.change, total: true });
    const chart = el('div', 'chart wide');
    const parts = table([
      { label: 'ex_col_part', value: (r) => r.label },
      { label: 'ex_col_value', value: (r) => r.value, kind: 'money', decimals: 2 },
    ], rows);
    parts.querySelector('tbody tr:last-child').classList.add('total');
    const box = card(t('ex_split_' + split), el('p', 'note', t('ex_hint_' + split)), chart, parts);
    box.dataset.split = split;
    box.classList.add('explain-split');
    cards.push(box);
    charts.push([chart, split]);
  }

  // ECharts measures its node, so the charts are drawn once they are in the page.
  document.getElementById('explain-body').replaceChildren(...cards);
  for (const [node, split] of charts) {
    waterfall(node, data, split);
  }
}

// ---- Linkage ----

const linkageViews = [
  { view: 'training', x: 'training_completion_rate', y: 'per_capita_sales' },
  { view: 'turnover' },
  { view: 'cost', x: 'labor_cost_ratio', y: 'market_share' },
];

function statValue(v, digits) {
  return v === null || v === undefined ? '—' : Number(v).toFixed(digits);
}

function pValue(p) {
  if (p === null || p === undefined) {
    return '—';
  }
  return p < 0.001 ? '< 0.001' : p.toFixed(p < 0.01 ? 3 : 2);
}

// The figures of one analysis: n, the correlations and the p-value.
function linkageFacts(result, turnover) {
  const list = el('dl', 'facts stats');
  const pairs = turnover
    ? [['lk_n', String(result.n)], ['lk_phi', statValue(result.phi, 3)], ['lk_z', statValue(result.z, 2)], ['lk_p', pValue(result.p_value)]]
    : [['lk_n', String(result.n)], ['lk_pearson', statValue(result.pearson, 3)], ['lk_spearman', statValue(result.spearman, 3)], ['lk_p', pValue(result.p_value)]];
  for (const [label, value] of pairs) {
    list.append(el('dt', null, t(label)), el('dd', 'lk-' + label.slice(3), value));
  }
  return list;
}

// The API's statement. A view with too few points gets the warning style,
// because its statement is "not enough data" and makes no claim.
function statementNode(result) {
  const enough = result.strength !== 'not_enough_data';
  return el('p', enough ? 'statement' : 'statement short', result.statement);
}

function scatter(node, result, spec) {
  const xKind = metricKinds[spec.x] || 'ratio';
  const yKind = metricKinds[spec.y] || 'ratio';
  const series = [{
    type: 'scatter', name: t('lk_across'), symbolSize: 11, itemStyle: { color: '#1f6feb' },
    data: result.points.map((p) => ({ value: [p.x, p.y], name: unitName(p.subject) })),
    label: { show: true, position: 'right', fontSize: 11, formatter: (p) => p.name },
  }];
  if (result.over_months) {
    series.unshift({
      type: 'scatter', name: t('lk_over_months'), symbolSize: 6, itemStyle: { color: 'rgba(87, 96, 106, 0.35)' },
      data: result.over_months.points.map((p) => [p.x, p.y]),
    });
  }
  chartIn(node, {
    grid: { left: 16, right: 96, top: 36, bottom: 32, containLabel: true },
    legend: { top: 0 },
    tooltip: { trigger: 'item', renderMode: 'richText',
      formatter: (p) => (p.name ? p.name + ': ' : '') + formatValue(p.value[0], xKind) + ', ' + formatValue(p.value[1], yKind) },
    xAxis: { type: 'value', scale: true, name: t('m_' + spec.x), nameLocation: 'middle', nameGap: 28,
      axisLabel: { formatter: axisFormatter(xKind) } },
    yAxis: { type: 'value', scale: true, name: t('m_' + spec.y), axisLabel: { formatter: axisFormatter(yKind) } },
    series,
  });
}

function turnoverBars(node, result) {
  const groups = ['owner_left', 'owner_stayed'];
  chartIn(node, {
    grid: { left: 56, right: 16, top: 24, bottom: 32 },
    tooltip: { show: false },
    xAxis: { type: 'category', data: groups.map((g) => t('lk_' + g, { n: result.groups[g].n })), axisLabel: { fontSize: 12 } },
    yAxis: { type: 'value', name: t('m_repurchase_rate'), axisLabel: { formatter: axisFormatter('ratio') } },
    series: [{
      type: 'bar', barMaxWidth: 80, itemStyle: { color: '#1f6feb' },
      data: groups.map((g) => result.groups[g].rate),
      label: { show: true, position: 'top', formatter: (p) => formatValue(p.value, 'ratio') },
    }],
  });
}

async function renderLinkage(generation) {
  showOnly('linkage');
  const asOf = asOfFor(state.period);
  const results = await current(generation, Promise.all(linkageViews.map((spec) => api('/api/v1/linkage?' + query({
    view: spec.view, period: state.period, scope: state.scope, as_of: asOf.date,
  })))));
  disposeCharts();
  const cards = [];
  const draws = [];
  linkageViews.forEach((spec, i) => {
    const result = results[i];
    const chart = el('div', 'chart wide');
    const box = card(t('lk_title_' + spec.view), el('p', 'note', t('lk_hint_' + spec.view)),
      linkageFacts(result, spec.view === 'turnover'), statementNode(result), chart);
    if (result.over_months) {
      const over = el('div', 'over-months');
      over.append(el('h3', null, t('lk_over_months')), linkageFacts(result.over_months, false),
        statementNode(result.over_months), el('p', 'note', t('lk_over_months_hint')));
      box.append(over);
    }
    box.classList.add('linkage-view');
    box.dataset.view = spec.view;
    cards.push(box);
    draws.push(() => (spec.view === 'turnover' ? turnoverBars(chart, result) : scatter(chart, result, spec)));
  });
  document.getElementById('linkage-body').replaceChildren(...cards);
  draws.forEach((draw) => draw());
}

// ---- Model scores ----

// The stored models' current scores (GET /api/v1/risk/attrition,
// /api/v1/risk/churn and /api/v1/forecast) on the unit, employee and
// customer pages. The server filters the rows to the caller's scope and
// writes the factors in the page's language (the cairn_lang cookie).

const riskListLength = 10;

// Whether the role may see attrition risk: the server answers 403 to
// finance and rep callers, so the page does not ask for them.
function maySeeAttrition(role) {
  return role === 'gm' || role === 'hr' || role === 'team_lead';
}

function riskNote(answer) {
  return el('p', 'note', answer.stored
    ? t('risk_rank_note', { top: answer.top, n: answer.n, as_of: answer.as_of })
    : t('risk_not_trained', { model: answer.model }));
}

function riskRank(r) {
  return r.rank + (r.top ? ' · ' + t('risk_top') : '');
}

// A card of the riskiest rows (the first riskListLength), each with its
// factors. subject gives the name column: label, and the page of a row.
function riskCard(titleKey, answer, subject) {
  const rows = answer.rows.slice(0, riskListLength);
  const box = card(t(titleKey), riskNote(answer), table([
    { label: subject.label, value: (r) => r.name || r.subject, href: subject.href },
    { label: 'risk_probability', value: (r) => r.probability, kind: 'ratio' },
    { label: 'risk_rank', value: riskRank },
    { label: 'risk_factors', value: (r) => r.factors.join('; ') },
  ], rows));
  if (answer.rows.length > rows.length) {
    box.append(el('p', 'note', t('risk_more', { shown: rows.length, total: answer.rows.length })));
  }
  box.classList.add('risk-card');
  return box;
}

function forecastCard(answer) {
  const box = card(t('risk_forecast'), el('p', 'note', answer.stored ? t('risk_forecast_note')
    : t('risk_not_trained', { model: answer.model })), table([
    { label: 'unit_heading', value: (f) => f.name || f.unit, href: (f) => '#/unit/' + encodeURIComponent(f.unit) },
    { label: 'risk_month', value: (f) => f.month },
    { label: 'risk_forecast_value', value: (f) => f.forecast, kind: 'money' },
    { label: 'risk_interval', value: (f) => formatValue(f.lower, 'money') + ' – ' + formatValue(f.upper, 'money') },
    { label: 'risk_trend', value: (f) => f.trend, kind: 'money' },
    { label: 'risk_turning', value: (f) => (f.turning ? t('risk_turning_yes') : '') },
  ], answer.rows));
  box.classList.add('risk-card', 'forecast-card');
  return box;
}

// The risk cards of a unit page: its employees' attrition risk (for the
// roles that may see it), its customers' churn risk and its forecast.
async function unitRiskCards(scope) {
  const args = '?' + query({ scope });
  const [attrition, churn, forecast] = await Promise.all([
    maySeeAttrition(state.session.role) ? api('/api/v1/risk/attrition' + args) : null,
    api('/api/v1/risk/churn' + args),
    api('/api/v1/forecast' + args),
  ]);
  const cards = [];
  if (attrition) {
    cards.push(riskCard('risk_attrition', attrition,
      { label: 'col_name', href: (r) => '#/employee/' + encodeURIComponent(r.subject) }));
  }
  cards.push(riskCard('risk_churn', churn,
    { label: 'col_customer', href: (r) => '#/customer/' + encodeURIComponent(r.subject) }));
  cards.push(forecastCard(forecast));
  return cards;
}

// The risk facts of one employee or customer: its probability, rank and
// factors, or why there are none.
function oneRiskCard(titleKey, answer) {
  const r = answer.rows[0];
  const box = card(t(titleKey), r ? facts([
    ['risk_probability', formatValue(r.probability, 'ratio')],
    ['risk_rank', riskRank(r) + ' / ' + answer.n],
    ['risk_factors', r.factors.join('; ')],
  ]) : el('p', 'note', answer.stored ? t('risk_none') : t('risk_not_trained', { model: answer.model })));
  box.classList.add('risk-card');
  return box;
}

async function employeeRiskCards(id) {
  if (!maySeeAttrition(state.session.role)) {
    return [];
  }
  const answer = await api('/api/v1/risk/attrition?' + query({ scope: 'employee:' + id }));
  return [oneRiskCard('risk_attrition', answer)];
}

async function customerRiskCards(id) {
  const answer = await api('/api/v1/risk/churn?' + query({ customer: id }));
  return [oneRiskCard('risk_churn', answer)];
}
