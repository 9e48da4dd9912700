/**
 * The inspection page (`GET /__emulator/`): one self-contained HTML document, no external assets, that
 * reads the control API. Values from the database and functions are inserted as text nodes, never as
 * HTML. The page's own strings are in English: its readers are the developers, not the learners.
 */
export const INSPECT_PAGE = /* html */ `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>CloudBase emulator</title>
<style>
  :root { --fg: #1f2328; --muted: #656d76; --line: #d0d7de; --bg2: #f6f8fa; --accent: #0969da; --bad: #cf222e; --ok: #1a7f37; --warn: #9a6700; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 13px/1.45 -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", sans-serif; color: var(--fg); }
  header { display: flex; gap: 16px; align-items: baseline; padding: 10px 16px; border-bottom: 1px solid var(--line); background: var(--bg2); position: sticky; top: 0; z-index: 1; }
  header h1 { font-size: 15px; margin: 0; }
  header nav a { margin-right: 12px; color: var(--accent); text-decoration: none; }
  header .meta { margin-left: auto; color: var(--muted); }
  section { padding: 12px 16px 20px; border-bottom: 1px solid var(--line); }
  h2 { font-size: 14px; margin: 0 0 8px; display: flex; gap: 10px; align-items: center; }
  button { font: inherit; padding: 2px 8px; border: 1px solid var(--line); background: #fff; border-radius: 4px; cursor: pointer; }
  button:disabled { opacity: .4; cursor: default; }
  input { font: inherit; padding: 2px 6px; border: 1px solid var(--line); border-radius: 4px; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; vertical-align: top; padding: 3px 8px; border-bottom: 1px solid var(--line); }
  th { background: var(--bg2); font-weight: 600; white-space: nowrap; }
  td { max-width: 420px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; }
  tr.clickable { cursor: pointer; }
  tr.clickable:hover, tr.selected { background: #ddf4ff; }
  pre { margin: 0; padding: 8px; background: var(--bg2); border: 1px solid var(--line); border-radius: 4px; overflow: auto; max-height: 480px; font-size: 12px; white-space: pre-wrap; word-break: break-all; }
  .split { display: grid; grid-template-columns: 240px 1fr; gap: 16px; }
  .split > div { min-width: 0; }
  .muted { color: var(--muted); }
  .bad { color: var(--bad); }
  .ok { color: var(--ok); }
  .warn { color: var(--warn); }
  .pager { display: flex; gap: 8px; align-items: center; margin: 6px 0; }
  .log-error { color: var(--bad); }
  .log-warn { color: var(--warn); }
</style>
</head>
<body>
<header>
  <h1>CloudBase emulator</h1>
  <nav>
    <a href="#collections">Collections</a><a href="#invocations">Invocations</a><a href="#pay">Pay ledger</a><a href="#outbox">Message outbox</a><a href="#storage">Storage</a><a href="#timers">Timers</a><a href="#faults">Faults</a>
  </nav>
  <span class="meta" id="meta">loading…</span>
</header>

<section id="collections">
  <h2>Collections <button id="collections-refresh">Refresh</button></h2>
  <div class="split">
    <div><table><thead><tr><th>name</th><th>documents</th></tr></thead><tbody id="collection-list"></tbody></table></div>
    <div>
      <div id="collection-title" class="muted">Pick a collection.</div>
      <div id="collection-rules" class="muted"></div>
      <div class="pager"><button id="docs-prev" disabled>‹ Prev</button><span id="docs-range" class="muted"></span><button id="docs-next" disabled>Next ›</button></div>
      <table><thead><tr><th>_id</th><th>document</th></tr></thead><tbody id="document-list"></tbody></table>
      <h2 style="margin-top:10px">Document</h2>
      <pre id="document-json" class="muted">Click a document to see its JSON (EJSON: dates as {"$date": …}).</pre>
    </div>
  </div>
</section>

<section id="invocations">
  <h2>Recent function invocations <button id="invocations-refresh">Refresh</button>
    <label class="muted"><input type="checkbox" id="invocations-auto"> auto-refresh</label>
    <input id="invocations-filter" placeholder="filter by function, openid or uid"></h2>
  <table><thead><tr><th>started</th><th>function</th><th>caller</th><th>start</th><th>duration</th><th>status</th><th>DB requests</th><th>logs</th><th>error</th></tr></thead>
  <tbody id="invocation-list"></tbody></table>
  <h2 style="margin-top:10px">Invocation</h2>
  <pre id="invocation-detail" class="muted">Click an invocation to see its logs and error.</pre>
</section>

<section id="pay"><h2>Pay sandbox ledger <button data-refresh="pay">Refresh</button></h2><div data-source="/__emulator/pay/ledger"></div></section>
<section id="outbox"><h2>Message outbox <button data-refresh="outbox">Refresh</button></h2><div data-source="/__emulator/openapi/outbox"></div></section>
<section id="storage"><h2>Storage files <button data-refresh="storage">Refresh</button></h2><div data-source="/__emulator/storage/files"></div></section>
<section id="timers"><h2>Timers <button data-refresh="timers">Refresh</button></h2><div data-source="/__emulator/timers"></div></section>
<section id="faults"><h2>Fault injection <button data-refresh="faults">Refresh</button></h2><div data-source="/__emulator/faults"></div></section>

<script>
"use strict";
const $ = (id) => document.getElementById(id);
function el(tag, props, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, props || {});
  for (const child of children) node.append(child instanceof Node ? child : String(child ?? ''));
  return node;
}
const api = async (path) => {
  const res = await fetch(path);
  if (!res.ok) throw Object.assign(new Error(res.status + ' ' + (await res.text())), { status: res.status });
  return res.json();
};
const short = (v) => (typeof v === 'string' ? v : JSON.stringify(v));
const when = (ms) => new Date(ms).toLocaleTimeString();

// ---- header
async function loadMeta() {
  try {
    const health = await api('/__emulator/health');
    $('meta').textContent = 'env ' + health.envId + ' · ' + location.host;
  } catch (e) { $('meta').textContent = 'emulator unreachable: ' + e.message; }
}

// ---- collections and documents
const PAGE = 20;
let current = { name: null, offset: 0, total: 0 };
async function loadCollections() {
  const list = $('collection-list');
  try {
    const collections = await api('/__emulator/collections');
    list.replaceChildren(...collections.sort((a, b) => a.name.localeCompare(b.name)).map((c) => {
      const row = el('tr', { className: 'clickable' + (c.name === current.name ? ' selected' : '') }, el('td', {}, c.name), el('td', {}, c.count));
      row.onclick = () => { current = { name: c.name, offset: 0, total: 0 }; loadCollections(); loadDocuments(); };
      return row;
    }));
  } catch (e) { list.replaceChildren(el('tr', {}, el('td', { className: 'bad' }, e.message))); }
}
async function loadDocuments() {
  if (!current.name) return;
  const page = await api('/__emulator/collections/' + encodeURIComponent(current.name) + '/documents?offset=' + current.offset + '&limit=' + PAGE);
  current.total = page.total;
  $('collection-title').replaceChildren(el('b', {}, page.collection), ' · ' + page.total + ' documents');
  $('collection-rules').textContent = 'security rules (client access): ' + (page.rules === undefined ? 'none declared, so closed to the mini program' : JSON.stringify(page.rules));
  $('docs-range').textContent = page.total ? (page.offset + 1) + '–' + (page.offset + page.documents.length) + ' of ' + page.total : 'empty';
  $('docs-prev').disabled = page.offset === 0;
  $('docs-next').disabled = page.offset + page.documents.length >= page.total;
  $('document-list').replaceChildren(...page.documents.map((doc) => {
    const { _id, ...rest } = doc;
    const row = el('tr', { className: 'clickable' }, el('td', {}, short(_id)), el('td', {}, JSON.stringify(rest)));
    row.onclick = () => {
      for (const r of $('document-list').children) r.classList.remove('selected');
      row.classList.add('selected');
      $('document-json').className = '';
      $('document-json').textContent = JSON.stringify(doc, null, 2);
    };
    return row;
  }));
}
$('docs-prev').onclick = () => { current.offset = Math.max(0, current.offset - PAGE); loadDocuments(); };
$('docs-next').onclick = () => { current.offset += PAGE; loadDocuments(); };
$('collections-refresh').onclick = () => { loadCollections(); loadDocuments(); };

// ---- invocations
let selectedInvocation = null;
async function loadInvocations() {
  const filter = $('invocations-filter').value.trim();
  const records = await api('/__emulator/invocations?limit=200');
  const shown = records.filter((r) => !filter || r.functionName.includes(filter) || (r.openid || '').includes(filter) || (r.uid || '').includes(filter));
  $('invocation-list').replaceChildren(...shown.map((r) => {
    const status = el('td', { className: r.status === 'ok' ? 'ok' : r.status === 'running' ? 'muted' : r.status === 'killed' ? 'warn' : 'bad' }, r.status);
    const row = el('tr', { className: 'clickable' + (r.id === selectedInvocation ? ' selected' : '') },
      el('td', {}, when(r.startedAt)), el('td', {}, r.functionName), el('td', {}, r.openid || (r.uid ? 'uid ' + r.uid : '—')),
      el('td', {}, r.coldStart ? 'cold' : 'warm'), el('td', {}, r.durationMs === undefined ? '…' : r.durationMs + ' ms'),
      status, el('td', {}, r.dbRequests), el('td', {}, r.logs.length + (r.logsTruncated ? '+' : '')),
      el('td', { className: 'bad', title: r.error || '' }, (r.error || '').split('\\n')[0]));
    row.onclick = () => { selectedInvocation = r.id; showInvocation(r); loadInvocations(); };
    return row;
  }));
  const selected = records.find((r) => r.id === selectedInvocation);
  if (selected) showInvocation(selected);
}
function showInvocation(r) {
  const detail = $('invocation-detail');
  detail.className = '';
  const lines = r.logs.map((l) => el('div', { className: 'log-' + l.level }, when(l.at) + ' ' + l.level.padEnd(5) + ' ' + l.message));
  if (!lines.length) lines.push(el('div', { className: 'muted' }, '(no console output)'));
  if (r.logsTruncated) lines.push(el('div', { className: 'warn' }, '… more output was dropped (the record keeps the first lines)'));
  const head = r.functionName + ' · ' + r.id + ' · ' + (r.openid ? 'openid ' + r.openid : r.uid ? 'web user uid ' + r.uid : 'no caller (script or function)') + ' · ' + r.status;
  detail.replaceChildren(el('div', {}, head), ...lines, ...(r.error ? [el('div', { className: 'bad' }, r.error)] : []));
}
$('invocations-refresh').onclick = loadInvocations;
$('invocations-filter').oninput = loadInvocations;
setInterval(() => { if ($('invocations-auto').checked) loadInvocations().catch(() => {}); }, 2000);

// ---- other services: any JSON, rendered as tables
function render(value) {
  if (Array.isArray(value)) {
    if (!value.length) return el('div', { className: 'muted' }, '(empty)');
    if (value.every((v) => v && typeof v === 'object' && !Array.isArray(v))) {
      const keys = [...new Set(value.flatMap((v) => Object.keys(v)))];
      return el('table', {}, el('thead', {}, el('tr', {}, ...keys.map((k) => el('th', {}, k)))),
        el('tbody', {}, ...value.map((v) => el('tr', {}, ...keys.map((k) => el('td', { title: short(v[k]) }, v[k] === undefined ? '' : short(v[k])))))));
    }
    return el('pre', {}, JSON.stringify(value, null, 2));
  }
  if (value && typeof value === 'object') {
    return el('div', {}, ...Object.entries(value).map(([k, v]) =>
      v && typeof v === 'object' ? el('div', {}, el('h3', { style: 'font-size:13px;margin:8px 0 4px' }, k), render(v)) : el('div', {}, el('b', {}, k + ': '), short(v))));
  }
  return el('pre', {}, JSON.stringify(value));
}
async function loadSource(box) {
  try {
    box.replaceChildren(render(await api(box.dataset.source)));
  } catch (e) {
    box.replaceChildren(el('div', { className: 'muted' }, e.status === 404 ? 'not available (' + box.dataset.source + ' answers 404)' : 'error: ' + e.message));
  }
}
for (const button of document.querySelectorAll('[data-refresh]')) {
  button.onclick = () => loadSource($(button.dataset.refresh).querySelector('[data-source]'));
}

loadMeta();
loadCollections();
loadInvocations().catch((e) => { $('invocation-list').replaceChildren(el('tr', {}, el('td', { className: 'bad' }, e.message))); });
for (const box of document.querySelectorAll('[data-source]')) loadSource(box);
</script>
</body>
</html>
`;
