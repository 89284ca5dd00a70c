// The operator's writes. The token is asked for once per browser session and kept in sessionStorage (see api.js);
// the field is emptied as soon as it is taken, so it is never left in the page.
import { get, send, token } from '../api.js';
import { datasetLink, errorBox, fill, h, table } from '../dom.js';

export async function render(root, page) {
  const tokenPanel = h('div', { class: 'panel', id: 'token-panel' });
  const sites = h('div', { id: 'site-list' });
  const siteResult = h('div', { id: 'site-result' });
  const policyBox = h('div', { id: 'policy-editor' });
  fill(root, h('h1', null, 'Actions'), tokenPanel,
    h('div', { class: 'grid2' }, burstPanel(), reoptimizePanel()),
    h('div', { class: 'panel' }, h('h2', null, 'Sites'), sites, siteResult),
    h('div', { class: 'panel' }, h('h2', null, 'Policies'), policyBox));
  drawToken(tokenPanel);
  await Promise.all([drawSites(sites, siteResult, page), drawPolicies(policyBox, page)]);
}

function drawToken(panel) {
  if (token.present()) {
    fill(panel, h('p', { id: 'token-state' }, 'The write token is set for this browser session. ',
      h('button', { id: 'forget-token', onclick: () => { token.clear(); drawToken(panel); } }, 'Forget it')));
    return;
  }
  const input = h('input', { type: 'password', id: 'token-input', autocomplete: 'off', size: 40 });
  const form = h('form', { id: 'token-form' }, h('label', null, 'Write token (TIERFLOW_API_TOKEN of the nodes)', input),
    h('button', { type: 'submit', class: 'primary', id: 'token-save' }, 'Use for this session'));
  form.addEventListener('submit', event => {
    event.preventDefault();
    const value = input.value.trim();
    input.value = '';
    if (value) token.set(value);
    drawToken(panel);
  });
  fill(panel, h('h2', null, 'Write token'), h('p', { class: 'muted' }, 'Kept only in this tab\'s session storage, ',
    'sent only in the Authorization header of the writes below.'), form);
}

function burstPanel() {
  const keys = h('textarea', { name: 'keys', id: 'burst-keys', rows: 3, cols: 40, placeholder: 'one dataset key a line' });
  const rate = h('input', { name: 'eventsPerSecond', type: 'number', min: 1, value: 50, id: 'burst-rate' });
  const duration = h('input', { name: 'durationSeconds', type: 'number', min: 1, value: 60, id: 'burst-duration' });
  const result = h('div', { id: 'burst-result' });
  const form = h('form', { id: 'burst-form' }, h('label', null, 'Datasets', keys),
    h('label', null, 'Events per second', rate), h('label', null, 'Seconds', duration),
    h('button', { type: 'submit', class: 'primary', id: 'burst-submit' }, 'Send burst'), result);
  form.addEventListener('submit', event => {
    event.preventDefault();
    const chosen = lines(keys.value);
    // The API only publishes the command; the traffic generators following the control topic send the reads, so
    // the answer says who acts on it and links each dataset's page, where the promotion shows as it happens.
    perform(result, () => send('POST', '/control/burst', { keys: chosen,
      eventsPerSecond: Number(rate.value), durationSeconds: Number(duration.value) }),
    ['Burst sent: traffic generators following control (tierflow produce --follow-control, as tierflow local ',
      'runs it) add the reads. Watch ', h('ul', { id: 'burst-watch' },
        chosen.map(key => h('li', null, datasetLink(key))))]);
  });
  return h('div', { class: 'panel' }, h('h2', null, 'Burst traffic'), form);
}

function reoptimizePanel() {
  const keys = h('textarea', { id: 'reoptimize-keys', rows: 3, cols: 40, placeholder: 'empty: every dataset' });
  const result = h('div', { id: 'reoptimize-result' });
  const form = h('form', { id: 'reoptimize-form' }, h('label', null, 'Datasets', keys),
    h('button', { type: 'submit', class: 'primary', id: 'reoptimize-submit' }, 'Re-optimise'), result);
  form.addEventListener('submit', event => {
    event.preventDefault();
    const chosen = lines(keys.value);
    perform(result, () => send('POST', '/control/reoptimize', chosen.length ? { keys: chosen } : undefined),
      chosen.length ? 'Re-optimisation of ' + chosen.length + ' dataset(s) requested.'
        : 'Re-optimisation of every dataset requested.');
  });
  return h('div', { class: 'panel' }, h('h2', null, 'Re-optimise'), form);
}

async function drawSites(box, result, page) {
  let items;
  try {
    items = (await get('/sites', page.signal)).items;
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    fill(box, errorBox(e));
    return;
  }
  const mark = (site, up) => perform(result, async () => {
    await send('POST', '/control/sites/' + encodeURIComponent(site.name) + (up ? '/up' : '/down'));
    // The catalogue changes once the streams app has read the command: show it when it has.
    for (let tries = 0; tries < 20 && page.active; tries++) {
      await new Promise(resolve => setTimeout(resolve, 500));
      const now = (await get('/sites', page.signal)).items.find(s => s.name === site.name);
      if (now && now.up === up) break;
    }
    if (page.active) await drawSites(box, result, page);
  }, 'Site ' + site.name + ' marked ' + (up ? 'up' : 'down') + '.');
  fill(box, table([
    { label: 'Site', value: s => s.name },
    { label: 'Provider', value: s => s.provider },
    { label: 'Region', value: s => s.region },
    { label: 'p95 latency', value: s => s.p95LatencyMs + ' ms', num: true },
    { label: 'Encrypted', value: s => s.encrypted ? 'yes' : 'no' },
    { label: 'State', value: s => h('span', { 'data-site-state': s.name }, s.up ? 'up' : 'down') },
    { label: '', value: s => h('button', { 'data-site': s.name, onclick: () => mark(s, !s.up) },
      s.up ? 'Mark down' : 'Mark up') },
  ], items, { empty: 'no sites in the catalogue', id: 'sites-actions' }));
}

async function drawPolicies(box, page) {
  let policies;
  try {
    policies = (await get('/policies', page.signal)).items;
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    fill(box, errorBox(e));
    return;
  }
  if (policies.length === 0) {
    fill(box, h('p', { class: 'muted' }, 'No policy in the catalogue yet.'));
    return;
  }
  const chooser = h('select', { id: 'policy-name' }, policies.map(p => h('option', { value: p.name }, p.name)));
  const form = h('form', { id: 'policy-form' });
  chooser.addEventListener('change', () => policyForm(form, policies.find(p => p.name === chooser.value)));
  fill(box, table([
    { label: 'Policy', value: p => h('code', null, p.name) },
    { label: 'Applies to', value: p => h('span', { 'data-policy-scope': p.name }, appliesTo(p)) },
    { label: 'Budget share', value: p => p.budgetShare == null ? '—' : Math.round(p.budgetShare * 1000) / 10 + ' %' },
  ], policies, { id: 'policy-scopes' }),
  h('p', { class: 'muted' }, 'The most specific scope that matches a dataset wins: more conditions, then the longer ',
    'prefix, then owner over content type; default takes the rest.'),
  h('label', null, 'Policy ', chooser), form);
  policyForm(form, policies[0]);
}

/** A policy's scope in words: which datasets it decides. */
function appliesTo(policy) {
  if (policy.name === 'default') return 'every dataset no other scope matches';
  const scope = policy.scope;
  if (!scope) return 'no dataset (no scope)';
  const parts = [];
  if (scope.prefix != null) parts.push('keys under ' + scope.prefix);
  if (scope.owner != null) parts.push('owner ' + scope.owner);
  if (scope.contentType != null) parts.push('content type ' + scope.contentType);
  return parts.join(', ');
}

/** A field per policy setting; a rejection is shown next to the field it is about. */
function policyForm(form, policy) {
  const fields = Object.entries(policy).filter(([name]) => !['name', 'updatedAt', 'builtIn'].includes(name));
  const errors = {};
  const inputs = {};
  const general = h('div', { id: 'policy-result' });
  const controls = fields.map(([name, value]) => {
    errors[name] = h('span', { class: 'field-error', id: 'error-' + name, role: 'alert' });
    if (typeof value === 'boolean') {
      inputs[name] = h('input', { type: 'checkbox', name, checked: value });
    } else if (typeof value === 'object') {
      inputs[name] = h('input', { name, value: JSON.stringify(value), size: 30 });
    } else {
      inputs[name] = h('input', { name, value: String(value), inputmode: 'decimal', size: 14 });
      // JSON numbers beyond 2^53 reach the page rounded: say so rather than write back another value unasked.
      if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
        fill(errors[name], 'rounded by the browser: enter the value you mean before saving');
      }
    }
    return h('label', null, name, inputs[name], errors[name]);
  });
  fill(form, policy.builtIn ? h('p', { class: 'muted' }, 'No policy is published: the nodes follow their built-in ',
    'one, shown here. Saving publishes it.') : null, h('div', { class: 'policy-form' }, controls),
    h('p', null, h('button', { type: 'submit', class: 'primary', id: 'policy-save' }, 'Save policy ', policy.name)),
    general);
  form.onsubmit = async event => {
    event.preventDefault();
    Object.values(errors).forEach(e => fill(e));
    fields.filter(([name, value]) => Number.isInteger(value) && !Number.isSafeInteger(value)
      && Number(inputs[name].value) === value).forEach(([name]) =>
      fill(errors[name], 'rounded by the browser: enter the value you mean'));
    if (Object.values(errors).some(e => e.textContent)) return;
    fill(general);
    const body = {};
    for (const [name, value] of fields) {
      const input = inputs[name];
      if (typeof value === 'boolean') {
        body[name] = input.checked;
      } else if (typeof value === 'object') {
        try {
          body[name] = JSON.parse(input.value);
        } catch (e) {
          fill(errors[name], name + ' must be JSON, e.g. {"GET": 1.0}');
          return;
        }
      } else {
        const text = input.value.trim();
        // Anything not a number goes as it is typed, so the API names the field it cannot read.
        body[name] = text !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
      }
    }
    try {
      await send('PUT', '/policies/' + encodeURIComponent(policy.name), body);
      fill(general, h('span', { class: 'ok' }, 'Policy ', policy.name, ' saved; the nodes use it from their next decision.'));
    } catch (e) {
      if (e.field && errors[e.field]) fill(errors[e.field], e.message);
      else fill(general, errorBox(e));
    }
  };
}

async function perform(result, request, done) {
  fill(result, 'sending…');
  try {
    await request();
    fill(result, h('span', { class: 'ok' }, done));
  } catch (e) {
    fill(result, errorBox(e));
  }
}

function lines(text) {
  return text.split('\n').map(line => line.trim()).filter(Boolean);
}
