// Migrations in flight by phase, and the datasets whose last step failed, with the reason. The API has no retry of
// a step as such: Retry asks for the dataset to be re-optimised, which issues a fresh migration if it still must move.
import { get, send, withQuery } from '../api.js';
import { datasetLink, errorBox, fill, h, table, when } from '../dom.js';

const REFRESH_MS = 5000;
const STATUSES = [['', 'in flight or failed'], ['ISSUED', 'issued'], ['QUEUED', 'queued'], ['COPYING', 'copying'],
  ['VERIFYING', 'verifying'], ['SWITCHING', 'switching'], ['FAILED', 'failed']];
const PAGE = 100;

export async function render(root, page) {
  const status = page.params.get('status') || '';
  const cursor = page.params.get('cursor') || '';
  const counts = h('div', { class: 'cards', id: 'migration-counts' });
  const filter = h('select', { id: 'migration-status', onchange: () => {
    location.hash = '#/migrations' + (filter.value ? '?status=' + encodeURIComponent(filter.value) : '');
  } }, STATUSES.map(([value, text]) => h('option', { value, selected: value === status }, text)));
  const list = h('div', { id: 'migration-list' }, h('p', { class: 'muted' }, 'Loading…'));
  const result = h('p', { id: 'migration-action-result' });
  fill(root, h('h1', null, 'Migrations'), counts, h('p', null, h('label', null, 'Show ', filter)), result, list);

  async function retry(key) {
    try {
      await send('POST', '/control/reoptimize', { keys: [key] });
      fill(result, h('span', { class: 'ok' }, 'Re-optimisation of ', key, ' requested.'));
    } catch (e) {
      fill(result, errorBox(e));
    }
  }

  await page.every(REFRESH_MS, async () => {
    try {
      const [stats, body] = await Promise.all([get('/stats', page.signal),
        get(withQuery('/migrations', { status, cursor, limit: PAGE }), page.signal)]);
      const backlog = stats.totals.migrations || {};
      fill(counts, STATUSES.slice(1).map(([phase, text]) => h('div', { class: 'card' },
        h('div', { class: 'label' }, text), h('div', { class: 'value' }, backlog[phase] || 0))));
      fill(list, table([
        { label: 'Dataset', value: m => datasetLink(m.key) },
        { label: 'Phase', value: m => m.phase },
        { label: 'Step', value: m => m.command ? [m.command.action, ' ', m.command.sourceSite, ' → ',
          m.command.destinationSite] : '–' },
        { label: 'Issued', value: m => m.command ? when(m.command.issuedAt) : '–' },
        { label: 'Last failure', value: m => m.lastFailure || '' },
        { label: '', value: m => m.phase === 'FAILED'
          ? h('button', { onclick: () => retry(m.key), 'data-key': m.key }, 'Retry (re-optimise)') : '' },
      ], body.items, { empty: 'no migration here', id: 'migrations-table' }),
      body.nextCursor ? h('p', null, h('a', { href: '#/migrations?' + new URLSearchParams(
        { status, cursor: body.nextCursor }) }, 'Next page')) : null);
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      fill(list, errorBox(e));
    }
  });
}
