// Everything the console knows about the shape of /alerts is in this module (DESIGN.md, Query API: Alerts).
// /alerts answers {items: [Alert], nextCursor} in id order, one page at a time. An Alert has id, type, severity, state,
// subject (a group's cause, e.g. site=aws), message, value, threshold, raisedAt, updatedAt, acknowledgedBy, count and
// examples ([{subject, value, message}], a group's worst members, worst first). A group alert stands for many
// datasets of one cause: count is its members now (0 once it resolved; 1 for an alert of its own, whose examples are
// empty). /alerts/{id}/members answers {alert, items: [{subject, value, threshold, message, since}], nextCursor}.
import { get, send, withQuery } from './api.js';
import { datasetLink, h, number, table, when } from './dom.js';

/** Alerts per page on the Alerts page, members per page of a group. */
export const PAGE_SIZE = 50;
/** Pages of firing alerts the overview reads at most to count them (groups keep a storm to a handful). */
const OVERVIEW_PAGES = 10;
const OVERVIEW_PAGE_SIZE = 100;

/** A path naming an alert: its id whole, each segment encoded and the slashes kept (the routes take paths). */
function alertPath(id) {
  return '/alerts/' + id.split('/').map(encodeURIComponent).join('/');
}

/** One page of the alerts in a state (FIRING, ACKNOWLEDGED, RESOLVED; null: all) from cursor: {items, nextCursor}. */
export function load(state, cursor, signal, limit = PAGE_SIZE) {
  return get(withQuery('/alerts', { state, limit, cursor }), signal);
}

/** One page of a group's members from cursor: {alert, items, nextCursor}. */
export function members(id, cursor, signal, limit = PAGE_SIZE) {
  return get(withQuery(alertPath(id) + '/members', { limit, cursor }), signal);
}

/**
 * Every firing alert, for the overview (up to OVERVIEW_PAGES pages): {alerts, complete}, complete false when there
 * were more.
 */
export async function firing(signal) {
  const alerts = [];
  let cursor = null;
  for (let read = 0; read < OVERVIEW_PAGES; read++) {
    const body = await load('FIRING', cursor, signal, OVERVIEW_PAGE_SIZE);
    alerts.push(...body.items);
    cursor = body.nextCursor;
    if (!cursor) break;
  }
  return { alerts, complete: !cursor };
}

/** Whether an alert is a group (of datasets): a live group shows its worst members, a resolved one counts none. */
export function isGroup(alert) {
  return (alert.examples || []).length > 0 || alert.count === 0;
}

function plural(n, noun) {
  return n + ' ' + noun + (n === 1 ? '' : 's');
}

function subjects(alert) {
  return alert.count == null ? 1 : alert.count;
}

/** Acknowledges an alert; a group's id acknowledges every member of it. */
export function acknowledge(alert) {
  return send('POST', '/control' + alertPath(alert.id) + '/ack');
}

/** What was acknowledged, in words. */
export function acknowledgedText(alert) {
  return isGroup(alert) ? [alert.id, ' (', subjects(alert), ' datasets)'] : [alert.id];
}

function count(alert) {
  return h('span', { 'data-count': alert.id }, subjects(alert));
}

function cause(alert) {
  return isGroup(alert) ? alert.subject : h('span', { class: 'key' }, alert.subject);
}

/** The worst members of a group (dataset links with their messages), or an alert's own message. */
function worst(alert, limit) {
  if (!isGroup(alert)) return alert.message;
  if (alert.examples.length === 0) return h('span', { class: 'muted' }, 'no member left');
  return h('ul', { class: 'examples' }, alert.examples.slice(0, limit).map(e =>
    h('li', null, datasetLink(e.subject), ' ', h('span', { class: 'muted' }, e.message))));
}

/**
 * The overview's count of firing alerts and short table, from firing(): a group counts once as an alert and its
 * members as datasets, so a storm on a thousand datasets reads "1 alert firing: 1 group of 1000 datasets".
 */
export function summary(counted, limit) {
  const { alerts, complete } = counted;
  const groups = alerts.filter(isGroup);
  const members = groups.reduce((sum, a) => sum + subjects(a), 0);
  const own = alerts.length - groups.length;
  const line = h('p', { id: 'overview-alert-count' }, complete ? '' : 'at least ',
    plural(alerts.length, 'alert'), ' firing',
    groups.length ? [': ', plural(groups.length, 'group'), ' of ', plural(members, 'dataset')] : '',
    groups.length > 0 && own > 0 ? [', ', own, own === 1 ? ' alert of its own' : ' alerts of their own'] : '', '.');
  return [line, table([
    { label: 'Severity', value: a => a.severity },
    { label: 'Type', value: a => a.type },
    { label: 'Cause', value: cause },
    { label: 'Count', value: count, num: true },
    { label: 'Worst', value: a => worst(a, 1) },
  ], alerts.slice(0, limit), { empty: 'no alert is firing', id: 'overview-alerts' })];
}

/**
 * A page of alerts: type, cause, count, severity, state and the worst examples; Members opens a group
 * (onOpen(alert)), Acknowledge acknowledges a firing alert or a whole group (onAck(alert)).
 */
export function alertsTable(alerts, onAck, onOpen) {
  return table([
    { label: 'State', value: a => a.state },
    { label: 'Severity', value: a => a.severity },
    { label: 'Type', value: a => a.type },
    { label: 'Cause', value: cause },
    { label: 'Count', value: count, num: true },
    { label: 'Worst examples', value: a => worst(a, Infinity) },
    { label: 'Raised', value: a => when(a.raisedAt) },
    { label: 'Updated', value: a => when(a.updatedAt) },
    { label: '', value: a => [
      isGroup(a) ? h('button', { onclick: () => onOpen(a), 'data-members': a.id }, 'Members') : null,
      a.state === 'FIRING'
        ? h('button', { onclick: () => onAck(a), 'data-alert': a.id }, isGroup(a) ? 'Acknowledge group' : 'Acknowledge')
        : (a.acknowledgedBy ? 'by ' + a.acknowledgedBy : ''),
    ] },
  ], alerts, { empty: 'no alerts', id: 'alerts-table' });
}

/** A group's heading line, from its record as /alerts/{id}/members answers it. */
export function groupHeading(alert) {
  return h('p', { id: 'group-summary' }, alert.type, ' · ', alert.subject, ' · ', alert.severity, ' · ', alert.state,
    ' · ', count(alert), ' members', alert.acknowledgedBy ? ' · acknowledged by ' + alert.acknowledgedBy : '');
}

/** A page of a group's members. */
export function membersTable(items) {
  return table([
    { label: 'Dataset', value: m => datasetLink(m.subject) },
    { label: 'Value', value: m => number(m.value), num: true },
    { label: 'Threshold', value: m => number(m.threshold), num: true },
    { label: 'Message', value: m => m.message },
    { label: 'Since', value: m => when(m.since) },
  ], items, { empty: 'no members', id: 'members-table' });
}
