// What-if comparisons will run here once the CLI's `tierflow whatif` exists; until then the page says how to get a
// trace in, which is what a comparison will replay.
import { fill, h } from '../dom.js';

export async function render(root) {
  fill(root, h('h1', null, 'What-if'),
    h('div', { class: 'panel', id: 'whatif-not-yet' },
      h('p', null, 'Comparing policies on a recorded trace is not available yet: it needs the ',
        h('code', null, 'tierflow whatif'), ' command, which does not exist so far. When it does, this page will ',
        'run a comparison and show its table and chart.'),
      h('p', null, 'What you can do today is turn a real access trace into datasets and access events with the CLI ',
        '(on topics of their own, whatif-<name>-…; on the live topics with --into-live-topics, where this console ',
        'shows their effect). From the repository:'),
      h('pre', null, 'scripts/tierflow import-trace --help\n',
        'scripts/tierflow import-trace --format s3-log --name mybucket logs/\n',
        'scripts/tierflow import-trace --format csv --name cdn --time-scale 7200 --columns time=...,key=...,size=... trace.csv'),
      h('p', null, 'The README\'s "Import a real trace" section lists the formats and options.')));
}
