// What-if: replay the recorded access events of a time range under the live policy, policies of the catalogue and a
// pasted one, then compare them with the baselines and the offline optimum (POST /whatif/runs, run by this node in
// the background). The run's id is kept in the fragment (#/whatif?run=<id>), so the result survives a reload.
import { ApiError, get, send } from '../api.js';
import { bytes, errorBox, fill, h, number, table, usd, when } from '../dom.js';
import { timeChart } from '../chart.js';

export async function render(root, page) {
  let about;
  try {
    about = await get('/whatif', page.signal, 0);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    // A node without a runner (its API started alone): what-ifs are not there; ConsoleBrowserIT looks for this id.
    fill(root, h('h1', null, 'What-if'), h('div', { class: 'panel', id: 'whatif-not-yet' }, errorBox(e),
      h('p', { class: 'muted' }, 'From the command line: ', h('code', null, 'scripts/tierflow whatif --help'))));
    return;
  }
  let policies = [];
  try {
    policies = (await get('/policies', page.signal)).items.filter(p => p.name !== 'default');
  } catch (e) {
    if (e.name === 'AbortError') throw e; // the live policy and a pasted one still work
  }
  const progress = h('div', { id: 'whatif-progress' });
  const result = h('div', { id: 'whatif-result' });
  fill(root, h('h1', null, 'What-if'),
    h('p', { class: 'muted' }, 'Replays the recorded access events of a time range through the tiering topology ',
      'under each policy chosen, with a simulated migrator, and prices them against the baselines and the offline ',
      'optimum. Nothing live is touched. At most ', String(about.maxEvents), ' events a run (the latest of the range).'),
    form(policies, page, progress, result), progress, result);
  const run = page.params.get('run') || about.latest;
  if (run) await follow(run, page, progress, result);
}

function form(policies, page, progress, result) {
  const errors = {};
  const error = name => (errors[name] = h('span', { class: 'field-error', id: 'whatif-error-' + name, role: 'alert' }));
  const live = h('input', { type: 'checkbox', id: 'whatif-live', checked: true });
  const stored = policies.map(p => ({ name: p.name, box: h('input', { type: 'checkbox', 'data-policy': p.name }) }));
  const pasted = h('textarea', { id: 'whatif-policy', rows: 6, cols: 60,
    placeholder: '{"name": "lazy", "hotThreshold": 500, ...} as PUT /policies/{name} takes it (optional)' });
  const now = new Date();
  const from = h('input', { id: 'whatif-from', size: 24, value: new Date(now - 86400000).toISOString() });
  const to = h('input', { id: 'whatif-to', size: 24, value: now.toISOString() });
  const general = h('div', { id: 'whatif-start-result' });
  const element = h('form', { id: 'whatif-form', class: 'panel' },
    h('h2', null, 'Policies'),
    h('label', { class: 'inline' }, live, ' the live policy (default)'),
    stored.map(s => h('label', { class: 'inline' }, s.box, ' ', h('code', null, s.name))),
    error('stored'),
    h('label', null, 'A policy to try, as JSON', pasted, error('policies')),
    h('h2', null, 'Recorded events'),
    h('div', { class: 'filters' }, h('label', null, 'From (UTC)', from, error('from')),
      h('label', null, 'To (UTC)', to, error('to'))),
    h('p', null, h('button', { type: 'submit', class: 'primary', id: 'whatif-run' }, 'Run comparison')), general);
  element.addEventListener('submit', async event => {
    event.preventDefault();
    Object.values(errors).forEach(e => fill(e));
    fill(general);
    const body = { live: live.checked, stored: stored.filter(s => s.box.checked).map(s => s.name), policies: [],
      from: from.value.trim(), to: to.value.trim() };
    if (pasted.value.trim()) {
      try {
        body.policies.push(JSON.parse(pasted.value));
      } catch (e) {
        fill(errors.policies, 'not JSON: ' + e.message);
        return;
      }
    }
    try {
      const started = await send('POST', '/whatif/runs', body);
      history.replaceState(null, '', '#/whatif?run=' + encodeURIComponent(started.id));
      await follow(started.id, page, progress, result);
    } catch (e) {
      if (e instanceof ApiError && e.field) {
        const key = e.field.startsWith('policies') ? 'policies' : e.field === 'live' ? 'stored' : e.field;
        if (errors[key]) {
          fill(errors[key], e.message);
          return;
        }
      }
      fill(general, errorBox(e));
    }
  });
  return element;
}

/** Shows a run's progress every second until it ends, then its table and chart. */
async function follow(id, page, progress, result) {
  fill(result);
  let done = false;
  await page.every(1000, async () => {
    if (done) return;
    let status;
    try {
      status = await get('/whatif/runs/' + encodeURIComponent(id), page.signal);
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      done = true;
      fill(progress, errorBox(e));
      return;
    }
    drawProgress(progress, status);
    if (status.state === 'RUNNING') return;
    done = true;
    if (status.state === 'SUCCEEDED') drawResult(result, status.result);
  });
}

function drawProgress(box, status) {
  const p = status.progress;
  const share = p.inputsExpected > 0 ? Math.min(1, p.inputsRead / p.inputsExpected) : null;
  fill(box, h('div', { class: 'panel' },
    h('p', null, 'Run ', h('code', null, status.id), ' started ', when(status.startedAt), ': ',
      h('strong', { id: 'whatif-state' }, status.state), ' — ', p.phase),
    status.state === 'RUNNING' ? h('p', null, h('progress', { max: 1, value: share == null ? null : share }), ' ',
      String(p.inputsRead), p.inputsExpected > 0 ? ' of about ' + p.inputsExpected : '', ' records read') : null,
    status.error ? errorBox(new Error(status.error)) : null));
}

const TIERS = ['HOT', 'WARM', 'COLD'];

function drawResult(box, result) {
  const chartBox = h('div', { id: 'whatif-chart' });
  const cost = name => r => usd(r.costUsd[name]);
  const count = value => value == null ? '–' : String(value);
  fill(box, h('div', { class: 'panel' },
    h('h2', null, 'Cost over ', when(result.from), ' – ', when(result.to)),
    h('p', { class: 'muted' }, result.source),
    result.note ? h('p', { class: 'muted', id: 'whatif-note' }, result.note) : null,
    table([
      { label: 'Policy', value: r => h('span', { 'data-row': r.name }, r.name) },
      { label: 'Kind', value: r => r.kind.toLowerCase() },
      { label: 'Total', value: r => usd(r.totalUsd), num: true },
      { label: 'Storage', value: cost('storage'), num: true },
      { label: 'Requests', value: cost('requests'), num: true },
      { label: 'Retrieval', value: cost('retrieval'), num: true },
      { label: 'Egress', value: cost('egress'), num: true },
      { label: 'Migration', value: cost('migration'), num: true },
      { label: 'Early deletion', value: cost('earlyDeletion'), num: true },
      { label: 'Monitoring', value: cost('monitoring'), num: true },
      ...TIERS.map(t => ({ label: 'GETs ' + t.toLowerCase(), num: true,
        value: r => r.getsByTier == null ? '–' : String(r.getsByTier[t] || 0) })),
      { label: 'SLA misses', value: r => count(r.slaMisses), num: true },
      { label: 'Moves', value: r => count(r.moves), num: true },
      { label: 'Bytes moved', value: r => r.bytesMoved == null ? '–' : bytes(r.bytesMoved), num: true },
      { label: '÷ optimum', value: r => r.costVsOptimum == null ? '–' : number(r.costVsOptimum, 3), num: true },
    ], result.rows, { id: 'whatif-table', empty: 'no rows' }),
    result.optimumUsd == null ? h('p', { class: 'muted' }, 'No site meets the SLA with a hot class, so there is no ',
      'baseline site: the baselines and the optimum are not priced.') : null,
    h('h2', null, 'Cumulative cost per policy'), chartBox));
  const lines = result.rows.filter(r => r.cumulative.length > 0);
  if (lines.length === 0) return;
  timeChart(chartBox, 'USD over event time', lines.map(r => r.name), v => usd(v))(aligned(lines));
}

/**
 * One point per time any line has a sample: each line's cumulative cost carried forward from its latest sample
 * (a running total), empty before its first.
 */
function aligned(lines) {
  const times = [...new Set(lines.flatMap(r => r.cumulative.map(s => s[0])))].sort((a, b) => a - b);
  const next = lines.map(() => 0);
  const last = lines.map(() => null);
  return times.map(t => [t / 1000, ...lines.map((r, i) => {
    while (next[i] < r.cumulative.length && r.cumulative[next[i]][0] <= t) last[i] = r.cumulative[next[i]++][1];
    return last[i];
  })]);
}
