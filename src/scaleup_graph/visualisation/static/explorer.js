/* ScaleUp Graph network explorer.
 *
 * One page, two data sources: "live" asks the API (the key lives in sessionStorage only) and
 * "offline" reads the data embedded in an exported file. Everything from the data reaches the
 * DOM through textContent, never innerHTML, so names cannot inject markup. Positions come from
 * the server; the browser runs physics only on small views that have none.
 */
(function () {
  'use strict';

  const BOOT = JSON.parse(document.getElementById('boot').textContent);
  const $ = (id) => document.getElementById(id);
  const KEY_STORE = 'scaleup-api-key';
  const LANG_STORE = 'scaleup-lang';
  const PHYSICS_UP_TO = 300;

  const state = {
    lang: sessionStorage.getItem(LANG_STORE) || BOOT.lang,
    role: null,
    focus: null,
    group: null,
    view: null,
    selected: null,
    colourBy: 'label',
    sizeBy: '',
    message: null,
    note: 'loading',
  };

  // ---- texts ---------------------------------------------------------------------------------

  function t(key, values) {
    const table = BOOT.texts[state.lang] || BOOT.texts[BOOT.lang];
    let s = table[key] || BOOT.texts[BOOT.lang][key] || key;
    for (const [k, v] of Object.entries(values || {})) s = s.split('{' + k + '}').join(String(v));
    return s;
  }

  function applyTexts() {
    document.documentElement.lang = state.lang;
    document.title = t('title');
    document.querySelectorAll('[data-t]').forEach((el) => {
      if (el.id === 'canvas-note') return;
      el.textContent = t(el.dataset.t);
    });
    document.querySelectorAll('[data-tp]').forEach((el) => { el.placeholder = t(el.dataset.tp); });
    $('lang-btn').textContent = t('language');
    fillLabelFilter();
    fillOptions(state.options || {});
    renderLegend();
    renderMessage();
    renderNote();
  }

  /** A readable error: {key, values} from the server, or a fallback by HTTP status. */
  class UiError extends Error {
    constructor(key, values, status) {
      super(key);
      this.key = key;
      this.values = values || {};
      this.status = status || 0;
    }
  }

  function showMessage(key, values, kind, groupName) {
    state.message = key || groupName
      ? { key, values: values || {}, kind: kind || 'info', groupName } : null;
    renderMessage();
  }

  function renderMessage() {
    const el = $('message');
    if (!state.message) { el.hidden = true; el.textContent = ''; return; }
    el.hidden = false;
    el.className = state.message.kind === 'error' ? 'error' : '';
    const m = state.message;
    const body = m.key ? t(m.key, m.values) : '';
    el.textContent = m.groupName ? t('group') + ': ' + m.groupName + (body ? ' — ' + body : '') : body;
  }

  function setNote(key, values, isError) {
    state.note = key ? { key, values: values || {}, error: !!isError } : null;
    renderNote();
  }

  function renderNote() {
    const el = $('canvas-note');
    const empty = !nodesDS || nodesDS.length === 0;
    if (!state.note || (!empty && !state.note.error)) { el.hidden = true; return; }
    if (!empty && state.note.error) { el.hidden = true; return; }  // the banner says it
    el.hidden = false;
    el.className = state.note.error ? 'error' : '';
    const note = typeof state.note === 'string' ? { key: state.note } : state.note;
    el.textContent = t(note.key, note.values);
  }

  function showError(err) {
    const e = err instanceof UiError ? err : new UiError('err_network');
    if (!(err instanceof UiError)) console.warn(err);
    showMessage(e.key, e.values, 'error');
    setNote(e.key, e.values, true);
  }

  // ---- data sources --------------------------------------------------------------------------

  function errorFrom(status, body) {
    // every error answer is {"error": {"code", "message", "hint", "field"}}, its message
    // already in the page's language (?lang); a few statuses have the page's own words
    if (status === 401) return new UiError('err_key', {}, status);
    if (status === 403) return new UiError('err_forbidden', {}, status);
    if (status === 503) return new UiError('err_unavailable', {}, status);
    if (status === 504) return new UiError('err_slow', {}, status);
    const error = body && body.error;
    if (error && error.message) return new UiError('err_server', { message: error.message }, status);
    return new UiError('err_bad_request', { detail: String(status) }, status);
  }

  const live = {
    async call(path, params) {
      const url = new URL(BOOT.api + path, window.location.origin);
      for (const [k, v] of Object.entries(params || {})) {
        if (v !== null && v !== undefined && v !== '') url.searchParams.set(k, v);
      }
      let response;
      try {
        response = await fetch(url, { headers: { 'X-API-Key': sessionStorage.getItem(KEY_STORE) || '' } });
      } catch (e) {
        throw new UiError('err_network');
      }
      let body = null;
      try { body = await response.json(); } catch (e) { body = null; }
      if (!response.ok) {
        const err = errorFrom(response.status, body);
        if (response.status === 401) askKey(err.key);
        throw err;
      }
      return body;
    },
    config() { return this.call('/config', { lang: state.lang }); },
    view(p) { return this.call('/view', { ...p, lang: state.lang }); },
    expand(id) { return this.call('/expand', { id, lang: state.lang }); },
    details(id) { return this.call('/nodes/' + encodeURIComponent(id), { lang: state.lang }); },
    search(q) { return this.call('/search', { q, lang: state.lang }); },
  };

  function fold(s) {
    return String(s).toLowerCase().replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue')
      .replace(/ß/g, 'ss').normalize('NFD').replace(/[\u0300-\u036f]/g, '').trim();
  }

  /** The exported file's data, answering the same calls as the API. */
  const offline = {
    get data() { return BOOT.data; },
    async config() { return { role: this.data.role, options: this.data.options }; },
    neighbours(id) {
      const d = this.data.details[id];
      return d ? d.links.filter((l) => this.data.nodes[l.id]) : [];
    },
    async view(p) {
      const data = this.data;
      const filtered = p.labels || p.topic || p.region || p.project;
      if (p.group && !data.views[p.group]) throw new UiError('err_unknown_group', {}, 404);
      if (p.focus && !data.nodes[p.focus]) throw new UiError('err_unknown_node', { id: p.focus }, 404);
      const hops = Number(p.hops || 1);
      if (!(hops >= 1 && hops <= BOOT.maxHops)) throw new UiError('err_hops', { max: BOOT.maxHops }, 422);
      const exportFocus = p.focus === data.focus && hops === data.hops;
      if (!filtered && (!p.focus || exportFocus)) {
        return JSON.parse(JSON.stringify(data.views[p.group || '']));
      }
      let ids;
      const rings = {};
      if (p.focus) {
        rings[p.focus] = 0;
        let frontier = [p.focus];
        for (let hop = 1; hop <= hops && frontier.length; hop++) {
          const next = [];
          for (const id of frontier) {
            for (const link of this.neighbours(id)) {
              if (!(link.id in rings)) { rings[link.id] = hop; next.push(link.id); }
            }
          }
          frontier = next;
        }
        ids = Object.keys(rings);
      } else {
        ids = Object.keys(data.nodes).filter((id) => !p.group || data.nodes[id].group === p.group);
      }
      if (p.labels) ids = ids.filter((id) => id === p.focus || data.nodes[id].type === p.labels);
      for (const key of ['topic', 'region', 'project']) {
        const value = p[key];
        if (!value) continue;
        if (!data.nodes[value]) throw new UiError('err_unknown_node', { id: value }, 404);
        ids = ids.filter((id) => id === p.focus || id === value
          || this.neighbours(id).some((l) => l.id === value));
      }
      if (!ids.some((id) => id !== p.focus)) throw new UiError('err_filter_empty', {}, 404);
      const messages = [];
      if (ids.length > BOOT.aggregateAbove) {
        const degree = (id) => (data.details[id] || { linkCount: 0 }).linkCount;
        messages.push({ key: 'truncated', values: { shown: BOOT.aggregateAbove, total: ids.length } });
        ids = ids.sort((a, b) => degree(b) - degree(a)).slice(0, BOOT.aggregateAbove);
        if (p.focus && !ids.includes(p.focus)) ids.push(p.focus);
      }
      const keep = new Set(ids);
      const nodes = ids.map((id) => ({ ...data.nodes[id] }));
      if (p.focus) ringLayout(nodes, rings);
      const edges = [];
      for (const id of ids) {
        for (const link of this.neighbours(id)) {
          if (link.direction === 'out' && keep.has(link.id)) {
            edges.push({ id: id + '|' + link.rel + '|' + link.id, from: id, to: link.id,
              type: link.rel, title: link.rel });
          }
        }
      }
      const metrics = [...new Set(nodes.flatMap((n) => Object.keys(n.metrics || {})))].sort();
      return { nodes, edges, focus: p.focus || null, group: p.group || null, aggregated: false,
        total: ids.length, shown: ids.length, messages, metrics };
    },
    async expand(id) {
      if (!this.data.nodes[id]) throw new UiError('err_unknown_node', { id }, 404);
      const links = this.neighbours(id);
      return {
        focus: id,
        nodes: links.map((l) => ({ ...this.data.nodes[l.id] })),
        edges: links.map((l) => {
          const [a, b] = l.direction === 'out' ? [id, l.id] : [l.id, id];
          return { id: a + '|' + l.rel + '|' + b, from: a, to: b, type: l.rel, title: l.rel };
        }),
        messages: [],
      };
    },
    async details(id) {
      const d = this.data.details[id];
      if (!d) throw new UiError('err_unknown_node', { id }, 404);
      return d;
    },
    async search(q) {
      const needle = fold(q);
      if (!needle) return [];
      const hits = Object.values(this.data.nodes).filter((n) => fold(n.label).includes(needle));
      hits.sort((a, b) => (fold(a.label).startsWith(needle) ? 0 : 1) - (fold(b.label).startsWith(needle) ? 0 : 1)
        || a.label.length - b.label.length);
      return hits.slice(0, 10).map((n) => ({ id: n.id, label: n.label, type: n.type, typeName: n.typeName }));
    },
  };

  /** Focus in the middle, each hop on its own ring: for ego views built in the browser. */
  function ringLayout(nodes, rings) {
    const byRing = {};
    for (const n of nodes) (byRing[rings[n.id] || 0] = byRing[rings[n.id] || 0] || []).push(n);
    for (const [ring, list] of Object.entries(byRing)) {
      const radius = Number(ring) * Math.max(160, list.length * 9);
      list.forEach((n, i) => {
        const angle = (2 * Math.PI * i) / list.length;
        n.x = Math.round(radius * Math.cos(angle));
        n.y = Math.round(radius * Math.sin(angle));
      });
    }
  }

  const source = BOOT.mode === 'offline' ? offline : live;

  // ---- the network ---------------------------------------------------------------------------

  let network = null;
  let nodesDS = null;
  let edgesDS = null;

  function tip(text) {
    const el = document.createElement('div');
    el.className = 'tip';
    el.textContent = text || '';
    return el;
  }

  function styled(n) {
    let colour = n.colour;
    if (state.colourBy === 'community' && !n.aggregate) colour = n.communityColour || '#c8ccd0';
    const out = {
      id: n.id, label: n.label, shape: n.shape || 'dot', title: tip(n.title),
      color: { background: colour, border: '#3b4b5b', highlight: { background: colour, border: '#000' } },
      borderWidth: n.id === state.focus ? 4 : 1,
      raw: n,
    };
    if (n.shape === 'text') out.font = { color: '#2b5d8a' };
    if (n.x !== undefined) { out.x = n.x; out.y = n.y; }
    if (n.aggregate) out.value = n.count;
    else if (state.sizeBy && n.metrics && n.metrics[state.sizeBy] !== undefined) out.value = n.metrics[state.sizeBy];
    else if (state.sizeBy) out.value = 0;
    return out;
  }

  function edgeStyled(e) {
    return { ...e, title: tip(e.title), arrows: e.type ? 'to' : undefined };
  }

  function ensureNetwork() {
    if (network) return;
    nodesDS = new vis.DataSet();
    edgesDS = new vis.DataSet();
    network = new vis.Network($('canvas'), { nodes: nodesDS, edges: edgesDS }, {
      autoResize: true,
      physics: { enabled: false },
      layout: { improvedLayout: false },
      interaction: { hover: true, tooltipDelay: 120, multiselect: false },
      nodes: { size: 14, font: { size: 12 }, scaling: { min: 8, max: 46 } },
      edges: { smooth: false, color: { color: '#a3adb8', highlight: '#1d2733' },
        font: { size: 10, color: '#4b5563', strokeWidth: 2 }, arrows: { to: { scaleFactor: 0.4 } } },
    });
    window.__explorer.network = network;
    network.on('afterDrawing', () => {
      window.__explorer.frames += 1;
      if (!window.__explorer.firstFrame && nodesDS.length) window.__explorer.firstFrame = performance.now();
    });
    network.on('click', (params) => {
      if (!params.nodes.length) return;
      const node = nodesDS.get(params.nodes[0]);
      if (node && node.raw.aggregate) openGroup(node.raw.group);
      else if (node) showDetails(node.id);
    });
    network.on('doubleClick', (params) => {
      if (!params.nodes.length) return;
      const node = nodesDS.get(params.nodes[0]);
      if (node && !node.raw.aggregate) expandNode(node.id);
    });
  }

  function draw(view) {
    ensureNetwork();
    state.view = view;
    window.__explorer.firstFrame = 0;
    nodesDS.clear();
    edgesDS.clear();
    const placed = view.nodes.every((n) => n.x !== undefined);
    nodesDS.add(view.nodes.map(styled));
    edgesDS.add(view.edges.map(edgeStyled));
    if (!placed && view.nodes.length <= PHYSICS_UP_TO) {
      network.setOptions({ physics: { enabled: true, stabilization: { iterations: 200 } } });
      network.once('stabilizationIterationsDone', () => network.setOptions({ physics: { enabled: false } }));
    } else {
      network.setOptions({ physics: { enabled: false } });
    }
    network.fit({ animation: false });
    fillMetrics(view.metrics || []);
    renderLegend();
    const first = (view.messages || [])[0];
    if (first || view.groupName) {
      showMessage(first ? first.key : null, first ? first.values : {}, 'info', view.groupName);
    } else {
      showMessage(null);
    }
    setNote(view.nodes.length ? null : 'empty_graph');
    $('canvas').dataset.nodes = String(view.nodes.length);
  }

  function restyle() {
    if (!nodesDS) return;
    nodesDS.update(nodesDS.get().map((n) => styled(n.raw)));
    renderLegend();
  }

  function viewParams() {
    return {
      focus: state.focus, hops: $('hops').value, group: state.group,
      labels: $('f-label').value, topic: $('f-topic').value,
      region: $('f-region').value, project: $('f-project').value,
    };
  }

  async function loadView() {
    $('canvas').dataset.state = 'loading';
    try {
      draw(await source.view(viewParams()));
      $('canvas').dataset.state = 'ready';
    } catch (err) {
      showError(err);
      $('canvas').dataset.state = 'error';
    }
  }

  function selectNode(id) {
    state.focus = id;
    state.group = null;
    $('hits').hidden = true;
    loadView();
    showDetails(id);
  }

  function openGroup(group) {
    state.group = group;
    loadView();
  }

  async function expandNode(id) {
    try {
      const data = await source.expand(id);
      const centre = network.getPositions([id])[id] || { x: 0, y: 0 };
      const fresh = data.nodes.filter((n) => !nodesDS.get(n.id));
      fresh.forEach((n, i) => {
        const angle = (2 * Math.PI * i) / Math.max(fresh.length, 1);
        const radius = 120 + fresh.length * 4;
        n.x = Math.round(centre.x + radius * Math.cos(angle));
        n.y = Math.round(centre.y + radius * Math.sin(angle));
      });
      nodesDS.add(fresh.map(styled));
      edgesDS.update(data.edges.filter((e) => nodesDS.get(e.from) && nodesDS.get(e.to)).map(edgeStyled));
      const first = (data.messages || [])[0];
      if (first) showMessage(first.key, first.values, 'info');
      else showMessage(fresh.length ? 'expanded' : 'nothing_to_expand', { n: fresh.length }, 'info');
      $('canvas').dataset.nodes = String(nodesDS.length);
    } catch (err) {
      showError(err);
    }
  }

  // ---- side panel ----------------------------------------------------------------------------

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  async function showDetails(id) {
    state.selected = id;
    try {
      renderDetails(await source.details(id));
    } catch (err) {
      showError(err);
    }
  }

  function renderDetails(d) {
    const body = $('details-body');
    body.replaceChildren();
    $('details-hint').hidden = true;
    body.append(el('h3', d.caption), el('p', d.typeName));
    const dl = el('dl');
    for (const [k, v] of Object.entries(d.properties)) {
      dl.append(el('dt', k), el('dd', Array.isArray(v) ? v.join(', ') : (typeof v === 'object' ? JSON.stringify(v) : v)));
    }
    body.append(dl);
    if (d.personalHidden) body.append(el('p', t('personal_hidden'), 'note'));
    body.append(el('h4', t('links') + ' (' + d.linkCount + ')'));
    const ul = el('ul');
    for (const link of d.links) {
      const li = el('li');
      const b = el('button', (link.direction === 'out' ? '→ ' : '← ') + link.rel + ': ' + link.caption, 'link');
      b.type = 'button';
      b.addEventListener('click', () => selectNode(link.id));
      li.append(b);
      ul.append(li);
    }
    body.append(ul);
    body.dataset.id = d.id;
    // -- workflows (issue 6): the challenge / lineage panel follows the selected node --
    window.__explorer.lastDetails = d;
    if (window.__workflows) window.__workflows.show(d);
    // -- /workflows --
  }

  function renderLegend() {
    const list = $('legend-list');
    list.replaceChildren();
    if (state.colourBy === 'community' && nodesDS) {
      const seen = new Map();
      nodesDS.get().forEach((n) => {
        if (n.raw.community !== undefined) seen.set(n.raw.community, n.raw.communityColour);
      });
      [...seen.entries()].sort((a, b) => a[0] - b[0]).slice(0, 24).forEach(([c, colour]) => {
        const li = el('li');
        const sw = el('span', null, 'swatch');
        sw.style.background = colour;
        li.append(sw, el('span', t('by_community') + ' ' + c));
        list.append(li);
      });
      if (seen.size) return;
    }
    for (const entry of BOOT.legend[state.lang] || BOOT.legend[BOOT.lang]) {
      const li = el('li');
      const sw = el('span', null, 'swatch');
      sw.style.background = entry.colour;
      li.append(sw, el('span', entry.name));
      li.dataset.label = entry.label;
      list.append(li);
    }
  }

  // ---- controls ------------------------------------------------------------------------------

  function option(value, text) {
    const o = el('option', text);
    o.value = value;
    return o;
  }

  function fillSelect(select, first, items) {
    const current = select.value;
    select.replaceChildren(option('', first), ...items.map(([v, text]) => option(v, text)));
    if ([...select.options].some((o) => o.value === current)) select.value = current;
  }

  function fillLabelFilter() {
    fillSelect($('f-label'), t('all_labels'),
      (BOOT.legend[state.lang] || []).map((e) => [e.label, e.name]));
  }

  function fillOptions(options) {
    for (const key of ['topic', 'region', 'project']) {
      fillSelect($('f-' + key), t(key) + ': ' + t('any'),
        (options[key] || []).map((o) => [o.id, o.name]));
    }
  }

  function fillMetrics(metrics) {
    fillSelect($('size-by'), t('size_none'), metrics.map((m) => [m, m.replace(/^metric_/, '')]));
    state.sizeBy = $('size-by').value;
  }

  let searchTimer = null;
  let searchSeq = 0;

  async function runSearch() {
    const q = $('search').value.trim();
    const hits = $('hits');
    if (!q) { hits.hidden = true; return; }
    const seq = ++searchSeq;
    try {
      const found = await source.search(q);
      if (seq !== searchSeq) return;  // a newer keystroke won
      hits.replaceChildren();
      if (!found.length) hits.append(el('li', t('no_hits'), 'empty'));
      for (const hit of found) {
        const li = el('li', hit.label);
        li.append(el('small', hit.typeName));
        li.dataset.id = hit.id;
        li.setAttribute('role', 'option');
        li.addEventListener('click', () => { $('search').value = hit.label; selectNode(hit.id); });
        hits.append(li);
      }
      hits.hidden = false;
    } catch (err) {
      showError(err);
    }
  }

  function wireControls() {
    const hops = $('hops');
    for (let h = 1; h <= BOOT.maxHops; h++) hops.append(option(String(h), String(h)));
    hops.value = String(BOOT.data && BOOT.data.hops ? BOOT.data.hops : 1);
    $('search').addEventListener('input', () => {
      clearTimeout(searchTimer);
      searchTimer = setTimeout(runSearch, 180);
    });
    $('search').addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter') {
        const first = $('hits').querySelector('li[data-id]');
        if (first) first.click();
      } else if (ev.key === 'Escape') {
        $('hits').hidden = true;
      }
    });
    document.addEventListener('click', (ev) => {
      if (!$('search-wrap').contains(ev.target)) $('hits').hidden = true;
    });
    for (const id of ['hops', 'f-label', 'f-topic', 'f-region', 'f-project']) {
      $(id).addEventListener('change', () => { state.group = null; loadView(); });
    }
    $('colour-by').addEventListener('change', () => { state.colourBy = $('colour-by').value; restyle(); });
    $('size-by').addEventListener('change', () => { state.sizeBy = $('size-by').value; restyle(); });
    $('overview-btn').addEventListener('click', () => {
      state.focus = BOOT.mode === 'offline' ? (BOOT.data.focus || null) : null;
      state.group = null;
      loadView();
    });
    $('lang-btn').addEventListener('click', () => {
      const langs = BOOT.langs;
      state.lang = langs[(langs.indexOf(state.lang) + 1) % langs.length];
      sessionStorage.setItem(LANG_STORE, state.lang);
      applyTexts();
      if (BOOT.mode === 'live' && state.role) {
        loadView();
        if (state.selected) showDetails(state.selected);
      }
    });
    $('logout').addEventListener('click', () => {
      sessionStorage.removeItem(KEY_STORE);
      if (nodesDS) { nodesDS.clear(); edgesDS.clear(); }
      $('details-body').replaceChildren();
      if (window.__workflows) window.__workflows.show(null);  // workflows (issue 6)
      state.role = null;
      askKey();
    });
    $('key-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const key = $('key-input').value.trim();
      if (!key) return;
      sessionStorage.setItem(KEY_STORE, key);
      $('key-input').value = '';
      $('key-dialog').close();
      start();
    });
  }

  function askKey(errorKey) {
    sessionStorage.removeItem(KEY_STORE);
    const err = $('key-error');
    err.hidden = !errorKey;
    err.textContent = errorKey ? t(errorKey) : '';
    setNote('key_prompt');
    if (!$('key-dialog').open) $('key-dialog').showModal();
  }

  async function start() {
    if (BOOT.mode === 'live' && !sessionStorage.getItem(KEY_STORE)) { askKey(); return; }
    try {
      const config = await source.config();
      state.role = config.role;
      state.options = config.options;
      fillOptions(config.options);
      $('role-info').textContent = (BOOT.mode === 'offline' ? t('offline') + ' · ' : '')
        + t('role') + ': ' + config.role;
      $('logout').hidden = BOOT.mode !== 'live';
    } catch (err) {
      showError(err);
      return;
    }
    if (BOOT.mode === 'offline' && BOOT.data.focus) state.focus = BOOT.data.focus;
    await loadView();
    if (state.focus) showDetails(state.focus);
  }

  window.__explorer = { network: null, frames: 0, firstFrame: 0, mode: BOOT.mode };
  // -- workflows (issue 6): panels for challenges, pitch events and best-practice lineage;
  // they need the API, so they load in live mode only (an offline export has none) --
  Object.assign(window.__explorer, {
    t, el, lang: () => state.lang, select: (id) => selectNode(id), lastDetails: null,
    apiKey: () => sessionStorage.getItem(KEY_STORE) || '',
  });
  if (BOOT.mode === 'live') {
    const wf = document.createElement('script');
    wf.src = '/api/v1/explorer/workflows.js';
    document.body.append(wf);
  }
  // -- /workflows --
  wireControls();
  applyTexts();
  if (typeof vis === 'undefined') {
    setNote('err_network', {}, true);
    return;
  }
  ensureNetwork();
  start();
})();
