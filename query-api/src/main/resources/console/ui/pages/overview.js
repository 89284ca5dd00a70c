// The estate at a glance, refreshed every few seconds: tier mix, sites, cost against the baseline, ingest, the
// migration backlog and the alerts firing.
import { get } from '../api.js';
import * as alerts from '../alerts.js';
import { timeChart } from '../chart.js';
import { bytes, card, errorBox, fill, h, number, table, tier, usd } from '../dom.js';

const REFRESH_MS = 5000;
const HISTORY_KEY = 'tierflow.costHistory';
// The cost ledger is a running total since the nodes started; the chart keeps this browser session's readings of it.
const HISTORY_POINTS = 720;
const TIERS = ['HOT', 'WARM', 'COLD', 'UNDECIDED'];
const PHASES = ['ISSUED', 'QUEUED', 'COPYING', 'VERIFYING', 'SWITCHING', 'COMPLETED', 'FAILED'];

export async function render(root, page) {
  const status = h('p', { class: 'muted', id: 'overview-status' }, 'Loading the estate…');
  const cards = h('div', { class: 'cards', id: 'overview-cards' });
  const sites = h('div');
  const chartBox = h('div', { id: 'savings-chart' });
  const backlog = h('div');
  const firing = h('div');
  fill(root, h('h1', null, 'Overview'), status, cards,
    h('h2', null, 'Accrued cost against the status quo (each dataset hot where it was registered)'), chartBox,
    h('div', { class: 'grid2' }, h('div', null, h('h2', null, 'Sites'), sites),
      h('div', null, h('h2', null, 'Migration backlog'), backlog)),
    h('h2', null, 'Active alerts'), firing);
  const draw = timeChart(chartBox, 'USD since start', ['actual', 'baseline', 'saved'], v => usd(v));
  let previous = null;

  await page.every(REFRESH_MS, async () => {
    let stats;
    try {
      stats = (await get('/stats', page.signal)).totals;
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      fill(status, errorBox(e));
      return;
    }
    const now = Date.now() / 1000;
    const ingest = stats.ingest || {};
    const rate = previous && now > previous.at ? (ingest.accessEvents - previous.events) / (now - previous.at) : null;
    previous = { at: now, events: ingest.accessEvents };
    fill(status, 'Updated ' + new Date().toLocaleTimeString() + ' · refreshes every ' + REFRESH_MS / 1000 + ' s');
    const cost = stats.cost || {};
    const tiers = stats.tiers || {};
    fill(cards,
      card('Datasets', number(stats.datasets || 0), 'card-datasets'),
      TIERS.filter(t => tiers[t]).map(t => card(t === 'UNDECIDED' ? 'Undecided' : t,
        [tiers[t].datasets + ' · ', bytes(tiers[t].bytes)], 'card-tier-' + t)),
      card('Saved vs baseline', [usd(cost.savingsUsd), ' (' + number(cost.savingsPercent || 0, 1) + ' %)'],
        'card-savings'),
      card('Ingest', rate == null ? 'measuring…' : number(Math.max(0, rate), 1) + ' events/s', 'card-ingest'),
      card('Consumer lag', number(ingest.lagRecords || 0) + ' records', 'card-lag'));
    fill(sites, siteTable(stats.sites || {}));
    fill(backlog, table([{ label: 'Phase', value: r => r[0] }, { label: 'Datasets', value: r => r[1], num: true }],
      PHASES.filter(p => (stats.migrations || {})[p]).map(p => [p, stats.migrations[p]]),
      { empty: 'no migration in flight or failed', id: 'backlog' }));
    draw(record(now, cost));
    try {
      fill(firing, alerts.summary(await alerts.firing(page.signal), 10),
        h('p', null, h('a', { href: '#/alerts' }, 'All alerts')));
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      fill(firing, errorBox(e));
    }
  });
}

function siteTable(sites) {
  const rows = Object.entries(sites).sort(([a], [b]) => a.localeCompare(b));
  return table([
    { label: 'Site', value: ([name]) => name },
    { label: 'Copies', value: ([, s]) => number(s.copies || 0), num: true },
    { label: 'Bytes', value: ([, s]) => bytes(s.bytes || 0), num: true },
    { label: 'By tier', value: ([, s]) => Object.entries(s.bytesByTier || {})
      .map(([t, b]) => h('span', null, tier(t), ' ', bytes(b), ' ')) },
    { label: 'Storage / month', value: ([, s]) => usd(s.monthlyStorageUsd), num: true },
    { label: 'Accrued', value: ([, s]) => usd((s.accrued || {}).totalUsd || 0), num: true },
  ], rows, { empty: 'no copies stored yet', id: 'sites-table' });
}

/** Adds a reading to this session's history and returns the history (bounded). */
function record(now, cost) {
  let history = [];
  try {
    history = JSON.parse(sessionStorage.getItem(HISTORY_KEY) || '[]');
  } catch (e) {
    history = [];
  }
  const actual = (cost.actual || {}).totalUsd || 0;
  const baseline = (cost.baseline || {}).totalUsd || 0;
  // A node restart starts the ledger again: an earlier, higher reading would draw a false drop.
  if (history.length && history[history.length - 1][2] > baseline) history = [];
  history.push([Math.round(now), actual, baseline, baseline - actual]);
  history = history.slice(-HISTORY_POINTS);
  sessionStorage.setItem(HISTORY_KEY, JSON.stringify(history));
  return history;
}
