// The console's router: the fragment names the page (#/datasets?tier=HOT, #/dataset/<key>), so every view can be
// linked and reloaded, and only the fragment changes (the API is never asked for a page of HTML).
import { errorBox, fill } from './dom.js';
import { token } from './api.js';
import * as overview from './pages/overview.js';
import * as datasets from './pages/datasets.js';
import * as dataset from './pages/dataset.js';
import * as migrations from './pages/migrations.js';
import * as alerts from './pages/alerts.js';
import * as actions from './pages/actions.js';
import * as whatif from './pages/whatif.js';

const PAGES = { overview, datasets, dataset, migrations, alerts, actions, whatif };
const main = document.getElementById('main');
let current = null;

/** What a page gets: where it draws, its parameters, and timers and requests that stop when it is left. */
class PageContext {
  constructor(params, rest) {
    this.params = params;
    this.rest = rest;
    this.controller = new AbortController();
    this.timers = [];
  }

  get signal() {
    return this.controller.signal;
  }

  get active() {
    return !this.controller.signal.aborted;
  }

  /** Runs task now and then every ms while the page is shown; a run still going is not overlapped. */
  every(ms, task) {
    let running = false;
    const run = async () => {
      if (running || !this.active) return;
      running = true;
      try {
        await task();
      } catch (e) {
        if (e.name !== 'AbortError') console.warn('refresh failed:', e.message);
      } finally {
        running = false;
      }
    };
    this.timers.push(setInterval(run, ms));
    return run();
  }

  close() {
    this.controller.abort();
    this.timers.forEach(clearInterval);
  }
}

export function navigate(page, params) {
  const query = new URLSearchParams(params || {}).toString();
  location.hash = '#/' + page + (query ? '?' + query : '');
}

async function route() {
  const hash = location.hash.replace(/^#\/?/, '') || 'overview';
  const [pathPart, query] = splitOnce(hash, '?');
  const [name, rest] = splitOnce(pathPart, '/');
  const page = PAGES[name] || overview;
  if (current) current.close();
  const context = new PageContext(new URLSearchParams(query || ''), rest ? decodeURIComponent(rest) : null);
  current = context;
  for (const link of document.querySelectorAll('#nav a')) {
    link.classList.toggle('active', link.dataset.page === (name === 'dataset' ? 'datasets' : name));
  }
  document.getElementById('session').textContent = token.present() ? 'write token set for this session' : '';
  fill(main);
  try {
    await page.render(main, context);
  } catch (e) {
    if (e.name !== 'AbortError' && context.active) fill(main, errorBox(e));
  }
}

function splitOnce(text, separator) {
  const at = text.indexOf(separator);
  return at < 0 ? [text, null] : [text.slice(0, at), text.slice(at + 1)];
}

window.addEventListener('hashchange', route);
route();
