// Everything the console knows about the shape of /alerts is in this module, so that when alerts become groups
// (one alert for many datasets of one cause) only this file changes. Today /alerts answers {items: [Alert]}, where an
// Alert has id, type, severity, state, subject, message, value, threshold, raisedAt, updatedAt, acknowledgedBy.
import { get, send, withQuery } from './api.js';
import { h, table, when } from './dom.js';

/** The alerts in a state (FIRING, ACKNOWLEDGED, RESOLVED; null: all), newest first. */
export async function load(state, signal) {
  const body = await get(withQuery('/alerts', { state }), signal);
  return body.items;
}

/** Acknowledges one alert (the API takes its id whole, slashes included). */
export function acknowledge(alert) {
  return send('POST', '/control/alerts/' + alert.id.split('/').map(encodeURIComponent).join('/') + '/ack');
}

/** A short list of alerts for the overview. */
export function summary(alerts, limit) {
  return table([
    { label: 'Severity', value: a => a.severity },
    { label: 'Type', value: a => a.type },
    { label: 'Subject', value: a => h('span', { class: 'key' }, a.subject) },
    { label: 'Message', value: a => a.message },
  ], alerts.slice(0, limit), { empty: 'no alert is firing', id: 'overview-alerts' });
}

/** Rows drawn at most: /alerts is not paged, and an alert storm must not freeze the page. */
const MAX_ROWS = 200;

/** The full table, with an Acknowledge button on firing alerts; onAck(alert) does the acknowledging. */
export function fullTable(alerts, onAck) {
  const note = alerts.length > MAX_ROWS
    ? h('p', { class: 'muted', id: 'alerts-capped' }, 'Showing the newest ', MAX_ROWS, ' of ', alerts.length, ' alerts.')
    : null;
  return [note, table([
    { label: 'State', value: a => a.state },
    { label: 'Severity', value: a => a.severity },
    { label: 'Type', value: a => a.type },
    { label: 'Subject', value: a => h('span', { class: 'key' }, a.subject) },
    { label: 'Message', value: a => a.message },
    { label: 'Raised', value: a => when(a.raisedAt) },
    { label: 'Updated', value: a => when(a.updatedAt) },
    { label: '', value: a => a.state === 'FIRING'
      ? h('button', { onclick: () => onAck(a), 'data-alert': a.id }, 'Acknowledge')
      : (a.acknowledgedBy ? 'by ' + a.acknowledgedBy : '') },
  ], alerts.slice(0, MAX_ROWS), { empty: 'no alerts', id: 'alerts-table' })];
}
