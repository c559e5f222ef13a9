// The "API Keys" panel: one principal's keys, each with its tokens, and every action the product
// documentation describes for them: create a key, add a token (Generate Token, shown once), edit a
// key (not its Id), edit a token (not its Id or value), rotate a token, delete a token, and delete a
// key with all its tokens. Used by My API Keys (a user's own keys) and by a service account's page.

import * as api from './api.js';
import { PERIODS, confirmDialog, formDialog, tokenDialog } from './dialogs.js';
import { explain, h, moreMenu, redraw, say, tagList, time, timeZone } from './dom.js';

const GRACE_OPTIONS = [
  ['PT0S', 'None: the old token stops working at once'],
  ['PT1H', '1 hour'],
  ['PT24H', '24 hours'],
  ['P7D', '7 days'],
];

const STATUS_LABELS = { active: 'Active', expired: 'Expired', revoked: 'Revoked' };

/**
 * Shows the keys of `owner` (an API path such as accounts/acme/users/alice) in `root`.
 * `status` and `alert` are the page's live regions.
 */
export function keysPanel(root, { owner, ownerLabel, status, alert }) {
  const panel = { owner, ownerLabel, status, alert, root };
  panel.reload = () => redraw(root, () => render(panel));
  return panel.reload();
}

async function render(panel) {
  const { root, owner, ownerLabel } = panel;
  let keys;
  try {
    keys = await api.listAll(`${owner}/api-keys`);
  } catch (e) {
    say(panel.alert, explain(e));
    return;
  }
  const tokens = await Promise.all(keys.map((key) => api.listAll(`${api.keyPath(owner, key.id)}/tokens`).catch(() => [])));
  const list = h('ul', { class: 'cards', 'aria-label': `API keys of ${ownerLabel}` },
    keys.map((key, i) => keyCard(panel, key, tokens[i])));
  root.replaceChildren(
    h('div', { class: 'toolbar' },
      h('button', { type: 'button', class: 'primary', id: 'new-api-key', onclick: () => createKey(panel) }, '+ API Key')),
    keys.length === 0 ? h('p', { class: 'empty' }, 'No API keys yet. Select API Key to create one.') : list);
}

function keyCard(panel, key, tokens) {
  const titleId = `key-${key.id}-title`;
  return h('li', { class: 'card key', 'data-key': key.id, 'aria-labelledby': titleId },
    h('div', { class: 'card-head' },
      h('div', { class: 'titles' },
        h('h3', { id: titleId }, key.name),
        h('div', { class: 'id' }, `Id: ${key.id}`)),
      moreMenu(`More Options for API key ${key.name}`, [
        { label: 'Edit', onSelect: () => editKey(panel, key) },
        { label: 'Delete', danger: true, onSelect: () => deleteKey(panel, key, tokens) },
      ])),
    key.description ? h('p', { class: 'desc' }, key.description) : null,
    tagList(key.tags),
    h('dl', { class: 'meta' },
      h('div', {}, h('dt', {}, 'Created'), h('dd', {}, time(key.createdAt))),
      h('div', {}, h('dt', {}, 'Scope'), h('dd', {}, key.scope)),
      limitRows(key)),
    h('p', { class: 'tokens-title' }, `Tokens (${tokens.length})`),
    tokens.length === 0 ? h('p', { class: 'empty' }, 'No tokens yet.') : h('ul', { class: 'tokens', 'aria-label': `Tokens of ${key.name}` },
      tokens.map((token) => tokenRow(panel, key, token))),
    h('div', { class: 'toolbar' },
      h('button', { type: 'button', class: 'add-token', onclick: () => addToken(panel, key), 'aria-label': `Add a token to ${key.name}` }, '+ Token')));
}

function tokenRow(panel, key, token) {
  const titleId = `token-${key.id}-${token.id}-title`;
  return h('li', { class: 'token', 'data-token': token.id, 'aria-labelledby': titleId },
    h('div', { class: 'card-head' },
      h('div', { class: 'titles' },
        h('strong', { id: titleId }, token.name), ' ',
        h('span', { class: `badge ${token.status}`, 'data-status': token.status }, STATUS_LABELS[token.status] || token.status),
        h('div', { class: 'id' }, `Id: ${token.id}`)),
      moreMenu(`More Options for token ${token.name}`, [
        { label: 'Edit', onSelect: () => editToken(panel, key, token) },
        { label: 'Rotate Token', onSelect: () => rotateToken(panel, key, token) },
        { label: 'Delete', danger: true, onSelect: () => deleteToken(panel, key, token) },
      ])),
    token.description ? h('p', { class: 'desc' }, token.description) : null,
    tagList(token.tags),
    h('dl', { class: 'meta' },
      h('div', {}, h('dt', {}, 'Created'), h('dd', { 'data-field': 'created' }, time(token.createdAt))),
      h('div', {}, h('dt', {}, 'Expires'), h('dd', { 'data-field': 'expires' }, token.expiresAt ? time(token.expiresAt) : 'Never')),
      h('div', {}, h('dt', {}, 'Last used'), h('dd', { 'data-field': 'last-used' }, token.lastUsedAt ? time(token.lastUsedAt) : 'Never')),
      token.lastUsedFrom
        ? h('div', {}, h('dt', {}, 'Last used from'), h('dd', { 'data-field': 'last-used-from' }, token.lastUsedFrom))
        : null,
      token.previousValidUntil
        ? h('div', {}, h('dt', {}, 'Previous token works until'), h('dd', { 'data-field': 'grace' }, time(token.previousValidUntil)))
        : null,
      limitRows(token)));
}

const PER = Object.fromEntries(PERIODS);

/** "10 per second", "100 per minute, burst 150"; other periods in the text form ("5/10m"). */
function rateLimitText(limit) {
  const base = PER[limit.per] ? `${limit.requests} per ${PER[limit.per]}` : limit.text.split(',')[0];
  return limit.burst === limit.requests ? base : `${base}, burst ${limit.burst}`;
}

/** What a key or token is narrowed to, and its rate limit: only the parts that are set. */
function limitRows(item) {
  const r = item.restriction;
  const list = (names) => (names.length === 0 ? 'None' : names.join(', '));
  return [
    r && r.permissions ? h('div', {}, h('dt', {}, 'Only permissions'), h('dd', { 'data-field': 'permissions' }, list(r.permissions))) : null,
    r && r.roles ? h('div', {}, h('dt', {}, 'Only roles'), h('dd', { 'data-field': 'roles' }, list(r.roles))) : null,
    r && r.allowedAddresses.length > 0
      ? h('div', {}, h('dt', {}, 'Allowed from'), h('dd', { 'data-field': 'allowed-from' }, r.allowedAddresses.join(', ')))
      : null,
    item.rateLimit
      ? h('div', {}, h('dt', {}, 'Rate limit'), h('dd', { 'data-field': 'rate-limit' }, rateLimitText(item.rateLimit)))
      : null,
  ];
}

const RESTRICTION_HINT = 'Narrows what it carries; it can only name what the owner holds.';

/** Canonical text of a restriction or rate limit, to send an edit only when the form changed it. */
function same(a, b) {
  const canon = (v) => JSON.stringify(v, (k, x) => (Array.isArray(x) && k !== 'allowedAddresses' ? [...x].sort() : x));
  return canon(a === undefined ? null : a) === canon(b === undefined ? null : b);
}

function limitOf(current) {
  return current ? { requests: current.requests, per: current.per, burst: current.burst } : null;
}

/** The restriction and rate limit members of a PATCH: only what the form changed (null removes it). */
function limitEdits(v, item) {
  const edits = {};
  if (!same(v.restriction, item.restriction)) {
    edits.restriction = v.restriction;
  }
  if (!same(v.rateLimit, limitOf(item.rateLimit))) {
    edits.rateLimit = v.rateLimit;
  }
  return edits;
}

function expiration(date) {
  return date ? { date, timeZone: timeZone() } : undefined;
}

async function done(panel, message) {
  say(panel.alert, '');
  await panel.reload();
  say(panel.status, message);
}

// ---- keys

async function createKey(panel) {
  const key = await formDialog({
    title: 'API Key',
    submitLabel: 'Save',
    fields: [
      { kind: 'text', name: 'name', label: 'Name', required: true },
      { kind: 'id', name: 'id', label: 'Id', from: 'name', required: true, hint: 'Letters, digits and _; it cannot be changed later.' },
      { kind: 'textarea', name: 'description', label: 'Description (optional)' },
      { kind: 'tags', name: 'tags', label: 'Tags (optional)', hint: 'key:value pairs separated by commas; a key alone is fine.' },
      { kind: 'restriction', name: 'restriction', hint: `${RESTRICTION_HINT} It applies to every token of the key.` },
      { kind: 'rateLimit', name: 'rateLimit', label: 'Rate limit for all its tokens together (optional)' },
    ],
    onSubmit: (v) => api.post(`${panel.owner}/api-keys`, {
      id: v.id, name: v.name, description: v.description, tags: v.tags, restriction: v.restriction, rateLimit: v.rateLimit,
    }),
  });
  if (key) {
    await done(panel, `API key ${key.name} created. Select Token under it to add a token.`);
  }
}

async function editKey(panel, key) {
  const edited = await formDialog({
    title: 'Edit API Key',
    submitLabel: 'Save',
    fields: [
      { kind: 'text', name: 'name', label: 'Name', value: key.name, required: true },
      { kind: 'id', name: 'id', label: 'Id', value: key.id, readonly: true, hint: "The Id can't be edited." },
      { kind: 'textarea', name: 'description', label: 'Description (optional)', value: key.description },
      { kind: 'tags', name: 'tags', label: 'Tags (optional)', value: key.tags },
      { kind: 'restriction', name: 'restriction', value: key.restriction, hint: `${RESTRICTION_HINT} It applies to every token of the key.` },
      { kind: 'rateLimit', name: 'rateLimit', value: key.rateLimit, label: 'Rate limit for all its tokens together (optional)' },
    ],
    onSubmit: (v) => api.patch(api.keyPath(panel.owner, key.id),
      { name: v.name, description: v.description, tags: v.tags, ...limitEdits(v, key) }, { ifMatch: key.version }),
  });
  if (edited) {
    await done(panel, `API key ${edited.name} saved.`);
  }
}

async function deleteKey(panel, key, tokens) {
  const ok = await confirmDialog({
    title: 'Delete API Key',
    message: `Delete the API key ${key.name} and all its tokens (${tokens.length})? Applications using them stop working. This cannot be undone.`,
    confirmLabel: 'Delete',
  });
  if (!ok) {
    return;
  }
  try {
    await api.del(api.keyPath(panel.owner, key.id), { ifMatch: key.version });
    await done(panel, `API key ${key.name} deleted.`);
  } catch (e) {
    say(panel.alert, explain(e));
  }
}

// ---- tokens

async function addToken(panel, key) {
  const issued = await formDialog({
    title: `Token for ${key.name}`,
    submitLabel: 'Generate Token',
    fields: [
      { kind: 'text', name: 'name', label: 'Name', required: true },
      { kind: 'id', name: 'id', label: 'Id', from: 'name', required: true, hint: 'Letters, digits and _; it cannot be changed later.' },
      { kind: 'textarea', name: 'description', label: 'Description (optional)' },
      { kind: 'tags', name: 'tags', label: 'Tags (optional)', hint: 'key:value pairs separated by commas; a key alone is fine.' },
      { kind: 'expiry', name: 'expires', hint: 'Without a date the token expires after the default lifetime.' },
      { kind: 'restriction', name: 'restriction', hint: `${RESTRICTION_HINT} The key's own restriction applies too.` },
      { kind: 'rateLimit', name: 'rateLimit' },
    ],
    onSubmit: (v) => api.post(`${api.keyPath(panel.owner, key.id)}/tokens`, {
      id: v.id, name: v.name, description: v.description, tags: v.tags, expiration: expiration(v.expires),
      restriction: v.restriction, rateLimit: v.rateLimit,
    }),
  });
  if (issued) {
    await tokenDialog({ title: `Token ${issued.token.name} generated`, value: issued.value });
    await done(panel, `Token ${issued.token.name} generated.`);
  }
}

async function editToken(panel, key, token) {
  const edited = await formDialog({
    title: 'Edit Token',
    submitLabel: 'Save',
    fields: [
      { kind: 'text', name: 'name', label: 'Name', value: token.name, required: true },
      { kind: 'id', name: 'id', label: 'Id', value: token.id, readonly: true, hint: "The Id and the token's value can't be edited." },
      { kind: 'textarea', name: 'description', label: 'Description (optional)', value: token.description },
      { kind: 'tags', name: 'tags', label: 'Tags (optional)', value: token.tags },
      { kind: 'expiry', name: 'expires', value: token.expiresAt,
        hint: token.expiresAt ? 'Leave it unselected to keep the current expiration date.' : 'The token does not expire.' },
      { kind: 'restriction', name: 'restriction', value: token.restriction, hint: `${RESTRICTION_HINT} Narrowing takes effect at once.` },
      { kind: 'rateLimit', name: 'rateLimit', value: token.rateLimit },
    ],
    onSubmit: (v) => api.patch(api.tokenPath(panel.owner, key.id, token.id), {
      name: v.name, description: v.description, tags: v.tags, expiration: expiration(v.expires), ...limitEdits(v, token),
    }, { ifMatch: token.version }),
  });
  if (edited) {
    await done(panel, `Token ${edited.name} saved.`);
  }
}

async function rotateToken(panel, key, token) {
  const rotated = await formDialog({
    title: `Rotate Token ${token.name}`,
    submitLabel: 'Rotate Token',
    fields: [
      { kind: 'expiry', name: 'expires', hint: 'Without a new date the token keeps its expiration date.' },
      { kind: 'select', name: 'grace', label: 'Keep the old token working for', options: GRACE_OPTIONS, value: 'PT0S' },
    ],
    onSubmit: (v) => api.post(`${api.tokenPath(panel.owner, key.id, token.id)}/rotate`,
      { grace: v.grace, expiration: expiration(v.expires) }, { ifMatch: token.version }),
  });
  if (rotated) {
    await tokenDialog({ title: `Token ${rotated.token.name} rotated`, value: rotated.value });
    await done(panel, `Token ${rotated.token.name} rotated. Make sure you always use the new token.`);
  }
}

async function deleteToken(panel, key, token) {
  const ok = await confirmDialog({
    title: 'Delete Token',
    message: `Delete the token ${token.name}? Whoever uses it is refused from now on. This cannot be undone.`,
    confirmLabel: 'Delete',
  });
  if (!ok) {
    return;
  }
  try {
    await api.del(api.tokenPath(panel.owner, key.id, token.id), { ifMatch: token.version });
    await done(panel, `Token ${token.name} deleted.`);
  } catch (e) {
    say(panel.alert, explain(e));
  }
}
