// Service Accounts (Account Settings > Access Control): list by scope, create, edit, disable or
// enable, delete. Selecting a service account opens its page with its API keys and tokens.
import * as api from './api.js';
import { confirmDialog, formDialog } from './dialogs.js';
import { explain, h, moreMenu, redraw, say, time } from './dom.js';

const status = document.getElementById('status');
const alert = document.getElementById('alert');
const root = document.getElementById('service-accounts');
const params = new URLSearchParams(window.location.search);
let account = null;
let scopeFilter = params.get('scope') || '';

const splitList = (text) => text.split(',').map((s) => s.trim()).filter(Boolean);

async function main() {
  let session;
  try {
    session = await api.currentSession();
  } catch (e) {
    say(alert, explain(e));
    root.replaceChildren();
    return;
  }
  document.getElementById('who').textContent = `Signed in as ${session.principal ? session.principal.name : session.actor}`;
  if (session.principal) {
    account = session.principal.account;
  } else {
    // The system actor belongs to no account: choose one.
    const accounts = await api.listAll('accounts').catch((e) => { say(alert, explain(e)); return []; });
    account = params.get('account') || (accounts[0] && accounts[0].id);
    root.before(h('div', { class: 'toolbar' }, h('label', {}, 'Account',
      h('select', { id: 'account', onchange: (event) => { account = event.target.value; reload(); } },
        accounts.map((a) => h('option', { value: a.id, selected: a.id === account }, `${a.name} (${a.id})`))))));
  }
  await reload();
}

function reload() {
  return redraw(root, draw);
}

async function draw() {
  if (!account) {
    root.replaceChildren(h('p', { class: 'empty' }, 'There is no account yet.'));
    return;
  }
  let all;
  try {
    all = await api.listAll(`accounts/${encodeURIComponent(account)}/service-accounts`);
  } catch (e) {
    root.replaceChildren();
    say(alert, e.status === 403
      ? 'You need the Account Admin role, or permission to manage service accounts, to see them.'
      : explain(e));
    return;
  }
  const scopes = [...new Set(all.map((sa) => sa.scope))].sort();
  if (scopeFilter && !scopes.includes(scopeFilter)) {
    scopeFilter = '';
  }
  const shown = scopeFilter ? all.filter((sa) => sa.scope === scopeFilter) : all;
  const filter = h('select', {
    id: 'scope-filter',
    onchange: (event) => { scopeFilter = event.target.value; reload(); },
  }, h('option', { value: '' }, 'All scopes'), scopes.map((s) => h('option', { value: s, selected: s === scopeFilter }, s)));
  const groups = [...new Set(shown.map((sa) => sa.scope))].sort().map((scope) => h('section', { class: 'scope-group' },
    h('h2', {}, `Scope: ${scope}`),
    h('ul', { class: 'cards', 'aria-label': `Service accounts at ${scope}` },
      shown.filter((sa) => sa.scope === scope).map(card))));
  root.replaceChildren(
    h('div', { class: 'toolbar' },
      h('button', { type: 'button', class: 'primary', id: 'new-service-account', onclick: create }, '+ Service Account'),
      h('label', { for: 'scope-filter' }, 'Scope'), filter),
    ...(all.length === 0 ? [h('p', { class: 'empty' }, 'No service accounts yet.')] : groups));
}

function pagePath(sa) {
  return `service-account.html?account=${encodeURIComponent(sa.account)}&id=${encodeURIComponent(sa.id)}`;
}

function card(sa) {
  const titleId = `sa-${sa.id}-title`;
  return h('li', { class: 'card service-account', 'data-service-account': sa.id, 'aria-labelledby': titleId },
    h('div', { class: 'card-head' },
      h('div', { class: 'titles' },
        h('h3', { id: titleId }, h('a', { href: pagePath(sa) }, sa.name)), ' ',
        h('span', { class: `badge ${sa.enabled ? 'active' : 'disabled'}`, 'data-status': sa.enabled ? 'enabled' : 'disabled' },
          sa.enabled ? 'Enabled' : 'Disabled'),
        h('div', { class: 'id' }, `Id: ${sa.id}`)),
      moreMenu(`More Options for service account ${sa.name}`, [
        { label: 'Edit', onSelect: () => edit(sa) },
        { label: sa.enabled ? 'Disable' : 'Enable', onSelect: () => toggle(sa) },
        { label: 'Delete', danger: true, onSelect: () => remove(sa) },
      ])),
    sa.description ? h('p', { class: 'desc' }, sa.description) : null,
    h('dl', { class: 'meta' },
      h('div', {}, h('dt', {}, 'Roles'), h('dd', {}, sa.roles.join(', ') || '—')),
      h('div', {}, h('dt', {}, 'Permissions'), h('dd', {}, sa.permissions.join(', ') || '—')),
      h('div', {}, h('dt', {}, 'Created'), h('dd', {}, time(sa.createdAt)))));
}

const path = (sa) => api.serviceAccountPath(sa.account, sa.id);

async function done(message) {
  say(alert, '');
  await reload();
  say(status, message);
}

async function create() {
  const sa = await formDialog({
    title: 'New Service Account',
    submitLabel: 'Save',
    fields: [
      { kind: 'text', name: 'name', label: 'Name', required: true },
      { kind: 'id', name: 'id', label: 'Id', from: 'name', required: true, hint: 'Letters, digits and _; unique in the account.' },
      { kind: 'textarea', name: 'description', label: 'Description (optional)' },
      { kind: 'text', name: 'org', label: 'Organization (optional)', hint: 'Leave empty for account scope.' },
      { kind: 'text', name: 'project', label: 'Project (optional)', hint: 'Needs an organization.' },
      { kind: 'text', name: 'roles', label: 'Roles (optional)', hint: 'Separated by commas.' },
      { kind: 'text', name: 'permissions', label: 'Permissions (optional)', hint: 'Separated by commas.' },
    ],
    onSubmit: (v) => {
      if (v.project && !v.org) {
        throw new Error('A project scope needs its organization.');
      }
      const scope = [account, v.org, v.project].filter(Boolean).join('/');
      return api.post(`accounts/${encodeURIComponent(account)}/service-accounts`, {
        id: v.id, name: v.name, description: v.description, scope,
        roles: splitList(v.roles), permissions: splitList(v.permissions),
      });
    },
  });
  if (sa) {
    await done(`Service account ${sa.name} created.`);
  }
}

async function edit(sa) {
  const edited = await formDialog({
    title: 'Edit Service Account',
    submitLabel: 'Save',
    fields: [
      { kind: 'text', name: 'name', label: 'Name', value: sa.name, required: true },
      { kind: 'id', name: 'id', label: 'Id', value: sa.id, readonly: true, hint: "The Id and the scope can't be edited." },
      { kind: 'textarea', name: 'description', label: 'Description (optional)', value: sa.description },
      { kind: 'text', name: 'roles', label: 'Roles (optional)', value: sa.roles.join(', '), hint: 'Separated by commas.' },
      { kind: 'text', name: 'permissions', label: 'Permissions (optional)', value: sa.permissions.join(', '), hint: 'Separated by commas.' },
    ],
    onSubmit: (v) => api.patch(path(sa), {
      name: v.name, description: v.description, roles: splitList(v.roles), permissions: splitList(v.permissions),
    }, { ifMatch: sa.version }),
  });
  if (edited) {
    await done(`Service account ${edited.name} saved.`);
  }
}

async function toggle(sa) {
  if (sa.enabled) {
    const ok = await confirmDialog({
      title: 'Disable Service Account',
      message: `Disable ${sa.name}? All its tokens stop working until it is enabled again.`,
      confirmLabel: 'Disable',
    });
    if (!ok) {
      return;
    }
  }
  try {
    const changed = await api.post(`${path(sa)}/${sa.enabled ? 'disable' : 'enable'}`, undefined, { ifMatch: sa.version });
    await done(`Service account ${changed.name} ${changed.enabled ? 'enabled' : 'disabled'}.`);
  } catch (e) {
    say(alert, explain(e));
  }
}

async function remove(sa) {
  const ok = await confirmDialog({
    title: 'Delete Service Account',
    message: `Delete ${sa.name} with all its API keys and tokens? This cannot be undone.`,
    confirmLabel: 'Delete',
  });
  if (!ok) {
    return;
  }
  try {
    await api.del(path(sa), { ifMatch: sa.version });
    await done(`Service account ${sa.name} deleted.`);
  } catch (e) {
    say(alert, explain(e));
  }
}

main();
