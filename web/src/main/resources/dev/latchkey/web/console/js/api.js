// The management API, as the console calls it. The console's pages live at <mount>/, the API at
// <mount>/api/v1/, so every URL here is relative to the page: the console works wherever it is mounted.
//
// Token values: the only responses that carry one are the 201s of issue and rotate. This module hands
// them to the caller and keeps no copy; nothing here writes to storage, the URL or the console.

const BASE = new URL('api/v1/', document.baseURI);

let sessionPromise = null;

/** A problem (RFC 9457) answered by the API. */
export class ApiError extends Error {
  constructor(status, problem) {
    const detail = problem && typeof problem.detail === 'string' ? problem.detail : `HTTP ${status}`;
    super(detail);
    this.status = status;
    this.type = problem && problem.type ? problem.type : '';
    this.title = problem && problem.title ? problem.title : `HTTP ${status}`;
  }

  /** The problem type's short name, e.g. "version-mismatch". */
  get kind() {
    return this.type.startsWith('urn:latchkey:problem:') ? this.type.slice('urn:latchkey:problem:'.length) : '';
  }
}

/** Who is signed in, and the CSRF token for this session (read once per page). */
export function currentSession() {
  if (!sessionPromise) {
    sessionPromise = request('GET', 'session');
  }
  return sessionPromise;
}

/**
 * One API call. `ifMatch` is an entity version (the number in its ETag): the server then changes
 * nothing unless the entity is still at that version.
 */
export async function request(method, path, body, { ifMatch } = {}) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET') {
    const session = await currentSession();
    if (session.csrfToken) {
      headers['X-CSRF-Token'] = session.csrfToken;
    }
  }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  if (ifMatch !== undefined && ifMatch !== null) {
    headers['If-Match'] = `"${ifMatch}"`;
  }
  const response = await fetch(new URL(path, BASE), {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    cache: 'no-store',
    redirect: 'error',
  });
  if (response.status === 204) {
    return null;
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch (e) {
    data = null;
  }
  if (!response.ok) {
    throw new ApiError(response.status, data);
  }
  return data;
}

export const get = (path) => request('GET', path);
export const post = (path, body, options) => request('POST', path, body, options);
export const patch = (path, body, options) => request('PATCH', path, body, options);
export const del = (path, options) => request('DELETE', path, undefined, options);

/** Every item of a listing, following its cursors (at most `maxPages` pages of 100). */
export async function listAll(path, maxPages = 20) {
  const items = [];
  let cursor = null;
  for (let page = 0; page < maxPages; page++) {
    const separator = path.includes('?') ? '&' : '?';
    const url = cursor ? `${path}${separator}cursor=${encodeURIComponent(cursor)}` : path;
    const result = await get(url);
    items.push(...result.items);
    if (!result.nextCursor) {
      return items;
    }
    cursor = result.nextCursor;
  }
  return items;
}

// Paths. Identifiers are [A-Za-z_][A-Za-z0-9_]*, so they need no escaping; encodeURIComponent is a guard.
const seg = (id) => encodeURIComponent(id);
export const userPath = (account, id) => `accounts/${seg(account)}/users/${seg(id)}`;
export const serviceAccountPath = (account, id) => `accounts/${seg(account)}/service-accounts/${seg(id)}`;
export const keyPath = (owner, key) => `${owner}/api-keys/${seg(key)}`;
export const tokenPath = (owner, key, token) => `${keyPath(owner, key)}/tokens/${seg(token)}`;
