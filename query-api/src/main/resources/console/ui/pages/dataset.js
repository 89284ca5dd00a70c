// One dataset: where it should be and where it is, why (in words and in the numbers the decision used), its
// activity and its migration. Refreshed every few seconds, so a burst's promotion shows without a reload.
import { datasetPath, get, send } from '../api.js';
import { timeChart } from '../chart.js';
import { bytes, errorBox, fill, h, number, table, tier, usd, when } from '../dom.js';

const REFRESH_MS = 3000;
const ACTIVITY_POINTS = 300;

export async function render(root, page) {
  const key = page.rest;
  if (!key) {
    fill(root, errorBox('No dataset named: open one from the Datasets table.'));
    return;
  }
  const status = h('p', { class: 'muted', id: 'dataset-status' }, 'Loading…');
  const placement = h('div', { id: 'placement' });
  const explanation = h('div', { id: 'explanation' });
  const activity = h('div', { id: 'activity' });
  const chartBox = h('div');
  const migration = h('div', { id: 'migration' });
  const actionResult = h('p', { id: 'dataset-action-result' });
  fill(root, h('h1', null, 'Dataset ', h('span', { class: 'key', id: 'dataset-key' }, key)), status,
    h('div', { class: 'panel' }, h('h2', null, 'Desired and actual placement'), placement),
    h('div', { class: 'panel' }, h('h2', null, 'Why it is placed there'), explanation),
    h('div', { class: 'grid2' },
      h('div', { class: 'panel' }, h('h2', null, 'Activity'), activity, chartBox),
      h('div', { class: 'panel' }, h('h2', null, 'Migration'), migration)),
    h('div', { class: 'panel' }, h('h2', null, 'Act on it'),
      h('button', { id: 'burst-this', onclick: () => act(() => send('POST', '/control/burst',
        { keys: [key], eventsPerSecond: 50, durationSeconds: 60 }), 'burst of 50 events/s for 60 s sent') },
        'Burst traffic (50/s for 60 s)'), ' ',
      h('button', { id: 'reoptimize-this', onclick: () => act(() => send('POST', '/control/reoptimize',
        { keys: [key] }), 're-optimisation requested') }, 'Re-optimise now'), actionResult));
  const draw = timeChart(chartBox, 'Since this page opened', ['heat', 'accesses in the last hour'], v => number(v, 1));
  const samples = [];

  async function act(request, done) {
    fill(actionResult, 'sending…');
    try {
      await request();
      fill(actionResult, h('span', { class: 'ok' }, done + '; this page updates as the dataset changes.'));
    } catch (e) {
      fill(actionResult, errorBox(e));
    }
  }

  await page.every(REFRESH_MS, async () => {
    let dataset;
    let explained;
    try {
      [dataset, explained] = await Promise.all([get(datasetPath(key), page.signal),
        get(datasetPath(key) + '/explain', page.signal)]);
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      fill(status, errorBox(e));
      return;
    }
    fill(status, inventoryLine(dataset), ' · updated ' + new Date().toLocaleTimeString() + ' · answered by ',
      dataset.instance);
    fill(placement, placementTable(dataset));
    fill(explanation, explain(explained.decision, explained.reason));
    fill(activity, activityTable(dataset.activity));
    samples.push([Math.round(Date.now() / 1000), dataset.activity.heat, dataset.activity.count1h]);
    if (samples.length > ACTIVITY_POINTS) samples.shift();
    draw(samples);
    fill(migration, migrationPanel(dataset));
  });
}

function inventoryLine(d) {
  const inv = d.inventory;
  if (!inv) return 'Only access events seen so far: no inventory entry yet.';
  return ['Owner ', inv.owner, ' · ', bytes(inv.sizeBytes), ' · ', inv.contentType,
    inv.latencySlaMs != null ? ' · latency SLA ' + inv.latencySlaMs + ' ms' : ''];
}

function placementTable(d) {
  const desired = d.desired;
  const actual = d.actual;
  const rows = [
    ['Tier', desired ? tier(desired.tier) : '–', tier(d.tier)],
    ['Primary site', desired ? desired.primarySite : '–', actual.primarySite || '–'],
    ['Replica sites', desired ? desired.replicaSites.join(', ') || 'none' : '–', actual.replicaSites.join(', ') || 'none'],
    ['Storage class', desired ? desired.storageClass : '–', actual.storageClass || '–'],
  ];
  const copies = d.replication;
  if (copies) {
    rows.push(['Copies', copies.copiesWanted + ' (write quorum ' + copies.writeQuorum + ')',
      copies.copiesVerified + ' verified, ' + (copies.durable ? 'durable' : 'not durable yet')]);
  }
  const inPlace = desired && desired.primarySite === actual.primarySite && desired.storageClass === actual.storageClass
    && [...desired.replicaSites].sort().join() === [...actual.replicaSites].sort().join();
  return [table([{ label: '', value: r => r[0] }, { label: 'Desired', value: r => r[1] },
    { label: 'Actual', value: r => r[2] }], rows, { id: 'placement-table' }),
  h('p', { id: 'placement-state' }, !desired ? 'Not decided yet.' : inPlace ? 'In place.'
    : 'Moving: ' + (d.migration ? 'migration ' + d.migration.phase : 'waiting for the migration budget or cooldown') + '.'),
  copies && copies.repair ? h('p', { id: 'placement-repair' }, 'Repair: ' + copies.repair + '.') : null];
}

function explain(decision, reason) {
  if (!decision) return h('p', null, reason || 'Not evaluated yet.');
  const e = decision.explanation;
  const band = e.boostedHeat >= e.hotThreshold ? 'at or above the hot threshold'
    : e.boostedHeat >= e.warmThreshold ? 'between the warm and the hot threshold' : 'below the warm threshold';
  const chosen = decision.primarySite;
  const words = h('p', { id: 'explanation-words' },
    'Tier ', tier(decision.tier), ' because its boosted heat ', number(e.boostedHeat, 3), ' (heat ',
    number(e.heat, 3), ' plus the model\'s boost for a ', number(100 * e.pHotSoon, 1),
    ' % chance of being hot soon) is ', band, ' (warm ', number(e.warmThreshold), ', hot ', number(e.hotThreshold),
    '; hysteresis can keep a dataset in its tier a little longer). ',
    'Primary on ', chosen, ' in ', decision.storageClass, ', the placement with the lowest monthly objective, ',
    usd(decision.objectiveUsdPerMonth), ' (storage, expected egress and the amortised cost of moving). ',
    e.bindingConstraint ? ['A cheaper placement was ruled out by ', h('strong', { id: 'binding-constraint' },
      e.bindingConstraint), '.'] : 'No constraint ruled out a cheaper placement.');
  const facts = h('p', { class: 'muted' }, 'Model ', h('code', { id: 'model-version' }, e.modelVersion), ' · policy ',
    h('code', { id: 'policy-name' }, e.policyName), ' · decided ', when(decision.decidedAt));
  const scores = table([
    { label: 'Site', value: s => s.site },
    { label: 'Storage / month', value: s => usd(s.storageUsdPerMonth), num: true },
    { label: 'Egress / month', value: s => usd(s.egressUsdPerMonth), num: true },
    { label: 'Move (amortised)', value: s => usd(s.moveUsd), num: true },
    { label: 'Total', value: s => usd(s.storageUsdPerMonth + s.egressUsdPerMonth + s.moveUsd), num: true },
    { label: 'Feasible', value: s => s.feasible ? 'yes' : 'no: ' + (s.rejectedBecause || 'excluded') },
  ], e.siteScores, { id: 'site-scores', rowClass: s => s.site === chosen ? 'chosen' : null });
  return [words, globalPass(e.globalPass), facts, scores];
}

/** The global placement pass's pin, when one was in force: followed, or why not. */
function globalPass(pin) {
  if (!pin) return null;
  return h('p', { id: 'global-pass' }, 'The global pass ', h('code', null, pin.pass), ' pinned the primary to ',
    pin.site, ' until ', when(pin.expiresAtMs), pin.refusedBecause
      ? ['; not followed (', h('strong', null, pin.refusedBecause), '), the dataset\'s own choice stands.']
      : ['; followed (the dataset\'s own choice: ', pin.ownPrimary || 'none', ').']);
}

function activityTable(a) {
  const regions = Object.entries(a.regionDemandBytes || {}).map(([r, b]) => r + ' ' + bytes(b)).join(', ');
  return table([{ label: '', value: r => r[0] }, { label: '', value: r => r[1], num: true }], [
    ['Heat', number(a.heat, 3) + ' (at ' + when(a.heatAt) + ')'],
    ['Accesses, last hour', a.count1h],
    ['Accesses, last 24 h', a.count24h],
    ['Forecast, next hour', number(a.forecastHourlyRate, 1)],
    ['Events seen', a.totalEvents],
    ['Last access', when(a.lastAccess)],
    ['Demand by region', regions || '–'],
  ], { id: 'activity-table' });
}

function migrationPanel(d) {
  const parts = [];
  const m = d.migration;
  if (m) {
    const c = m.command;
    parts.push(h('p', { id: 'migration-in-flight' }, h('strong', null, c.action), ' ', c.sourceSite, ' → ',
      c.destinationSite, ' (', c.storageClass, '), phase ', h('strong', null, m.phase), ', issued ', when(c.issuedAt),
      c.reason ? ['. ', c.reason] : ''));
  } else {
    parts.push(h('p', null, 'No migration in flight.'));
  }
  if (d.lastFailure) parts.push(h('p', { class: 'error' }, 'Last step failed: ', d.lastFailure));
  parts.push(h('p', { class: 'muted' }, 'Last move ', when(d.lastMoveAt), ' · next evaluation ',
    when(d.nextEvaluationAt),
    '. The API keeps the step in flight and the last failure, not a full history of past moves.'));
  return parts;
}
