// My API Keys: the signed-in user's personal keys, at account scope.
import * as api from './api.js';
import { explain, h, say } from './dom.js';
import { keysPanel } from './keys.js';

const status = document.getElementById('status');
const alert = document.getElementById('alert');
const root = document.getElementById('keys');

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
  const me = session.principal;
  if (!me || me.type !== 'user') {
    root.replaceChildren(h('p', { class: 'message note' },
      `You are signed in as ${session.actor}. Personal API keys belong to users; `,
      h('a', { href: 'service-accounts.html' }, 'manage service accounts'), ' instead.'));
    return;
  }
  await keysPanel(root, { owner: api.userPath(me.account, me.id), ownerLabel: me.name, status, alert });
}

main();
