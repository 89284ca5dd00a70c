// Building the page from nodes, never from markup strings: every value goes in as a text node or an attribute,
// so a dataset key such as <img src=x onerror=...> shows as the text it is.

/** An element with attributes (on* ones become listeners) and children (nodes, or anything else as text). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value == null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'class') el.className = value;
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of [children].flat(Infinity)) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replaces an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** A table from column definitions {label, value(row) -> node|text, num?} and rows. */
export function table(columns, rows, options = {}) {
  const head = h('tr', null, columns.map(c => h('th', { class: c.num ? 'num' : null }, c.label)));
  const body = rows.map(row => h('tr', { class: options.rowClass ? options.rowClass(row) : null },
    columns.map(c => h('td', { class: c.num ? 'num' : null }, c.value(row)))));
  if (rows.length === 0) {
    body.push(h('tr', null, h('td', { colspan: columns.length, class: 'muted' }, options.empty || 'nothing')));
  }
  return h('table', { id: options.id }, h('thead', null, head), h('tbody', null, body));
}

export function card(label, value, id) {
  return h('div', { class: 'card', id }, h('div', { class: 'label' }, label), h('div', { class: 'value' }, value));
}

export function errorBox(error) {
  return h('p', { class: 'error', role: 'alert' }, error && error.message ? error.message : String(error));
}

export function tier(name) {
  return name ? h('span', { class: 'tier-' + name }, name) : h('span', { class: 'muted' }, 'undecided');
}

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

export function bytes(n) {
  if (n == null) return '–';
  let value = Number(n);
  let unit = 0;
  while (Math.abs(value) >= 1000 && unit < BYTE_UNITS.length - 1) { value /= 1000; unit++; }
  return (unit === 0 ? value : value.toFixed(value < 10 ? 2 : 1)) + ' ' + BYTE_UNITS[unit];
}

export function usd(n) {
  if (n == null) return '–';
  const value = Number(n);
  const abs = Math.abs(value);
  // A small estate accrues fractions of a cent: show their first digits rather than $0.0000.
  const text = abs === 0 ? '0.00' : abs >= 1 ? abs.toFixed(2) : abs >= 0.0001 ? abs.toFixed(4) : abs.toPrecision(2);
  return (value < 0 ? '−$' : '$') + text;
}

export function number(n, digits = 2) {
  if (n == null) return '–';
  return Number.isInteger(n) ? String(n) : Number(n).toFixed(digits);
}

export function when(iso) {
  if (!iso) return '–';
  const at = new Date(iso);
  return isNaN(at) ? String(iso) : at.toLocaleString();
}

/** The link to a dataset's page (the key is encoded into the fragment, never interpreted). */
export function datasetLink(key) {
  return h('a', { href: '#/dataset/' + encodeURIComponent(key), class: 'key' }, key);
}
