// Browser test of the dashboard: builds a demo database, starts
// "cairn serve" on a free loopback port, and drives Debian's chromium
// through playwright-core (never a downloaded browser). It covers the
// GM's overview with its four key results and charts, the language menu
// (English, Japanese, Spanish) and the drill-down from a team's sales to
// its orders. Then come the model risk lists of the team page in Chinese
// and English, a CSV export, the explain, linkage and import pages, and a
// team lead limited to its own team. Screenshots go to the artifacts
// folder.
//
// Usage: node dashboard.mjs CAIRN_BINARY ARTIFACTS_DIR
// Exit 0 passed, 1 failed, 77 skipped (chromium or node_modules missing).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const CHROMIUM = '/usr/bin/chromium';
const [cairn, artifacts] = process.argv.slice(2);

function skip(why) {
  console.log('SKIP: ' + why);
  process.exit(77);
}

if (!cairn || !artifacts) {
  console.error('usage: node dashboard.mjs CAIRN_BINARY ARTIFACTS_DIR');
  process.exit(1);
}
if (!fs.existsSync(CHROMIUM)) {
  skip(CHROMIUM + ' is missing: run scripts/install-deps.sh (Debian package chromium)');
}
let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch {
  skip('playwright-core is missing: run scripts/install-deps.sh (npm ci)');
}

let failures = 0;
function check(ok, what) {
  console.log((ok ? 'ok   ' : 'FAIL ') + what);
  if (!ok) {
    failures += 1;
  }
}

function run(args, input) {
  const r = spawnSync(cairn, args, { input, encoding: 'utf8', env: { ...process.env, LANG: 'C.UTF-8' } });
  if (r.status !== 0) {
    throw new Error('cairn ' + args.join(' ') + ' exited ' + r.status + ': ' + r.stderr);
  }
  return r.stdout;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForServer(url) {
  for (let i = 0; i < 100; i++) {
    try {
      const answer = await fetch(url);
      if (answer.ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the server did not answer at ' + url);
}

// The demo company, a GM and the lead of team HZ01.
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-browser-'));
const db = path.join(work, 'demo.db');
fs.mkdirSync(artifacts, { recursive: true });
run(['--db', db, 'demo', '--no-serve']);
for (const model of ['attrition', 'churn', 'forecast']) {
  run(['--db', db, 'model', 'train', model]);
}
run(['--db', db, 'user', 'add', 'boss', '--role', 'gm'], 'boss-password-1\n');
run(['--db', db, 'user', 'add', 'lead1', '--role', 'team_lead', '--scope', 'unit:HZ01'], 'lead-password-1\n');
run(['--db', db, 'user', 'add', 'rep1', '--role', 'rep', '--scope', 'employee:E00002'], 'rep-password-1\n');

const port = await freePort();
const base = 'http://127.0.0.1:' + port;
const server = spawn(cairn, ['--db', db, 'serve', '--listen', '127.0.0.1:' + port],
  { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LANG: 'C.UTF-8' } });
let serverLog = '';
server.stderr.on('data', (d) => { serverLog += d; });

const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-chromium-'));
let context;
try {
  await waitForServer(base + '/');
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1366, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = context.pages()[0] || await context.newPage();
  const problems = [];
  // The page requests the session before login, so that 401 is expected;
  // the lead opens pages outside its scope on purpose, so 403 is too.
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 40[13]/.test(m.text())) {
      problems.push(m.text());
    }
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  // Nothing may leave the loopback interface.
  await context.route('**/*', (r) => (r.request().url().startsWith(base) ? r.continue() : r.abort()));

  const logIn = async (login, password) => {
    await page.goto(base + '/');
    await page.fill('#login', login);
    await page.fill('#password', password);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('body[data-ready]');
  };
  const ready = (hash) => page.waitForSelector('body[data-ready="' + hash + '"]');
  const chooseLanguage = (lang) => page.selectOption('#lang-menu', lang);

  // The GM's overview, in Chinese by default.
  await logIn('boss', 'boss-password-1');
  await page.waitForSelector('.group canvas');
  const groups = await page.$$eval('.group', (cards) => cards.map((c) => ({
    title: c.querySelector('h2').textContent,
    canvases: c.querySelectorAll('canvas').length,
    value: c.querySelector('.lead-value').textContent,
  })));
  check(groups.length === 4, 'the overview shows four result groups');
  check(JSON.stringify(groups.map((g) => g.title)) === JSON.stringify(['业绩增长', '团队效能', '客户留存', '成本控制']),
    'the groups are titled in Chinese: ' + groups.map((g) => g.title).join(', '));
  check(groups.every((g) => g.canvases === 1), 'every group has its trend chart drawn on a canvas');
  check(/^¥[\d,]+$/.test(groups[0].value), 'sales is written with ¥ and thousands separators: ' + groups[0].value);
  check(/^\d+\.\d%$/.test(groups[3].value) || groups[3].value === '—', 'the labor cost ratio is a percentage with one decimal: ' + groups[3].value);
  const units = await page.$$eval('#unit-picker option', (o) => o.map((x) => x.textContent.trim()));
  check(units[0] === '全公司' && units.includes('杭州一组'), 'the unit picker offers the company and its teams');
  const cities = units.filter((u) => u.endsWith('分公司'));
  // 华东 (Hangzhou, Shanghai) before 华南 (Guangzhou, Shenzhen), each in pinyin order.
  check(JSON.stringify(cities) === JSON.stringify(['杭州分公司', '上海分公司', '广州分公司', '深圳分公司']),
    'cities of each region are in pinyin order: ' + cities.join(', '));
  await page.screenshot({ path: path.join(artifacts, 'overview-zh.png'), fullPage: true });

  // English.
  await chooseLanguage('en');
  await page.waitForFunction(() => document.documentElement.lang === 'en' && document.body.dataset.ready);
  await page.waitForFunction(() => document.querySelector('.group h2') && document.querySelector('.group h2').textContent === 'Sales growth');
  const english = await page.$$eval('.group h2', (h) => h.map((x) => x.textContent));
  check(english.join('|') === 'Sales growth|Team effectiveness|Customer retention|Cost control', 'the menu shows the groups in English');
  check(await page.$$eval('.group canvas', (c) => c.length) === 4, 'the charts are drawn again in English');
  await page.screenshot({ path: path.join(artifacts, 'overview-en.png'), fullPage: true });

  // Japanese: the page texts, the charts and the server's messages.
  await chooseLanguage('ja');
  await page.waitForFunction(() => document.documentElement.lang === 'ja' && document.body.dataset.ready);
  await page.waitForFunction(() => document.querySelector('.group h2') && document.querySelector('.group h2').textContent === '売上成長');
  const japanese = await page.$$eval('.group h2', (h) => h.map((x) => x.textContent));
  check(japanese.join('|') === '売上成長|チーム生産性|顧客維持|コスト管理', 'the menu shows the groups in Japanese: ' + japanese.join(', '));
  check(await page.textContent('#nav a[data-view=overview]') === '概要', 'the navigation is in Japanese');
  check(await page.$$eval('.group canvas', (c) => c.length) === 4, 'the charts are drawn again in Japanese');
  check(/(^|;\s*)cairn_lang=ja(;|$)/.test(await page.evaluate(() => document.cookie)), 'the menu sets cairn_lang=ja');
  // Through the context's request API, which shares the page's cookies
  // but keeps the expected 404 out of the console.
  const missing = await (await page.request.get(base + '/api/v1/units/NO-SUCH-UNIT')).json();
  check(missing.error && missing.error.message === '該当する組織単位または従業員はありません。',
    'the server answers in Japanese: ' + JSON.stringify(missing));
  await page.screenshot({ path: path.join(artifacts, 'overview-ja.png'), fullPage: true });
  // Spanish loads its catalog and chart locale without errors.
  await chooseLanguage('es');
  await page.waitForFunction(() => document.documentElement.lang === 'es' && document.body.dataset.ready);
  check(await page.$$eval('.group canvas', (c) => c.length) === 4, 'the charts are drawn again in Spanish');
  await chooseLanguage('zh-CN');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  await page.waitForFunction(() => document.querySelector('.group h2') && document.querySelector('.group h2').textContent === '业绩增长');
  check(await page.$eval('#lang-menu', (m) => m.value) === 'zh-CN', 'the menu shows the chosen language');

  // Teams, then the orders behind one team's sales.
  await page.click('#nav a[data-view=teams]');
  await ready('#/teams');
  const teamRows = await page.$$eval('#teams-table tbody tr', (r) => r.length);
  check(teamRows === 8, 'the team dashboard lists the 8 teams: ' + teamRows);
  check(await page.$$eval('#team-chart canvas', (c) => c.length) === 1, 'the team bar chart is drawn');
  // The top-20 % profile: 8 figures, the top group beside the rest, a chart.
  const profileRows = await page.$$eval('#profile-table tbody tr', (r) => r.map((x) => [...x.cells].map((c) => c.textContent)));
  check(profileRows.length === 8 && profileRows[0][0] === '人均销售额' && /^¥/.test(profileRows[0][1]),
    'the profile table compares 8 figures in Chinese: ' + JSON.stringify(profileRows[0]));
  check(await page.$$eval('#profile-chart canvas', (c) => c.length) === 1, 'the profile chart is drawn');
  check(/名销售/.test(await page.textContent('#profile-summary')), 'the profile says how many reps it ranks');
  await page.screenshot({ path: path.join(artifacts, 'teams.png'), fullPage: true });
  await page.locator('#profile-card').screenshot({ path: path.join(artifacts, 'profile-zh.png') });
  await chooseLanguage('en');
  await page.waitForFunction(() => document.documentElement.lang === 'en' && document.body.dataset.ready);
  await page.waitForFunction(() => document.querySelector('#profile-card h2').textContent === 'Top 20 % of sales reps against the rest'
    && document.querySelector('#profile-table td') && document.querySelector('#profile-table td').textContent === 'Sales per rep');
  const profileEnglish = await page.$$eval('#profile-table tbody tr td:first-child', (c) => c.map((x) => x.textContent));
  check(profileEnglish[0] === 'Sales per rep' && profileEnglish[7] === 'Average tenure',
    'the profile figures are named in English: ' + profileEnglish.join(', '));
  await page.locator('#profile-card').screenshot({ path: path.join(artifacts, 'profile-en.png') });
  await chooseLanguage('zh-CN');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN' && document.body.dataset.ready);
  const salesLink = page.locator('#teams-table tbody tr', { hasText: '杭州一组' }).locator('a').first();
  const teamSales = await salesLink.textContent();
  await salesLink.click();
  await page.waitForSelector('#unit-orders tbody tr');
  const unitTitle = await page.textContent('#detail .card h2');
  check(unitTitle === '杭州一组', 'the drill-down opens the team page: ' + unitTitle);
  const orderRows = await page.$$eval('#unit-orders tbody tr', (r) => r.length);
  check(orderRows > 0, 'the team page lists its orders: ' + orderRows);
  const totalNote = await page.textContent('#unit-orders .note');
  const yuan = (text) => Number(text.replace(/^.*¥/, '').replace(/,/g, ''));
  check(Math.round(yuan(totalNote)) === yuan(teamSales), 'the orders add up to the team sales ' + teamSales + ': ' + totalNote);
  await page.screenshot({ path: path.join(artifacts, 'team-orders.png'), fullPage: true });

  // The team page's risk lists: attrition of its employees, churn of its
  // customers and its forecast, with factors in the page's language.
  const riskCards = () => page.$$eval('.risk-card', (cards) => cards.map((c) => ({
    title: c.querySelector('h2').textContent,
    rows: [...c.querySelectorAll('tbody tr')].map((r) => [...r.cells].map((x) => x.textContent)),
  })));
  let risks = await riskCards();
  check(risks.map((r) => r.title).join('|') === '离职风险|客户流失风险|销售额预测',
    'the team page shows the three risk lists in Chinese: ' + risks.map((r) => r.title).join(', '));
  check(risks.every((r) => r.rows.length > 0), 'every risk list has rows: ' + risks.map((r) => r.rows.length).join(','));
  check(risks[0].rows.every((r) => /^\d+\.\d%$/.test(r[1])), 'attrition risk is a percentage: ' + risks[0].rows.map((r) => r[1]).join(','));
  check(risks[0].rows.some((r) => /[\u4e00-\u9fff]/.test(r[3])), 'the attrition factors are in Chinese: ' + risks[0].rows.map((r) => r[3]).join(' | '));
  check(risks[1].rows.some((r) => /[\u4e00-\u9fff]/.test(r[3])), 'the churn factors are in Chinese');
  check(risks[2].rows.length === 1 && /^¥[\d,]+ – ¥[\d,]+$/.test(risks[2].rows[0][3]),
    'the forecast of the team has its interval: ' + JSON.stringify(risks[2].rows));
  await page.locator('.risk-card').first().scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(artifacts, 'team-risk-zh.png'), fullPage: true });
  await chooseLanguage('en');
  await page.waitForFunction(() => {
    const title = document.querySelector('.risk-card h2');
    return document.body.dataset.ready && title && title.textContent === 'Attrition risk';
  });
  risks = await riskCards();
  check(risks.map((r) => r.title).join('|') === 'Attrition risk|Churn risk|Sales forecast', 'the risk lists are titled in English');
  check(risks[0].rows.every((r) => !/[\u4e00-\u9fff]/.test(r[3])) && risks[0].rows.some((r) => r[3] !== '—'),
    'the attrition factors are in English: ' + risks[0].rows.map((r) => r[3]).join(' | '));
  check(risks[1].rows.every((r) => !/[\u4e00-\u9fff]/.test(r[3])), 'the churn factors are in English');
  await page.screenshot({ path: path.join(artifacts, 'team-risk-en.png'), fullPage: true });
  await chooseLanguage('zh-CN');
  await page.waitForFunction(() => {
    const title = document.querySelector('.risk-card h2');
    return document.documentElement.lang === 'zh-CN' && document.body.dataset.ready && title && title.textContent === '离职风险';
  });

  // CSV export with a Chinese file name.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('#unit-orders .card-head a.button[data-format=csv]'),
  ]);
  check(download.suggestedFilename() === '订单.csv', 'the export is named 订单.csv: ' + download.suggestedFilename());
  const csv = fs.readFileSync(await download.path(), 'utf8');
  const lines = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
  check(lines[0].startsWith('订单号,'), 'the CSV header is in Chinese: ' + lines[0]);
  const pager = await page.textContent('#unit-orders .note');
  check(lines.length - 1 === Number(pager.split(' ')[0]), 'the CSV has every order of the period: ' + (lines.length - 1));

  const [workbook] = await Promise.all([
    page.waitForEvent('download'),
    page.click('#unit-orders .card-head a.button[data-format=xlsx]'),
  ]);
  check(workbook.suggestedFilename() === '订单.xlsx', 'the workbook is named 订单.xlsx: ' + workbook.suggestedFilename());
  const zip = fs.readFileSync(await workbook.path());
  check(zip.subarray(0, 2).toString() === 'PK', 'the workbook is a ZIP file');

  // An employee and a customer page.
  await page.locator('#unit-orders tbody tr').first().locator('td').nth(3).locator('a').click();
  await page.waitForSelector('body[data-ready^="#/employee/"]');
  check(await page.$$eval('#detail .card', (c) => c.length) === 4, 'the employee page shows its facts, attrition risk, customers and orders');
  check(await page.textContent('#detail .risk-card h2') === '离职风险', 'the employee page has its attrition risk');
  await page.screenshot({ path: path.join(artifacts, 'employee.png'), fullPage: true });
  await page.locator('#detail .card').nth(3).locator('tbody tr').first().locator('td').nth(2).locator('a').click();
  await page.waitForSelector('body[data-ready^="#/customer/"]');
  check(await page.$$eval('#detail .card', (c) => c.length) === 5, 'the customer page shows churn risk, orders, owner history and surveys');
  check(await page.textContent('#detail .risk-card h2') === '客户流失风险', 'the customer page has its churn risk');
  await page.screenshot({ path: path.join(artifacts, 'customer.png'), fullPage: true });

  // Alerts with their badge.
  await page.click('#nav a[data-view=alerts]');
  await ready('#/alerts');
  const badge = await page.textContent('#alert-badge');
  const alertRows = await page.$$eval('#alerts-table tbody tr', (r) => r.length);
  check(Number(badge) === alertRows && alertRows > 0, 'the badge counts the alerts: ' + badge + ' / ' + alertRows);
  await page.screenshot({ path: path.join(artifacts, 'alerts.png'), fullPage: true });

  // Explain: the selected month against the month before, three splits
  // each drawn as a waterfall, and table parts that add up to the change.
  const yuanSigned = (text) => (text.trim().startsWith('-') ? -1 : 1) * Number(text.replace(/[^\d.]/g, ''));
  await page.click('#nav a[data-view=explain]');
  await ready('#/explain');
  const periods = await page.$$eval('#period-value option', (o) => o.map((x) => x.value));
  const vs = await page.inputValue('#explain-vs');
  check(vs === periods[periods.indexOf(await page.inputValue('#period-value')) + 1],
    'the comparison defaults to the month before: ' + vs);
  const splits = await page.$$eval('.explain-split', (cards) => cards.map((c) => {
    const canvas = c.querySelector('canvas');
    let painted = 0;
    if (canvas) {
      const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 3; i < pixels.length; i += 4) {
        painted += pixels[i] > 0 ? 1 : 0;
      }
    }
    return {
      split: c.dataset.split,
      painted,
      cells: [...c.querySelectorAll('tbody tr')].map((r) => [r.cells[0].textContent, r.cells[1].textContent]),
    };
  }));
  check(splits.map((s) => s.split).join(',') === 'headcount,customers,units', 'the explain page has the three splits');
  check(splits.every((s) => s.painted > 1000), 'every split has its waterfall drawn: ' + splits.map((s) => s.painted).join(','));
  const change = Number(await page.getAttribute('#explain-change', 'data-change'));
  for (const s of splits) {
    const fen = s.cells.map(([, v]) => Math.round(yuanSigned(v) * 100));
    const total = fen.pop();
    check(total === Math.round(change * 100), s.split + ': the table shows the change ' + s.cells[s.cells.length - 1][1]);
    check(fen.reduce((a, b) => a + b, 0) === total, s.split + ': the parts add up to the change: ' + s.cells.map((c) => c.join(' ')).join('; '));
  }
  check(splits[0].cells[0][0] === '人数效应' && splits[1].cells[1][0] === '新客户', 'the parts are named in Chinese');
  await page.screenshot({ path: path.join(artifacts, 'explain-zh.png'), fullPage: true });

  // Linkage: three views with n, the figures and the API's statement.
  await page.click('#nav a[data-view=linkage]');
  await ready('#/linkage');
  const linkage = async () => page.$$eval('.linkage-view', (cards) => cards.map((c) => ({
    view: c.dataset.view,
    title: c.querySelector('h2').textContent,
    n: c.querySelector('.lk-n').textContent,
    statement: c.querySelector('.statement').textContent,
    short: c.querySelector('.statement').classList.contains('short'),
    canvases: c.querySelectorAll('canvas').length,
  })));
  let views = await linkage();
  check(views.map((v) => v.view).join(',') === 'training,turnover,cost', 'the linkage page has the three views');
  check(views.every((v) => /^\d+$/.test(v.n)), 'every view shows its n: ' + views.map((v) => v.n).join(','));
  check(views.every((v) => v.canvases === 1), 'every view has its chart');
  check(views.every((v) => /[\u4e00-\u9fff]/.test(v.statement)), 'the statements are in Chinese');
  check(views.every((v) => (Number(v.n) < 8) === v.short), 'views under 8 points are marked as not enough data');
  check(views.filter((v) => v.short).every((v) => v.statement.includes('数据不足')),
    'a view under 8 points states that data is not enough');
  check(views.filter((v) => !v.short).every((v) => v.statement.endsWith('相关不等于因果。')),
    'a view with a claim ends with the caution: ' + views.map((v) => v.statement).join(' | '));
  await page.screenshot({ path: path.join(artifacts, 'linkage-zh.png'), fullPage: true });
  await chooseLanguage('en');
  await page.waitForFunction(() => {
    const title = document.querySelector('.linkage-view h2');
    return document.body.dataset.ready === '#/linkage' && title && title.textContent.startsWith('Training');
  });
  views = await linkage();
  check(views.map((v) => v.title).join('|') === 'Training completion rate and sales per head|Account owner turnover and repurchase rate|Labor cost ratio and market share',
    'the views are titled in English');
  check(views.every((v) => !/[\u4e00-\u9fff]/.test(v.statement)), 'the statements are in English: ' + views.map((v) => v.statement).join(' | '));
  check(views.filter((v) => v.short).every((v) => /not enough data/.test(v.statement)), 'the English statement says not enough data');
  await page.screenshot({ path: path.join(artifacts, 'linkage-en.png'), fullPage: true });
  await page.click('#nav a[data-view=explain]');
  await ready('#/explain');
  await page.screenshot({ path: path.join(artifacts, 'explain-en.png'), fullPage: true });
  await chooseLanguage('zh-CN');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');

  // Import: each upload is first checked (a dry run with its validation
  // report), then stored after "confirm". A bad file gets the error's
  // line, column and value and no confirm button.
  await page.click('#nav a[data-view=import]');
  await ready('#/import');
  const header = 'order_id,order_date,customer_id,employee_id,amount,status,product\n';
  const check_upload = async (name, text) => {
    await page.setInputFiles('#import-form input[name=file]',
      { name, mimeType: 'text/csv', buffer: Buffer.from(text) });
    await page.click('#import-form button[type=submit]');
    await page.waitForSelector('#import-report .card');
    return page.getAttribute('#import-status', 'data-state');
  };
  const reportRows = () => page.$$eval('#import-report tbody tr', (r) => r.map((x) => [...x.cells].map((c) => c.textContent)));
  const confirm = async () => {
    await page.click('#import-confirm');
    await page.waitForSelector('#import-progress:not([hidden])');
    await page.waitForSelector('#import-status[data-state=done], #import-status[data-state=failed]');
    await page.waitForSelector('#import-report .card');
    return page.getAttribute('#import-status', 'data-state');
  };
  const checked = await check_upload('orders.csv', header + 'X90001,2026-11-02,C000001,E00002,1200.50,completed,P1\n');
  check(checked === 'done' && await page.isVisible('#import-confirm'), 'a good orders file passes the check: ' + checked);
  check(/已检查/.test(await page.textContent('#import-status')), 'the status says the file is checked');
  await page.screenshot({ path: path.join(artifacts, 'import-checked.png'), fullPage: true });
  const good = await confirm();
  check(good === 'done' && await page.isHidden('#import-confirm'), 'the confirmed file is imported: ' + good);
  const goodRows = await reportRows();
  check(goodRows.length === 1 && goodRows[0][0] === 'orders.csv' && goodRows[0][3] === '1',
    'the report counts one inserted order: ' + JSON.stringify(goodRows));
  await page.screenshot({ path: path.join(artifacts, 'import-done.png'), fullPage: true });
  const bad = await check_upload('orders.csv', header + 'X90002,2026-11-02,C000001,E00002,1200.50,completed,P1\nX90003,2026-11-03,C000002,E00002,abc,completed,P1\n');
  check(bad === 'failed' && await page.isHidden('#import-confirm'), 'a file with a bad amount fails the check: ' + bad);
  const errorRows = await page.$$eval('#import-errors tbody tr', (r) => r.map((x) => [...x.cells].map((c) => c.textContent)));
  check(errorRows.length === 1, 'the report lists one error: ' + errorRows.length);
  check(errorRows.length === 1 && errorRows[0].slice(0, 4).join('|') === 'orders.csv|3|amount|abc',
    'the error names its source, line, column and value: ' + JSON.stringify(errorRows));
  check(errorRows.length === 1 && /金额/.test(errorRows[0][4]), 'the error message is in Chinese');
  await page.screenshot({ path: path.join(artifacts, 'import-failed.png'), fullPage: true });

  // A mapping: the examples are listed; one is opened, replaced by a
  // mapping for a foreign file, a syntax error is shown with its line,
  // then the fixed mapping is saved, chosen, checked with the file and
  // imported.
  const mapOptions = await page.$$eval('#import-map option', (o) => o.map((x) => x.value));
  check(mapOptions.includes('example:superstore') && mapOptions.includes('example:online-retail'),
    'the mapping picker lists the shipped examples: ' + mapOptions.join(', '));
  await page.selectOption('#import-map', 'example:superstore');
  await page.waitForFunction(() => document.getElementById('import-map-text').value.includes('Superstore'));
  check(await page.isDisabled('#import-kind'), 'with a mapping the kind comes from the mapping');
  await page.screenshot({ path: path.join(artifacts, 'import-mapping-example.png'), fullPage: true });
  const mapping = JSON.stringify({
    sources: [{ name: 'src', file: 'sales.csv' }],
    targets: [{ entity: 'orders', sql: ['SELECT no AS order_id, day AS order_date, client AS customer_id,',
      "  seller AS employee_id, yuan AS amount, 'completed' AS status FROM src"] }],
  }, null, 2);
  await page.fill('#import-map-text', mapping.replace('"targets": [', '"targets": [,'));
  await page.click('#import-map-check');
  await page.waitForSelector('#import-map-status.bad');
  const syntax = await page.textContent('#import-map-status');
  check(/^第 \d+ 行第 \d+ 列/.test(syntax), 'a syntax error shows its line and column: ' + syntax);
  await page.screenshot({ path: path.join(artifacts, 'import-mapping-error.png'), fullPage: true });
  await page.fill('#import-map-text', mapping);
  await page.fill('#import-map-name', '外部订单');
  await page.click('#import-map-save');
  await page.waitForSelector('#import-map-status.ok');
  check(await page.inputValue('#import-map') === 'saved:外部订单', 'the saved mapping is listed and chosen');
  await page.selectOption('#import-map', '');
  await page.selectOption('#import-map', 'saved:外部订单');
  await page.waitForFunction(() => document.getElementById('import-map-text').value.includes('sales.csv'));
  const foreign = 'no,day,client,seller,yuan\nX90010,2026-11-05,C000001,E00002,880.00\nX90011,2026-11-06,C000002,E00002,120.00\n';
  const mapChecked = await check_upload('sales.csv', foreign);
  const mapRows = await reportRows();
  check(mapChecked === 'done' && mapRows.length === 1 && mapRows[0][1] === 'orders' && mapRows[0][3] === '2',
    'the mapped file passes the check with 2 orders: ' + JSON.stringify(mapRows));
  await page.screenshot({ path: path.join(artifacts, 'import-mapping-checked.png'), fullPage: true });
  const mapDone = await confirm();
  check(mapDone === 'done', 'the mapped file is imported after confirm: ' + mapDone);
  const stored = await page.request.get(base + '/api/v1/orders?scope=employee:E00002&period=2026-11');
  const storedIds = (await stored.json()).orders.map((o) => o.order_id);
  check(storedIds.includes('X90010') && storedIds.includes('X90011'), 'the mapped orders are stored');
  await page.screenshot({ path: path.join(artifacts, 'import-mapping-done.png'), fullPage: true });
  // English labels of the mapping step.
  await chooseLanguage('en');
  await page.waitForFunction(() => document.documentElement.lang === 'en' && document.body.dataset.ready);
  check(await page.textContent('#import-map-check') === 'Check mapping' && await page.textContent('#import-form button[type=submit]') === 'Check data',
    'the import page is in English after the menu choice');
  await page.screenshot({ path: path.join(artifacts, 'import-en.png'), fullPage: true });
  await chooseLanguage('zh-CN');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN' && document.body.dataset.ready);

  // The team lead gets only its own team.
  await page.click('#logout');
  await page.waitForSelector('#login-view:not([hidden])');
  await logIn('lead1', 'lead-password-1');
  await page.waitForSelector('.group canvas');
  const leadUnits = await page.$$eval('#unit-picker option', (o) => o.map((x) => x.value));
  check(JSON.stringify(leadUnits) === JSON.stringify(['unit:HZ01']), 'the lead picks only its unit: ' + leadUnits.join(','));
  await page.screenshot({ path: path.join(artifacts, 'lead-overview.png'), fullPage: true });
  await page.click('#nav a[data-view=teams]');
  await ready('#/teams');
  const leadTeams = await page.$$eval('#teams-table tbody tr td:first-child', (c) => c.map((x) => x.textContent));
  check(JSON.stringify(leadTeams) === JSON.stringify(['杭州一组']), 'the lead sees only its team: ' + leadTeams.join(','));
  const other = await page.request.get(base + '/api/v1/teams?period=2026-10&scope=unit:SH01');
  check(other.status() === 403, 'another team is refused with 403: ' + other.status());
  await page.screenshot({ path: path.join(artifacts, 'lead-teams.png'), fullPage: true });

  // A page outside the lead's scope replaces the previous page with the
  // server's 403 message instead of leaving the team table on screen.
  for (const hash of ['#/unit/HZ02', '#/employee/E00008', '#/customer/C000001']) {
    await page.click('#nav a[data-view=teams]');
    await ready('#/teams');
    await page.evaluate((h) => { location.hash = h; }, hash);
    await page.waitForSelector('#load-error.page-error:not([hidden])');
    const views = await page.$$eval('main > section', (s) => s.filter((x) => !x.hidden).map((x) => x.id));
    check(views.length === 0, hash + ' leaves no view on screen: ' + views.join(','));
    const message = await page.textContent('#load-error');
    check(message === '该范围超出您的权限。', hash + ' shows the 403 message: ' + message);
  }
  await page.screenshot({ path: path.join(artifacts, 'lead-forbidden.png'), fullPage: true });

  // A rep gets its own results, no unit picker and no team view.
  await page.click('#logout');
  await page.waitForSelector('#login-view:not([hidden])');
  await logIn('rep1', 'rep-password-1');
  await page.waitForSelector('.group canvas');
  check(await page.$$eval('.group canvas', (c) => c.length) === 4, 'the rep sees its four result groups');
  check(await page.isHidden('#nav a[data-view=teams]'), 'the rep has no team view');
  check(await page.isHidden('#unit-picker'), 'the rep has no unit picker');
  check(await page.isHidden('#nav a[data-view=import]'), 'the rep has no import page');
  const colleague = await page.request.get(base + '/api/v1/employees/E00003');
  check(colleague.status() === 403, 'a colleague is refused with 403: ' + colleague.status());
  await page.screenshot({ path: path.join(artifacts, 'rep-overview.png'), fullPage: true });

  check(problems.length === 0, 'no script or CSP errors in the console' + (problems.length ? ': ' + problems.join(' | ') : ''));
} catch (error) {
  console.error(error);
  failures += 1;
} finally {
  if (context) {
    await context.close();
  }
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  fs.rmSync(work, { recursive: true, force: true });
  fs.rmSync(profile, { recursive: true, force: true });
}
if (failures) {
  console.error(serverLog.split('\n').slice(-20).join('\n'));
  console.error(failures + ' check(s) failed; screenshots in ' + artifacts);
  process.exit(1);
}
console.log('all checks passed; screenshots in ' + artifacts);
