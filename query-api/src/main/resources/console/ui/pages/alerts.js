// The alerts by state, a page at a time in id order, with acknowledge; #/alerts?group=<id> pages through one group's
// members (&limit=<n> sets the page size). What an alert looks like is the alerts module's business. The fragment keeps the cursor and the cursors of
// the pages before it (back), so Previous needs no request of its own and a page can be linked to.
import * as alerts from '../alerts.js';
import { errorBox, fill, h } from '../dom.js';

const REFRESH_MS = 5000;
const STATES = [['FIRING', 'firing'], ['ACKNOWLEDGED', 'acknowledged'], ['RESOLVED', 'resolved'], ['', 'all']];

export async function render(root, page) {
  const state = page.params.has('state') ? page.params.get('state') : 'FIRING';
  const group = page.params.get('group');
  const cursor = page.params.get('cursor') || '';
  const back = parseBack(page.params.get('back'));
  // Page size: the module's unless the fragment names one (the API checks it).
  const limit = page.params.get('limit') || undefined;
  const result = h('p', { id: 'alert-action-result' });
  const list = h('div', { id: group ? 'member-list' : 'alert-list' }, h('p', { class: 'muted' }, 'Loading…'));

  async function acknowledge(alert) {
    try {
      await alerts.acknowledge(alert);
      fill(result, h('span', { class: 'ok' }, 'Acknowledged ', alerts.acknowledgedText(alert), '.'));
      await refresh();
    } catch (e) {
      fill(result, errorBox(e));
    }
  }

  // A page's answer, drawn with its pager; a failure shows in its place and the next refresh tries again.
  const show = (load, draw) => async () => {
    try {
      const body = await load();
      fill(list, draw(body), pager(body.nextCursor));
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      fill(list, errorBox(e));
    }
  };

  let refresh;
  if (group) {
    const heading = h('div');
    fill(root, h('h1', null, 'Alert group'), h('p', null, h('a', { href: link({ state, limit }) }, 'All alerts')),
      heading, result, list);
    refresh = show(() => alerts.members(group, cursor || null, page.signal, limit), body => {
      fill(heading, alerts.groupHeading(body.alert), body.alert.state === 'FIRING'
        ? h('p', null, h('button', { id: 'ack-group', 'data-alert': body.alert.id,
          onclick: () => acknowledge(body.alert) }, 'Acknowledge the whole group'))
        : null);
      return alerts.membersTable(body.items);
    });
  } else {
    const filter = h('select', { id: 'alert-state', onchange: () => {
      location.hash = link({ state: filter.value, limit });
    } }, STATES.map(([value, text]) => h('option', { value, selected: value === state }, text)));
    fill(root, h('h1', null, 'Alerts'), h('p', null, h('label', null, 'Show ', filter)), result, list);
    refresh = show(() => alerts.load(state || null, cursor || null, page.signal, limit),
      body => alerts.alertsTable(body.items, acknowledge, alert => {
        location.hash = link({ state, group: alert.id, limit });
      }));
  }

  function pager(nextCursor) {
    const here = { state, group, limit };
    return h('div', { class: 'pager' },
      h('button', { disabled: !cursor, onclick: () => { location.hash = link(here); } }, 'First'),
      h('button', { disabled: !cursor, id: 'previous-page', onclick: () => {
        location.hash = link({ ...here, cursor: back[back.length - 1], back: back.slice(0, -1) });
      } }, 'Previous'),
      h('span', { class: 'muted' }, 'page ' + (back.length + (cursor ? 2 : 1))),
      h('button', { disabled: !nextCursor, id: 'next-page', onclick: () => {
        location.hash = link({ ...here, cursor: nextCursor, back: cursor ? [...back, cursor] : back });
      } }, 'Next'));
  }

  await page.every(REFRESH_MS, refresh);
}

/** The fragment of an alerts view; state is kept even when empty (it means all). */
function link({ state, group, limit, cursor, back }) {
  const query = new URLSearchParams();
  query.set('state', state == null ? 'FIRING' : state);
  if (group) query.set('group', group);
  if (limit) query.set('limit', limit);
  if (cursor) query.set('cursor', cursor);
  if (back && back.length) query.set('back', JSON.stringify(back));
  return '#/alerts?' + query;
}

function parseBack(text) {
  try {
    const back = JSON.parse(text || '[]');
    return Array.isArray(back) ? back.filter(c => typeof c === 'string') : [];
  } catch (e) {
    return [];
  }
}
