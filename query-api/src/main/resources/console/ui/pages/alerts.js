// The alerts, newest first, with acknowledge. What an alert looks like is the alerts module's business.
import * as alerts from '../alerts.js';
import { errorBox, fill, h } from '../dom.js';

const REFRESH_MS = 5000;
const STATES = [['FIRING', 'firing'], ['ACKNOWLEDGED', 'acknowledged'], ['RESOLVED', 'resolved'], ['', 'all']];

export async function render(root, page) {
  const state = page.params.has('state') ? page.params.get('state') : 'FIRING';
  const filter = h('select', { id: 'alert-state', onchange: () => {
    location.hash = '#/alerts?state=' + encodeURIComponent(filter.value);
  } }, STATES.map(([value, text]) => h('option', { value, selected: value === state }, text)));
  const result = h('p', { id: 'alert-action-result' });
  const list = h('div', { id: 'alert-list' }, h('p', { class: 'muted' }, 'Loading…'));
  fill(root, h('h1', null, 'Alerts'), h('p', null, h('label', null, 'Show ', filter)), result, list);

  const refresh = async () => {
    try {
      fill(list, alerts.fullTable(await alerts.load(state || null, page.signal), acknowledge));
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      fill(list, errorBox(e));
    }
  };

  async function acknowledge(alert) {
    try {
      await alerts.acknowledge(alert);
      fill(result, h('span', { class: 'ok' }, 'Acknowledged ', alert.id, '.'));
      await refresh();
    } catch (e) {
      fill(result, errorBox(e));
    }
  }

  await page.every(REFRESH_MS, refresh);
}
