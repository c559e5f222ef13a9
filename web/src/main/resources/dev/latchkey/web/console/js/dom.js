// Small DOM helpers. Every text goes in as a text node: nothing from the API is ever parsed as HTML.

/** Creates an element: attributes (on* are listeners, `text` sets the text) and children. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'text') {
      element.textContent = value;
    } else if (name === 'class') {
      element.className = value;
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) {
      continue;
    }
    if (Array.isArray(child)) {
      append(element, child);
    } else {
      element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
}

let counter = 0;
/** A unique element id. */
export function uid(prefix) {
  counter += 1;
  return `${prefix}-${counter}`;
}

const TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A <time> for an ISO instant, shown in the browser's time zone; a dash when there is none. */
export function time(iso) {
  if (!iso) {
    return h('span', { class: 'none' }, '—');
  }
  return h('time', { datetime: iso }, TIME.format(new Date(iso)));
}

/** The browser's time zone, sent with a date so that "valid through 12/31/2026" means the user's day. */
export function timeZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch (e) {
    return 'UTC';
  }
}

/** A suggested identifier for a name: letters, digits and underscores, as the API requires. */
export function idFromName(name) {
  let id = name.trim().replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  if (/^[0-9]/.test(id)) {
    id = `_${id}`;
  }
  return id.slice(0, 128);
}

/** "env:prod, team:core, urgent" to {env: "prod", team: "core", urgent: ""}. */
export function parseTags(text) {
  const tags = {};
  for (const part of text.split(',')) {
    const item = part.trim();
    if (!item) {
      continue;
    }
    const colon = item.indexOf(':');
    const key = (colon < 0 ? item : item.slice(0, colon)).trim();
    const value = colon < 0 ? '' : item.slice(colon + 1).trim();
    if (!key) {
      throw new Error(`The tag "${item}" has no key; write key:value or just key.`);
    }
    if (Object.prototype.hasOwnProperty.call(tags, key)) {
      throw new Error(`The tag "${key}" is given twice.`);
    }
    tags[key] = value;
  }
  return tags;
}

export function formatTags(tags) {
  return Object.entries(tags || {}).map(([k, v]) => (v ? `${k}:${v}` : k)).join(', ');
}

export function tagList(tags) {
  const entries = Object.entries(tags || {});
  if (entries.length === 0) {
    return null;
  }
  return h('ul', { class: 'tags', 'aria-label': 'Tags' }, entries.map(([k, v]) => h('li', {}, v ? `${k}: ${v}` : k)));
}

/** Checks a date typed as mm/dd/yyyy (the product documentation's format); returns it or throws. */
export function checkUsDate(text) {
  const m = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(text);
  if (!m) {
    throw new Error('Enter the expiration date as mm/dd/yyyy, for example 12/31/2026.');
  }
  const [month, day, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw new Error(`${text.trim()} is not a date; use mm/dd/yyyy.`);
  }
  return `${String(month).padStart(2, '0')}/${String(day).padStart(2, '0')}/${year}`;
}

/**
 * The last day a token is valid, as mm/dd/yyyy in the browser's zone: expiry dates are "valid
 * through that day", so the token expires at the start of the next one.
 */
export function usDateOfExpiry(iso) {
  const last = new Date(new Date(iso).getTime() - 1);
  return `${String(last.getMonth() + 1).padStart(2, '0')}/${String(last.getDate()).padStart(2, '0')}/${last.getFullYear()}`;
}

/**
 * A "More Options" button (⋮) with a menu. Keyboard: Enter or Space opens it and focuses the first
 * item, the arrow keys move, Escape closes it and returns to the button; Tab leaves it.
 */
export function moreMenu(label, items) {
  const menuId = uid('menu');
  const button = h('button', {
    type: 'button', class: 'more', 'aria-haspopup': 'menu', 'aria-expanded': 'false', 'aria-controls': menuId,
    'aria-label': label, title: 'More Options',
  }, '⋮');
  const entries = items.map((item) => h('li', { role: 'none' },
    h('button', {
      type: 'button', role: 'menuitem', class: item.danger ? 'danger-text' : '', tabindex: '-1',
      onclick: () => { close(false); item.onSelect(); },
    }, item.label)));
  const menu = h('ul', { class: 'menu', role: 'menu', id: menuId, hidden: true, 'aria-label': label }, entries);
  const wrap = h('div', { class: 'menu-wrap' }, button, menu);
  const buttons = () => Array.from(menu.querySelectorAll('button'));

  function open() {
    menu.hidden = false;
    button.setAttribute('aria-expanded', 'true');
    buttons()[0].focus();
    document.addEventListener('pointerdown', outside, true);
  }
  function close(refocus) {
    menu.hidden = true;
    button.setAttribute('aria-expanded', 'false');
    document.removeEventListener('pointerdown', outside, true);
    if (refocus) {
      button.focus();
    }
  }
  function outside(event) {
    if (!wrap.contains(event.target)) {
      close(false);
    }
  }
  button.addEventListener('click', () => (menu.hidden ? open() : close(true)));
  menu.addEventListener('keydown', (event) => {
    const list = buttons();
    const index = list.indexOf(document.activeElement);
    if (event.key === 'Escape') {
      event.preventDefault();
      close(true);
    } else if (event.key === 'ArrowDown') {
      event.preventDefault();
      list[(index + 1) % list.length].focus();
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      list[(index - 1 + list.length) % list.length].focus();
    } else if (event.key === 'Tab') {
      close(false);
    }
  });
  return wrap;
}

/** Shows a message in a live region (role=status or role=alert), or clears it. */
export function say(region, text) {
  region.textContent = text || '';
}

/** A friendly sentence for an API error. */
export function explain(error) {
  if (error && error.kind === 'version-mismatch') {
    return 'Someone changed this since the page was loaded. Reload the page and try again.';
  }
  if (error && error.kind === 'unauthenticated') {
    return 'You are not signed in (any more). Sign in to the application and reload this page.';
  }
  return error && error.message ? error.message : String(error);
}

/**
 * Marks a list as being redrawn (aria-busy) and counts finished redraws on <body data-renders>: an
 * automated check (and assistive technology) can tell when the page shows the result of an action.
 */
export async function redraw(root, draw) {
  root.setAttribute('aria-busy', 'true');
  try {
    await draw();
  } finally {
    root.removeAttribute('aria-busy');
    document.body.dataset.renders = String(Number(document.body.dataset.renders || 0) + 1);
  }
}
