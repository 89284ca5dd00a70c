// The dataset table: filters, order and paging are all the API's (server side, over every node), so a page costs
// the same at 100 datasets or 100 000. The fragment holds the filters, so a filtered view can be linked.
import { get, withQuery } from '../api.js';
import { bytes, datasetLink, errorBox, fill, h, number, table, tier } from '../dom.js';

const FILTERS = ['tier', 'site', 'prefix', 'owner', 'sort', 'order', 'limit'];
const SORTS = [['key', 'key'], ['sizeBytes', 'size'], ['heat', 'heat'], ['count24h', 'accesses (24 h)'],
  ['tier', 'tier']];

export async function render(root, page) {
  const params = Object.fromEntries(FILTERS.map(name => [name, page.params.get(name) || '']));
  // The cursors of the pages before this one, so Previous needs no request of its own.
  const cursors = parseBack(page.params.get('back'));
  const cursor = page.params.get('cursor') || '';
  let siteNames = [];
  try {
    siteNames = (await get('/sites', page.signal)).items.map(s => s.name);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
  }
  const form = h('form', { class: 'filters', id: 'dataset-filters' },
    label('Tier', select('tier', [['', 'any'], ['HOT', 'HOT'], ['WARM', 'WARM'], ['COLD', 'COLD']], params.tier)),
    label('Site', select('site', [['', 'any'], ...siteNames.map(n => [n, n])], params.site)),
    label('Key prefix', h('input', { name: 'prefix', value: params.prefix, placeholder: 'logs/2026/' })),
    label('Owner', h('input', { name: 'owner', value: params.owner })),
    label('Sort by', select('sort', SORTS, params.sort || 'key')),
    label('Order', select('order', [['asc', 'ascending'], ['desc', 'descending']], params.order || 'asc')),
    label('Per page', select('limit', [['25', '25'], ['50', '50'], ['100', '100'], ['200', '200']],
      params.limit || '50')),
    h('button', { type: 'submit', class: 'primary' }, 'Apply'));
  form.addEventListener('submit', event => {
    event.preventDefault();
    const data = new FormData(form);
    go(Object.fromEntries(FILTERS.map(name => [name, data.get(name) || ''])));
  });
  const results = h('div', { id: 'dataset-results' }, h('p', { class: 'muted' }, 'Loading…'));
  fill(root, h('h1', null, 'Datasets'), form, results);

  let body;
  try {
    body = await get(withQuery('/datasets', { ...params, limit: params.limit || '50', cursor }), page.signal);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    fill(results, errorBox(e));
    return;
  }
  const pager = h('div', { class: 'pager' },
    h('button', { disabled: cursors.length === 0 && !cursor, onclick: () => go(params) }, 'First'),
    h('button', { disabled: !cursor, id: 'previous-page', onclick: () => {
      const back = cursors.slice(0, -1);
      go(params, cursors[cursors.length - 1] || '', back);
    } }, 'Previous'),
    h('span', { class: 'muted' }, 'page ' + (cursors.length + (cursor ? 2 : 1))),
    h('button', { disabled: !body.nextCursor, id: 'next-page', onclick: () =>
      go(params, body.nextCursor, cursor ? [...cursors, cursor] : cursors) }, 'Next'));
  fill(results, table([
    { label: 'Key', value: d => datasetLink(d.key) },
    { label: 'Tier', value: d => tier(d.tier) },
    { label: 'Size', value: d => bytes(d.sizeBytes), num: true },
    { label: 'Owner', value: d => d.owner || '–' },
    { label: 'Primary', value: d => d.primarySite || '–' },
    { label: 'Replicas', value: d => d.replicaSites.join(', ') || '–' },
    { label: 'Heat', value: d => number(d.heat), num: true },
    { label: '1 h', value: d => d.count1h, num: true },
    { label: '24 h', value: d => d.count24h, num: true },
    { label: 'Migration', value: d => d.migrationPhase || '' },
  ], body.items, { empty: 'no dataset matches these filters', id: 'datasets-table' }), pager);

  function go(filters, nextCursor, back) {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(filters)) if (value) query.set(name, value);
    if (nextCursor) query.set('cursor', nextCursor);
    if (back && back.length) query.set('back', JSON.stringify(back));
    location.hash = '#/datasets' + (query.toString() ? '?' + query : '');
  }
}

function parseBack(text) {
  try {
    const back = JSON.parse(text || '[]');
    return Array.isArray(back) ? back.filter(c => typeof c === 'string') : [];
  } catch (e) {
    return [];
  }
}

function label(text, control) {
  return h('label', null, text, control);
}

function select(name, options, selected) {
  return h('select', { name }, options.map(([value, text]) => h('option', { value, selected: value === selected }, text)));
}
