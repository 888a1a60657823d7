// Cairn page script: the login form, the session view and the language
// switch. Served as a separate file because the Content-Security-Policy
// allows no inline script. Texts of the page are in Chinese in the HTML;
// the English ones are below, chosen by the cairn_lang cookie, which the
// server also reads to answer API errors in the same language.
'use strict';

const english = {
  title: 'Dashboard',
  switch: '中文',
  login_heading: 'Log in',
  login_label: 'Login',
  password_label: 'Password',
  login_button: 'Log in',
  welcome: 'Welcome',
  account: 'Login',
  role: 'Role',
  scope: 'Scope',
  dashboard_pending: 'The dashboard is being built: key results and alerts will appear here.',
  logout: 'Log out',
};

// Role names of the API, as shown to people.
const roleLabels = {
  'zh-CN': { gm: '总经理', team_lead: '团队主管', hr: '人力资源', finance: '财务', rep: '销售代表' },
  en: { gm: 'General manager', team_lead: 'Team lead', hr: 'HR', finance: 'Finance', rep: 'Sales rep' },
};

let chinese = {};
let session = null;

function currentLanguage() {
  const match = document.cookie.match(/(?:^|;\s*)cairn_lang=([^;]*)/);
  return match && match[1] === 'en' ? 'en' : 'zh-CN';
}

function applyLanguage(lang) {
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll('[data-i18n]')) {
    const key = el.dataset.i18n;
    if (!(key in chinese)) {
      chinese[key] = el.textContent;
    }
    el.textContent = lang === 'en' ? english[key] : chinese[key];
  }
  if (session) {
    showRole(lang);
  }
}

function showRole(lang) {
  document.getElementById('who-role').textContent = roleLabels[lang][session.role] || session.role;
}

function show(view) {
  document.getElementById('login-view').hidden = view !== 'login';
  document.getElementById('home-view').hidden = view !== 'home';
}

function showSession(data) {
  session = data;
  document.getElementById('who-login').textContent = data.login;
  showRole(currentLanguage());
  document.getElementById('who-scope').textContent = data.scope;
  show('home');
}

async function loadSession() {
  const answer = await fetch('/api/v1/session', { credentials: 'same-origin' });
  if (answer.ok) {
    showSession(await answer.json());
  } else {
    show('login');
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
    showSession(await answer.json());
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
    headers: { 'X-CSRF-Token': session ? session.csrf : '' },
  });
  session = null;
  show('login');
}

document.addEventListener('DOMContentLoaded', () => {
  applyLanguage(currentLanguage());
  document.getElementById('lang-switch').addEventListener('click', () => {
    const next = currentLanguage() === 'en' ? 'zh-CN' : 'en';
    document.cookie = 'cairn_lang=' + next + '; Path=/; SameSite=Strict; Max-Age=31536000';
    applyLanguage(next);
  });
  document.getElementById('login-form').addEventListener('submit', logIn);
  document.getElementById('logout').addEventListener('click', logOut);
  loadSession();
});
