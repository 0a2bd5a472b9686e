/* ScaleUp Graph network explorer.
 *
 * One page, two data sources: "live" asks the API (the key lives in sessionStorage only, never in
 * the address) and "offline" reads the data embedded in an exported file. Everything from the
 * data reaches the DOM through textContent, never innerHTML, so names cannot inject markup; no
 * inline script or handler exists, so a strict Content-Security-Policy holds.
 *
 * The picture: positions, dot sizes and label sizes are planned on the server for the first fit
 * (layout.py); the page computes its own fit (centred on the focus) and divides the planned CSS
 * pixel sizes by it. The view lives in the address (focus, hops, lang, filters, colouring,
 * sizing, expanded and hidden nodes, group and page), so Back/Forward, reload and a copied link
 * all give the same picture. window.__explorer is the contract for embedding and tests
 * (docs/explorer.md).
 */
(function () {
  'use strict';

  const BOOT = JSON.parse(document.getElementById('boot').textContent);
  const $ = (id) => document.getElementById(id);
  const KEY_STORE = 'scaleup-api-key';
  const DRAW_THRESHOLD = 10;
  const MAX_VISIBLE = 30;
  const EDGE_MARGIN = 16;
  const GLYPH = 0.63;
  const LINE = 1.22;
  const PAD = 3;
  const FADED = 'rgba(200, 205, 212, 0.35)';
  const FADED_TEXT = 'rgba(120, 130, 140, 0.35)';
  const FACE = 'system-ui, "Segoe UI", Roboto, Arial, sans-serif';
  // a label size (canvas units) too small to draw at any zoom the page allows
  const CULLED_FONT = 0.001;
  // above this many nodes the page does not place boxes again for its window; it culls labels
  const REPLAN_UP_TO = 600;
  // an ego view built in the page (offline export) with at most this many nodes names them all
  const NAME_ALL_UP_TO = 40;
  // in a window whose picture is shrunk below SATELLITES_BELOW of its plan, an ego view's outer
  // ring of at least SATELLITES_FROM unnamed nodes sits beside the names (placeSatellites)
  const SATELLITES_FROM = 12;
  const SATELLITES_BELOW = 0.9;
  // spots tried on each side of a named node's dot, in its row and the row above
  const SATELLITE_SPOTS = 6;
  const MIN_LABEL_PX = 11;
  // zooming in makes room, not larger names: a label grows on screen up to this size (or its
  // planned size, if larger), then keeps it (docs/explorer.md, "Zooming names")
  const LABEL_CAP_PX = 14;
  // pointing at a node names its neighbours at least this large (where they fit)
  const REVEAL_PX = 12;
  // the drawing area the server plans for (layout.REFERENCE_CANVAS)
  const REFERENCE_CANVAS = { w: 1080, h: 760 };
  // coloured by community: a node without one (the analysts computed none for it)
  const NO_COMMUNITY = '#c8ccd0';
  const DEFAULT_VIEW = { focus: null, hops: 1, group: null, page: 0, type: '', topic: '',
    region: '', project: '', only: false, colour: 'label', size: '', open: [], hide: [], path: 0 };
  const PATH_COLOUR = '#0072B2';  // Okabe-Ito blue: the chosen path, nodes and links

  const state = {
    lang: BOOT.lang,
    role: null,
    options: { topic: [], region: [], project: [] },
    view: { ...DEFAULT_VIEW },
    base: null,          // the server's answer for focus/hops/group/page
    nodes: new Map(),    // id -> node as drawn (server fields + planned sizes)
    edges: new Map(),    // id -> edge
    scale: 1,
    zoom: 1,             // vis-network's scale as last drawn or culled (labels are capped for it)
    centre: { x: 0, y: 0 },
    selected: null,
    hovered: null,
    revealed: new Set(), // neighbours of the node pointed at: named while it is pointed at
    revealChanged: new Set(),  // whose label size changed with the pointer (restyled at recull)
    strongNode: null,    // the node whose links are drawn forward (hovered or selected)
    linkLook: null,      // width and opacity of links between two other nodes (contextLook)
    matches: null,       // Set of ids matching the filters, or null without filters
    faded: new Set(),
    culled: new Set(),   // ids whose labels are hidden because they would collide now
    message: null,
    note: 'loading',
    historyIndex: 0,
    historyTop: 0,
    ready: false,
  };
  const cache = { views: new Map(), expand: new Map(), tags: new Map() };

  /** In a path view ("Wer kann mich vorstellen?"): the chosen path, its node ids and steps. */
  function chosenPath() {
    const base = state.base;
    if (!base || base.kind !== 'path' || !(base.paths || []).length) return null;
    const index = Math.min(Math.max(state.view.path || 0, 0), base.paths.length - 1);
    const path = base.paths[index];
    const ids = new Set(path.nodes.map((n) => n.id));
    const steps = new Set(path.steps.map((s) => s.from + '>' + s.to));
    return { index, path, ids, steps };
  }

  function isPathStep(e) {
    const chosen = chosenPath();
    return !!chosen && (chosen.steps.has(e.from + '>' + e.to) || chosen.steps.has(e.to + '>' + e.from));
  }

  // ---- texts ---------------------------------------------------------------------------------

  function t(key, values) {
    const table = BOOT.texts[state.lang] || BOOT.texts[BOOT.lang];
    let s = table[key] || BOOT.texts[BOOT.lang][key] || key;
    if (typeof s !== 'string') return s;
    // {n|one|other}: the word for one or for any other count (texts.plural does the same)
    s = s.replace(/\{(\w+)\|([^|{}]*)\|([^|{}]*)\}/g,
      (all, k, one, other) => (Number((values || {})[k]) === 1 ? one : other));
    for (const [k, v] of Object.entries(values || {})) s = s.split('{' + k + '}').join(String(v));
    return s;
  }

  function applyTexts() {
    document.documentElement.lang = state.lang;
    document.title = t('title');
    document.querySelectorAll('[data-t]').forEach((e) => {
      if (e.id === 'canvas-note') return;
      e.textContent = t(e.dataset.t);
    });
    document.querySelectorAll('[data-tp]').forEach((e) => { e.placeholder = t(e.dataset.tp); });
    document.querySelectorAll('[data-ta]').forEach((e) => { e.setAttribute('aria-label', t(e.dataset.ta)); });
    document.querySelectorAll('[data-tt]').forEach((e) => { e.title = t(e.dataset.tt); });
    $('lang-btn').textContent = t('language');
    renderRole();
    renderMessage();
    renderNote();
  }

  // ---- room for the picture: the side panel and the legend's second part ---------------------

  // A window decides by the share of it the picture would keep with the side panel open: under
  // PANEL_SHARE (1280x800: 52 %, 1440x790: 59 %) it is "small" and gives the picture the room,
  // the side panel closed and the legend one line; 1440x900, 1536x864 and larger keep both
  // open. The rule lives here only: the page's root gets the class "compact", which
  // explorer.css's small-window rules follow. A reader's choice is kept per kind of window
  // (localStorage: no personal data, only "open" or "closed").
  const PANEL_SHARE = 0.6;
  const LARGE_CHROME_PX = 186;  // the two bars and the whole legend, measured at 1536x864
  function compactWindow() {
    const w = window.innerWidth || 1280;
    const h = window.innerHeight || 800;
    const side = w <= 1100 ? 280 : 330;  // the panel's width (explorer.css)
    return ((w - side) / w) * ((h - LARGE_CHROME_PX) / h) < PANEL_SHARE;
  }
  const COMPACT = { matches: compactWindow() };
  document.documentElement.classList.toggle('compact', COMPACT.matches);
  function panelKey(name) { return 'scaleup-explorer-' + name + (COMPACT.matches ? '-small' : '-large'); }
  function remembered(name) {
    try { return localStorage.getItem(panelKey(name)); } catch (e) { return null; }
  }
  function remember(name, open) {
    try { localStorage.setItem(panelKey(name), open ? 'open' : 'closed'); } catch (e) { /* kept for the visit */ }
  }
  function sideOpen() { return !document.body.classList.contains('side-closed'); }
  let sideTimer = null;
  function setSide(open, keep) {
    clearTimeout(sideTimer);
    if (open !== sideOpen()) holdView();  // the picture keeps its zoom and places (keptView)
    document.body.classList.toggle('side-closed', !open);
    $('side-toggle').setAttribute('aria-expanded', String(open));
    if (keep) remember('side', open);
  }
  function setLegend(open, keep) {
    $('legend-more').hidden = !open;
    $('legend').classList.toggle('open', open);
    $('legend-toggle').setAttribute('aria-expanded', String(open));
    if (keep) remember('legend', open);
  }
  function applyPanels() {
    const side = remembered('side');
    const legend = remembered('legend');
    setSide(side ? side === 'open' : !COMPACT.matches, false);
    setLegend(legend ? legend === 'open' : !COMPACT.matches, false);
  }

  class UiError extends Error {
    constructor(key, values, status) {
      super(key);
      this.key = key;
      this.values = values || {};
      this.status = status || 0;
    }
  }

  function showMessage(key, values, kind) {
    state.message = key ? { key, values: values || {}, kind: kind || 'info' } : null;
    renderMessage();
  }

  function renderMessage() {
    const box = $('message');
    if (!state.message) { box.className = 'empty'; box.textContent = ''; box.title = ''; return; }
    box.className = state.message.kind === 'error' ? 'error' : '';
    box.textContent = state.message.text || t(state.message.key, state.message.values);
    box.title = box.textContent; // the whole line, when the bar is too narrow for it
  }

  function setNote(key, values, isError) {
    state.note = key ? { key, values: values || {}, error: !!isError } : null;
    renderNote();
  }

  function renderNote() {
    const box = $('canvas-note');
    const empty = state.nodes.size === 0;
    if (!state.note || !empty) { box.hidden = true; return; }
    box.hidden = false;
    box.className = state.note.error ? 'error' : '';
    box.textContent = t(state.note.key, state.note.values);
  }

  function showError(err) {
    const e = err instanceof UiError ? err : new UiError('err_network');
    if (!(err instanceof UiError)) console.warn(err);
    showMessage(e.key, e.values, 'error');
    setNote(e.key, e.values, true);
  }

  function renderRole() {
    const info = $('role-info');
    if (!state.role) { info.textContent = BOOT.mode === 'offline' ? t('offline') : ''; return; }
    info.textContent = (BOOT.mode === 'offline' ? t('offline') + ' · ' : '')
      // a key's capabilities combine ("contacts+editor"): each in the reader's words
      + t('access') + ': ' + String(state.role).split('+').map((r) => t('role_' + r)).join(' + ');
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

  async function request(url, options) {
    let response;
    const headers = { 'X-API-Key': sessionStorage.getItem(KEY_STORE) || '' };
    if (options && options.body) headers['Content-Type'] = 'application/json';
    try {
      response = await fetch(url, { ...(options || {}), headers });
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
  }

  function apiUrl(path, params) {
    const url = new URL(path, window.location.origin);
    for (const [k, v] of Object.entries(params || {})) {
      if (v !== null && v !== undefined && v !== '') url.searchParams.set(k, v);
    }
    return url;
  }

  const live = {
    call(path, params) { return request(apiUrl(BOOT.api + path, { ...params, lang: state.lang })); },
    config() { return this.call('/config', {}); },
    view(p) { return this.call('/view', p); },
    expand(id, rel, direction) { return this.call('/expand', { id, rel, direction }); },
    details(id) { return this.call('/nodes/' + encodeURIComponent(id), {}); },
    search(q) { return this.call('/search', { q }); },
    tags(ids) { return request(apiUrl(BOOT.api + '/tags'), { method: 'POST', body: JSON.stringify({ ids }) }); },
    paths(source, target) { return request(apiUrl('/api/v1/paths', { source, target, max_hops: 4, limit: 5 })); },
    pathView(source, target) { return this.call('/path', { source, target }); },
    listViews() { return request(apiUrl('/api/v1/views')); },
    saveView(name, params) {
      return request(apiUrl('/api/v1/views'), { method: 'POST', body: JSON.stringify({ name, params }) });
    },
    renameView(id, name) {
      return request(apiUrl('/api/v1/views/' + encodeURIComponent(id)),
        { method: 'PATCH', body: JSON.stringify({ name }) });
    },
    async deleteView(id) {
      // 204 has no body; request() reads none and returns null
      return request(apiUrl('/api/v1/views/' + encodeURIComponent(id)), { method: 'DELETE' });
    },
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
      const out = [];
      if (!d) return out;
      for (const s of d.sections) for (const item of s.items) {
        if (this.data.nodes[item.id]) out.push({ id: item.id, rel: s.rel, direction: s.direction });
      }
      return out;
    },
    edgesAmong(ids) {
      const keep = new Set(ids);
      const edges = [];
      for (const id of ids) {
        for (const link of this.neighbours(id)) {
          if (link.direction === 'out' && keep.has(link.id)) {
            edges.push({ id: id + '|' + link.rel + '|' + link.id, from: id, to: link.id,
              type: link.rel, caption: relCaption(link.rel) });
          }
        }
      }
      return edges;
    },
    async view(p) {
      const data = this.data;
      if (p.group && !data.views[p.group]) throw new UiError('err_unknown_group', {}, 404);
      if (p.focus && !data.nodes[p.focus]) throw new UiError('err_unknown_node', {}, 404);
      const hops = Number(p.hops || 1);
      if (!(hops >= 1 && hops <= BOOT.maxHops)) throw new UiError('err_hops', { max: BOOT.maxHops }, 422);
      const exported = (p.focus || null) === (data.focus || null) && (!p.focus || hops === data.hops);
      if (p.group || exported) return JSON.parse(JSON.stringify(data.views[p.group || '']));
      const rings = { [p.focus]: 0 };
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
      let ids = Object.keys(rings);
      const messages = [];
      if (ids.length > BOOT.aggregateAbove) {
        messages.push({ key: 'truncated', values: { shown: BOOT.aggregateAbove, total: ids.length } });
        ids = ids.sort((a, b) => rings[a] - rings[b]).slice(0, BOOT.aggregateAbove);
      }
      const nodes = ids.map((id) => ({ ...data.nodes[id], ring: rings[id] }));
      const edges = this.edgesAmong(ids);
      const plan = planRadial(nodes, edges, p.focus);
      return { nodes, edges, focus: p.focus, group: null, aggregated: false, planned: true, ...(plan || {}),
        total: ids.length, shown: ids.length, messages, metrics: data.metrics || [] };
    },
    async expand(id, rel, direction) {
      const links = this.neighbours(id).filter((l) => (!rel || l.rel === rel)
        && (!direction || l.direction === direction));
      const ids = [...new Set(links.map((l) => l.id))];
      const edges = [];
      for (const other of ids) {
        for (const link of this.neighbours(other)) {
          const [a, b] = link.direction === 'out' ? [other, link.id] : [link.id, other];
          edges.push({ id: a + '|' + link.rel + '|' + b, from: a, to: b, type: link.rel,
            caption: relCaption(link.rel) });
        }
      }
      return { focus: id, nodes: ids.map((i) => ({ ...this.data.nodes[i] })), edges, messages: [] };
    },
    async details(id) {
      const d = this.data.details[id];
      if (!d) throw new UiError('err_unknown_node', {}, 404);
      return d;
    },
    async search(q) {
      const needle = fold(q);
      if (!needle) return [];
      const hits = Object.values(this.data.nodes).filter((n) => fold(n.name).includes(needle));
      hits.sort((a, b) => (fold(a.name).startsWith(needle) ? 0 : 1) - (fold(b.name).startsWith(needle) ? 0 : 1)
        || a.name.length - b.name.length);
      return hits.slice(0, 10).map((n) => ({ id: n.id, label: n.name, type: n.type, typeName: n.typeName }));
    },
    async tags(ids) {
      const out = {};
      for (const id of ids) out[id] = (this.data.tags || {})[id] || {};
      return { tags: out };
    },
    async paths() { throw new UiError('path_offline'); },
    /** "Wer kann mich vorstellen?" over the nodes and links in this file: the shortest paths
     * (at most 4 steps, breadth first), through people, organisations and what they did
     * together where such paths exist (as /paths does), drawn left to right. Paths through
     * nodes the export left out cannot be found here: the view says so. */
    async pathView(from, to) {
      const data = this.data;
      if (!data.nodes[from] || !data.nodes[to]) throw new UiError('err_unknown_node', {}, 404);
      const chains = shortestChains(this, from, to, 4, 20);
      const middleOk = (c) => c.slice(1, -1).every((i) => INTRODUCERS.has(data.nodes[i].type));
      const people = chains.filter(middleOk);
      const chosen = (people.length ? people : chains).slice(0, 5);
      const ids = [...new Set([from, to, ...chosen.flat()])];
      const edges = this.edgesAmong(ids);
      const steps = (chain) => chain.slice(1).map((b, k) => {
        const a = chain[k];
        const forward = edges.filter((e) => e.from === a && e.to === b).map((e) => e.type).sort();
        const backward = edges.filter((e) => e.from === b && e.to === a).map((e) => e.type).sort();
        const type = forward[0] || backward[0] || '';
        const words = forward[0] ? relCaption(type) : relCaption(type, 'in');
        return { from: a, to: b, type, words };
      });
      const nodes = ids.map((i) => ({ ...data.nodes[i] }));
      const frame = planPathHere(nodes, chosen.length ? chosen : [[from, to]]);
      const messages = [{ key: 'path_offline_scope', values: { n: Object.keys(data.nodes).length } }];
      return { kind: 'path', nodes, edges, focus: from, target: to, group: null, groupName: null,
        aggregated: false, total: nodes.length, shown: nodes.length, messages,
        metrics: data.metrics || [], highlight: chosen[0] || [], offline: true,
        paths: chosen.map((c) => ({ nodes: c.map((i) => ({ id: i, caption: data.nodes[i].name })),
          steps: steps(c) })), ...frame };
    },
    async listViews() { return { views: [], offline: true }; },
    // perspectives live on the server: the file says so (and how to keep the view instead)
    async saveView() { throw new UiError('views_offline'); },
    async renameView() { throw new UiError('views_offline'); },
    async deleteView() { throw new UiError('views_offline'); },
  };

  function relCaption(type, direction) {
    const table = direction === 'in' ? BOOT.relWordsIn : BOOT.relWords;
    const words = (table || BOOT.relWords || {})[state.lang] || {};
    return words[type] || type;
  }

  /** What can stand between two organisations in an introduction (views.INTRODUCERS). */
  const INTRODUCERS = new Set(['Organisation', 'Person', 'Project', 'Event', 'Challenge', 'Proposal']);

  /** Up to ``limit`` shortest paths (node id lists) from ``from`` to ``to`` of at most
   * ``maxHops`` steps over the links of ``graph`` (either direction), in a stable order. */
  function shortestChains(graph, from, to, maxHops, limit) {
    if (from === to) return [];
    const dist = { [from]: 0 };
    const before = {};
    let frontier = [from];
    for (let hop = 1; hop <= maxHops && frontier.length && !(to in dist); hop++) {
      const next = [];
      for (const id of frontier) {
        for (const link of graph.neighbours(id)) {
          if (!(link.id in dist)) { dist[link.id] = hop; next.push(link.id); before[link.id] = []; }
          if (dist[link.id] === hop && !before[link.id].includes(id)) before[link.id].push(id);
        }
      }
      frontier = next.sort();
    }
    if (!(to in dist)) return [];
    const out = [];
    const walk = (id, tail) => {
      if (out.length >= limit) return;
      if (id === from) { out.push([from, ...tail]); return; }
      for (const prev of [...before[id]].sort()) walk(prev, [id, ...tail]);
    };
    walk(to, []);
    return out;
  }

  /** Positions for a path view built here, as path_layout.py plans them: the first path along
   * the middle line from left to right, further paths' own nodes on lanes below and above;
   * every node named, boxes pushed apart. Returns the fit's scale and centre. */
  function planPathHere(nodes, chains) {
    const byId = new Map(nodes.map((n) => [n.id, n]));
    const start = chains[0][0];
    const goal = chains[0][chains[0].length - 1];
    for (const n of nodes) {
      const end = n.id === start || n.id === goal;
      n.sizePx = end ? 16 : 12;
      n.fontPx = end ? 15 : 14;
      n.labelled = true;
      n.ring = end ? 0 : 1;
    }
    const half = (n) => boxesPx(n).halfW;
    const reach = REFERENCE_CANVAS.w / 2 - EDGE_MARGIN - Math.max(half(byId.get(start)), half(byId.get(goal)));
    const at = new Map();
    const first = chains[0];
    const steps = Math.max(first.length - 1, 1);
    first.forEach((i, k) => at.set(i, [-reach + (2 * reach * k) / steps, 0]));
    chains.slice(1).forEach((chain, n) => {
      const y = 120 * Math.floor((n + 2) / 2) * (n % 2 === 0 ? 1 : -1);
      let k = 0;
      while (k < chain.length) {
        if (at.has(chain[k])) { k++; continue; }
        const begin = k - 1;
        let end = k;
        while (end < chain.length && !at.has(chain[end])) end++;
        const x0 = begin >= 0 ? at.get(chain[begin])[0] : -reach;
        const x1 = end < chain.length ? at.get(chain[end])[0] : reach;
        for (let j = k; j < end; j++) at.set(chain[j], [x0 + ((x1 - x0) * (j - begin)) / (end - begin), y]);
        k = end;
      }
    });
    const ys = [...at.values()].map((p) => p[1]);
    const shift = (Math.max(...ys) + Math.min(...ys)) / 2;
    for (const n of nodes) {
      const p = at.get(n.id) || [0, 0];
      n.x = p[0];
      n.y = p[1] - shift;
    }
    const fixed = byId.get(start);
    for (let round = 0; round < 6; round++) {
      if (!separate(nodes, 1, fixed)) break;
    }
    const boxes = nodes.map((n) => ({ n, b: boxesPx(n) }));
    const centre = {
      x: (Math.min(...boxes.map(({ n, b }) => n.x - b.halfW)) + Math.max(...boxes.map(({ n, b }) => n.x + b.halfW))) / 2,
      y: (Math.min(...boxes.map(({ n, b }) => n.y - b.top)) + Math.max(...boxes.map(({ n, b }) => n.y + b.bottom))) / 2,
    };
    return { scale: fitScale(nodes, centre, REFERENCE_CANVAS), centre: [centre.x, centre.y] };
  }

  const source = BOOT.mode === 'offline' ? offline : live;

  // ---- planning in the page: rings for offline ego views and expanded nodes ------------------

  function labelBox(label, fontPx) {
    const rows = String(label || '').split('\n');
    const width = Math.max(...rows.map((r) => r.length)) * GLYPH * fontPx + 8;
    return { w: width, h: rows.length * LINE * fontPx + 2 };
  }

  /** Radial positions and planned sizes, as layout.py makes them, for views built here. */
  function planRadial(nodes, edges, focus) {
    const byRing = {};
    const adj = {};
    for (const e of edges) {
      (adj[e.from] = adj[e.from] || []).push(e.to);
      (adj[e.to] = adj[e.to] || []).push(e.from);
    }
    for (const n of nodes) (byRing[n.ring || 0] = byRing[n.ring || 0] || []).push(n);
    const angle = {};
    let radius = 0;
    for (const ring of Object.keys(byRing).map(Number).sort((a, b) => a - b)) {
      const list = byRing[ring];
      if (ring === 0) {
        for (const n of list) { n.x = 0; n.y = 0; angle[n.id] = 0; }
        continue;
      }
      const want = {};
      for (const n of list) {
        const inner = (adj[n.id] || []).filter((m) => m in angle);
        want[n.id] = inner.length ? (Math.atan2(inner.reduce((s, m) => s + Math.sin(angle[m]), 0),
          inner.reduce((s, m) => s + Math.cos(angle[m]), 0)) + 2 * Math.PI) % (2 * Math.PI) : 0;
      }
      if (ring === 1) list.sort((a, b) => (a.type > b.type ? 1 : a.type < b.type ? -1 : 0) || (a.id > b.id ? 1 : -1));
      else list.sort((a, b) => want[a.id] - want[b.id]);
      radius = Math.max(radius + (ring === 1 ? 190 : 170), list.length * 34 / (2 * Math.PI));
      list.forEach((n, i) => {
        const a = -Math.PI / 2 + (2 * Math.PI * i) / list.length;
        const r = radius * (list.length < 24 || i % 2 === 0 ? 1 : 1.16);
        angle[n.id] = a;
        n.x = r * Math.cos(a);
        n.y = r * Math.sin(a);
      });
    }
    // a small view names every node and pushes the boxes apart to make room for the names;
    // a larger one is planned as layout.plan_picture plans the live explorer's (below)
    const nameAll = nodes.length <= NAME_ALL_UP_TO;
    for (const n of nodes) {
      const ring = n.ring || 0;
      n.sizePx = ring === 0 ? 16 : ring === 1 ? 10 : 7;
      n.fontPx = ring === 0 ? 15 : ring === 1 ? 13 : 12;
      n.labelled = ring <= 1 || nameAll;
    }
    const fixed = nodes.find((n) => n.id === focus);
    if (!nameAll) return planLikeServer(nodes, edges, fixed);
    for (let round = 0; round < 6; round++) {
      const s = fitScale(nodes, { x: 0, y: 0 }, canvasSize());
      if (!separate(nodes, s, fixed)) break;
    }
    return null;
  }

  /** The steps of layout.plan_picture for a view built here, on the same reference canvas:
   * the rings stretched over the frame (an ellipse on a wide canvas, few nodes near the
   * middle), every box at the free spot nearest to where the rings put it (the page's own
   * placement for a window, ``replan``, at the plan's size), the fit, then the names beyond the
   * first ring where they fit. The picture's extent is bounded by the frame, so the fit never
   * shrinks without limit (the older pairwise push-apart could). Returns the plan's fit scale
   * and centre, as the server's answer carries them. */
  function planLikeServer(nodes, edges, focusNode) {
    const degree = new Map();
    for (const e of edges) for (const id of [e.from, e.to]) degree.set(id, (degree.get(id) || 0) + 1);
    for (const n of nodes) n.degree = degree.get(n.id) || 0;
    const frame = { w: REFERENCE_CANVAS.w / 2 - EDGE_MARGIN, h: REFERENCE_CANVAS.h / 2 - EDGE_MARGIN };
    const boxes = nodes.map((n) => boxesPx(n));
    const spreadX = Math.max(...nodes.map((n) => Math.abs(n.x))) || 1;
    const spreadY = Math.max(...nodes.map((n) => Math.abs(n.y))) || 1;
    const fill = Math.min(1, 0.25 + 0.12 * Math.sqrt(nodes.length));
    const kx = (frame.w - Math.max(...boxes.map((b) => b.halfW))) * fill / spreadX;
    const ky = (frame.h - Math.max(...boxes.map((b) => b.bottom))) * fill / spreadY;
    for (const n of nodes) { n.x *= kx; n.y *= ky; }
    replan(nodes, { x: 0, y: 0 }, 1, 1, focusNode || null, frame);
    for (const n of nodes) n.noRoom = false;  // the window's placement decides again (draw)
    nameWhereRoom(nodes, edges, REFERENCE_CANVAS);
    return { scale: fitScale(nodes, { x: 0, y: 0 }, REFERENCE_CANVAS), centre: [0, 0] };
  }

  /** Names beyond the first ring where they fit at the first fit, the best-linked first, as
   * layout.py plans them; the other names appear as one zooms in (the best-linked at 1.5
   * times the fit, the least at 4 times). */
  function nameWhereRoom(nodes, edges, size) {
    const degree = new Map();
    for (const e of edges) for (const id of [e.from, e.to]) degree.set(id, (degree.get(id) || 0) + 1);
    const s = fitScale(nodes, { x: 0, y: 0 }, size);
    const halfW = size.w / 2 - EDGE_MARGIN;
    const halfH = size.h / 2 - EDGE_MARGIN;
    const work = { exact: 0 };
    const taken = boxHash(work);
    const boxAt = (n) => {
      const b = boxesPx(n);
      return [n.x * s - b.halfW, n.y * s - b.top, n.x * s + b.halfW, n.y * s + b.bottom];
    };
    for (const n of nodes) taken.add(...boxAt(n), n.id);
    const rest = nodes.filter((n) => !n.labelled)
      .sort((a, b) => (degree.get(b.id) || 0) - (degree.get(a.id) || 0) || (a.id > b.id ? 1 : -1));
    const hidden = [];
    for (const n of rest) {
      n.labelled = true;
      const [l, t, r, b] = boxAt(n);
      if (l >= -halfW && r <= halfW && t >= -halfH && b <= halfH && taken.clear(l, t, r, b, n.id)) {
        taken.add(l, t, r, b, n.id);
      } else {
        n.labelled = false;
        hidden.push(n);
      }
    }
    hidden.forEach((n, rank) => {
      const zoom = 1.5 + 2.5 * rank / Math.max(hidden.length - 1, 1);
      n.fontPx = Math.min(n.fontPx, (DRAW_THRESHOLD + 1.5) / zoom);
    });
  }

  /** How far a label of ``lines`` lines at ``px`` reaches below its dot (vis-network draws a
   * line about ``px`` high, 7-8 px under the dot; this keeps 2-3 px to spare). */
  function labelDrop(px, lines) {
    return 5 + px * (lines + 0.3) + 2;
  }

  /** A node's box in CSS px: its dot, and its label below it when shown. ``measured``: the
   * label's box as the culling draws it (computeCulled: the page's font measured, not the
   * server's estimate GLYPH), a pixel apart, so a window's placement packs no looser than it
   * culls. */
  function boxesPx(n, measured) {
    const size = n.sizePx || 8;
    const shown = n.labelled && !n.noRoom;  // a label the window has no room for is culled
    const font = n.fontPx || 12;
    if (measured && shown && n.label) {
      const bold = n.id === focusId() ? 1.08 : 1;
      const lines = String(n.label).split('\n').length;
      return { halfW: Math.max(size, textWidth(n.label) * font * bold / 2 + 3) + 1, top: size + 1,
        bottom: size + labelDrop(font, lines) + 1 };
    }
    const box = labelBox(n.label, font);
    return {
      halfW: (shown ? Math.max(size, box.w / 2) : size) + PAD,
      top: size + PAD,
      bottom: size + (shown ? box.h + 2 : 0) + PAD,
    };
  }

  /** Push overlapping boxes apart (canvas units at scale s); true if anything moved. Only
   * ``movable`` nodes move when given (new neighbours around the planned picture). */
  function separate(nodes, s, fixed, movable) {
    const boxes = nodes.map((n) => boxesPx(n));
    const canMove = (n) => n !== fixed && (!movable || movable.has(n.id));
    let moved = false;
    for (let round = 0; round < 120; round++) {
      let any = false;
      for (let i = 0; i < nodes.length; i++) {
        for (let j = i + 1; j < nodes.length; j++) {
          const a = nodes[i];
          const b = nodes[j];
          if (!canMove(a) && !canMove(b)) continue;
          const ba = boxes[i];
          const bb = boxes[j];
          const dx = a.x - b.x;
          const ay = a.y + (ba.bottom - ba.top) / 2 / s;
          const by = b.y + (bb.bottom - bb.top) / 2 / s;
          const dy = ay - by;
          const ox = (ba.halfW + bb.halfW) / s - Math.abs(dx);
          const oy = ((ba.top + ba.bottom) / 2 + (bb.top + bb.bottom) / 2) / s - Math.abs(dy);
          if (ox <= 0 || oy <= 0) continue;
          any = true;
          const alongX = ox <= oy;
          const push = (alongX ? ox : oy) / 2 + 0.5;
          const sign = (alongX ? dx : dy) === 0 ? (i < j ? -1 : 1) : Math.sign(alongX ? dx : dy);
          const ma = !canMove(a) ? 0 : !canMove(b) ? 2 : 1;
          const mb = !canMove(b) ? 0 : !canMove(a) ? 2 : 1;
          if (alongX) { a.x += sign * push * ma; b.x -= sign * push * mb; } else { a.y += sign * push * ma; b.y -= sign * push * mb; }
        }
      }
      if (!any) break;
      moved = true;
    }
    return moved;
  }

  /** Boxes in a hash of 64-unit cells: whether a box overlaps none of them is tested exactly
   * against the boxes near it only (``except``: one box's id to pass over). ``work.exact``
   * counts the boxes compared. */
  function boxHash(work) {
    const HASH = 64;
    const hash = new Map();
    const key = (gx, gy) => (gx + 4096) * 8192 + (gy + 4096);
    let stamp = 0;
    return {
      clear(l, t, r, b, except) {
        stamp += 1;
        for (let gx = Math.floor(l / HASH); gx <= Math.floor(r / HASH); gx++) {
          for (let gy = Math.floor(t / HASH); gy <= Math.floor(b / HASH); gy++) {
            const list = hash.get(key(gx, gy));
            if (!list) continue;
            for (const o of list) {
              if (o.stamp === stamp) continue;
              o.stamp = stamp;
              work.exact += 1;
              if (o.l < r && l < o.r && o.t < b && t < o.b && (except === undefined || o.id !== except)) return false;
            }
          }
        }
        return true;
      },
      add(l, t, r, b, id) {
        const box = { l, t, r, b, id, stamp: 0 };
        for (let gx = Math.floor(l / HASH); gx <= Math.floor(r / HASH); gx++) {
          for (let gy = Math.floor(t / HASH); gy <= Math.floor(b / HASH); gy++) {
            const k = key(gx, gy);
            if (!hash.has(k)) hash.set(k, []);
            hash.get(k).push(box);
          }
        }
      },
    };
  }

  // candidate offsets around a wanted point, nearest first (CSS px), as layout.py's spiral
  const SPIRAL_STEP = 8;
  const SPIRAL = (() => {  // x0, y0, x1, y1, ... as one typed array (fast to walk)
    const points = [0, 0];
    for (let r = SPIRAL_STEP; r <= 1000; r += SPIRAL_STEP) {
      const count = Math.max(8, Math.floor((2 * Math.PI * r) / SPIRAL_STEP));
      for (let i = 0; i < count; i++) {
        const a = (2 * Math.PI * i) / count;
        points.push(r * Math.cos(a), r * Math.sin(a));
      }
    }
    return Float64Array.from(points);
  })();
  /** How many points of the spiral lie within ``radius`` (it goes ring by ring outwards). */
  const SPIRAL_RINGS = (() => {
    const ends = [1];
    for (let r = SPIRAL_STEP; r <= 1000; r += SPIRAL_STEP) {
      ends.push(ends[ends.length - 1] + Math.max(8, Math.floor((2 * Math.PI * r) / SPIRAL_STEP)));
    }
    return ends;
  })();
  const SPIRAL_COUNT = (radius) => SPIRAL_RINGS[Math.min(SPIRAL_RINGS.length - 1, Math.max(0, Math.floor(radius / SPIRAL_STEP)))];

  /** Place every box again for a window whose fit is ``q`` times the plan's, as the server
   * plans for the reference window: in the plan's frame, with every box 1/q times its size on
   * screen, in order of importance (the focus, the labelled nodes, then by planned label size
   * and links), each at the free spot nearest to where the plan put it. Boxes are sized by q
   * (steps of 5 %: a slightly different window gets the same boxes) except in a small window
   * (q < SATELLITES_BELOW), where room is short and they are sized by the drawn ``ratio``
   * itself. Positions change only when some boxes overlap; true if anything moved. */
  function replan(nodes, centre, planned, q, focusNode, frame, ratio) {
    const t0 = performance.now();
    const work = { spots: 0, exact: 0, boxes: nodes.length, labelsWithoutRoom: 0, stuck: 0 };
    X.placeWork = work;
    let halfW = frame.w;
    let halfH = frame.h;
    // a small window: boxes as large as the page draws them (measured), and an ego view with
    // an outer ring fills the window's own shape (the plan's picture stretched to it) with its
    // names, the outer ring beside them (placeSatellites)
    const measured = q < SATELLITES_BELOW;
    work.measured = measured;
    // measured boxes at their size on screen (the picture is drawn at ``ratio``), not rounded
    // down to q's steps of 5 % (which makes them up to 10 % larger than drawn)
    const unit = measured && ratio ? ratio : q;
    const small = measured && !!focusNode
      && nodes.filter((n) => !n.labelled && (n.ring || 0) >= 2).length >= SATELLITES_FROM;
    const sx = small ? Math.max(1, frame.w / (REFERENCE_CANVAS.w / 2 - EDGE_MARGIN)) : 1;
    const sy = small ? Math.max(1, frame.h / (REFERENCE_CANVAS.h / 2 - EDGE_MARGIN)) : 1;
    const items = nodes.map((n) => {
      const px = boxesPx(n, measured);
      const b = { halfW: px.halfW / unit, top: px.top / unit, bottom: px.bottom / unit };
      return { n, b, x: (n.x - centre.x) * planned * sx, y: (n.y - centre.y) * planned * sy };
    });
    const hit = (a, bx, by) => Math.abs(a.x - bx.x) < a.b.halfW + bx.b.halfW
      && a.y - a.b.top < by + bx.b.bottom && by - bx.b.top < a.y + a.b.bottom;
    // nothing overlaps: keep the picture as planned
    const asPlanned = boxHash(work);
    let clash = false;
    for (const it of items) {
      const l = it.x - it.b.halfW;
      const r = it.x + it.b.halfW;
      const t = it.y - it.b.top;
      const bottom = it.y + it.b.bottom;
      if (!asPlanned.clear(l, t, r, bottom)) { clash = true; break; }
      asPlanned.add(l, t, r, bottom);
    }
    if (!clash) return false;
    const rank = (it) => [it.n === focusNode ? 0 : 1, it.n.labelled ? 0 : 1, it.n.ring || 0,
      -(it.n.fontPx || 0), -(it.n.degree || 0), it.n.id];
    const order = items.map((it) => ({ it, key: rank(it) }))
      .sort((a, c) => compareRank(a.key, c.key)).map((o) => o.it);
    // a grid of placed boxes keeps the free-spot test cheap
    const CELL = 64;
    const grid = new Map();
    const cellKey = (gx, gy) => (gx + 4096) * 8192 + (gy + 4096);
    const inGrid = new Set();
    const put = (it) => {
      inGrid.add(it);
      for (let gx = Math.floor((it.x - it.b.halfW) / CELL); gx <= Math.floor((it.x + it.b.halfW) / CELL); gx++) {
        for (let gy = Math.floor((it.y - it.b.top) / CELL); gy <= Math.floor((it.y + it.b.bottom) / CELL); gy++) {
          const key = cellKey(gx, gy);
          if (!grid.has(key)) grid.set(key, []);
          grid.get(key).push(it);
        }
      }
    };
    let stamp = 0;
    const free = (it, x, y) => {
      stamp += 1;
      const l = x - it.b.halfW;
      const r = x + it.b.halfW;
      const t = y - it.b.top;
      const bottom = y + it.b.bottom;
      for (let gx = Math.floor(l / CELL); gx <= Math.floor(r / CELL); gx++) {
        for (let gy = Math.floor(t / CELL); gy <= Math.floor(bottom / CELL); gy++) {
          const list = grid.get(cellKey(gx, gy));
          if (!list) continue;
          for (const o of list) {
            if (o.stamp === stamp) continue;
            o.stamp = stamp;
            work.exact += 1;
            if (o.x - o.b.halfW < r && l < o.x + o.b.halfW && o.y - o.b.top < bottom && t < o.y + o.b.bottom) return false;
          }
        }
      }
      return true;
    };
    // sizes that found no room: boxes are only ever added, so one at least as large finds none
    const failed = [];
    const nearestFree = (it) => {
      const b = it.b;
      if (failed.some((f) => b.halfW >= f.halfW && b.top >= f.top && b.bottom >= f.bottom)) return null;
      // no spot farther than the frame's farthest corner lies inside it
      const reach = Math.hypot(Math.abs(it.x) + halfW, Math.abs(it.y) + halfH);
      const last = 2 * SPIRAL_COUNT(reach);
      for (let k = 0; k < last; k += 2) {
        work.spots += 1;
        const x = it.x + SPIRAL[k];
        const y = it.y + SPIRAL[k + 1];
        if (Math.abs(x) + b.halfW > halfW || y - b.top < -halfH || y + b.bottom > halfH) continue;
        if (free(it, x, y)) return [x, y];
      }
      failed.push(b);
      return null;
    };
    // dots without a name at the first fit that the nearest free spot would pile up (at the
    // frame's edge, in a crowded corner) are spread over the room left, after the named ones
    let later = [];
    // a small window's outer ring (unnamed at the first fit, two steps or more from the focus)
    // is placed after every name, beside the names (below)
    const outerRing = new Set(small ? items.filter((it) => !it.n.labelled && (it.n.ring || 0) >= 2) : []);
    const outside = (it) => Math.abs(it.x) + it.b.halfW > halfW || it.y - it.b.top < -halfH || it.y + it.b.bottom > halfH;
    const wanted = items.map((it) => [it.x, it.y, it.b]);
    const placeNamed = () => {
    later = [];
    for (const it of order) {
      if (outerRing.has(it)) continue;
      if (it.n !== focusNode) {
        if (!it.n.labelled && outside(it)) { later.push(it); continue; }
        let spot = nearestFree(it);
        if (!spot) {
          // no room for the label: the dot alone is placed later (its label is culled then,
          // and gives way to every other: computeCulled)
          it.n.noRoom = true;
          work.labelsWithoutRoom += 1;
          const dot = ((it.n.sizePx || 8) + PAD) / unit;
          it.b = { halfW: dot, top: dot, bottom: dot };
          later.push(it);
          continue;
        }
        [it.x, it.y] = spot;
      }
      put(it);
    }
    };
    placeNamed();
    if (small && work.labelsWithoutRoom) {
      // some names found no room: the plan drawn in tighter or wider may pack them better;
      // the first that names all, else the one that names most (the same for the same window)
      const attempt = (f) => {
        grid.clear();
        inGrid.clear();
        failed.length = 0;
        work.labelsWithoutRoom = 0;
        items.forEach((it, i) => { it.x = wanted[i][0] * f; it.y = wanted[i][1] * f; it.b = wanted[i][2]; it.n.noRoom = false; });
        placeNamed();
        return work.labelsWithoutRoom;
      };
      let best = { f: 1, miss: work.labelsWithoutRoom };
      let last = 1;
      for (const f of [0.85, 1.15, 0.7]) {
        const miss = attempt(f);
        last = f;
        if (miss < best.miss) best = { f, miss };
        if (!miss) break;
      }
      if (last !== best.f) attempt(best.f);
      work.drawnAt = best.f;
    }
    const ringed = [];
    if (later.length >= 12 && later.length >= items.length / 5) {
      // Crowded: more dots than names find room. The named nodes are placed again inside an
      // inner frame and the unnamed ones go on a ring around them, evenly, in the plan's order
      // of directions (a rounded rectangle that the window holds): one orderly ring, not piles.
      halfW = frame.w * 0.84;
      halfH = frame.h * 0.84;
      grid.clear();
      failed.length = 0;
      work.labelsWithoutRoom = 0;
      items.forEach((it, i) => { [it.x, it.y, it.b] = wanted[i]; it.n.noRoom = false; });
      placeNamed();
      halfW = frame.w;
      halfH = frame.h;
      const dotR = Math.max(...later.map((it) => ((it.n.sizePx || 8) + PAD) / q));
      for (const it of later) it.b = { halfW: dotR, top: dotR, bottom: dotR };
      const dir = (x, y) => (Math.atan2(y / frame.h, x / frame.w) + 2 * Math.PI) % (2 * Math.PI);
      const spots = ringSpots(later.length, frame.w - dotR - 2, frame.h - dotR - 2)
        .sort((p, r) => dir(p[0], p[1]) - dir(r[0], r[1]));
      const byDir = later.map((it) => ({ it, a: dir(it.x, it.y) })).sort((a, b) => a.a - b.a || compareRank(rank(a.it), rank(b.it)));
      // the rotation that keeps each dot nearest its direction: start at the first one's
      const first = spots.findIndex((p) => dir(p[0], p[1]) >= byDir[0].a);
      byDir.forEach(({ it }, k) => {
        const [x, y] = spots[(Math.max(first, 0) + k) % spots.length];
        if (free(it, x, y)) { it.x = x; it.y = y; put(it); ringed.push(it); }
      });
      later = later.filter((it) => !ringed.includes(it));
      work.ringed = ringed.length;
    }
    if (outerRing.size) {
      // the names' boxes as a dot and a label: the row beside a named dot is free
      const kept = [...inGrid];
      grid.clear();
      inGrid.clear();
      for (const it of kept) {
        if (!it.n.labelled || it.n.noRoom) { put(it); continue; }
        const s = (it.n.sizePx || 8) / unit;
        const d = s + PAD / unit;
        put({ n: it.n, x: it.x, y: it.y, b: { halfW: d, top: d, bottom: s } });
        put({ n: it.n, x: it.x, y: it.y, b: { halfW: it.b.halfW, top: -s, bottom: it.b.bottom } });
      }
      later.push(...placeSatellites([...outerRing], items, unit, frame, work, free, put, rank, nearestFree));
    }
    spreadDots(later, items.filter((it) => !later.includes(it)), q, frame, work);
    for (const it of later) put(it);
    for (const it of items) {
      it.n.x = centre.x + it.x / planned;
      it.n.y = centre.y + it.y / planned;
    }
    work.ms = performance.now() - t0;
    return true;
  }

  /** Each unnamed node of an ego view's outer ring (``dots``, in order of importance) beside a
   * named node it hangs on (the one with the fewest links first: a person's organisation
   * before a topic it shares; among equals the nearest to where the plan put it): in the row
   * of that node's dot, left free above its name, outwards first, or a row higher; else at the
   * free spot nearest to it. In a small window the names fill the room an outer ring would
   * need, and the nearest free spot piled these dots along the window's edges. Returns the
   * dots without a spot (spread over the room left, spreadDots). */
  function placeSatellites(dots, items, q, frame, work, free, put, rank, nearestFree) {
    const byId = new Map(items.map((it) => [it.n.id, it]));
    const adjacent = new Map();
    for (const e of state.edges.values()) {
      for (const [a, b] of [[e.from, e.to], [e.to, e.from]]) {
        if (!adjacent.has(a)) adjacent.set(a, []);
        adjacent.get(a).push(b);
      }
    }
    const order = dots.map((it) => ({ it, key: rank(it) })).sort((p, c) => compareRank(p.key, c.key)).map((o) => o.it);
    const left = [];
    let placed = 0;
    for (const it of order) {
      const hosts = (adjacent.get(it.n.id) || []).map((id) => byId.get(id))
        .filter((h) => h && h.n.labelled && !h.n.noRoom && (h.n.ring || 0) < (it.n.ring || 0))
        // the most specific host first (a person's organisation before a topic it shares)
        .sort((a, b) => (adjacent.get(a.n.id) || []).length - (adjacent.get(b.n.id) || []).length
          || Math.hypot(a.x - it.x, a.y - it.y) - Math.hypot(b.x - it.x, b.y - it.y));
      const r = it.b.halfW;
      let spot = null;
      for (const h of hosts.slice(0, 3)) {
        const s = (h.n.sizePx || 8) / q;
        const out = h.x >= 0 ? 1 : -1;
        const row = h.y + s - r;
        for (let k = 0; k < SATELLITE_SPOTS && !spot; k++) {
          for (const side of [out, -out]) {
            for (const y of [row, row - 2 * r]) {
              const x = h.x + side * (s + PAD / q + r + 2 * r * k);
              if (!spot && Math.abs(x) + r <= frame.w && Math.abs(y) + r <= frame.h && free(it, x, y)) spot = [x, y];
            }
          }
        }
        if (spot) break;
      }
      if (!spot && hosts.length) {
        // no room beside it: the free spot nearest to its first host
        const wanted = [it.x, it.y];
        [it.x, it.y] = [hosts[0].x, hosts[0].y];
        spot = nearestFree(it);
        if (!spot) [it.x, it.y] = wanted;
      }
      if (!spot) { left.push(it); continue; }
      [it.x, it.y] = spot;
      put(it);
      placed += 1;
    }
    work.satellites = placed;
    return left;
  }

  /** ``count`` points evenly spaced along a rounded rectangle (|x/a|^6 + |y/b|^6 = 1). */
  function ringSpots(count, a, b) {
    const curve = [];
    const STEPS = 720;
    for (let i = 0; i <= STEPS; i++) {
      const t = -Math.PI + (2 * Math.PI * i) / STEPS;
      const c = Math.cos(t);
      const s = Math.sin(t);
      curve.push([a * Math.sign(c) * Math.abs(c) ** (1 / 3), b * Math.sign(s) * Math.abs(s) ** (1 / 3)]);
    }
    const along = [0];
    for (let i = 1; i < curve.length; i++) {
      along.push(along[i - 1] + Math.hypot(curve[i][0] - curve[i - 1][0], curve[i][1] - curve[i - 1][1]));
    }
    const total = along[along.length - 1];
    const out = [];
    let j = 0;
    for (let k = 0; k < count; k++) {
      const want = ((k + 0.5) / count) * total;
      while (j < along.length - 2 && along[j + 1] < want) j += 1;
      out.push(curve[j]);
    }
    return out;
  }

  /** Place ``dots`` (items with a dot-sized box, in order of importance) evenly over the room
   * the ``placed`` boxes leave inside the frame: each goes to a free spot at least a fair share
   * of the room away from every box placed (or as far as any spot is), the nearest such spot to
   * where the plan wanted it. So a crowded view shows its unnamed nodes spread out, as on
   * rings around the named ones, never as a pile at the window's edge. */
  function spreadDots(dots, placed, q, frame, work) {
    if (!dots.length) return;
    const step = 9 / q;
    const xs = [];
    const ys = [];
    const cols = Math.max(1, Math.floor((2 * frame.w) / step));
    const rows = Math.max(1, Math.floor((2 * frame.h) / step));
    for (let iy = 0; iy < rows; iy++) {
      for (let ix = 0; ix < cols; ix++) { xs.push(-frame.w + step * (ix + 0.5)); ys.push(-frame.h + step * (iy + 0.5)); }
    }
    const count = xs.length;
    // distance to the nearest box, known up to `far` (spots farther from every box: `far`)
    const far = 200 / q;
    const clear = new Float64Array(count).fill(far);
    const mark = (it) => {
      const l = it.x - it.b.halfW;
      const r = it.x + it.b.halfW;
      const t = it.y - it.b.top;
      const b = it.y + it.b.bottom;
      const ix0 = Math.max(0, Math.floor((l - far + frame.w) / step));
      const ix1 = Math.min(cols - 1, Math.ceil((r + far + frame.w) / step));
      const iy0 = Math.max(0, Math.floor((t - far + frame.h) / step));
      const iy1 = Math.min(rows - 1, Math.ceil((b + far + frame.h) / step));
      for (let iy = iy0; iy <= iy1; iy++) {
        const y = ys[iy * cols];
        const dy = Math.max(t - y, 0, y - b);
        for (let ix = ix0; ix <= ix1; ix++) {
          const c = iy * cols + ix;
          const x = xs[c];
          const d = Math.hypot(Math.max(l - x, 0, x - r), dy);
          if (d < clear[c]) clear[c] = d;
        }
        work.spread += ix1 - ix0 + 1;
      }
    };
    work.spread = 0;
    for (const it of placed) mark(it);
    // the fair share: the room left free, divided among the dots (a square each)
    const r0 = Math.max(...dots.map((it) => it.b.halfW));
    let room = 0;
    for (let c = 0; c < count; c++) if (clear[c] > r0) room += 1;
    const share = 1.1 * Math.sqrt(room * step * step / dots.length);
    for (const it of dots) {
      const r = it.b.halfW;
      // where the plan wanted it, drawn into the window (not to its edge): same direction
      const out = Math.max(Math.abs(it.x) / (0.85 * frame.w), Math.abs(it.y) / (0.85 * frame.h), 1);
      const wx = it.x / out;
      const wy = it.y / out;
      let best = -1;
      let bestClear = -1;
      let bestDist = Infinity;
      for (let c = 0; c < count; c++) {
        if (clear[c] <= r || Math.abs(xs[c]) + r > frame.w || Math.abs(ys[c]) + r > frame.h) continue;
        // the window's edge counts as a neighbour at half the distance: no row along it
        const edge = 2 * Math.min(frame.w - Math.abs(xs[c]), frame.h - Math.abs(ys[c]));
        const capped = Math.min(clear[c], edge, share + r);
        const dist = (xs[c] - wx) ** 2 + (ys[c] - wy) ** 2;
        if (capped > bestClear + 1e-9 || (capped > bestClear - 1e-9 && dist < bestDist)) {
          best = c; bestClear = capped; bestDist = dist;
        }
      }
      if (best < 0) { work.stuck += 1; continue; }  // no room at all: it stays where it was
      it.x = xs[best];
      it.y = ys[best];
      mark(it);
    }
  }

  function canvasSize() {
    const box = $('canvas').getBoundingClientRect();
    return { w: box.width || 1080, h: box.height || 760 };
  }

  /** The largest scale at which every planned box lies inside the canvas, centred on centre. */
  function fitScale(nodes, centre, size, measured) {
    const halfW = size.w / 2 - EDGE_MARGIN;
    const halfH = size.h / 2 - EDGE_MARGIN;
    let s = 1.3;
    for (const n of nodes) {
      const b = boxesPx(n, measured);
      const dx = Math.abs(n.x - centre.x);
      const up = centre.y - n.y;
      const down = n.y - centre.y;
      if (dx > 1e-9) s = Math.min(s, (halfW - b.halfW) / dx);
      if (up > 1e-9) s = Math.min(s, (halfH - b.top) / up);
      if (down > 1e-9) s = Math.min(s, (halfH - b.bottom) / down);
    }
    return Math.max(s, 0.02);
  }

  // ---- the network ---------------------------------------------------------------------------

  let network = null;
  let nodesDS = null;
  let edgesDS = null;

  function tip(text) {
    const e = document.createElement('div');
    e.className = 'tip';
    e.textContent = text || '';
    return e;
  }

  function colourOf(n) {
    if (state.view.colour === 'community' && !n.aggregate) return n.communityColour || NO_COMMUNITY;
    return n.colour;
  }

  const sizeMax = { nodes: null, metric: '', max: 0 };  // the largest value, once per picture

  function sizeFactor(n) {
    const metric = state.view.size;
    if (!metric || n.aggregate) return 1;
    if (sizeMax.nodes !== state.nodes || sizeMax.metric !== metric) {
      const values = [...state.nodes.values()].map((m) => (m.metrics || {})[metric]).filter((v) => v !== undefined);
      Object.assign(sizeMax, { nodes: state.nodes, metric, max: Math.max(...values, 0) });
    }
    const max = sizeMax.max;
    const v = (n.metrics || {})[metric];
    if (v === undefined || max <= 0) return 0.6;
    return 0.6 + 1.4 * Math.sqrt(v / max);
  }

  /** The node in the middle: the view's focus, or the organisation the first picture starts at. */
  function focusId() {
    return state.view.focus || (state.base && state.base.start ? state.base.focus : null);
  }

  /** A label's size on screen (CSS px) at vis-network scale ``zoom``: it grows with the zoom
   * up to LABEL_CAP_PX (or its planned size at the first fit, if larger), then stays. */
  function screenFontPx(n, zoom) {
    const planned = n.fontPx || 12;
    const size = Math.min(planned * zoom / state.scale, Math.max(planned, LABEL_CAP_PX));
    return state.revealed.has(n.id) ? Math.max(size, REVEAL_PX) : size;
  }

  /** The label's size in canvas units: as planned, capped on screen, or too small to draw when
   * culled. */
  function labelSize(n) {
    return state.culled.has(n.id) ? CULLED_FONT : screenFontPx(n, state.zoom) / state.zoom;
  }

  // ---- labels that would collide at the current zoom are culled, least important first ------

  const measureCtx = document.createElement('canvas').getContext('2d');
  const widthPerPx = new Map();  // label -> width of its widest line at a 1 px font

  function textWidth(label) {
    if (!widthPerPx.has(label)) {
      measureCtx.font = '100px ' + FACE;
      const rows = String(label || '').split('\n');
      widthPerPx.set(label, Math.max(...rows.map((r) => measureCtx.measureText(r).width)) / 100);
    }
    return widthPerPx.get(label);
  }

  /** Drawing order of labels when they compete for room: the focus, the chosen path, the
   * labels planned for the first fit, then by planned size (the plan gives more important
   * nodes' labels a larger size), then by number of links. */
  function labelRank(n) {
    const chosen = chosenPath();
    return [n.id === focusId() ? 0 : 1, chosen && chosen.ids.has(n.id) ? 0 : 1,
      n.id === state.selected || n.id === state.hovered ? 0 : 1, state.revealed.has(n.id) ? 0 : 1,
      n.labelled && !n.noRoom ? 0 : 1, -(n.fontPx || 0), -(n.degree || 0), n.id];
  }

  function compareRank(a, b) {
    for (let i = 0; i < a.length; i++) {
      if (a[i] < b[i]) return -1;
      if (a[i] > b[i]) return 1;
    }
    return 0;
  }

  /** Which labels to hide so that no two drawn labels overlap at the current zoom. A label
   * is drawn by vis-network when its size on screen reaches (DRAW_THRESHOLD - 1) px; its box
   * (estimated from the measured text, a little larger than vis-network's own) hangs under the
   * dot. Labels not planned for the first fit also give way to other nodes' dots. */
  function computeCulled(zoom, ids, middle) {
    const t0 = performance.now();
    const work = { exact: 0, boxes: 0 };
    X.cullWork = work;
    const boxes = [];
    const dots = boxHash(work);
    for (const n of state.nodes.values()) {
      if (!ids.has(n.id)) continue;
      const r = (n.sizePx || 8) * sizeFactor(n) / state.scale * zoom;
      dots.add(n.x * zoom - r, n.y * zoom - r, n.x * zoom + r, n.y * zoom + r, n.id);
      const px = screenFontPx(n, zoom);
      if (!n.label || px < DRAW_THRESHOLD - 1) continue;
      const half = textWidth(n.label) * px / 2 + 3;
      const lines = String(n.label).split('\n').length;
      const x = n.x * zoom;
      const y = n.y * zoom;
      // among equals, the names nearest the middle of the view first (where one zoomed in)
      const key = labelRank(n);
      key.splice(key.length - 1, 0, Math.round(Math.hypot(n.x - middle.x, n.y - middle.y) * zoom / 40));
      boxes.push({ n, key, left: x - half, right: x + half, top: y + r, bottom: y + r + labelDrop(px, lines) });
    }
    work.boxes = boxes.length;
    boxes.sort((a, b) => compareRank(a.key, b.key));
    const kept = boxHash(work);
    const culled = new Set();
    const focus = focusId();
    // the drawing area in the same units: a label the placement found no room for is drawn
    // only where it lies wholly inside it (not cut by the window's edge)
    const size = canvasSize();
    const view = { left: middle.x * zoom - size.w / 2, right: middle.x * zoom + size.w / 2,
      top: middle.y * zoom - size.h / 2, bottom: middle.y * zoom + size.h / 2 };
    for (const box of boxes) {
      let free = kept.clear(box.left, box.top, box.right, box.bottom);
      if (free && box.n.noRoom) {
        free = box.left >= view.left && box.right <= view.right && box.top >= view.top && box.bottom <= view.bottom;
      }
      if (free && (!box.n.labelled || box.n.noRoom) && box.n.id !== focus && !state.revealed.has(box.n.id)) {
        free = dots.clear(box.left, box.top, box.right, box.bottom, box.n.id);
      }
      if (free) kept.add(box.left, box.top, box.right, box.bottom);
      else culled.add(box.n.id);
    }
    work.ms = performance.now() - t0;
    return culled;
  }

  let cullFrame = 0;
  function recull() {
    cullFrame = 0;
    if (!nodesDS || !state.nodes.size) return;
    const zoom = network.getScale();
    const next = computeCulled(zoom, new Set(nodesDS.getIds()), network.getViewPosition());
    const changed = [...new Set([...next, ...state.culled])].filter((id) => next.has(id) !== state.culled.has(id));
    // labels at their cap keep their size on screen: their size in canvas units follows the zoom
    const before = state.zoom;
    state.zoom = zoom;
    if (state.revealChanged.size) {
      for (const id of state.revealChanged) if (!changed.includes(id)) changed.push(id);
      state.revealChanged = new Set();
    }
    if (before !== zoom) {
      const flagged = new Set(changed);
      for (const id of nodesDS.getIds()) {
        const n = state.nodes.get(id);
        if (n && !next.has(id) && Math.abs(screenFontPx(n, zoom) / zoom - screenFontPx(n, before) / before) > 1e-9) flagged.add(id);
      }
      changed.splice(0, changed.length, ...flagged);
    }
    state.culled = next;
    if (changed.length) nodesDS.update(changed.filter((id) => state.nodes.has(id) && nodesDS.get(id)).map((id) => styled(state.nodes.get(id))));
  }

  function scheduleRecull() {
    if (!cullFrame) cullFrame = requestAnimationFrame(recull);
  }

  function styled(n) {
    const s = state.scale;
    const faded = state.faded.has(n.id);
    const colour = faded ? FADED : colourOf(n);
    const focus = n.id === focusId();
    const selected = n.id === state.selected;
    const chosen = chosenPath();
    if (chosen && chosen.ids.has(n.id) && !faded) {
      const ends = n.id === chosen.path.nodes[0].id || n.id === chosen.path.nodes[chosen.path.nodes.length - 1].id;
      return {
        id: n.id, label: n.label, x: n.x, y: n.y, shape: n.shape || 'dot',
        size: (n.sizePx || 8) * sizeFactor(n) / s,
        title: tip(n.title),
        color: { background: colourOf(n), border: PATH_COLOUR,
          highlight: { background: colourOf(n), border: '#000' }, hover: { background: colourOf(n), border: '#000' } },
        borderWidth: 4,
        font: { size: labelSize(n), color: '#0b1a29', strokeWidth: 4 * labelSize(n) / 14,
          strokeColor: 'rgba(255,255,255,0.95)', bold: ends ? { color: '#000' } : undefined,
          face: 'system-ui, "Segoe UI", Roboto, Arial, sans-serif' },
        fixed: true,
      };
    }
    return {
      id: n.id,
      label: n.label,
      x: n.x,
      y: n.y,
      shape: n.shape || 'dot',
      size: (n.sizePx || 8) * sizeFactor(n) / s,
      title: tip(n.title),
      color: { background: colour, border: faded ? FADED : (focus || selected ? '#111' : '#2d3a47'),
        highlight: { background: colour, border: '#000' }, hover: { background: colour, border: '#000' } },
      borderWidth: focus ? 3 : selected ? 3 : 1,
      font: { size: labelSize(n), color: faded ? FADED_TEXT : '#14202b',
        strokeWidth: 3 * labelSize(n) / 13, strokeColor: 'rgba(255,255,255,0.92)',
        bold: focus ? { color: '#000' } : undefined, face: 'system-ui, "Segoe UI", Roboto, Arial, sans-serif' },
      fixed: true,
    };
  }

  /** How a link is drawn (snapshot's ``emphasis``): "path" a step of the chosen path,
   * "faded" an end fades, "selected" at the node pointed at or selected, "focus" at the focus,
   * "context" between two other nodes of a view with a focus, "plain" in a view without one. */
  function emphasisOf(e) {
    if (state.faded.has(e.from) || state.faded.has(e.to)) return 'faded';
    if (isPathStep(e)) return 'path';
    const keep = state.hovered || state.selected;
    if (keep && (e.from === keep || e.to === keep)) return 'selected';
    const focus = focusId();
    if (!focus) return 'plain';
    return e.from === focus || e.to === focus ? 'focus' : 'context';
  }

  /** Links between two other nodes: thin and light, the more so the more of them are drawn
   * (a 2- or 3-step view has hundreds; drawn all alike they hide how the picture hangs on the
   * focus). Width in CSS px and opacity, set once per picture from the number of such links. */
  function contextLook(count) {
    const m = Math.max(count, 1);
    return { alpha: Math.min(0.5, Math.max(0.15, 0.5 * Math.sqrt(30 / m))),
      width: Math.min(1, Math.max(0.6, Math.sqrt(60 / m))) };
  }

  function edgeStyled(e) {
    const emphasis = emphasisOf(e);
    const faded = emphasis === 'faded';
    const a = state.nodes.get(e.from);
    const b = state.nodes.get(e.to);
    const text = (a ? a.name : e.from) + ' — ' + (e.caption || '') + ' → ' + (b ? b.name : e.to);
    if (emphasis === 'path') {
      // a step of the chosen path: thick, in the path's colour, its meaning written on it
      const s = Math.max(state.scale, 0.3);
      return {
        id: e.id, from: e.from, to: e.to, title: tip(text),
        label: e.caption || ' ',
        width: 5 / s,
        color: { color: PATH_COLOUR, highlight: PATH_COLOUR, hover: PATH_COLOUR },
        arrows: e.type ? { to: { enabled: true, scaleFactor: 0.7 } } : undefined,
        font: { size: 13 / state.scale, color: '#0b1a29', strokeWidth: 0, background: 'rgba(255,255,255,0.92)' },
      };
    }
    const look = state.linkLook || contextLook(0);
    // CSS px at the first fit, and the colour, per emphasis
    const [px, colour] = {
      selected: [2, '#1d2733'],
      focus: [1.6, '#4b5a69'],
      context: [look.width, 'rgba(105, 118, 132, ' + look.alpha.toFixed(3) + ')'],
      faded: [Math.min(1, look.width), 'rgba(190, 196, 204, ' + Math.min(0.25, 0.6 * look.alpha).toFixed(3) + ')'],
      plain: [1, '#8795a3'],
    }[emphasis];
    return {
      id: e.id, from: e.from, to: e.to,
      title: tip(e.count ? (e.caption || '') : text),
      width: (e.width || 1) * px / Math.max(state.scale, 0.3),
      color: { color: colour, highlight: '#1d2733', hover: '#1d2733' },
      arrows: e.type ? { to: { enabled: true, scaleFactor: 0.5 } } : undefined,
      font: { size: 12 / state.scale, color: '#1d2733', strokeWidth: 3 / state.scale, strokeColor: '#fff' },
    };
  }

  function ensureNetwork() {
    if (network) return;
    nodesDS = new vis.DataSet();
    edgesDS = new vis.DataSet();
    network = new vis.Network($('canvas'), { nodes: nodesDS, edges: edgesDS }, {
      autoResize: true,
      physics: { enabled: false },
      layout: { improvedLayout: false, randomSeed: 7 },
      interaction: { hover: true, tooltipDelay: 150, multiselect: false, hideEdgesOnDrag: false },
      nodes: { scaling: { label: { enabled: false, drawThreshold: DRAW_THRESHOLD, maxVisible: MAX_VISIBLE } },
        labelHighlightBold: false },
      edges: { smooth: false, selectionWidth: 1, hoverWidth: 1 },
    });
    X.network = network;
    network.on('zoom', scheduleRecull);
    network.on('dragEnd', scheduleRecull);  // a name cut by the window's edge may fit now
    network.on('afterDrawing', () => {
      X.frames += 1;
      if (!X.firstFrame && nodesDS.length) X.firstFrame = performance.now();
    });
    network.on('click', (params) => {
      hideMenu();
      if (!params.nodes.length) { if (state.selected) select(null); return; }
      const node = state.nodes.get(params.nodes[0]);
      if (node && node.aggregate) openGroup(node.group);
      else if (node) {
        select(node.id);
        // a click asks about the node: a closed side panel opens with its details, once it is
        // clear that no double click (which moves the node to the middle) follows
        if (!sideOpen()) sideTimer = setTimeout(() => setSide(true, false), 320);
      }
    });
    network.on('doubleClick', (params) => {
      clearTimeout(sideTimer);
      if (!params.nodes.length) return;
      const node = state.nodes.get(params.nodes[0]);
      if (node && !node.aggregate) focusOn(node.id);
    });
    network.on('oncontext', (params) => {
      params.event.preventDefault();
      const id = network.getNodeAt(params.pointer.DOM);
      if (!id || !state.nodes.has(id) || state.nodes.get(id).aggregate) return;
      select(id);
      showMenu(id, params.pointer.DOM);
    });
    // the node under the pointer is named first (culling runs again)
    network.on('hoverNode', (params) => { state.hovered = params.node; refade(); scheduleRecull(); });
    network.on('blurNode', () => { state.hovered = null; refade(); scheduleRecull(); });
    network.on('hoverEdge', (params) => {
      const e = state.edges.get(params.edge);
      if (e && e.caption && edgesDS.get(params.edge)) edgesDS.update({ id: params.edge, label: e.caption });
    });
    network.on('blurEdge', (params) => {
      const e = state.edges.get(params.edge);
      if (edgesDS.get(params.edge)) edgesDS.update({ id: params.edge, label: e && isPathStep(e) ? e.caption : ' ' });
    });
  }

  /** Fade everything but the hovered or selected node and its neighbours (or the filter). */
  function fadeSet() {
    const keep = state.hovered || state.selected;
    if (keep && state.nodes.has(keep)) {
      const near = new Set([keep]);
      for (const e of state.edges.values()) {
        if (e.from === keep) near.add(e.to);
        if (e.to === keep) near.add(e.from);
      }
      return new Set([...state.nodes.keys()].filter((id) => !near.has(id)));
    }
    if (state.matches && state.matches.size) {
      return new Set([...state.nodes.keys()].filter((id) => !state.matches.has(id)));
    }
    return new Set();
  }

  function refade() {
    const next = fadeSet();
    const changed = [];
    for (const id of state.nodes.keys()) {
      if (next.has(id) !== state.faded.has(id)) changed.push(id);
    }
    state.faded = next;
    reveal();
    // the links of the node pointed at or selected come forward, those of the one before go back
    const keep = state.hovered || state.selected || null;
    const before = state.strongNode;
    state.strongNode = keep;
    if ((!changed.length && keep === before) || !nodesDS) return;
    const touched = new Set(changed);
    for (const id of [keep, before]) if (id) touched.add(id);
    if (changed.length) nodesDS.update(changed.map((id) => styled(state.nodes.get(id))));
    edgesDS.update([...state.edges.values()].filter((e) => (touched.has(e.from) || touched.has(e.to))
      && edgesDS.get(e.id)).map(edgeStyled));
  }

  /** The neighbours of the node pointed at are named while it is pointed at (at REVEAL_PX,
   * before other labels, where they fit): a reader sees who it links to without zooming. The
   * next recull restyles the nodes whose label size changed. */
  function reveal() {
    const at = state.hovered && state.nodes.has(state.hovered) ? state.hovered : null;
    const next = new Set();
    if (at) {
      for (const e of state.edges.values()) {
        if (e.from === at) next.add(e.to);
        if (e.to === at) next.add(e.from);
      }
      next.delete(at);
    }
    for (const id of next) if (!state.revealed.has(id)) state.revealChanged.add(id);
    for (const id of state.revealed) if (!next.has(id)) state.revealChanged.add(id);
    state.revealed = next;
  }

  /** Which shown ids a picture keeps: "nur Treffer" drops the rest, hidden nodes go. */
  function visibleIds() {
    const hidden = new Set(state.view.hide);
    const ids = [...state.nodes.keys()].filter((id) => !hidden.has(id));
    if (state.view.only && state.matches && state.matches.size) {
      return ids.filter((id) => state.matches.has(id) || id === focusId());
    }
    return ids;
  }

  let drawnSize = '';  // the drawing area the picture was placed for (a resize to it is none)

  // The side panel opening or closing narrows or widens the drawing area: the picture is not
  // placed again (the clicked node would jump, the reader's zoom and panning would be lost).
  // The scale stays, and every node stays where it was on screen (the area's left and top edges
  // do not move); only a selected node the panel would cover is brought back into view.
  let keptView = null;
  function holdView() {
    keptView = null;
    if (!network || !nodesDS || !nodesDS.length) return;
    const corner = network.DOMtoCanvas({ x: 0, y: 0 });
    keptView = { scale: network.getScale(), corner, id: state.selected && nodesDS.get(state.selected) ? state.selected : null };
  }
  function restoreView() {
    const k = keptView;
    keptView = null;
    network.setSize('100%', '100%');  // vis-network takes the new size now (and rescales: undone below)
    const size = canvasSize();
    const at = { x: k.corner.x + size.w / 2 / k.scale, y: k.corner.y + size.h / 2 / k.scale };
    if (k.id) {
      // the selected node stays in sight beside the panel, at least KEEP_IN_VIEW px inside
      const p = network.getPositions([k.id])[k.id];
      if (p) {
        const x = (p.x - k.corner.x) * k.scale;
        const y = (p.y - k.corner.y) * k.scale;
        const m = Math.min(KEEP_IN_VIEW, size.w / 4, size.h / 4);
        const dx = x > size.w - m ? x - (size.w - m) : (x < m ? x - m : 0);
        const dy = y > size.h - m ? y - (size.h - m) : (y < m ? y - m : 0);
        at.x += dx / k.scale;
        at.y += dy / k.scale;
      }
    }
    network.moveTo({ position: at, scale: k.scale, animation: false });
    scheduleRecull();
  }
  const KEEP_IN_VIEW = 60;

  function draw() {
    const started = performance.now();
    keptView = null;
    X.draws += 1;
    ensureNetwork();
    // the legend first: its height is taken from the drawing area measured below, and
    // vis-network takes the new size now (it would later rescale the picture to it)
    renderLegend();
    network.setSize('100%', '100%');
    const area = canvasSize();
    drawnSize = Math.round(area.w) + 'x' + Math.round(area.h);
    const ids = new Set(visibleIds());
    let nodes = [...state.nodes.values()].filter((n) => ids.has(n.id));
    for (const n of nodes) n.noRoom = false;  // the box placement below says otherwise
    X.placeWork = null;
    if (state.view.only && state.matches && state.matches.size && nodes.length <= 80) {
      // only the matches: few enough to name them all, pushed apart so their names fit
      nodes = nodes.map((n) => ({ ...n, labelled: true, fontPx: Math.max(n.fontPx || 0, 12),
        sizePx: Math.max(n.sizePx || 0, 8) }));
      const centre = nodes.find((n) => n.id === focusId()) || nodes[0];
      for (let round = 0; round < 4; round++) {
        const s = fitScale(nodes, { x: centre.x, y: centre.y }, canvasSize());
        if (!separate(nodes, s, centre)) break;
      }
      for (const n of nodes) state.nodes.set(n.id, n);
    }
    const focus = state.nodes.get(state.view.focus) || (state.base && state.nodes.get(state.base.focus));
    state.centre = focus ? { x: focus.x, y: focus.y }
      : (state.base && state.base.centre ? { x: state.base.centre[0], y: state.base.centre[1] } : { x: 0, y: 0 });
    if (!focus && nodes.length) {
      const xs = nodes.map((n) => n.x);
      const ys = nodes.map((n) => n.y);
      state.centre = { x: (Math.max(...xs) + Math.min(...xs)) / 2, y: (Math.max(...ys) + Math.min(...ys)) / 2 };
    }
    state.scale = nodes.length ? fitScale(nodes, state.centre, canvasSize()) : 1;
    const onlyMatches = state.view.only && state.matches && state.matches.size;
    if (nodes.length && nodes.length <= REPLAN_UP_TO && !onlyMatches && !nodes.some((n) => n.aggregate)) {
      // The plan keeps boxes apart at the reference window's fit; in another window the fit
      // differs while labels keep their size in CSS px, so boxes are placed again for this
      // canvas (the focus first); the labels that still collide are culled (computeCulled).
      const focusNode = focus && nodes.includes(focus) ? focus : null;
      // A smaller window than the plan's: the picture shrinks with it, dots too (never under
      // half their size) and labels down to 11 px, so the plan's spacing mostly holds.
      const size = canvasSize();
      for (const n of nodes) {
        if (n.plannedFont === undefined) {
          n.plannedFont = n.fontPx || 12; n.plannedSize = n.sizePx || 8; n.plannedX = n.x; n.plannedY = n.y;
        }
        n.fontPx = n.plannedFont;
        n.sizePx = n.plannedSize;
        n.x = n.plannedX;
        n.y = n.plannedY;
      }
      const planned = state.base && state.base.scale ? state.base.scale : state.scale;
      // the point the plan centred on (a path view: the middle of the path, not its start)
      const middle = state.base && state.base.kind === 'path' && state.base.centre
        ? { x: state.base.centre[0], y: state.base.centre[1] } : state.centre;
      const ratio = Math.min(1, fitScale(nodes, middle, size) / planned);
      // in steps of 5 %, so that a slightly different window gets the very same picture
      const q = ratio >= 0.95 ? 1 : Math.max(0.05, Math.floor(ratio * 20) / 20);
      if (q < 1) {
        for (const n of nodes) {
          n.sizePx = n.plannedSize * Math.max(0.5, q);
          n.fontPx = n.plannedFont >= MIN_LABEL_PX ? Math.max(MIN_LABEL_PX, n.plannedFont * q) : n.plannedFont;
        }
      }
      state.scale = fitScale(nodes, state.centre, size);
      X.lastFit = { q, ratio, w: size.w, h: size.h };
      // the window's drawing area in the plan's units (the picture is drawn at `ratio`)
      const frame = { w: (size.w / 2 - EDGE_MARGIN) / Math.max(ratio, 0.05),
        h: (size.h / 2 - EDGE_MARGIN) / Math.max(ratio, 0.05) };
      if (replan(nodes, middle, planned, q, focusNode, frame, ratio)) {
        // with the boxes as replan placed them
        state.scale = fitScale(nodes, state.centre, canvasSize(), X.placeWork.measured);
      }
    }
    if (state.base && state.base.kind === 'path' && nodes.length) {
      // a path fills the view: centre the boxes (dots and the labels under them), not the start
      for (let round = 0; round < 3; round++) {
        const b = nodes.map((n) => ({ n, box: boxesPx(n) }));
        const left = Math.min(...b.map(({ n, box }) => n.x - box.halfW / state.scale));
        const right = Math.max(...b.map(({ n, box }) => n.x + box.halfW / state.scale));
        const top = Math.min(...b.map(({ n, box }) => n.y - box.top / state.scale));
        const bottom = Math.max(...b.map(({ n, box }) => n.y + box.bottom / state.scale));
        state.centre = { x: (left + right) / 2, y: (top + bottom) / 2 };
        state.scale = fitScale(nodes, state.centre, canvasSize());
      }
    }
    state.faded = fadeSet();
    state.strongNode = state.hovered || state.selected || null;
    state.zoom = state.scale;
    state.culled = computeCulled(state.scale, new Set(nodes.map((n) => n.id)), state.centre);
    X.firstFrame = 0;
    nodesDS.clear();
    edgesDS.clear();
    nodesDS.add(nodes.map(styled));
    const links = [...state.edges.values()].filter((e) => ids.has(e.from) && ids.has(e.to));
    state.linkLook = contextLook(links.filter((e) => emphasisOf(e) === 'context').length);
    // light links first: the links at the focus are drawn over them
    const order = { context: 0, faded: 0, plain: 1, focus: 2, selected: 3, path: 4 };
    edgesDS.add(links.map((e) => ({ e, k: order[emphasisOf(e)] })).sort((a, b) => a.k - b.k).map((x) => edgeStyled(x.e)));
    network.moveTo({ position: state.centre, scale: state.scale, animation: false });
    X.drawMs = performance.now() - started;  // planning in the page (fit, boxes, culling), for the bench
    $('canvas').dataset.nodes = String(nodes.length);
    setNote(nodes.length ? null : 'empty_graph');
  }

  // ---- the view: address, loading, expanding -------------------------------------------------

  function paramsOf(view) {
    const p = new URLSearchParams();
    if (view.focus) p.set('focus', view.focus);
    if (view.focus || view.hops !== 1) p.set('hops', String(view.hops));
    p.set('lang', state.lang);
    if (view.all && !view.focus) p.set('all', '1');
    if (view.group) p.set('group', view.group);
    if (view.page) p.set('page', String(view.page));
    for (const k of ['type', 'topic', 'region', 'project']) if (view[k]) p.set(k, view[k]);
    if (view.only) p.set('only', '1');
    if (view.colour !== 'label') p.set('colour', view.colour);
    if (view.size) p.set('size', view.size);
    if (view.open.length) p.set('open', view.open.join(','));
    if (view.hide.length) p.set('hide', view.hide.join(','));
    if (view.path) p.set('path', String(view.path));
    return p;
  }

  function viewFromParams(p) {
    const list = (k) => (p.get(k) || '').split(',').filter(Boolean);
    const hops = Number(p.get('hops') || 1);
    return {
      focus: p.get('focus') || null,
      all: p.get('all') === '1',
      hops: hops >= 1 && hops <= BOOT.maxHops ? hops : 1,
      group: p.get('group') || null,
      page: Math.max(0, Number(p.get('page') || 0) || 0),
      type: p.get('type') || '', topic: p.get('topic') || '', region: p.get('region') || '',
      project: p.get('project') || '', only: p.get('only') === '1',
      colour: p.get('colour') === 'community' ? 'community' : 'label',
      size: p.get('size') || '', open: list('open'), hide: list('hide'),
      path: Math.max(0, Number(p.get('path') || 0) || 0),
    };
  }

  function addressOf(view) {
    if (BOOT.mode === 'offline') return window.location.pathname + '#' + paramsOf(view).toString();
    return window.location.pathname + '?' + paramsOf(view).toString();
  }

  function currentParams() {
    if (BOOT.mode === 'offline') return new URLSearchParams(window.location.hash.slice(1));
    return new URLSearchParams(window.location.search);
  }

  /** Go to a view: a new entry in the browser's history (Back returns), then draw it. */
  async function go(change, replace) {
    const view = { ...state.view, ...change };
    const address = addressOf(view);
    if (replace) {
      history.replaceState({ idx: state.historyIndex }, '', address);
    } else {
      state.historyIndex += 1;
      state.historyTop = state.historyIndex;
      history.pushState({ idx: state.historyIndex }, '', address);
    }
    await show(view);
  }

  function baseKey(v) { return [v.focus, v.focus ? v.hops : 1, v.group, v.page, !v.focus && v.all, state.lang].join('|'); }

  async function loadBase(view) {
    const key = baseKey(view);
    if (!cache.views.has(key)) {
      const p = { focus: view.focus, hops: view.hops, group: view.group, page: view.page || '',
        all: !view.focus && view.all ? 'true' : '' };
      const path = /^path:(.+)>(.+)$/.exec(view.focus || '');
      const answer = path ? source.pathView(path[1], path[2]) : source.view(p);
      cache.views.set(key, answer.catch((err) => { cache.views.delete(key); throw err; }));
    }
    return cache.views.get(key);
  }

  async function loadExpand(id, rel, direction) {
    const key = [id, rel || '', direction || '', state.lang].join('|');
    if (!cache.expand.has(key)) {
      cache.expand.set(key, source.expand(id, rel, direction).catch((err) => { cache.expand.delete(key); throw err; }));
    }
    return cache.expand.get(key);
  }

  /** Draw ``view``: its base from the server, expansions added around their nodes. */
  let showSeq = 0;
  async function show(view) {
    // a later view asked for while this one loads wins: this one stops at its next step
    const mine = ++showSeq;
    $('canvas').dataset.state = 'loading';
    try {
      const base = await loadBase(view);
      if (mine !== showSeq) return;
      const nodes = new Map();
      const edges = new Map();
      for (const n of base.nodes) nodes.set(n.id, { ...n });
      for (const e of base.edges) edges.set(e.id, e);
      const extra = [];
      for (const item of view.open) {
        const [id, rel, direction] = item.split(':');
        if (!nodes.has(id)) continue;
        const data = await loadExpand(id, rel, direction);
        if (mine !== showSeq) return;
        const fresh = data.nodes.filter((n) => !nodes.has(n.id));
        placeAround(nodes.get(id), fresh, nodes);
        for (const n of fresh) { nodes.set(n.id, n); extra.push(n); }
        for (const e of data.edges) if (nodes.has(e.from) && nodes.has(e.to)) edges.set(e.id, e);
        if (data.messages && data.messages[0]) showMessage(data.messages[0].key, data.messages[0].values);
      }
      if (extra.length) {
        // the planned picture stays put; only the new neighbours make room for themselves
        const all = [...nodes.values()];
        const focus = view.focus ? nodes.get(view.focus) : null;
        const s = fitScale(all, focus ? { x: focus.x, y: focus.y } : { x: 0, y: 0 }, canvasSize());
        separate(all, s, focus, new Set(extra.map((n) => n.id)));
      }
      state.view = view;
      state.base = base;
      state.nodes = nodes;
      state.edges = edges;
      if (state.selected && !nodes.has(state.selected)) state.selected = null;
      syncControls();
      await applyFilters();
      if (mine !== showSeq) return;
      // a path is explained by its list in words: the side panel opens before the picture is
      // placed for the room left beside it
      if (base.kind === 'path' && !sideOpen()) setSide(true, false);
      draw();
      const first = (base.messages || [])[0];
      if (!state.matchMessage) {
        if (first) showMessage(first.key, first.values, 'info');
        else showMessage(null);
      }
      renderPager(base);
      if (base.kind === 'path') {
        renderPaths(base);
        // the details of the view before would hide the paths list: show the hint instead
        if (!state.selected) clearDetails();
        $('paths').scrollIntoView({ block: 'start' });
      }
      else if ($('path-result').querySelector('.path-list')) $('path-result').replaceChildren();
      $('canvas').dataset.state = 'ready';
      $('canvas').dataset.focus = view.focus || '';
      updateHistoryButtons();
      if (!state.ready) {
        state.ready = true;
        X.ready = true;  // for scripts that load after the event
        document.dispatchEvent(new CustomEvent('explorer:ready'));
      }
      const shownFocus = view.focus || (base.start ? base.focus : null);
      if (shownFocus && !shownFocus.startsWith('path:') && state.detailsFor !== shownFocus
        && !state.selected) showDetails(shownFocus);
    } catch (err) {
      showError(err);
      $('canvas').dataset.state = 'error';
    }
  }

  /** New neighbours of ``centre`` on a ring just outside it, facing away from the middle. */
  function placeAround(centre, fresh, nodes) {
    if (!fresh.length) return;
    const away = Math.atan2(centre.y - state.centre.y, centre.x - state.centre.x);
    const spread = fresh.length > 8 ? 2 * Math.PI : Math.PI;
    const radius = 120 + fresh.length * 6;
    fresh.forEach((n, i) => {
      const a = away - spread / 2 + spread * (i + 0.5) / fresh.length;
      n.x = centre.x + radius * Math.cos(a) / Math.max(state.scale, 0.2);
      n.y = centre.y + radius * Math.sin(a) / Math.max(state.scale, 0.2);
      n.sizePx = 8;
      n.fontPx = 12;
      n.labelled = true;
      n.ring = (centre.ring || 0) + 1;
    });
    return nodes;
  }

  function focusOn(id) {
    state.selected = null;
    go({ focus: id, group: null, page: 0, open: [], hide: [], path: 0 });
    showDetails(id);
  }

  function select(id) {
    state.selected = id;
    refade();
    if (nodesDS) nodesDS.update([...state.nodes.values()].filter((n) => nodesDS.get(n.id)).map(styled));
    if (id) showDetails(id);
    document.dispatchEvent(new CustomEvent('explorer:select', {
      detail: { id, label: id && state.nodes.has(id) ? state.nodes.get(id).name : null },
    }));
  }

  function openGroup(group) {
    go({ group, page: 0, open: [], hide: [] });
  }

  function expand(id, rel, direction) {
    const item = [id, rel || '', direction || ''].join(':').replace(/:+$/, '');
    if (state.view.open.includes(item)) return;
    go({ open: [...state.view.open, item] });
  }

  function hideNode(id) {
    if (id === state.view.focus) return;
    if (state.selected === id) state.selected = null;
    go({ hide: [...state.view.hide, id] });
  }

  function updateHistoryButtons() {
    $('undo-btn').disabled = state.historyIndex <= 0;
    $('redo-btn').disabled = state.historyIndex >= state.historyTop;
  }

  function renderPager(base) {
    const pager = $('pager');
    if (!base.group || !(base.pages > 1)) { pager.hidden = true; return; }
    pager.hidden = false;
    const m = (base.messages || []).find((x) => x.key === 'group_page');
    $('page-info').textContent = (base.groupName ? base.groupName + ': ' : '') + (m ? t(m.key, m.values) : '');
    $('page-prev').disabled = !(base.page > 0);
    $('page-next').disabled = !(base.page < base.pages - 1);
  }

  // ---- filters: highlight by default -------------------------------------------------------

  async function loadTags(ids) {
    const missing = ids.filter((id) => !cache.tags.has(id));
    if (missing.length) {
      const answer = await source.tags(missing);
      for (const id of missing) cache.tags.set(id, (answer.tags || {})[id] || {});
    }
  }

  function matchesOf(n, key, value) {
    if (key === 'type') return n.type === value;
    const tags = cache.tags.get(n.id) || {};
    return n.id === value || (tags[key] || []).includes(value);
  }

  async function applyFilters() {
    const v = state.view;
    const ids = [...state.nodes.keys()].filter((id) => !state.nodes.get(id).aggregate);
    state.matchMessage = false;
    try { await loadTags(ids); } catch (err) { console.warn(err); }
    if (v !== state.view) return;  // another view came meanwhile; it fills the filters itself
    const active = ['type', 'topic', 'region', 'project'].filter((k) => v[k]);
    fillFilterOptions(ids);
    if (!active.length) {
      const chosen = chosenPath();
      state.matches = chosen ? new Set(chosen.ids)
        : state.base && state.base.highlight ? new Set(state.base.highlight) : null;
      $('f-count').textContent = '';
      return;
    }
    const hits = new Set(ids.filter((id) => active.every((k) => matchesOf(state.nodes.get(id), k, v[k]))));
    if (!hits.size) {
      state.matches = null;
      $('f-count').textContent = t('matches', { n: 0, total: ids.length });
      showMessage('no_match', {}, 'error');
      state.matchMessage = true;
      return;
    }
    state.matches = hits;
    $('f-count').textContent = t('matches', { n: hits.size, total: ids.length });
  }

  function option(value, text) {
    const o = document.createElement('option');
    o.value = value;
    o.textContent = text;
    return o;
  }

  function fillSelect(select, first, items, chosen) {
    select.replaceChildren(option('', first), ...items.map(([v, text]) => option(v, text)));
    select.value = chosen || '';
    select.classList.toggle('chosen', !!chosen);
  }

  function fillFilterOptions(ids) {
    const count = (key, value) => ids.filter((id) => matchesOf(state.nodes.get(id), key, value)).length;
    const v = state.view;
    const types = (BOOT.legend[state.lang] || []).map((e) => [e.label, e.name, count('type', e.label)])
      .filter(([label, , n]) => n > 0 || label === v.type);
    fillSelect($('f-label'), t('all_labels'), types.map(([l, name, n]) => [l, name + ' (' + n + ')']), v.type);
    for (const key of ['topic', 'region', 'project']) {
      const items = (state.options[key] || []).map((o) => [o.id, o.name, count(key, o.id)])
        .filter(([id, , n]) => n > 0 || id === v[key])
        .sort((a, b) => b[2] - a[2] || a[1].localeCompare(b[1]));
      fillSelect($('f-' + key), t(key) + ': ' + t('any'), items.map(([id, name, n]) => [id, name + ' (' + n + ')']), v[key]);
    }
    $('f-only').checked = v.only;
  }

  // ---- side panel ----------------------------------------------------------------------------

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  function linkButton(id, caption) {
    const b = el('button', caption, 'link');
    b.type = 'button';
    b.dataset.id = id;
    b.addEventListener('click', () => focusOn(id));
    return b;
  }

  let detailsSeq = 0;
  async function showDetails(id) {
    const mine = ++detailsSeq;
    state.detailsFor = id;
    try {
      const d = await source.details(id);
      if (mine === detailsSeq) renderDetails(d);
    } catch (err) {
      showError(err);
    }
  }

  function clearDetails() {
    detailsSeq += 1;
    state.detailsFor = null;
    $('details-body').replaceChildren();
    $('node-actions').replaceChildren();
    $('details-hint').hidden = false;
    if (window.__workflows) window.__workflows.show(null);
    if ($('ed-panel')) $('ed-panel').hidden = true;  // the editor's panel belongs to a node
  }

  /** A value in the details: names wrap between words; a long address or e-mail anywhere. */
  function factValue(value) {
    return el('dd', value, /\S{28,}/.test(String(value)) ? 'long' : undefined);
  }

  function renderDetails(d) {
    if ($('ed-panel')) $('ed-panel').hidden = false;
    const body = $('details-body');
    body.replaceChildren();
    $('details-hint').hidden = true;
    body.append(el('h3', d.caption));
    body.append(el('p', [d.typeName, ...(d.kinds || [])].join(' · '), 'kind'));
    const facts = el('dl');
    for (const f of d.facts || []) facts.append(el('dt', f.name), factValue(f.value));
    body.append(facts);
    if (d.personalHidden) body.append(el('p', t('personal_hidden'), 'note'));
    if ((d.measures || []).length) {
      body.append(el('h4', t('measures')));
      const dl = el('dl', null, 'measures');
      for (const m of d.measures) {
        const dd = el('dd', m.value);
        if (m.explanation) dd.append(el('span', m.explanation, 'why'));
        dl.append(el('dt', m.name), dd);
      }
      body.append(dl);
    }
    for (const s of d.sections || []) {
      body.append(el('h4', s.name + ' (' + s.count + ')'));
      const ul = el('ul');
      for (const item of s.items) {
        const li = el('li');
        li.append(linkButton(item.id, item.caption), el('small', ' ' + item.typeName));
        ul.append(li);
      }
      body.append(ul);
    }
    if (d.missing) body.append(el('p', t('not_in_export', { n: d.missing }), 'note'));
    if ((d.origin || []).length) {
      const fold = el('details', null, 'origin');
      fold.append(el('summary', t('origin')));
      const dl = el('dl');
      for (const f of d.origin) dl.append(el('dt', f.name), factValue(f.value));
      fold.append(dl);
      body.append(fold);
    }
    body.dataset.id = d.id;
    renderActions(d);
    X.lastDetails = d;
    if (window.__workflows) window.__workflows.show(d);
  }

  /** The node's menu, in the panel and on right-click: focus, expand by meaning, hide. */
  function menuItems(id, d) {
    const items = [];
    if (id !== state.view.focus) items.push([t('focus_here'), () => focusOn(id)]);
    items.push([t('expand_all'), () => expand(id), 'all']);
    for (const s of (d && d.id === id ? d.sections : []) || []) {
      items.push([t('expand_by') + ': ' + s.name + ' (' + s.count + ')', () => expand(id, s.rel, s.direction)]);
    }
    if (id !== state.view.focus) items.push([t('hide'), () => hideNode(id)]);
    return items;
  }

  function renderActions(d) {
    const box = $('node-actions');
    box.replaceChildren();
    if (!state.nodes.has(d.id)) return;
    const list = el('div', null, 'actions');
    for (const [text, run, kind] of menuItems(d.id, d)) {
      const b = el('button', text);
      b.type = 'button';
      if (kind === 'all') b.dataset.expandAll = '1';
      b.addEventListener('click', run);
      list.append(b);
    }
    box.append(list);
  }

  async function showMenu(id, point) {
    const menu = $('node-menu');
    let d = X.lastDetails;
    if (!d || d.id !== id) { try { d = await source.details(id); } catch (e) { d = null; } }
    menu.replaceChildren();
    for (const [text, run] of menuItems(id, d)) {
      const b = el('button', text);
      b.type = 'button';
      b.setAttribute('role', 'menuitem');
      b.addEventListener('click', () => { hideMenu(); run(); });
      menu.append(b);
    }
    menu.style.left = Math.round(point.x + 8) + 'px';
    menu.style.top = Math.round(point.y + 8) + 'px';
    menu.hidden = false;
  }

  function hideMenu() { $('node-menu').hidden = true; }

  // ---- legend --------------------------------------------------------------------------------

  const SVG = 'http:\/\/www.w3.org/2000/svg';
  function shapeIcon(shape, colour) {
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('width', '16');
    svg.setAttribute('height', '16');
    svg.setAttribute('viewBox', '-8 -8 16 16');
    const star = (n, r1, r2) => Array.from({ length: n * 2 }, (_, i) => {
      const r = i % 2 ? r2 : r1;
      const a = -Math.PI / 2 + (Math.PI * i) / n;
      return (r * Math.cos(a)).toFixed(2) + ',' + (r * Math.sin(a)).toFixed(2);
    }).join(' ');
    const poly = (n, r, rot) => Array.from({ length: n }, (_, i) => {
      const a = rot + (2 * Math.PI * i) / n;
      return (r * Math.cos(a)).toFixed(2) + ',' + (r * Math.sin(a)).toFixed(2);
    }).join(' ');
    let shapeEl;
    if (shape === 'dot') { shapeEl = document.createElementNS(SVG, 'circle'); shapeEl.setAttribute('r', '6'); }
    else if (shape === 'square') { shapeEl = document.createElementNS(SVG, 'rect'); shapeEl.setAttribute('x', '-5.5'); shapeEl.setAttribute('y', '-5.5'); shapeEl.setAttribute('width', '11'); shapeEl.setAttribute('height', '11'); }
    else {
      shapeEl = document.createElementNS(SVG, 'polygon');
      const points = { diamond: poly(4, 7, 0), triangle: poly(3, 7, -Math.PI / 2), triangleDown: poly(3, 7, Math.PI / 2),
        hexagon: poly(6, 6.5, 0), star: star(5, 7, 3) }[shape] || poly(8, 6, 0);
      shapeEl.setAttribute('points', points);
    }
    shapeEl.setAttribute('fill', colour);
    shapeEl.setAttribute('stroke', '#2d3a47');
    shapeEl.setAttribute('stroke-width', '1');
    svg.append(shapeEl);
    return svg;
  }

  function renderLegend() {
    const list = $('legend-list');
    list.replaceChildren();
    const present = new Set([...state.nodes.values()].map((n) => n.type));
    // coloured by community, the colour says the community and the shape still the kind: the
    // kinds are listed in the grey of a node without a community, never in colours the
    // picture does not show
    const byCommunity = state.view.colour === 'community';
    if (byCommunity) {
      const seen = new Map();
      let without = false;
      for (const n of state.nodes.values()) {
        if (n.community !== undefined) seen.set(n.community, n.communityColour);
        else if (!n.aggregate) without = true;
      }
      // one word, then a numbered swatch per community: one line, not "Community 1 ... 12"
      list.append(el('li', t('by_community') + ':', 'legend-caption'));
      [...seen.entries()].sort((a, b) => a[0] - b[0]).slice(0, 12).forEach(([c, colour]) => {
        const li = el('li');
        li.title = t('by_community') + ' ' + (Number(c) + 1);
        li.append(shapeIcon('dot', colour), el('span', String(Number(c) + 1)));
        list.append(li);
      });
      if (without) {
        const li = el('li');
        li.append(shapeIcon('dot', NO_COMMUNITY), el('span', t('no_community')));
        list.append(li);
      }
    }
    if (byCommunity) list.append(el('li', t('by_shape'), 'legend-caption'));
    for (const entry of BOOT.legend[state.lang] || BOOT.legend[BOOT.lang]) {
      if (present.size && !present.has(entry.label)) continue;
      const li = el('li');
      li.append(shapeIcon(entry.shape, byCommunity ? NO_COMMUNITY : entry.colour), el('span', entry.name));
      li.dataset.label = entry.label;
      list.append(li);
    }
    if ([...state.nodes.values()].some((n) => n.aggregate)) {
      const li = el('li');
      li.append(shapeIcon('dot', '#5B6B7B'), el('span', t('group') + ' (' + t('members') + ')'));
      list.append(li);
    }
    const metric = state.view.size;
    const names = BOOT.measureWords ? BOOT.measureWords[state.lang] || {} : {};
    let meaning = t('size_equal');
    if (metric) meaning = t('size_meaning', { metric: names[metric] || metric });
    else if ([...state.nodes.values()].some((n) => n.aggregate)) meaning = t('size_meaning', { metric: t('members') });
    else if (state.base && state.base.kind === 'path') meaning = t('size_path');
    else if (state.base && state.base.focus) meaning = t('size_ego');
    $('legend-size').textContent = meaning;
  }

  // ---- controls ------------------------------------------------------------------------------

  function syncControls() {
    const v = state.view;
    $('hops').value = String(v.hops);
    $('colour-by').value = v.colour;
    const metrics = (state.base && state.base.metrics) || [];
    const names = BOOT.measureWords ? BOOT.measureWords[state.lang] || {} : {};
    fillSelect($('size-by'), t('size_none'), metrics.map((m) => [m, names[m] || m.replace(/^metric_/, '')]), v.size);
  }

  function attachSearch(input, pick) {
    const hits = input.parentElement.querySelector('.hits');
    let timer = null;
    let seq = 0;
    async function run() {
      const q = input.value.trim();
      if (!q) { hits.hidden = true; return; }
      const mine = ++seq;
      try {
        const found = await source.search(q);
        if (mine !== seq) return;
        hits.replaceChildren();
        if (!found.length) hits.append(el('li', t('no_hits'), 'empty'));
        for (const hit of found) {
          const li = el('li', hit.label);
          li.append(el('small', hit.typeName));
          li.dataset.id = hit.id;
          li.setAttribute('role', 'option');
          li.addEventListener('click', () => { input.value = hit.label; input.dataset.id = hit.id; hits.hidden = true; pick(hit); });
          hits.append(li);
        }
        hits.hidden = false;
      } catch (err) {
        showError(err);
      }
    }
    input.addEventListener('input', () => { delete input.dataset.id; clearTimeout(timer); timer = setTimeout(run, 180); });
    input.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter') {
        const first = hits.querySelector('li[data-id]');
        if (first) first.click();
      } else if (ev.key === 'Escape' && !hits.hidden) {
        hits.hidden = true;
        ev.stopPropagation();  // closes the hits only, not the side panel around them
      }
    });
    document.addEventListener('click', (ev) => { if (!input.parentElement.contains(ev.target)) hits.hidden = true; });
  }

  async function findPaths() {
    const from = $('path-from').dataset.id || focusId();
    const to = $('path-to').dataset.id;
    const out = $('path-result');
    out.replaceChildren();
    if (!from || !to || from.startsWith('path:')) {
      out.append(el('p', t('path_pick_both'), 'note'));
      return;
    }
    try {
      const view = await source.pathView(from, to);
      if (!view.paths.length) {
        out.append(el('p', t(view.offline ? 'path_none_offline' : 'path_none'), 'note'));
        return;
      }
      cache.views.set(['path:' + from + '>' + to, 1, null, 0, state.lang].join('|'), Promise.resolve(view));
      state.selected = null;
      await go({ focus: 'path:' + from + '>' + to, hops: 1, group: null, page: 0, open: [], hide: [], path: 0 });
    } catch (err) {
      out.append(el('p', t(err.key || 'err_network', err.values), 'error'));
    }
  }

  /** Show path ``index`` of the path view highlighted (a new entry in the history). */
  function choosePath(index) {
    if (index === (state.view.path || 0)) return;
    go({ path: index });
  }

  /** The paths as a list a person can read: each step with what the link means in words. */
  function renderPaths(view) {
    const out = $('path-result');
    out.replaceChildren();
    const chosen = chosenPath();
    const ends = view.paths[0] ? view.paths[0].nodes : [];
    if (ends.length) {
      $('path-from').value = ends[0].caption;
      $('path-from').dataset.id = ends[0].id;
      $('path-to').value = ends[ends.length - 1].caption;
      $('path-to').dataset.id = ends[ends.length - 1].id;
      out.append(el('p', t('path_found', { n: view.paths.length, from: ends[0].caption,
        to: ends[ends.length - 1].caption }), 'path-summary'));
    }
    const back = el('button', t(state.historyIndex > 0 ? 'path_back' : 'path_to_start'), 'path-back');
    back.type = 'button';
    back.id = 'path-back';
    back.addEventListener('click', () => {
      if (state.historyIndex > 0) history.back();
      else if (ends.length) focusOn(ends[0].id);
    });
    out.append(back);
    const ol = el('ol', null, 'path-list');
    view.paths.forEach((path, index) => {
      const li = el('li', null, 'path-item');
      li.dataset.index = String(index);
      const isChosen = !!chosen && chosen.index === index;
      li.classList.toggle('chosen', isChosen);
      const head = el('button', null, 'path-head');
      head.type = 'button';
      head.setAttribute('aria-pressed', isChosen ? 'true' : 'false');
      const middle = path.nodes.slice(1, -1);
      head.append(el('strong', t('path_n', { n: index + 1 })), el('span', ' · '
        + t('path_steps', { n: path.steps.length }) + ' · '
        + (middle.length ? t('path_via') + ' ' + middle.map((n) => n.caption).join(', ') : t('path_direct'))));
      head.addEventListener('click', () => choosePath(index));
      li.append(head);
      const steps = el('ol', null, 'path-steps');
      path.nodes.forEach((n, i) => {
        const stop = el('li', null, i === 0 || i === path.nodes.length - 1 ? 'stop end' : 'stop');
        stop.append(linkButton(n.id, n.caption));
        steps.append(stop);
        const step = path.steps[i];
        if (step) steps.append(el('li', '↓ ' + (step.words || t('path_linked')), 'step'));
      });
      li.append(steps);
      ol.append(li);
    });
    out.append(ol);
  }

  async function loadViews() {
    const list = $('views-list');
    try {
      const answer = await source.listViews();
      list.replaceChildren();
      if (!answer.views.length) list.append(el('li', t(answer.offline ? 'views_none_offline' : 'views_none'), 'note'));
      for (const v of answer.views) list.append(viewItem(v));
    } catch (err) {
      list.replaceChildren(el('li', t(err.key || 'err_network', err.values), 'note'));
    }
  }

  /** One saved view in the list: open it; rename or delete it when this key may. */
  function viewItem(v) {
    const li = el('li');
    li.dataset.viewId = v.id;
    const b = el('button', v.name, 'link view-open');
    b.type = 'button';
    b.addEventListener('click', () => {
      const p = new URLSearchParams(v.params);
      p.set('lang', state.lang);
      go(viewFromParams(p));
    });
    li.append(b);
    if (!v.mine && !v.can_change) return li;
    const tools = el('div', null, 'view-tools');
    if (v.mine) tools.append(el('small', t('view_mine')));
    li.append(tools);
    if (!v.can_change) return li;
    const rename = el('button', t('view_rename'), 'small view-rename');
    rename.type = 'button';
    const remove = el('button', t('view_delete'), 'small view-delete');
    remove.type = 'button';
    tools.append(rename, remove);
    rename.addEventListener('click', () => {
      const form = el('form', null, 'view-rename-form');
      const input = el('input');
      input.value = v.name;
      input.maxLength = 120;
      input.required = true;
      input.setAttribute('aria-label', t('view_name'));
      const save = el('button', t('view_rename_save'), 'small');
      save.type = 'submit';
      const cancel = el('button', t('view_cancel'), 'small');
      cancel.type = 'button';
      form.append(input, save, cancel);
      li.replaceChildren(form);
      input.focus();
      input.select();
      cancel.addEventListener('click', () => li.replaceWith(viewItem(v)));
      input.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') li.replaceWith(viewItem(v)); });
      form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        const name = input.value.trim();
        if (!name) return;
        try {
          const changed = await source.renameView(v.id, name);
          showMessage('view_renamed', { name: changed.name }, 'info');
          li.replaceWith(viewItem({ ...v, ...changed }));
        } catch (err) {
          viewError(err);
        }
      });
    });
    remove.addEventListener('click', () => {
      const ask = el('div', null, 'view-confirm');
      ask.append(el('span', t('view_delete_ask', { name: v.name })));
      const yes = el('button', t('view_delete_yes'), 'small danger');
      yes.type = 'button';
      const no = el('button', t('view_cancel'), 'small');
      no.type = 'button';
      ask.append(yes, no);
      li.replaceChildren(ask);
      yes.focus();
      no.addEventListener('click', () => li.replaceWith(viewItem(v)));
      yes.addEventListener('click', async () => {
        try {
          await source.deleteView(v.id);
          showMessage('view_deleted', { name: v.name }, 'info');
        } catch (err) {
          viewError(err);
        }
        loadViews();
      });
    });
    return li;
  }

  function viewError(err) {
    if (err instanceof UiError && err.status === 403) showMessage('view_not_yours', {}, 'error');
    else showError(err);
    loadViews();
  }

  function savePng() {
    const source = $('canvas').querySelector('canvas');
    const out = document.createElement('canvas');
    out.width = source.width;
    out.height = source.height;
    const ctx = out.getContext('2d');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(source, 0, 0);
    const a = document.createElement('a');
    a.download = 'scaleup-graph' + (state.view.focus ? '-' + state.view.focus : '') + '.png';
    a.href = out.toDataURL('image/png');
    X.lastPng = a.href.length;
    document.body.append(a);
    a.click();
    a.remove();
  }

  function wireControls() {
    const hops = $('hops');
    for (let h = 1; h <= BOOT.maxHops; h++) hops.append(option(String(h), String(h)));
    attachSearch($('search'), (hit) => {
      // picking a hit asks about that node, as a click does: a closed side panel opens with its
      // details (before the new view is placed, so the picture is placed beside it)
      if (!sideOpen()) setSide(true, false);
      focusOn(hit.id);
    });
    attachSearch($('path-from'), () => {});
    attachSearch($('path-to'), () => {});
    $('path-find').addEventListener('click', findPaths);
    hops.addEventListener('change', () => go({ hops: Number(hops.value), open: [], hide: [] }));
    for (const key of ['topic', 'region', 'project']) {
      $('f-' + key).addEventListener('change', () => go({ [key]: $('f-' + key).value }));
    }
    $('f-label').addEventListener('change', () => go({ type: $('f-label').value }));
    $('f-only').addEventListener('change', () => go({ only: $('f-only').checked }));
    $('f-clear').addEventListener('click', () => go({ type: '', topic: '', region: '', project: '', only: false }));
    $('colour-by').addEventListener('change', () => go({ colour: $('colour-by').value }));
    $('size-by').addEventListener('change', () => go({ size: $('size-by').value }));
    $('overview-btn').addEventListener('click', () => {
      const focus = BOOT.mode === 'offline' ? (BOOT.data.focus || null) : null;
      state.selected = null;
      // the whole network (grouped when large), not the start around one organisation
      go({ focus, all: BOOT.mode !== 'offline', hops: BOOT.mode === 'offline' ? BOOT.data.hops || 1 : 1, group: null, page: 0, open: [], hide: [], path: 0 });
    });
    $('page-prev').addEventListener('click', () => go({ page: Math.max(0, state.view.page - 1) }));
    $('page-next').addEventListener('click', () => go({ page: state.view.page + 1 }));
    $('undo-btn').addEventListener('click', () => { if (state.historyIndex > 0) history.back(); });
    $('redo-btn').addEventListener('click', () => { if (state.historyIndex < state.historyTop) history.forward(); });
    $('png-btn').addEventListener('click', savePng);
    $('side-toggle').addEventListener('click', () => setSide(!sideOpen(), true));
    $('legend-toggle').addEventListener('click', () => setLegend($('legend-more').hidden, true));
    window.addEventListener('resize', () => {
      keptView = null;  // a new window size: the picture is placed again for it
      const now = compactWindow();
      if (now === COMPACT.matches) return;
      COMPACT.matches = now;
      document.documentElement.classList.toggle('compact', now);
      applyPanels();
    });
    $('copy-btn').addEventListener('click', async () => {
      try { await navigator.clipboard.writeText(window.location.href); } catch (e) { /* shown anyway */ }
      showMessage('link_copied', {}, 'info');
    });
    $('lang-btn').addEventListener('click', () => {
      const langs = BOOT.langs;
      state.lang = langs[(langs.indexOf(state.lang) + 1) % langs.length];
      applyTexts();
      if (state.role) {
        source.config().then((c) => { state.options = c.options; go({}, true); }).catch(showError);
        if (state.detailsFor) showDetails(state.detailsFor);
        loadViews();
      }
    });
    $('logout').addEventListener('click', () => {
      sessionStorage.removeItem(KEY_STORE);
      state.nodes = new Map();
      state.edges = new Map();
      if (nodesDS) { nodesDS.clear(); edgesDS.clear(); }
      $('details-body').replaceChildren();
      $('node-actions').replaceChildren();
      if (window.__workflows) window.__workflows.show(null);
      state.role = null;
      cache.views.clear();
      renderRole();
      askKey();
    });
    $('signin-btn').addEventListener('click', () => askKey());
    $('key-cancel').addEventListener('click', () => $('key-dialog').close('cancel'));
    $('key-dialog').addEventListener('close', () => {
      if (!sessionStorage.getItem(KEY_STORE)) {
        $('signin-btn').hidden = false;
        setNote('signed_out');
      }
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
    $('view-form').addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const name = $('view-name').value.trim();
      if (!name) return;
      const p = paramsOf(state.view);
      p.delete('lang');
      try {
        await source.saveView(name, p.toString());
        $('view-name').value = '';
        showMessage('view_saved', { name }, 'info');
        loadViews();
      } catch (err) {
        showError(err);
      }
    });
    document.addEventListener('keydown', (ev) => {
      if (ev.key !== 'Escape') return;
      hideMenu();
      // in a small window Escape inside the side panel closes it and returns to its button
      if (COMPACT.matches && sideOpen() && $('side').contains(document.activeElement)
        && !$('key-dialog').open) {
        setSide(false, false);
        $('side-toggle').focus();
      }
    });
    window.addEventListener('popstate', (ev) => {
      state.historyIndex = ev.state && typeof ev.state.idx === 'number' ? ev.state.idx : 0;
      const p = currentParams();
      if (p.get('lang') && BOOT.langs.includes(p.get('lang')) && p.get('lang') !== state.lang) {
        state.lang = p.get('lang');
        applyTexts();
      }
      state.selected = null;
      show(viewFromParams(p));
    });
    // vis-network keeps the visible width when its canvas changes size, which changes the
    // scale and so every label size: redo the fit whenever the drawing area changes.
    let resizeTimer = null;
    new ResizeObserver(() => {
      const size = canvasSize();
      const key = Math.round(size.w) + 'x' + Math.round(size.h);
      if (key === drawnSize) return;  // the picture is drawn for this size already
      drawnSize = key;
      if (keptView && network) { clearTimeout(resizeTimer); restoreView(); return; }
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(() => { if (state.nodes.size && state.ready) draw(); }, 60);
    }).observe($('canvas'));
  }

  function askKey(errorKey) {
    sessionStorage.removeItem(KEY_STORE);
    const err = $('key-error');
    err.hidden = !errorKey;
    err.textContent = errorKey ? t(errorKey) : '';
    $('signin-btn').hidden = true;
    setNote('key_prompt');
    if (!$('key-dialog').open) $('key-dialog').showModal();
  }

  async function start() {
    if (BOOT.mode === 'live' && !sessionStorage.getItem(KEY_STORE)) { askKey(); return; }
    $('signin-btn').hidden = true;
    const p = currentParams();
    let view = viewFromParams(p);
    if (BOOT.mode === 'offline' && !p.has('focus') && !p.has('group')) {
      view = { ...view, focus: BOOT.data.focus || null, hops: BOOT.data.hops || 1 };
    }
    // the view is asked for at once, beside the configuration (one round trip less before the
    // first picture); show() below takes the answer from the cache. A refused key answers
    // both with 401, and either opens the sign-in dialog.
    if (BOOT.mode === 'live') loadBase(view).catch(() => {});
    try {
      const config = await source.config();
      state.role = config.role;
      state.options = config.options;
      renderRole();
      $('logout').hidden = BOOT.mode !== 'live';
    } catch (err) {
      showError(err);
      return;
    }
    state.historyIndex = history.state && typeof history.state.idx === 'number' ? history.state.idx : 0;
    state.historyTop = state.historyIndex;
    history.replaceState({ idx: state.historyIndex }, '', addressOf(view));
    await show(view);
    loadViews();
  }

  // ---- the contract for embedding and tests (docs/explorer.md) ------------------------------

  function snapshot() {
    const scale = network ? network.getScale() : state.scale;
    const nodes = [];
    if (nodesDS) {
      const positions = network.getPositions();
      for (const n of nodesDS.get()) {
        const p = positions[n.id];
        if (!p) continue;
        const dom = network.canvasToDOM(p);
        // to a thousandth of a pixel: 11 / scale * scale is not always 11 in floating point
        let fontPx = Math.round(n.font.size * scale * 1000) / 1000;
        const labelShown = !!n.label && fontPx >= DRAW_THRESHOLD - 1;
        if (fontPx >= MAX_VISIBLE) fontPx = MAX_VISIBLE;
        // the label's box as vis-network measured it when it last drew the label (CSS px)
        let labelBox = null;
        const module = labelShown && network.body.nodes[n.id] ? network.body.nodes[n.id].labelModule : null;
        if (module && module.size && module.size.width) {
          const a = network.canvasToDOM({ x: module.size.left, y: module.size.top });
          const b = network.canvasToDOM({ x: module.size.left + module.size.width, y: module.size.top + module.size.height });
          labelBox = { left: a.x, top: a.y, right: b.x, bottom: b.y };
        }
        const known = state.nodes.get(n.id) || {};
        nodes.push({ id: n.id, label: known.name || n.label, type: known.type || '', x: dom.x, y: dom.y,
          r: n.size * scale, fontPx, labelShown, faded: state.faded.has(n.id), labelBox });
      }
    }
    const edges = edgesDS ? edgesDS.get().map((e) => {
      const known = state.edges.get(e.id) || {};
      // how it is drawn now: width in CSS px, opacity of its colour
      const alpha = /rgba\([^)]*,\s*([\d.]+)\s*\)/.exec(e.color.color);
      return { from: e.from, to: e.to, type: known.type || '', highlighted: !!known.type && isPathStep(known) && !state.faded.has(e.from) && !state.faded.has(e.to),
        emphasis: known.id ? emphasisOf(known) : 'plain', widthPx: Math.round(e.width * scale * 100) / 100,
        opacity: alpha ? Number(alpha[1]) : 1 };
    }) : [];
    const start = state.base && state.base.start ? state.base.focus : null;
    return { focus: state.view.focus, start, hops: state.view.hops, lang: state.lang, nodes, edges };
  }

  const X = window.__explorer = {
    network: null, frames: 0, firstFrame: 0, mode: BOOT.mode, ready: false, draws: 0,
    placeWork: null, cullWork: null,
    snapshot,
    select: (id) => { if (id) focusOn(id); },
    // after an edit (issue 17's editor): the picture and the details shown are read again
    refresh: () => {
      cache.views.clear(); cache.expand.clear(); cache.tags.clear();
      if (state.detailsFor) showDetails(state.detailsFor);
      return show(state.view);
    },
    view: () => ({ ...state.view }),
    t, el, lang: () => state.lang, lastDetails: null,
    apiKey: () => sessionStorage.getItem(KEY_STORE) || '',
    hover: (id) => { state.hovered = id; refade(); scheduleRecull(); },
    expand: (id, rel, direction) => expand(id, rel, direction),
    exportDetails: (id) => (BOOT.mode === 'offline' ? BOOT.data.details[id] || null : null),
  };
  if (BOOT.mode === 'live') {
    const wf = document.createElement('script');
    wf.src = '/api/v1/explorer/workflows.js';
    document.body.append(wf);
  }
  const asked = currentParams().get('lang');
  if (asked && BOOT.langs.includes(asked)) state.lang = asked;  // a shared link keeps its language
  wireControls();
  applyPanels();
  applyTexts();
  if (typeof vis === 'undefined') {
    setNote('err_network', {}, true);
    return;
  }
  ensureNetwork();
  start();
})();
