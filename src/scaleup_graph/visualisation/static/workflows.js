/* Workflow panels of the explorer (issue 6): the challenge round, a pitch event's programme and
 * a best practice's lineage, shown under the details of the selected node.
 *
 * Loaded by explorer.js in live mode only; it uses the explorer's texts, key and navigation
 * (window.__explorer). Everything from the data reaches the DOM through textContent.
 */
(function () {
  'use strict';

  const X = window.__explorer;
  const $ = (id) => document.getElementById(id);
  const t = (key, values) => X.t(key, values);
  const el = (tag, text, cls) => X.el(tag, text, cls);
  let seq = 0;

  async function get(path) {
    const response = await fetch('/api/v1' + path, { headers: { 'X-API-Key': X.apiKey() } });
    let body = null;
    try { body = await response.json(); } catch (e) { body = null; }
    if (!response.ok) {
      const message = body && body.error ? body.error.message : String(response.status);
      throw new Error(message);
    }
    return body;
  }

  function nodeLink(id, caption) {
    const b = el('button', caption || id, 'link');
    b.type = 'button';
    b.dataset.id = id;
    b.addEventListener('click', () => X.select(id));
    return b;
  }

  function section(title, items, empty) {
    const frag = [el('h4', title)];
    if (!items.length) { frag.push(el('p', empty || t('wf_none'), 'note')); return frag; }
    const list = el('ul');
    items.forEach((li) => list.append(li));
    frag.push(list);
    return frag;
  }

  function renderChallenge(body, c) {
    const status = el('p');
    status.append(el('span', t('wf_status') + ': '),
      el('span', t('wf_st_' + c.status), 'wf-status'));
    status.id = 'wf-status';
    status.dataset.status = c.status;
    body.append(status);
    const history = el('ol');
    history.id = 'wf-history';
    c.history.forEach((h) => history.append(el('li', t('wf_st_' + h.status) + ' – ' + (h.date || '?'))));
    body.append(el('h4', t('wf_history')), history);
    body.append(el('p', t('wf_next') + ': '
      + (c.next.length ? c.next.map((s) => t('wf_st_' + s)).join(', ') : t('wf_none'))));
    body.append(...section(t('wf_posed_by'), c.posed_by.map((o) => {
      const li = el('li'); li.append(nodeLink(o.id, o.name)); return li;
    })));
    // rows of the named query challenge_proposals: {proposal, proposed_by, pitched_at}
    const proposals = c.proposals.map((row) => {
      const p = row.proposal;
      const by = row.proposed_by[0] || {};
      const li = el('li');
      li.append(nodeLink(by.id, by.name),
        el('span', ' – ' + (p.name || p.id) + ' (' + (p.status || '') + ')'));
      li.dataset.id = p.id;
      return li;
    });
    const ps = section(t('wf_proposals'), proposals, t('wf_no_proposals'));
    if (ps[1]) ps[1].id = 'wf-proposals';
    body.append(...ps);
    const matches = c.suggested_providers.map((m) => {
      const li = el('li');
      li.append(nodeLink(m.id, m.name), el('span', ' ' + m.score.toFixed(2)),
        el('span', m.explanation, 'wf-why'));
      li.dataset.id = m.id;
      return li;
    });
    const ms = section(t('wf_matches'), matches, t('wf_no_matches'));
    if (ms[1]) { ms[1] = Object.assign(document.createElement('ol'), { id: 'wf-matches' }); matches.forEach((li) => ms[1].append(li)); }
    body.append(...ms);
  }

  function renderProgramme(body, p) {
    if (!p.challenges.length) { body.append(el('p', t('wf_no_pitches'), 'note')); return; }
    const list = el('ol');
    list.id = 'wf-programme';
    p.challenges.forEach((c) => {
      const li = el('li');
      li.dataset.id = c.id;
      li.append(nodeLink(c.id, c.name));
      const sub = el('ul');
      c.proposals.forEach((pr) => {
        const item = el('li');
        item.append(nodeLink(pr.organisation, pr.organisation_name));
        sub.append(item);
      });
      if (c.proposals.length) li.append(sub);
      list.append(li);
    });
    body.append(list);
  }

  function renderLineage(body, l) {
    const part = (key, title, describe) => {
      const items = l[key].map((n) => {
        const li = el('li');
        li.append(nodeLink(n.id, n.name));
        const extra = describe(n);
        if (extra) li.append(el('span', ' ' + extra));
        return li;
      });
      const nodes = section(title, items);
      if (nodes[1]) nodes[1].id = 'wf-' + key.replace('_', '-');
      body.append(...nodes);
    };
    part('presented_by', t('wf_presented'), (n) => (n.nuts_code ? '(' + n.nuts_code + ')' : ''));
    part('transferred_to', t('wf_transferred'),
      (n) => '(' + [n.nuts_code, n.description, n.phase].filter(Boolean).join(', ') + ')');
    part('inspired', t('wf_inspired'), () => '');
    part('modelled_on', t('wf_modelled'), () => '');
  }

  const PANELS = {
    Challenge: { title: 'wf_challenge', path: (id) => '/challenges/' + id + '/round', render: renderChallenge },
    Event: { title: 'wf_programme', path: (id) => '/events/' + id + '/programme', render: renderProgramme },
    BestPractice: { title: 'wf_lineage', path: (id) => '/practices/' + id + '/lineage', render: renderLineage },
  };

  async function show(d) {
    const panel = $('wf-panel');
    const body = $('wf-body');
    const kind = d && PANELS[d.type];
    const mine = ++seq;
    if (!kind) {
      panel.hidden = true;
      panel.dataset.kind = '';
      body.replaceChildren();
      return;
    }
    panel.hidden = false;
    panel.dataset.kind = d.type;
    panel.dataset.state = 'loading';
    $('wf-title').textContent = t(kind.title);
    body.replaceChildren(el('p', t('loading'), 'note'));
    try {
      const data = await get(kind.path(encodeURIComponent(d.id)));
      if (mine !== seq) return;  // another node was selected meanwhile
      body.replaceChildren();
      kind.render(body, data);
      panel.dataset.id = d.id;
      panel.dataset.state = 'ready';
    } catch (err) {
      if (mine !== seq) return;
      body.replaceChildren(el('p', t('wf_error', { detail: err.message }), 'error'));
      panel.dataset.state = 'error';
    }
  }

  window.__workflows = { show };
  if (X.lastDetails) show(X.lastDetails);
})();
