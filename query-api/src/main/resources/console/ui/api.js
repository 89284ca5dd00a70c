// The one way the console talks to the API: JSON in, JSON out, every failure turned into a readable message.
// The write token lives in sessionStorage only (one browser tab session): it goes into an Authorization header,
// never into a URL, the page or the console log.

const TOKEN_KEY = 'tierflow.writeToken';

export class ApiError extends Error {
  constructor(status, message, field) {
    super(message);
    this.status = status;
    this.field = field || null;
  }
}

export const token = {
  present: () => !!sessionStorage.getItem(TOKEN_KEY),
  set: value => sessionStorage.setItem(TOKEN_KEY, value),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

/** A dataset's API path: its key's segments percent-encoded, the slashes kept (the route takes paths). */
export function datasetPath(key) {
  return '/datasets/' + key.split('/').map(encodeURIComponent).join('/');
}

/** A path with query parameters, leaving out the empty ones. */
export function withQuery(path, params) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params || {})) {
    if (value != null && value !== '') query.set(name, value);
  }
  const text = query.toString();
  return text ? path + '?' + text : path;
}

const REBALANCE_RETRIES = 3;

/**
 * A read. While a rebalance moves partitions the API answers 503 with Retry-After rather than a wrong or partial
 * answer; a read is tried again a few times before the page shows that. retries: 0 for a 503 that will not pass
 * (e.g. a node without a what-if runner).
 */
export async function get(path, signal, retries = REBALANCE_RETRIES) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await answer(() => fetch(path, { headers: { Accept: 'application/json' }, signal }));
    } catch (e) {
      if (e.status !== 503 || attempt >= retries) throw e;
      await pause(1000 * (e.retryAfter || 1), signal);
    }
  }
}

function pause(ms, signal) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    if (signal) signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new DOMException('left the page', 'AbortError'));
    }, { once: true });
  });
}

/** A write (POST/PUT) with the session's token; without one it fails before anything is sent. */
export async function send(method, path, body) {
  const secret = sessionStorage.getItem(TOKEN_KEY);
  if (!secret) throw new ApiError(401, 'Enter the write token on the Actions page first.');
  return answer(() => fetch(path, {
    method,
    headers: { Accept: 'application/json', 'Content-Type': 'application/json', Authorization: 'Bearer ' + secret },
    body: body === undefined ? '' : JSON.stringify(body),
  }));
}

async function answer(request) {
  let response;
  try {
    response = await request();
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'The console cannot reach the streams node (' + e.message + '). Is it running?');
  }
  const text = await response.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch (e) {
    // answered below: not JSON is an error of its own
  }
  if (!response.ok) {
    let message = body && body.message ? body.message : 'HTTP ' + response.status + ' ' + response.statusText;
    // A 503 with Retry-After passes (a rebalance, a restore); one without it does not (no what-if runner here).
    if (response.status === 503 && response.headers.get('Retry-After')) message += ' (the node is restoring or rebalancing: try again in a moment)';
    if (response.status === 401 || response.status === 403) message += ' (check the write token on the Actions page)';
    const error = new ApiError(response.status, message, body && body.field);
    error.retryAfter = Math.min(5, Number(response.headers.get('Retry-After')) || 1);
    throw error;
  }
  if (body === null) throw new ApiError(response.status, 'The node answered something that is not JSON.');
  return body;
}
