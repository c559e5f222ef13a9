// One service account: its details and, under API Keys, its keys and tokens.
import * as api from './api.js';
import { explain, h, say, time } from './dom.js';
import { keysPanel } from './keys.js';

const status = document.getElementById('status');
const alert = document.getElementById('alert');
const root = document.getElementById('keys');
const params = new URLSearchParams(window.location.search);

async function main() {
  const account = params.get('account');
  const id = params.get('id');
  try {
    const session = await api.currentSession();
    document.getElementById('who').textContent = `Signed in as ${session.principal ? session.principal.name : session.actor}`;
    if (!account || !id) {
      throw new Error('No service account was chosen; go back to Service Accounts.');
    }
    const sa = await api.get(api.serviceAccountPath(account, id));
    document.title = `${sa.name} · Service Accounts · Latchkey`;
    document.getElementById('title').textContent = sa.name;
    document.getElementById('details').replaceChildren(
      h('div', { class: 'id' }, `Id: ${sa.id}`),
      sa.description ? h('p', { class: 'desc' }, sa.description) : null,
      h('dl', { class: 'meta' },
        h('div', {}, h('dt', {}, 'Status'), h('dd', {}, h('span', { class: `badge ${sa.enabled ? 'active' : 'disabled'}` },
          sa.enabled ? 'Enabled' : 'Disabled'))),
        h('div', {}, h('dt', {}, 'Scope'), h('dd', {}, sa.scope)),
        h('div', {}, h('dt', {}, 'Roles'), h('dd', {}, sa.roles.join(', ') || '—')),
        h('div', {}, h('dt', {}, 'Permissions'), h('dd', {}, sa.permissions.join(', ') || '—')),
        h('div', {}, h('dt', {}, 'Created'), h('dd', {}, time(sa.createdAt)))));
    await keysPanel(root, { owner: api.serviceAccountPath(account, id), ownerLabel: sa.name, status, alert });
  } catch (e) {
    root.replaceChildren();
    say(alert, explain(e));
  }
}

main();
