// Cairn dashboard: the top-20 % profile on the team page (团队效能). It reads
// GET /api/v1/teams/profile and shows the top group of sales reps beside the
// rest: a table of the figures and a bar chart of the top group's figures
// as a multiple of the rest's (1.0 = the same). It is loaded after app.js
// and uses its helpers (t, el, table, formatValue, chartIn, …).
'use strict';

// The profile's figures in table order, with their kinds for formatting.
const profileFigures = [
  ['sales', 'money'],
  ['per_capita_sales', 'money'],
  ['orders_per_head', 'number'],
  ['avg_order_value', 'money'],
  ['visits_per_head', 'number'],
  ['csat', 'score'],
  ['training_completion_rate', 'ratio'],
  ['tenure_days', 'years'],
];

function profileValue(value, kind) {
  if (kind === 'years') {
    return value === null || value === undefined ? '—'
      : new Intl.NumberFormat(locale(), { minimumFractionDigits: 1, maximumFractionDigits: 1 })
        .format(value / 365.25) + ' ' + t('tp_years');
  }
  return formatValue(value, kind);
}

// The top group's value as a multiple of the rest's; null when either is
// missing or the rest's is zero.
function profileRatio(top, rest) {
  if (top === null || rest === null || top === undefined || rest === undefined || rest === 0) {
    return null;
  }
  return top / rest;
}

async function renderProfile(generation, params) {
  const data = await current(generation, api('/api/v1/teams/profile?' + query(params)));
  const [top, rest] = data.groups;
  const rows = profileFigures.map(([name, kind]) => ({
    name, kind, top: top.figures[name], rest: rest.figures[name],
    ratio: profileRatio(top.figures[name], rest.figures[name]),
  }));
  document.getElementById('profile-summary').textContent = t('tp_summary')
    .replace('{n}', String(data.reps)).replace('{top}', String(data.top_count))
    .replace('{rest}', String(rest.count));
  const figures = table([
    { label: 'tp_col_figure', value: (r) => t('tp_' + r.name) },
    { label: 'tp_col_top', value: (r) => profileValue(r.top, r.kind) },
    { label: 'tp_col_rest', value: (r) => profileValue(r.rest, r.kind) },
    { label: 'tp_col_ratio', value: (r) => r.ratio, kind: 'number' },
  ], data.reps ? rows : []);
  // The two group columns hold numbers formatted per row: align them as numbers.
  figures.querySelectorAll('th:nth-child(2), th:nth-child(3), td:nth-child(2), td:nth-child(3)')
    .forEach((cell) => cell.classList.add('num'));
  document.getElementById('profile-table').replaceChildren(figures);
  document.getElementById('profile-members').textContent = data.top.length
    ? t('tp_members') + data.top.map((m) => m.name).join(listSeparator()) : '';

  const chartBox = document.getElementById('profile-chart');
  const charted = rows.filter((r) => r.ratio !== null);
  chartBox.hidden = !charted.length;
  if (!charted.length) {
    return;
  }
  chartIn(chartBox, {
    grid: { left: 8, right: 48, top: 8, bottom: 24, containLabel: true },
    tooltip: { trigger: 'axis', renderMode: 'richText', valueFormatter: (v) => formatValue(v, 'number') },
    xAxis: { type: 'value', axisLabel: { formatter: (v) => v.toFixed(1) + '×' } },
    yAxis: { type: 'category', inverse: true, data: charted.map((r) => t('tp_' + r.name)) },
    series: [{
      type: 'bar', name: t('tp_col_ratio'), data: charted.map((r) => r.ratio), barMaxWidth: 22,
      itemStyle: { color: '#1f6feb' },
      label: { show: true, position: 'right', fontSize: 11, formatter: (p) => p.value.toFixed(2) + '×' },
      markLine: { silent: true, symbol: 'none', data: [{ xAxis: 1 }], lineStyle: { color: '#8c959f' }, label: { show: false } },
    }],
  });
}
