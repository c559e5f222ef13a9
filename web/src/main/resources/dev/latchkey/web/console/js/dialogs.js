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
 * A form in a dialog. `fields`: {kind: 'text'|'textarea'|'tags'|'expiry'|'select'|'id', name, label,
 * value, hint, required, readonly, options, from}. `onSubmit(values)` runs the change; an error it
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

function readValues(fields, controls) {
  const values = {};
  for (const field of fields) {
    const control = controls[field.name];
    switch (field.kind) {
      case 'tags':
        values[field.name] = parseTags(control.value);
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
