// Modal dialogs on the native <dialog> element: focus moves into the dialog, Escape closes it, and
// focus returns to where it was. Forms are handled in script (submission is always prevented, so the
// page never navigates and the CSP's form-action 'none' holds).

import { ApiError } from './api.js';
import { checkUsDate, explain, formatTags, h, idFromName, parseTags, uid, usDateOfExpiry } from './dom.js';

function openModal(dialog, onClose) {
  const before = document.activeElement;
  dialog.addEventListener('close', () => {
    onClose();
    dialog.remove();
    if (before && before.isConnected && typeof before.focus === 'function') {
      before.focus();
    }
  });
  document.body.append(dialog);
  dialog.showModal();
}

/**
 * A form in a dialog. `fields`: {kind: 'text'|'textarea'|'tags'|'expiry'|'select'|'id'|'restriction'|
 * 'rateLimit', name, label, value, hint, required, readonly, options, from}. `onSubmit(values)` runs the change; an error it
 * throws is shown in the dialog, which stays open. Resolves with onSubmit's result, or null if
 * cancelled.
 */
export function formDialog({ title, fields, submitLabel, onSubmit, className }) {
  return new Promise((resolve) => {
    const titleId = uid('dialog-title');
    const error = h('p', { class: 'message error', role: 'alert' });
    const controls = {};
    const rows = fields.map((field) => fieldRow(field, controls));
    const submit = h('button', { type: 'submit', class: 'primary' }, submitLabel);
    const cancel = h('button', { type: 'button', onclick: () => dialog.close() }, 'Cancel');
    const form = h('form', { novalidate: true },
      h('h2', { id: titleId }, title), rows, error, h('div', { class: 'actions' }, cancel, submit));
    const dialog = h('dialog', { 'aria-labelledby': titleId, class: className || '' }, form);
    let result = null;

    // An id field follows its name field until the user edits it.
    for (const field of fields) {
      if (field.kind === 'id' && field.from && !field.readonly) {
        const source = controls[field.from];
        const target = controls[field.name];
        let touched = Boolean(field.value);
        target.addEventListener('input', () => { touched = true; });
        source.addEventListener('input', () => {
          if (!touched) {
            target.value = idFromName(source.value);
          }
        });
      }
    }

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      error.textContent = '';
      let values;
      try {
        values = readValues(fields, controls);
      } catch (e) {
        error.textContent = e.message;
        return;
      }
      submit.disabled = true;
      try {
        result = await onSubmit(values);
        dialog.close();
      } catch (e) {
        error.textContent = e instanceof ApiError ? explain(e) : e.message;
      } finally {
        submit.disabled = false;
      }
    });
    openModal(dialog, () => resolve(result));
    const first = form.querySelector('input:not([readonly]):not([type=checkbox]), textarea, select');
    if (first) {
      first.focus();
    }
  });
}

function fieldRow(field, controls) {
  const id = uid(`field-${field.name}`);
  const hintId = field.hint ? uid('hint') : null;
  const hint = field.hint ? h('span', { class: 'hint', id: hintId }, field.hint) : null;
  switch (field.kind) {
    case 'textarea': {
      const control = h('textarea', { id, name: field.name, 'aria-describedby': hintId, maxlength: '1024' });
      control.value = field.value || '';
      controls[field.name] = control;
      return h('div', { class: 'field' }, h('label', { for: id }, field.label), control, hint);
    }
    case 'select': {
      const control = h('select', { id, name: field.name, 'aria-describedby': hintId },
        field.options.map(([value, label]) => h('option', { value, selected: value === field.value }, label)));
      controls[field.name] = control;
      return h('div', { class: 'field' }, h('label', { for: id }, field.label), control, hint);
    }
    case 'restriction':
      return restrictionRows(field, controls);
    case 'rateLimit':
      return rateLimitRows(field, controls);
    case 'expiry': {
      // "Select Set Expiration Date and enter an expiration date in mm/dd/yyyy format."
      const checkId = uid('set-expiry');
      const check = h('input', { type: 'checkbox', id: checkId, name: `${field.name}-set` });
      const dateHintId = uid('hint');
      const date = h('input', {
        type: 'text', id, name: field.name, inputmode: 'numeric', placeholder: 'mm/dd/yyyy', autocomplete: 'off',
        'aria-describedby': dateHintId,
      });
      if (field.value) {
        date.value = usDateOfExpiry(field.value);
      }
      const dateRow = h('div', { class: 'field', hidden: true },
        h('label', { for: id }, 'Expiration Date'), date,
        h('span', { class: 'hint', id: dateHintId }, 'mm/dd/yyyy; the token works through the end of that day.'));
      check.addEventListener('change', () => {
        dateRow.hidden = !check.checked;
        if (check.checked) {
          date.focus();
        }
      });
      controls[field.name] = { check, date, initial: date.value };
      return h('div', { class: 'field' },
        h('label', { class: 'check', for: checkId }, check, 'Set Expiration Date'), hint, dateRow);
    }
    default: {
      const control = h('input', {
        type: 'text', id, name: field.name, required: Boolean(field.required), readonly: Boolean(field.readonly),
        'aria-describedby': hintId, autocomplete: 'off', spellcheck: field.kind === 'id' ? 'false' : undefined,
        maxlength: field.kind === 'id' ? '128' : '256',
      });
      control.value = field.kind === 'tags' ? formatTags(field.value) : (field.value || '');
      controls[field.name] = control;
      return h('div', { class: 'field' }, h('label', { for: id }, field.label), control, hint);
    }
  }
}

/** A checkbox that shows a names input while checked: "Only some permissions" → "Permissions". */
function namesRow(kind, current) {
  const checkId = uid(`only-${kind}`);
  const id = uid(`field-${kind}`);
  const hintId = uid('hint');
  const check = h('input', { type: 'checkbox', id: checkId, name: `only-${kind}`, checked: Array.isArray(current) });
  const input = h('input', {
    type: 'text', id, name: kind, autocomplete: 'off', spellcheck: 'false', maxlength: '2048', 'aria-describedby': hintId,
  });
  input.value = Array.isArray(current) ? current.join(', ') : '';
  const label = kind === 'permissions' ? 'Permissions' : 'Roles';
  const row = h('div', { class: 'field', hidden: !Array.isArray(current) },
    h('label', { for: id }, label), input,
    h('span', { class: 'hint', id: hintId }, `Comma-separated; only the owner's own ${kind}. Empty: none at all.`));
  check.addEventListener('change', () => {
    row.hidden = !check.checked;
    if (check.checked) {
      input.focus();
    }
  });
  return { check, input, element: h('div', { class: 'field' },
    h('label', { class: 'check', for: checkId }, check, `Only some ${kind}`), row) };
}

/**
 * A key's or token's restriction: only some permissions, only some roles, only from some addresses.
 * Reads as null when nothing is restricted (the API's "no restriction").
 */
function restrictionRows(field, controls) {
  const current = field.value || null;
  const permissions = namesRow('permissions', current ? current.permissions : null);
  const roles = namesRow('roles', current ? current.roles : null);
  const id = uid('field-addresses');
  const hintId = uid('hint');
  const addresses = h('textarea', { id, name: 'allowedAddresses', 'aria-describedby': hintId, maxlength: '2048', spellcheck: 'false' });
  addresses.value = current ? current.allowedAddresses.join('\n') : '';
  controls[field.name] = { permissions, roles, addresses };
  return h('fieldset', { class: 'restriction' },
    h('legend', {}, field.label || 'Restriction (optional)'),
    field.hint ? h('p', { class: 'hint' }, field.hint) : null,
    permissions.element, roles.element,
    h('div', { class: 'field' }, h('label', { for: id }, 'Allowed addresses (optional)'), addresses,
      h('span', { class: 'hint', id: hintId },
        'IPv4 or IPv6 addresses or CIDR ranges such as 10.0.0.0/8, one per line or comma-separated (at most 16). Empty: from anywhere.')));
}

/** The periods a rate limit is entered in, and their words (the key and token cards use them too). */
export const PERIODS = [['PT1S', 'second'], ['PT1M', 'minute'], ['PT1H', 'hour'], ['PT24H', 'day']];

/** A rate limit: requests per period, with an optional burst. Reads as null when no requests are entered. */
function rateLimitRows(field, controls) {
  const current = field.value || null;
  const ids = { requests: uid('field-requests'), per: uid('field-per'), burst: uid('field-burst') };
  const hintId = uid('hint');
  const requests = h('input', { type: 'text', id: ids.requests, name: 'requests', inputmode: 'numeric', autocomplete: 'off',
    maxlength: '10', 'aria-describedby': hintId });
  const periods = PERIODS.some(([value]) => current && value === current.per) || !current
    ? PERIODS : [...PERIODS, [current.per, current.text]];
  const per = h('select', { id: ids.per, name: 'per' },
    periods.map(([value, label]) => h('option', { value, selected: current ? value === current.per : value === 'PT1S' }, label)));
  const burst = h('input', { type: 'text', id: ids.burst, name: 'burst', inputmode: 'numeric', autocomplete: 'off', maxlength: '10' });
  if (current) {
    requests.value = String(current.requests);
    burst.value = current.burst === current.requests ? '' : String(current.burst);
  }
  controls[field.name] = { requests, per, burst };
  return h('fieldset', { class: 'rate-limit' },
    h('legend', {}, field.label || 'Rate limit (optional)'),
    h('div', { class: 'inline' },
      h('div', { class: 'field' }, h('label', { for: ids.requests }, 'Requests'), requests),
      h('div', { class: 'field' }, h('label', { for: ids.per }, 'Per'), per),
      h('div', { class: 'field' }, h('label', { for: ids.burst }, 'Burst (optional)'), burst)),
    h('span', { class: 'hint', id: hintId },
      'Enforced on each server; the burst is how many may come at once (default: as many as the requests). Empty: no limit.'));
}

function names(text) {
  return text.split(',').map((n) => n.trim()).filter((n) => n);
}

function count(text, label) {
  const t = text.trim();
  if (!/^[0-9]{1,10}$/.test(t) || Number(t) < 1) {
    throw new Error(`${label} must be a whole number of at least 1.`);
  }
  return Number(t);
}

function readRestriction(control) {
  const permissions = control.permissions.check.checked ? names(control.permissions.input.value) : null;
  const roles = control.roles.check.checked ? names(control.roles.input.value) : null;
  const allowedAddresses = control.addresses.value.split(/[\s,]+/).filter((a) => a);
  if (permissions === null && roles === null && allowedAddresses.length === 0) {
    return null;
  }
  return { permissions, roles, allowedAddresses };
}

function readRateLimit(control) {
  if (!control.requests.value.trim()) {
    if (control.burst.value.trim()) {
      throw new Error('Enter the requests of the rate limit, or leave the burst empty too.');
    }
    return null;
  }
  const requests = count(control.requests.value, 'The rate limit\'s requests');
  const burst = control.burst.value.trim() ? count(control.burst.value, 'The burst') : requests;
  return { requests, per: control.per.value, burst };
}

function readValues(fields, controls) {
  const values = {};
  for (const field of fields) {
    const control = controls[field.name];
    switch (field.kind) {
      case 'tags':
        values[field.name] = parseTags(control.value);
        break;
      case 'restriction':
        values[field.name] = readRestriction(control);
        break;
      case 'rateLimit':
        values[field.name] = readRateLimit(control);
        break;
      case 'expiry':
        // null: not set (create: default lifetime; edit: unchanged). Unchanged dates are not resent.
        if (!control.check.checked) {
          values[field.name] = null;
        } else {
          const date = checkUsDate(control.date.value);
          const unchanged = Boolean(control.initial) && date === checkUsDate(control.initial);
          values[field.name] = unchanged ? null : date;
        }
        break;
      default:
        values[field.name] = control.value.trim();
        if (field.required && !values[field.name]) {
          throw new Error(`Enter a ${field.label.replace(/ \(.*\)$/, '')}.`);
        }
    }
  }
  return values;
}

/** Asks before something that cannot be undone. Resolves true if confirmed. */
export function confirmDialog({ title, message, confirmLabel }) {
  return new Promise((resolve) => {
    const titleId = uid('dialog-title');
    let confirmed = false;
    const yes = h('button', { type: 'button', class: 'danger', onclick: () => { confirmed = true; dialog.close(); } }, confirmLabel);
    const no = h('button', { type: 'button', onclick: () => dialog.close() }, 'Cancel');
    const dialog = h('dialog', { 'aria-labelledby': titleId, role: 'alertdialog' },
      h('div', { class: 'body' }, h('h2', { id: titleId }, title), h('p', {}, message), h('div', { class: 'actions' }, no, yes)));
    openModal(dialog, () => resolve(confirmed));
    no.focus();
  });
}

/**
 * Shows a newly generated token value, once. The value lives only in this dialog's <code> node: it
 * is not put in a form field (no autofill, no form restore), in storage or in the URL, and the node
 * is emptied and the dialog removed from the page when it closes.
 */
export function tokenDialog({ title, value }) {
  return new Promise((resolve) => {
    const titleId = uid('dialog-title');
    const valueId = uid('token-value');
    const secret = h('code', { class: 'secret', id: valueId, tabindex: '0', 'aria-label': 'Token value' }, value);
    const status = h('p', { role: 'status', class: 'copy-status' });
    const copy = h('button', {
      type: 'button', class: 'primary',
      onclick: async () => {
        try {
          await navigator.clipboard.writeText(secret.textContent);
          status.textContent = 'Copied to the clipboard.';
        } catch (e) {
          const range = document.createRange();
          range.selectNodeContents(secret);
          const selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
          status.textContent = 'The token is selected: press Ctrl+C (or ⌘C) to copy it.';
        }
      },
    }, 'Copy');
    const done = h('button', { type: 'button', onclick: () => dialog.close() }, 'Close');
    const dialog = h('dialog', { 'aria-labelledby': titleId, class: 'token-dialog' },
      h('div', { class: 'body' },
        h('h2', { id: titleId }, title),
        h('div', { class: 'warning', role: 'note' },
          h('p', {}, h('strong', {}, 'The token is only displayed once. '),
            'Store the token somewhere secure that you can access when you make API requests.'),
          h('p', {}, "Your API keys carry many privileges. Don't store them in publicly-accessible areas."),
          h('p', {}, 'After rotating tokens make sure you always use the new token.')),
        secret, status, h('div', { class: 'actions' }, copy, done)));
    openModal(dialog, () => {
      secret.textContent = '';
      status.textContent = '';
      const selection = window.getSelection();
      if (selection) {
        selection.removeAllRanges();
      }
      resolve();
    });
    copy.focus();
  });
}
