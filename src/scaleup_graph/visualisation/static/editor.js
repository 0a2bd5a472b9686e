/* The explorer's editor (issue 17): forms generated from GET /api/v1/schema/forms, the Open
 * Innovation Challenge round, publishing content, each node's history with undo.
 *
 * Built against the explorer's hook only: window.__explorer ({select(id), refresh()}), the
 * document events "explorer:ready" and "explorer:select" ({id, label}), and the container
 * <div id="node-actions"> of the details panel. The API key is the explorer's (sessionStorage).
 * Controls that write carry data-action="create" / "edit" / ... and exist only for keys that
 * may write. Everything from the data reaches the DOM through textContent.
 */
(function () {
  'use strict';

  const KEY_STORE = 'scaleup-api-key';
  const LANG_STORE = 'scaleup-lang';
  const API = '/api/v1';

  const TEXT = {
    de: {
      edit: 'Bearbeiten', create: 'Neu anlegen', create_what: 'Neu anlegen: Art', save: 'Speichern',
      cancel: 'Abbrechen', link: 'Verbinden', delete: 'Löschen', erase: 'Löschen (DSGVO)',
      history: 'Verlauf', undo: 'Meine letzte Änderung rückgängig', required: 'Pflichtfeld',
      personal: 'personenbezogen', hidden: '(verborgen)', none: '–', no_history: 'Noch keine Änderungen.',
      saved: 'Gespeichert.', created: 'Angelegt.', deleted: 'Gelöscht.', undone: 'Rückgängig gemacht.',
      fix_fields: 'Bitte die markierten Felder korrigieren; nichts wurde gespeichert.',
      stale: 'Jemand hat diesen Eintrag inzwischen geändert. Nichts wurde gespeichert. Aktueller Stand:',
      use_current: 'Aktuellen Stand laden', keep_mine: 'Meine Eingaben auf den aktuellen Stand anwenden',
      confirm_delete: 'Mit diesem Eintrag werden diese Verbindungen gelöscht:',
      confirm_yes: 'Ja, alles löschen', rel_type: 'Verbindung', other_end: 'Mit',
      search_hint: 'Namen tippen …', no_hits: 'Nichts gefunden.', remove: 'entfernen',
      step: 'Schritte der Challenge', status: 'Status', next_steps: 'Mögliche nächste Schritte',
      not_allowed: 'nicht möglich aus', step_to: 'Schritt', propose: 'Lösung vorschlagen',
      propose_only_published: 'Vorschläge sind nur für veröffentlichte Challenges möglich (jetzt: {s}).',
      draft_challenge: 'Challenge stellen', publish_content: 'Beitrag veröffentlichen',
      event: 'Pitch-Veranstaltung', date: 'Datum', accepted: 'Angenommene Vorschläge',
      version: 'Version', by: 'von', read_only: 'nur lesen', fields: 'Felder',
      a_create: 'angelegt', a_update: 'geändert', a_delete: 'gelöscht', a_link: 'verbunden',
      a_unlink: 'Verbindung gelöscht', a_undo: 'rückgängig gemacht', a_step: 'Schritt',
      st_draft: 'Entwurf', st_published: 'veröffentlicht', st_pitched: 'gepitcht',
      st_solved: 'gelöst', st_closed: 'geschlossen', list_hint: 'mehrere mit ; trennen',
      failed: 'Das hat nicht geklappt: ', gone: '(gelöscht)',
      erase_note: 'Die Person wird nach DSGVO Art. 17 gelöscht: mit ihren Verbindungen und ihrem Verlauf. Das lässt sich nicht rückgängig machen; sie bleibt auf der Sperrliste, damit ein Import sie nicht wieder anlegt.',
      erase_yes: 'Ja, endgültig löschen',
      undo_delete_note: '„Meine letzte Änderung rückgängig“ holt den Eintrag mit diesen Verbindungen zurück, soweit die anderen Einträge noch bestehen.',
      restored: 'Wiederhergestellt, mit {n} {n|Verbindung|Verbindungen}.', not_restored: 'Nicht wiederhergestellt (Eintrag inzwischen gelöscht):',
      links_removed: '{n} {n|Verbindung|Verbindungen} mit gelöscht',
      a_ingest: 'importiert', a_relink: 'Verbindung geändert', ingest_run: 'Import-Lauf {run}, Datei {file}',
      ingest_links: 'Verbindungen „{rel}“ importiert',
    },
    en: {
      edit: 'Edit', create: 'Create', create_what: 'Create: kind', save: 'Save', cancel: 'Cancel',
      link: 'Link', delete: 'Delete', erase: 'Delete (GDPR erasure)', history: 'History',
      undo: 'Undo my last change', required: 'required', personal: 'personal data',
      hidden: '(hidden)', none: '–', no_history: 'No changes yet.', saved: 'Saved.',
      created: 'Created.', deleted: 'Deleted.', undone: 'Undone.',
      fix_fields: 'Please correct the marked fields; nothing was saved.',
      stale: 'Someone changed this meanwhile. Nothing was saved. Current values:',
      use_current: 'Load the current values', keep_mine: 'Apply my input to the current version',
      confirm_delete: 'These relationships would be deleted with it:',
      confirm_yes: 'Yes, delete everything', rel_type: 'Relationship', other_end: 'With',
      search_hint: 'type a name …', no_hits: 'Nothing found.', remove: 'remove',
      step: 'Challenge steps', status: 'Status', next_steps: 'Possible next steps',
      not_allowed: 'not possible from', step_to: 'Step', propose: 'Propose a solution',
      propose_only_published: 'Proposals are only possible for published challenges (now: {s}).',
      draft_challenge: 'Pose a challenge', publish_content: 'Publish content',
      event: 'Pitch event', date: 'Date', accepted: 'Accepted proposals', version: 'Version',
      by: 'by', read_only: 'read-only', fields: 'fields',
      a_create: 'created', a_update: 'changed', a_delete: 'deleted', a_link: 'linked',
      a_unlink: 'unlinked', a_undo: 'undone', a_step: 'step',
      st_draft: 'draft', st_published: 'published', st_pitched: 'pitched', st_solved: 'solved',
      st_closed: 'closed', list_hint: 'separate several with ;', failed: 'That did not work: ',
      gone: '(deleted)',
      erase_note: 'The person is erased under GDPR Art. 17, with their relationships and their history. This cannot be undone; they stay on the suppression list so that no import re-creates them.',
      erase_yes: 'Yes, erase for good',
      undo_delete_note: '"Undo my last change" brings it back with these relationships, as far as the other ends still exist.',
      restored: 'Restored, with {n} {n|relationship|relationships}.', not_restored: 'Not restored (deleted meanwhile):',
      links_removed: '{n} {n|relationship|relationships} deleted with it',
      a_ingest: 'imported', a_relink: 'relationship changed', ingest_run: 'import run {run}, file {file}',
      ingest_links: 'relationships "{rel}" imported',
    },
  };
  const STATUSES = ['draft', 'published', 'pitched', 'solved', 'closed'];

  const S = { forms: null, byLabel: {}, rels: {}, caller: null, selected: null, record: null, seq: 0 };

  function lang() {
    const x = window.__explorer;
    const l = (x && typeof x.lang === 'function' && x.lang()) || sessionStorage.getItem(LANG_STORE)
      || document.documentElement.lang || 'de';
    return l.slice(0, 2) === 'en' ? 'en' : 'de';
  }
  function t(key, values) {
    let s = TEXT[lang()][key] || TEXT.de[key] || key;
    // {n|one|other}: the word for one or any other count (as explorer.js and texts.py)
    s = s.replace(/\{(\w+)\|([^|{}]*)\|([^|{}]*)\}/g,
      (all, k, one, other) => (Number((values || {})[k]) === 1 ? one : other));
    Object.entries(values || {}).forEach(([k, v]) => { s = s.replace('{' + k + '}', v); });
    return s;
  }
  const w = (obj) => (obj ? obj[lang()] || obj.de || '' : '');

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    Object.entries(props || {}).forEach(([k, v]) => {
      if (v === undefined || v === null || v === false) return;
      if (k === 'text') node.textContent = String(v);
      else if (k === 'cls') node.className = v;
      else if (k === 'on') Object.entries(v).forEach(([ev, fn]) => node.addEventListener(ev, fn));
      else if (k.startsWith('data-') || k.startsWith('aria-') || k === 'role' || k === 'for') node.setAttribute(k, v);
      else node[k] = v;
    });
    children.flat().forEach((c) => { if (c !== null && c !== undefined) node.append(c); });
    return node;
  }

  async function api(method, path, body) {
    // field messages come back in the page's language (the API reads Accept-Language)
    const headers = { 'X-API-Key': sessionStorage.getItem(KEY_STORE) || '', 'Accept-Language': lang() };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response;
    try {
      response = await fetch(API + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (e) {
      return { ok: false, status: 0, body: { error: { message: String(e) } } };
    }
    let data = null;
    try { data = await response.json(); } catch (e) { data = null; }
    return { ok: response.ok, status: response.status, body: data };
  }
  const errorOf = (r) => (r.body && r.body.error) || { message: String(r.status) };
  const X = () => window.__explorer || {};

  // --- the panel inside the explorer's details --------------------------------------------

  // The explorer redraws #node-actions (its own node menu) with every details view, so the
  // editor keeps its panel right after that container instead of inside it.
  function container() {
    let box = document.getElementById('ed-panel');
    if (box) return box;
    box = el('div', { id: 'ed-panel' });
    const hook = document.getElementById('node-actions');
    if (hook) hook.after(box);
    else (document.getElementById('details') || document.body).append(box);
    return box;
  }

  function message(text, kind) {
    const box = document.getElementById('ed-message');
    if (!box) return;
    box.textContent = text || '';
    box.className = 'ed-message' + (kind ? ' ed-' + kind : '');
    box.hidden = !text;
  }

  function canWrite() { return !!(S.caller && S.caller.can_write); }

  function renderPanel() {
    const box = container();
    box.replaceChildren();
    box.classList.add('ed-panel');
    box.append(el('p', { id: 'ed-message', role: 'status', hidden: true }));
    if (canWrite()) {
      const pick = el('select', { id: 'ed-create-label', 'aria-label': t('create_what') },
        S.forms.nodes.map((f) => el('option', { value: f.label, text: w(f.name) })));
      box.append(el('div', { cls: 'ed-bar' }, pick,
        el('button', { type: 'button', text: t('create'), 'data-action': 'create',
          on: { click: () => openCreate(pick.value, {}) } })));
    }
    box.append(el('div', { id: 'ed-node' }));
    box.append(el('section', { id: 'ed-history', hidden: true }));
    if (S.selected) renderNode();
  }

  async function onSelect(detail) {
    if (!detail || !detail.id) return;
    if (S.key !== (sessionStorage.getItem(KEY_STORE) || '')) {  // signed in with another key
      S.selected = { id: detail.id, label: null };
      booted = false;
      await boot();
      return;
    }
    if (S.selecting === detail.id) { S.selecting = null; return; }  // afterWrite renders it
    S.selected = { id: detail.id, label: detail.label };
    if (S.forms) renderNode();
  }

  async function renderNode() {
    const mine = ++S.seq;
    const sel = S.selected;
    const early = document.getElementById('ed-node');
    if (early) { early.dataset.state = 'loading'; early.dataset.id = sel.id; }
    const r = await api('GET', '/nodes/' + encodeURIComponent(sel.id) + '/record');
    if (mine !== S.seq) return;
    const box = document.getElementById('ed-node');
    if (!box) return;
    box.replaceChildren();
    box.dataset.state = 'loading';
    box.dataset.id = sel.id;
    if (!r.ok) { document.getElementById('ed-history').hidden = true; return; }
    S.record = r.body;
    sel.label = r.body.label;
    const form = S.byLabel[sel.label];
    box.append(el('p', { cls: 'ed-version', text: w(form.name) + ' · ' + t('version') + ' ' + r.body.version }));
    if (canWrite()) {
      const bar = el('div', { cls: 'ed-bar' });
      bar.append(el('button', { type: 'button', text: t('edit'), 'data-action': 'edit', on: { click: openEdit } }));
      if (form.relationships.length) {
        bar.append(el('button', { type: 'button', text: t('link'), 'data-action': 'link', on: { click: openLink } }));
      }
      bar.append(el('button', { type: 'button', cls: 'ed-danger', 'data-action': 'delete',
        text: sel.label === 'Person' ? t('erase') : t('delete'), on: { click: () => askDelete(false) } }));
      if (sel.label === 'Organisation') {
        bar.append(el('button', { type: 'button', text: t('draft_challenge'), 'data-action': 'create',
          'data-label': 'Challenge', on: { click: () => openCreate('Challenge', { posed_by: pickedNode() }) } }));
        bar.append(el('button', { type: 'button', text: t('publish_content'), 'data-action': 'create',
          'data-label': 'ContentItem', on: { click: () => openCreate('ContentItem', { publisher: pickedNode() }) } }));
      }
      box.append(bar);
    }
    if (sel.label === 'Challenge') await renderRound(box, mine);
    await renderHistory(mine);
    if (mine === S.seq) box.dataset.state = 'ready';
  }

  function pickedNode() {
    const p = S.record.properties || {};
    return { id: S.record.id, caption: p.name || S.record.id, label: S.record.label };
  }

  // --- the Open Innovation Challenge round ------------------------------------------------

  async function renderRound(box, mine) {
    const r = await api('GET', '/challenges/' + encodeURIComponent(S.selected.id) + '/round');
    if (mine !== S.seq || !r.ok) return;
    const c = r.body;
    const sec = el('section', { id: 'ed-round', 'data-status': c.status });
    sec.append(el('h4', { text: t('step') }));
    sec.append(el('p', {}, el('span', { text: t('status') + ': ' }),
      el('strong', { id: 'ed-status', text: t('st_' + c.status) })));
    const steps = el('ul', { cls: 'ed-steps' });
    STATUSES.slice(1).forEach((s) => {
      if (c.next.includes(s) && canWrite()) {
        steps.append(el('li', {}, el('button', { type: 'button', text: '→ ' + t('st_' + s),
          'data-action': 'step', 'data-to': s, on: { click: () => openStep(c, s) } })));
      } else if (s !== c.status && !c.next.includes(s)) {
        steps.append(el('li', { cls: 'ed-not-allowed', 'data-to': s,
          text: t('st_' + s) + ': ' + t('not_allowed') + ' „' + t('st_' + c.status) + '“' }));
      }
    });
    sec.append(el('p', { text: t('next_steps') + ': ' + (c.next.length ? c.next.map((s) => t('st_' + s)).join(', ') : t('none')) }), steps);
    if (canWrite()) {
      const open = c.status === 'published';
      sec.append(el('button', { type: 'button', text: t('propose'), 'data-action': 'create',
        'data-label': 'Proposal', disabled: !open,
        on: { click: () => openCreate('Proposal', { challenge: { id: c.id, caption: c.name || c.id, label: 'Challenge' } }) } }));
      if (!open) sec.append(el('p', { cls: 'ed-note', id: 'ed-propose-note', text: t('propose_only_published', { s: t('st_' + c.status) }) }));
    }
    box.append(sec);
  }

  function openStep(c, to) {
    const fields = [{ name: 'date', input: 'date', label: { de: t('date'), en: t('date') } }];
    if (to === 'pitched') {
      fields.unshift({ name: 'event', input: 'node', node_labels: ['Event'], required: true, label: { de: 'Pitch-Veranstaltung', en: 'pitch event' } });
    }
    if (to === 'solved') {
      fields.unshift({ name: 'accepted', input: 'multiselect', label: { de: t('accepted'), en: t('accepted') },
        choices: (c.proposals || []).map((p) => ({ value: p.id, de: p.name || p.id, en: p.name || p.id })) });
    }
    openForm({
      title: t('step_to') + ': ' + t('st_' + c.status) + ' → ' + t('st_' + to),
      kind: 'step', fields, values: {},
      submit: (values) => {
        const body = { to };
        if (values.date) body.date = values.date;
        if (values.event) body.event = values.event;
        if (values.accepted && values.accepted.length) body.accepted = values.accepted;
        return api('POST', '/challenges/' + encodeURIComponent(c.id) + '/transitions', body);
      },
      done: () => afterWrite(c.id, t('saved')),
    });
  }

  // --- forms ------------------------------------------------------------------------------

  function visibleFields(fields) {
    return fields.filter((f) => !f.personal || (S.caller && S.caller.sees_personal));
  }

  function openCreate(label, preset) {
    const form = S.byLabel[label];
    const flow = form.create && form.create.fields;
    const fields = visibleFields(flow ? form.create.fields : form.fields.filter((f) => !f.read_only));
    openForm({
      title: t('create') + ': ' + w(form.name), kind: 'create', label, fields, values: preset || {},
      submit: (values) => {
        if (!flow) return api('POST', '/nodes/' + label, { properties: filled(values) });
        let path = form.create.path;
        const body = {};
        form.create.fields.forEach((f) => {
          const v = values[f.name];
          if (f.in_path) path = path.replace('{' + f.name + '}', encodeURIComponent(v || '-'));
          else if (v !== '' && v !== undefined && !(Array.isArray(v) && !v.length && !f.required)) body[f.name] = v;
        });
        return api('POST', path.replace(API, ''), body);
      },
      done: (body) => afterWrite(body.id, t('created'), true),
    });
  }

  const empty = (v) => v === undefined || v === null || v === '' || v === false || (Array.isArray(v) && !v.length);
  function filled(values) {
    const out = {};
    Object.entries(values).forEach(([k, v]) => { if (!empty(v)) out[k] = v; });
    return out;
  }
  // Only what the editor changed: the history then shows exactly that.
  function changed(values, stored) {
    const out = {};
    Object.entries(values).forEach(([k, v]) => {
      const before = stored[k];
      if (empty(v) && empty(before)) return;
      if (JSON.stringify(v) === JSON.stringify(before) || String(v) === String(before)) return;
      out[k] = empty(v) ? '' : v;
    });
    return out;
  }

  async function openEdit() {
    const r = await api('GET', '/nodes/' + encodeURIComponent(S.selected.id) + '/record');
    if (!r.ok) { message(t('failed') + errorOf(r).message, 'error'); return; }
    S.record = r.body;
    const form = S.byLabel[r.body.label];
    let version = r.body.version;
    openForm({
      title: t('edit') + ': ' + w(form.name), kind: 'edit', label: r.body.label,
      fields: visibleFields(form.fields), values: r.body.properties,
      submit: (values) => api('PUT', '/nodes/' + r.body.label + '/' + encodeURIComponent(r.body.id),
        { version, properties: changed(values, r.body.properties) }),
      setVersion: (v) => { version = v; },
      done: (body) => afterWrite(body.id, t('saved')),
    });
  }

  function openLink() {
    const form = S.byLabel[S.selected.label];
    const choices = form.relationships.map((r, i) => ({ value: String(i), de: r.label.de, en: r.label.en }));
    const fields = [
      { name: '_rel', input: 'select', required: true, label: { de: t('rel_type'), en: t('rel_type') }, choices, no_empty: true },
      { name: '_other', input: 'node', required: true, node_labels: form.relationships[0].other_labels, label: { de: t('other_end'), en: t('other_end') } },
    ];
    const relFields = {};
    form.relationships.forEach((r) => { relFields[r.type] = (S.rels[r.type] || {}).fields || []; });
    openForm({
      title: t('link') + ': ' + ((S.record.properties || {}).name || S.record.id), kind: 'link', fields,
      values: {}, extraFor: (values) => relFields[form.relationships[Number(values._rel || 0)].type],
      onChange: (values, dialog) => {
        const rel = form.relationships[Number(values._rel || 0)];
        const picker = dialog.querySelector('[data-picker="_other"]');
        if (picker) picker.dataset.labels = rel.other_labels.join(',');
        renderExtra(dialog, relFields[rel.type]);
      },
      submit: (values) => {
        const rel = form.relationships[Number(values._rel || 0)];
        const props = {};
        (relFields[rel.type] || []).forEach((f) => { if (values[f.name] !== '' && values[f.name] !== undefined) props[f.name] = values[f.name]; });
        const me = S.selected.id;
        const other = values._other || '';
        const body = rel.direction === 'out' ? { start: me, end: other, properties: props } : { start: other, end: me, properties: props };
        return api('POST', '/relationships/' + rel.type, body);
      },
      fieldOf: (f) => (f === 'start' || f === 'end' ? '_other' : f),
      done: () => afterWrite(S.selected.id, t('saved')),
    });
  }

  async function askDelete(confirm) {
    const rec = S.record;
    if (rec.label === 'Person' && !confirm) {
      // GDPR erasure: say before that it cannot be undone
      const dialog = dialogShell(t('erase'), 'erase');
      dialog.body.append(el('p', { cls: 'ed-warn', id: 'ed-erase-note', text: t('erase_note') }));
      dialog.actions.append(el('button', { type: 'button', cls: 'ed-danger', 'data-action': 'confirm-delete', text: t('erase_yes'),
        on: { click: () => { dialog.close(); askDelete(true); } } }));
      dialog.open();
      return;
    }
    const r = await api('DELETE', '/nodes/' + rec.label + '/' + encodeURIComponent(rec.id) + '?version=' + rec.version + (confirm ? '&confirm=true' : ''));
    if (r.ok) {
      S.selected = null;
      await afterWrite(null, t('deleted'));
      if (rec.label !== 'Person') offerUndoDelete(rec);  // an erasure cannot be undone
      return;
    }
    const e = errorOf(r);
    if (e.code === 'confirm_required') {
      const dialog = dialogShell(t('delete') + ': ' + ((rec.properties || {}).name || rec.id), 'delete');
      const list = el('ul', { id: 'ed-dependents' });
      e.dependents.relationships.forEach((d) => {
        const rel = S.rels[d.type];
        const phrase = rel ? w(d.direction === 'out' ? rel.label : rel.inverse) : d.type;
        list.append(el('li', { 'data-id': d.other, text: phrase + ' ' + d.other_caption }));
      });
      dialog.body.append(el('p', { cls: 'ed-warn', text: t('confirm_delete') + ' (' + e.dependents.total + ')' }), list,
        el('p', { cls: 'ed-note', text: t('undo_delete_note') }));
      dialog.actions.append(el('button', { type: 'button', cls: 'ed-danger', 'data-action': 'confirm-delete', text: t('confirm_yes'),
        on: { click: () => { dialog.close(); askDelete(true); } } }));
      dialog.open();
      return;
    }
    message(t('failed') + e.message, 'error');
  }

  function dialogShell(title, kind) {
    message('');
    document.querySelectorAll('dialog.ed-dialog').forEach((d) => { d.close(); d.remove(); });
    const dialog = el('dialog', { cls: 'ed-dialog', 'data-form': kind });
    const body = el('div', { cls: 'ed-body' });
    const status = el('p', { cls: 'ed-form-message', role: 'alert', hidden: true });
    const actions = el('div', { cls: 'ed-actions' });
    actions.append(el('button', { type: 'button', text: t('cancel'), 'data-action': 'cancel', on: { click: () => { dialog.close(); dialog.remove(); } } }));
    dialog.append(el('h3', { text: title }), status, body, actions);
    document.body.append(dialog);
    return { dialog, body, actions, status, open: () => dialog.showModal(), close: () => { dialog.close(); dialog.remove(); } };
  }

  function fieldId(name) { return 'ed-f-' + name; }

  function inputFor(f, value) {
    const id = fieldId(f.name);
    const common = { id, name: f.name, 'data-field': f.name, 'aria-describedby': 'ed-err-' + f.name, disabled: !!f.read_only };
    if (f.required) common['aria-required'] = 'true';
    const text = (v) => (v === undefined || v === null ? '' : String(v));
    switch (f.input) {
      case 'textarea': return el('textarea', { ...common, rows: 3, value: text(value) });
      case 'checkbox': return el('input', { ...common, type: 'checkbox', checked: !!value });
      case 'select': {
        const s = el('select', common);
        if (!f.no_empty) s.append(el('option', { value: '', text: t('none') }));
        (f.choices || []).forEach((c) => s.append(el('option', { value: c.value, text: w(c) })));
        s.value = text(value);
        return s;
      }
      case 'multiselect': {
        const box = el('div', { ...common, role: 'group', cls: 'ed-multi' });
        const chosen = Array.isArray(value) ? value : [];
        (f.choices || []).forEach((c) => {
          box.append(el('label', {}, el('input', { type: 'checkbox', value: c.value, checked: chosen.includes(c.value) }), ' ' + w(c)));
        });
        return box;
      }
      case 'node': case 'nodes': return picker(f, value);
      case 'list': return el('input', { ...common, type: 'text', value: Array.isArray(value) ? value.join('; ') : text(value), placeholder: t('list_hint') });
      case 'date': return el('input', { ...common, type: 'text', inputMode: 'numeric', value: text(value), placeholder: 'JJJJ-MM-TT / TT.MM.JJJJ' });
      case 'integer': case 'number': return el('input', { ...common, type: 'text', inputMode: 'decimal', value: text(value) });
      case 'email': case 'url': case 'tel': case 'datetime':
      default: return el('input', { ...common, type: 'text', value: text(value), maxLength: f.max_length ? f.max_length + 50 : undefined });
    }
  }

  // Search-as-you-type for the other end of a relationship (or a challenge's topics).
  function picker(f, value) {
    const multi = f.input === 'nodes';
    const box = el('div', { cls: 'ed-picker', id: fieldId(f.name), 'data-picker': f.name, 'data-field': f.name,
      'data-labels': (f.node_labels || []).join(','), 'data-multi': multi ? '1' : '' });
    const chips = el('span', { cls: 'ed-chips' });
    const search = el('input', { type: 'search', autocomplete: 'off', placeholder: t('search_hint'),
      'aria-label': w(f.label), 'aria-describedby': 'ed-err-' + f.name, 'data-search': f.name });
    const list = el('ul', { cls: 'ed-options', role: 'listbox', hidden: true });
    box.append(chips, search, list);
    const add = (node) => {
      if (!multi) chips.replaceChildren();
      if ([...chips.children].some((c) => c.dataset.id === node.id)) return;
      chips.append(el('span', { cls: 'ed-chip', 'data-id': node.id, text: node.caption },
        el('button', { type: 'button', cls: 'ed-chip-x', 'aria-label': t('remove'), text: '×', on: { click: (e) => e.target.parentNode.remove() } })));
    };
    (Array.isArray(value) ? value : value ? [value] : []).forEach((v) => add(typeof v === 'string' ? { id: v, caption: v } : v));
    let timer = null;
    let asked = 0;
    search.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const q = search.value.trim();
        if (!q) { list.hidden = true; return; }
        const mine = ++asked;
        const labels = (box.dataset.labels || '').split(',').filter(Boolean);
        const params = new URLSearchParams({ q, limit: '8' });
        labels.forEach((l) => params.append('labels', l));
        const r = await api('GET', '/nodes/lookup?' + params.toString());
        if (mine !== asked) return;
        list.replaceChildren();
        const items = r.ok ? r.body.items : [];
        if (!items.length) list.append(el('li', { cls: 'ed-nohit', text: t('no_hits') }));
        items.forEach((n) => {
          const form = S.byLabel[n.label];
          list.append(el('li', { role: 'option', cls: 'ed-option', 'data-id': n.id, tabIndex: 0,
            text: n.caption + ' · ' + (form ? w(form.name) : n.label),
            on: { click: () => { add(n); search.value = ''; list.hidden = true; },
              keydown: (e) => { if (e.key === 'Enter') { e.preventDefault(); add(n); search.value = ''; list.hidden = true; } } } }));
        });
        list.hidden = false;
      }, 150);
    });
    return box;
  }

  function readValue(dialog, f) {
    const node = dialog.querySelector('#' + CSS.escape(fieldId(f.name)));
    if (!node) return undefined;
    switch (f.input) {
      case 'checkbox': return node.checked;
      case 'multiselect': return [...node.querySelectorAll('input:checked')].map((i) => i.value);
      case 'node': { const c = node.querySelector('.ed-chip'); return c ? c.dataset.id : ''; }
      case 'nodes': return [...node.querySelectorAll('.ed-chip')].map((c) => c.dataset.id);
      case 'list': return node.value.split(/\s*;\s*/).map((s) => s.trim()).filter(Boolean);
      default: return node.value;
    }
  }

  function fieldRow(f, value) {
    const name = w(f.label) || f.name;
    const label = el('label', { for: fieldId(f.name), text: name });
    if (f.required) label.append(el('span', { cls: 'ed-required', title: t('required'), text: ' *' }));
    if (f.personal) label.append(el('span', { cls: 'ed-personal', text: ' ' + t('personal') }));
    const row = el('div', { cls: 'ed-field', 'data-row': f.name }, label, inputFor(f, value));
    if (f.read_only) row.append(el('p', { cls: 'ed-note', text: t('read_only') + ': ' + f.read_only }));
    row.append(el('p', { cls: 'ed-error', id: 'ed-err-' + f.name, hidden: true }));
    return row;
  }

  function renderExtra(dialog, fields) {
    const host = dialog.querySelector('.ed-extra');
    if (!host) return;
    host.replaceChildren(...(fields || []).map((f) => fieldRow(f, undefined)));
    host.dataset.fields = JSON.stringify(fields || []);
  }

  function showErrors(shell, spec, error) {
    shell.dialog.querySelectorAll('.ed-error').forEach((p) => { p.hidden = true; p.textContent = ''; });
    shell.dialog.querySelectorAll('[aria-invalid]').forEach((n) => n.removeAttribute('aria-invalid'));
    const problems = error.problems || (error.field ? [{ field: error.field, message: error.message }] : []);
    let placed = 0;
    problems.forEach((p) => {
      const name = spec.fieldOf ? spec.fieldOf(p.field) : p.field;
      const slot = shell.dialog.querySelector('#ed-err-' + CSS.escape(name));
      if (!slot) return;
      slot.textContent = p.message;
      slot.hidden = false;
      const input = shell.dialog.querySelector('#' + CSS.escape(fieldId(name)));
      if (input) input.setAttribute('aria-invalid', 'true');
      placed += 1;
    });
    shell.status.textContent = placed ? t('fix_fields') : t('failed') + error.message;
    shell.dialog.scrollTop = 0;
    shell.status.hidden = false;
    shell.status.className = 'ed-form-message ed-error-box';
  }

  function showStale(shell, spec, error) {
    const current = error.current;
    const box = el('div', { cls: 'ed-stale', id: 'ed-stale' });
    box.append(el('p', { text: t('stale') + ' (' + t('version') + ' ' + current.version + ')' }));
    const dl = el('dl');
    spec.fields.forEach((f) => {
      if (!(f.name in current.properties)) return;
      const v = current.properties[f.name];
      dl.append(el('dt', { text: w(f.label) }), el('dd', { 'data-current': f.name, text: Array.isArray(v) ? v.join('; ') : String(v) }));
    });
    box.append(dl);
    box.append(el('button', { type: 'button', 'data-action': 'use-current', text: t('use_current'), on: { click: () => {
      spec.fields.forEach((f) => {
        const row = shell.dialog.querySelector('[data-row="' + CSS.escape(f.name) + '"]');
        if (row) row.replaceWith(fieldRow(f, current.properties[f.name]));
      });
      spec.setVersion(current.version); box.remove(); shell.status.hidden = true;
    } } }));
    box.append(el('button', { type: 'button', 'data-action': 'keep-mine', text: t('keep_mine'), on: { click: () => {
      spec.setVersion(current.version); box.remove(); shell.status.hidden = true;
    } } }));
    shell.body.prepend(box);
    shell.dialog.scrollTop = 0;
    shell.status.textContent = error.message;
    shell.status.hidden = false;
    shell.status.className = 'ed-form-message ed-error-box';
  }

  function openForm(spec) {
    const shell = dialogShell(spec.title, spec.kind);
    const form = el('form', { noValidate: true, id: 'ed-form', 'data-label': spec.label || '' });
    spec.fields.forEach((f) => form.append(fieldRow(f, spec.values[f.name])));
    if (spec.extraFor) form.append(el('div', { cls: 'ed-extra' }));
    shell.body.append(form);
    const save = el('button', { type: 'submit', text: t('save'), 'data-action': 'save', cls: 'ed-primary' });
    save.setAttribute('form', 'ed-form');
    shell.actions.prepend(save);
    const collect = () => {
      const values = {};
      spec.fields.forEach((f) => { if (!f.read_only) values[f.name] = readValue(shell.dialog, f); });
      const extra = form.querySelector('.ed-extra');
      if (extra && extra.dataset.fields) JSON.parse(extra.dataset.fields).forEach((f) => { values[f.name] = readValue(shell.dialog, f); });
      return values;
    };
    if (spec.onChange) {
      form.addEventListener('change', (e) => { if (e.target.name === '_rel') spec.onChange(collect(), shell.dialog); });
      spec.onChange(collect(), shell.dialog);
    }
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      save.disabled = true;
      const r = await spec.submit(collect());
      save.disabled = false;
      if (r.ok) { shell.close(); spec.done(r.body || {}); return; }
      const error = errorOf(r);
      if (error.code === 'stale_version' && error.current && spec.setVersion) showStale(shell, spec, error);
      else showErrors(shell, spec, error);
    });
    shell.open();
    const first = form.querySelector('input:not([disabled]), select, textarea');
    if (first) first.focus();
    return shell;
  }

  async function afterWrite(id, text, select) {
    message('');
    const x = X();
    if (typeof x.refresh === 'function') { try { await x.refresh(); } catch (e) { /* the view reloads later */ } }
    if (id && select && typeof x.select === 'function') {
      S.selecting = id;
      setTimeout(() => { S.selecting = null; }, 3000);
      x.select(id);
    }
    if (id) { S.selected = { id, label: null }; await renderNode(); } else { renderPanel(); }
    message(text, 'ok');
  }

  // --- history with undo ------------------------------------------------------------------

  function fmt(v) {
    if (v === null || v === undefined || v === '') return t('none');
    return Array.isArray(v) ? v.join('; ') : String(v);
  }

  async function renderHistory(mine) {
    const sec = document.getElementById('ed-history');
    const r = await api('GET', '/nodes/' + encodeURIComponent(S.selected.id) + '/history?limit=20');
    if (mine !== S.seq || !sec) return;
    sec.replaceChildren(el('h4', { text: t('history') }));
    sec.hidden = false;
    if (canWrite()) {
      sec.append(el('button', { type: 'button', 'data-action': 'undo', text: t('undo'), on: { click: undo } }));
    }
    const entries = r.ok ? r.body.entries : [];
    if (!entries.length) { sec.append(el('p', { cls: 'ed-note', text: t('no_history') })); return; }
    const form = S.byLabel[S.selected.label] || { fields: [] };
    const names = {};
    const choices = {};
    form.fields.forEach((f) => {
      names[f.name] = w(f.label);
      (f.choices || []).forEach((c) => { choices[f.name + '=' + c.value] = w(c); });
    });
    const word = (field, v) => (Array.isArray(v) ? v.map((x) => choices[field + '=' + x] || x) : choices[field + '=' + v] || v);
    const list = el('ol', { id: 'ed-history-list' });
    entries.forEach((e) => {
      const kind = String(e.action).split(':')[0];
      const when = new Date(e.at).toLocaleString(lang() === 'en' ? 'en-GB' : 'de-DE');
      const who = e.key_note ? e.key_note + ' (' + e.key_id + ')' : e.key_id;
      const li = el('li', { cls: 'ed-entry' + (e.undone ? ' ed-undone' : ''), 'data-action-kind': kind });
      li.append(el('div', { cls: 'ed-entry-head', text: when + ' · ' + t('a_' + kind) + (kind === 'step' ? ' → ' + t('st_' + e.action.split('_').pop()) : '') + (kind === 'ingest' ? '' : ' · ' + t('by') + ' ' + who) }));
      if (e.relationship) {
        // "ist Mitglied von IHK Kassel-Marburg": the link read from this node, the other end by name
        const r = e.relationship;
        const rel = S.rels[r.type];
        const phrase = rel ? w(r.direction === 'in' ? rel.inverse : rel.label) : r.type;
        const other = r.other || { caption: r.direction === 'in' ? r.start : r.end, exists: true };
        const line = el('div', { cls: 'ed-rel', 'data-other': other.id || '' }, phrase + ' ');
        line.append(el('strong', { text: other.caption }));
        if (other.exists === false) line.append(el('span', { cls: 'ed-note', text: ' ' + t('gone') }));
        li.append(line);
      }
      if (kind === 'ingest') {
        // an import: one entry per node and run, with the run and the file, not every value
        const rel = e.relationship_type && S.rels[e.relationship_type];
        const what = e.relationship_type ? t('ingest_links', { rel: rel ? w(rel.label) : e.relationship_type })
          : t('fields') + ': ' + e.fields.map((f) => names[f] || f).join(', ');
        li.append(el('div', { cls: 'ed-ingest', text: what }),
          el('div', { cls: 'ed-note', text: t('ingest_run', { run: e.ingest_run || '', file: e.source || '' }) }));
      }
      if (e.relationships_removed) li.append(el('div', { cls: 'ed-note', text: t('links_removed', { n: e.relationships_removed }) }));
      const changes = el('ul', { cls: 'ed-changes' });
      e.changes.forEach((c) => {
        const item = el('li', { 'data-field': c.field });
        item.append(el('span', { cls: 'ed-field-name', text: (names[c.field] || c.field) + ': ' }));
        if (c.personal && !('new' in c)) item.append(el('span', { cls: 'ed-hidden', text: t('hidden') }));
        else item.append(el('del', { text: fmt(word(c.field, c.old)) }), ' → ', el('ins', { text: fmt(word(c.field, c.new)) }));
        changes.append(item);
      });
      li.append(changes);
      list.append(li);
    });
    sec.append(list);
  }

  // A deleted node can no longer be selected: the undo is offered right after the delete.
  function offerUndoDelete(rec) {
    const box = document.getElementById('ed-message');
    if (!box) return;
    box.append(' ', el('button', { type: 'button', 'data-action': 'undo-delete', text: t('undo'), on: { click: async () => {
      const r = await api('POST', '/nodes/' + encodeURIComponent(rec.id) + '/undo');
      if (!r.ok) { message(errorOf(r).message, 'error'); return; }
      await afterWrite(rec.id, t('restored', { n: r.body.relationships_restored }), true);
      const missing = r.body.not_restored || [];
      if (missing.length) {
        const list = el('ul', { id: 'ed-not-restored' });
        missing.forEach((m) => {
          const rel = S.rels[m.type];
          list.append(el('li', { 'data-id': m.other, text: (rel ? w(m.direction === 'out' ? rel.label : rel.inverse) : m.type) + ' ' + (m.other_caption || m.other) }));
        });
        document.getElementById('ed-message').append(el('p', { text: t('not_restored') }), list);
      }
    } } }));
  }

  async function undo() {
    const r = await api('POST', '/nodes/' + encodeURIComponent(S.selected.id) + '/undo');
    if (!r.ok) { message(errorOf(r).message, 'error'); return; }
    if (!r.body.node) { S.selected = null; afterWrite(null, t('undone')); return; }
    afterWrite(S.selected.id, t('undone'));
  }

  // --- start ------------------------------------------------------------------------------

  let booted = false;
  async function boot() {
    if (booted) return;
    booted = true;
    const r = await api('GET', '/schema/forms');
    if (!r.ok) { booted = false; return; }
    S.forms = r.body;
    S.caller = r.body.caller;
    S.key = sessionStorage.getItem(KEY_STORE) || '';
    r.body.nodes.forEach((f) => { S.byLabel[f.label] = f; });
    r.body.relationships.forEach((f) => { S.rels[f.type] = f; });
    window.__editor = { state: S, reload: renderPanel };
    renderPanel();
    document.dispatchEvent(new CustomEvent('editor:ready'));
  }

  document.addEventListener('explorer:ready', boot);
  document.addEventListener('explorer:select', (e) => { onSelect(e.detail); });
  // The explorer also shows a node's details without a selection (focusing on a search hit, a
  // link in the details): follow the node the details panel shows.
  function followDetails() {
    const body = document.getElementById('details-body');
    if (!body) return;
    new MutationObserver(() => {
      const id = body.dataset.id;
      if (id && (!S.selected || S.selected.id !== id)) onSelect({ id });
    }).observe(body, { attributes: true, attributeFilter: ['data-id'] });
  }
  followDetails();
  // The explorer's language button: redraw the editor in the other language.
  document.addEventListener('click', (e) => {
    if (e.target && e.target.id === 'lang-btn' && S.forms) setTimeout(renderPanel, 0);
  });
  if (window.__explorer && window.__explorer.ready) boot();
  if (sessionStorage.getItem(KEY_STORE)) boot();
})();
