/* Switchboard admin portal: posts forms as JSON to /portal/api/<openapi path> (the OpenAPI's own
   handlers, admin cookie + X-CSRF-Token) and shows errmsg / invalid_param_list next to the fields.
   Hand-written, no build step. */
(function () {
  'use strict';
  var main = document.getElementById('main');
  var csrf = main ? main.getAttribute('data-csrf') : '';

  function call(path, body, method, query) {
    var url = '/portal/api/' + path + (query ? '?' + new URLSearchParams(query).toString() : '');
    var init = { method: method || 'POST', headers: { 'X-CSRF-Token': csrf }, credentials: 'same-origin' };
    if (init.method === 'POST') { init.headers['Content-Type'] = 'application/json'; init.body = JSON.stringify(body || {}); }
    return fetch(url, init).then(function (r) { return r.json(); }).then(function (answer) {
      if (answer.errcode === 10004) { window.location.href = '/'; }
      return answer;
    });
  }
  window.SwitchboardPortal = { call: call };

  function b64(text) {
    var bytes = new TextEncoder().encode(text), s = '';
    for (var i = 0; i < bytes.length; i++) { s += String.fromCharCode(bytes[i]); }
    return btoa(s);
  }
  function shown(el) { return !el.closest('[hidden]'); }
  function all(root, sel) { return Array.prototype.slice.call(root.querySelectorAll(sel)); }

  /* name=… controls as JSON members (empty ones left out). */
  function generic(form) {
    var body = {};
    all(form, '[name]').forEach(function (el) {
      if (el.hasAttribute('data-skip') || el.disabled || !shown(el)) { return; }
      var v = (el.value || '').trim();
      if (v === '') { return; }
      var type = el.getAttribute('data-type');
      body[el.name] = type === 'int' ? Number(v) : type === 'base64' ? b64(v) : type === 'idlist' ? [Number(v)] : v;
    });
    return body;
  }

  function selectedCreds(form) {
    var sel = form.querySelector('[data-providers]');
    return sel ? form.querySelector('fieldset.creds[data-provider="' + sel.value + '"]') : null;
  }

  var builders = {
    channel: function (form, editing) {
      var body = generic(form), creds = selectedCreds(form), pairs = [];
      if (editing) { delete body.channel; }
      if (creds) {
        all(creds, '[data-auth]').forEach(function (input) {
          var v = input.value.trim();
          input.setAttribute('data-field', '');
          if (v === '') { return; }
          input.setAttribute('data-field', 'account_data[' + pairs.length + '].v');
          pairs.push({ k: input.getAttribute('data-auth'), v: input.getAttribute('data-kind') === 'base64' ? b64(v) : v });
        });
      }
      if (!editing || pairs.length) { body.account_data = pairs; }
      var did = form.querySelector('[data-did="did_number"]').value.trim();
      /* dids replaces every number: a channel with several numbers keeps them (edit them over the API). */
      if (did && !(editing && Number(form.getAttribute('data-did-count')) > 1)) {
        var type = form.querySelector('[data-did="destination_type"]').value;
        var entry = { did_number: did, destination_type: type };
        if (type !== 'api') { entry.destination_id = Number(form.querySelector('[data-did="destination_id"]').value); }
        var member = form.querySelector('[data-did="member"]').value;
        if (member && body.channel !== 'facebook') { entry.members = [{ type: 'extension', value: Number(member) }]; }
        body.dids = [entry];
      }
      return body;
    },
    members: function (form) {
      var body = generic(form);
      body.members = all(form, 'input[name="member"]:checked').map(function (c) { return { extension_id: Number(c.value) }; });
      return body;
    },
    webhook: function (form) {
      var body = generic(form);
      body.event_list = all(form, 'input[name="event"]:checked').map(function (c) { return Number(c.value); });
      return body;
    }
  };

  /* For page scripts (portal-campaigns.js): their own body builders and the same error display. */
  Object.assign(window.SwitchboardPortal, { builders: builders, showErrors: showErrors, clearErrors: clearErrors });

  function clearErrors(form) {
    all(form, '.field-error').forEach(function (e) { e.remove(); });
    all(form, '[aria-invalid]').forEach(function (e) { e.removeAttribute('aria-invalid'); e.removeAttribute('aria-describedby'); });
    var box = form.querySelector('.form-error');
    if (box) { box.hidden = true; box.textContent = ''; }
  }

  function target(form, field) {
    var candidates = all(form, '[data-field], [name]').filter(shown);
    var path = field;
    while (path) {
      for (var i = 0; i < candidates.length; i++) {
        var el = candidates[i];
        if (el.getAttribute('data-field') === path || el.getAttribute('name') === path) { return el; }
      }
      if (path.indexOf('account_data.') === 0) {
        var creds = selectedCreds(form), hit = creds && creds.querySelector('[data-auth="' + path.slice(13) + '"]');
        if (hit) { return hit; }
      }
      var cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
      path = cut > 0 ? path.slice(0, cut) : '';
    }
    return null;
  }

  var words = { required: 'Required', invalid_value: 'Not a valid value', base64: 'Must be Base64', url: 'Must be an https:// URL',
    duplicate: 'Duplicate', max_length: 'Too long', not_supported: 'Not supported here', range: 'Out of range' };

  function showErrors(form, answer) {
    var issues = (answer.invalid_param_list || []).slice();
    (answer.duplicate_field_list || []).forEach(function (d) { issues.push({ field: d.field, validation_type: 'duplicate' }); });
    var unplaced = [];
    issues.forEach(function (issue, n) {
      var el = target(form, issue.field);
      var text = (words[issue.validation_type] || issue.validation_type || answer.errmsg) + ' (' + issue.field + ')';
      if (!el) { unplaced.push(text); return; }
      var note = document.createElement('p');
      note.className = 'field-error';
      note.id = (form.id || 'form') + '-err-' + n;
      note.textContent = text;
      el.setAttribute('aria-invalid', 'true');
      el.setAttribute('aria-describedby', note.id);
      (el.closest('.field') || el).insertAdjacentElement(el.closest('.field') ? 'beforeend' : 'afterend', note);
    });
    var box = form.querySelector('.form-error');
    if (box) {
      box.textContent = answer.errmsg + (answer.errdetail ? ': ' + answer.errdetail : '') + (unplaced.length ? ' — ' + unplaced.join('; ') : '');
      box.hidden = false;
    }
    var first = form.querySelector('[aria-invalid]');
    if (first) { first.focus(); }
  }
  window.SwitchboardPortal.showErrors = showErrors;
  window.SwitchboardPortal.clearErrors = clearErrors;

  function done(form, answer) {
    var mode = form.getAttribute('data-done');
    if (mode === 'reload') { window.location.reload(); return; }
    var out = form.querySelector('.result');
    if (out) {
      out.hidden = false;
      all(out, '[data-from]').forEach(function (el) { el.value = answer[el.getAttribute('data-from')] || ''; });
    }
  }

  all(document, 'form.api-form').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      clearErrors(form);
      var previous = form.querySelector('.result');
      if (previous) { previous.hidden = true; }
      var editing = form.hasAttribute('data-editing');
      var build = builders[form.getAttribute('data-build')] || generic;
      var body = build(form, editing);
      var button = form.querySelector('button[type=submit]');
      if (button) { button.disabled = true; }
      call(form.getAttribute('data-api'), body).then(function (answer) {
        if (button) { button.disabled = false; }
        if (answer.errcode === 0) { done(form, answer); } else { showErrors(form, answer); }
      }).catch(function (error) {
        if (button) { button.disabled = false; }
        showErrors(form, { errmsg: 'The hub did not answer (' + error.message + ')' });
      });
    });
  });

  /* Provider pickers: only the chosen provider's credential fields (and its extra fields) show. */
  all(document, '[data-providers]').forEach(function (select) {
    var form = select.form;
    function sync() {
      all(form, 'fieldset.creds').forEach(function (f) { f.hidden = f.getAttribute('data-provider') !== select.value; });
      all(form, '[data-for]').forEach(function (f) { f.hidden = f.getAttribute('data-for') !== select.value; });
    }
    select.addEventListener('change', sync);
    sync();
  });

  /* Destination pickers: only queues or only extensions, as the destination type says. */
  all(document, '[data-did="destination_type"]').forEach(function (type) {
    var target = type.form.querySelector('[data-did="destination_id"]');
    function sync() {
      var chosen = null;
      all(target, 'optgroup').forEach(function (group) {
        var fits = group.querySelector('option') && group.querySelector('option').getAttribute('data-kind') === type.value;
        group.hidden = !fits;
        group.disabled = !fits;
        if (fits && !chosen) { chosen = group.querySelector('option'); }
      });
      target.disabled = type.value === 'api';
      var current = target.options[target.selectedIndex];
      if (chosen && (!current || current.getAttribute('data-kind') !== type.value)) { target.value = chosen.value; }
    }
    type.addEventListener('change', sync);
    sync();
  });

  /* Delete (or any one-click GET action) with confirmation. */
  all(document, 'button[data-api]').forEach(function (button) {
    button.addEventListener('click', function () {
      var question = button.getAttribute('data-confirm');
      if (question && !window.confirm(question)) { return; }
      (button.getAttribute('data-method') === 'get'
        ? call(button.getAttribute('data-api'), null, 'GET', { id: button.getAttribute('data-id') })
        : call(button.getAttribute('data-api'), { client_id: button.getAttribute('data-id') }))
        .then(function (answer) {
          if (answer.errcode === 0) { window.location.reload(); } else { window.alert(answer.errmsg + (answer.errdetail ? ': ' + answer.errdetail : '')); }
        });
    });
  });

  /* Copy buttons. */
  all(document, '[data-copy]').forEach(function (button) {
    button.addEventListener('click', function () {
      var source = document.querySelector(button.getAttribute('data-copy'));
      var text = source.value || source.textContent;
      function copied() { button.textContent = 'Copied'; setTimeout(function () { button.textContent = 'Copy'; }, 1500); }
      if (navigator.clipboard && window.isSecureContext) { navigator.clipboard.writeText(text).then(copied, function () {}); return; }
      source.select();
      try { document.execCommand('copy'); copied(); } catch (e) { /* left selected for Ctrl+C */ }
    });
  });

  /* Live Chat embed code. */
  all(document, '[data-embed]').forEach(function (button) {
    button.addEventListener('click', function () {
      call('message_channel/embedcode', null, 'GET', { id: button.getAttribute('data-embed') }).then(function (answer) {
        var box = document.getElementById('embed-box');
        box.hidden = false;
        document.getElementById('embed-code').value = answer.embed_code || answer.errmsg;
        document.getElementById('embed-domain').textContent = answer.website_domain ? 'Website Domain: ' + answer.website_domain : '';
        document.getElementById('embed-email-form').setAttribute('data-channel', button.getAttribute('data-embed'));
        document.getElementById('embed-code').focus();
      });
    });
  });

  /* Live Chat: email the embed code and installation instructions to a website admin. */
  var embedMail = document.getElementById('embed-email-form');
  if (embedMail) {
    var embedOn = document.getElementById('embed-email-on');
    embedOn.addEventListener('change', function () { document.getElementById('embed-email-fields').hidden = !embedOn.checked; });
    embedMail.addEventListener('submit', function (event) {
      event.preventDefault();
      clearErrors(embedMail);
      var out = embedMail.querySelector('.result'), to = document.getElementById('embed-email').value.trim();
      out.hidden = true;
      var button = embedMail.querySelector('button[type=submit]');
      button.disabled = true;
      call('message_channel/embedcode', null, 'GET', { id: embedMail.getAttribute('data-channel'), email: to }).then(function (answer) {
        button.disabled = false;
        if (answer.errcode !== 0) { showErrors(embedMail, answer); return; }
        out.textContent = 'Sent the embed code and installation instructions to ' + to + '.';
        out.hidden = false;
      });
    });
  }

  /* Email page: picking a security moves the port to its usual one unless another was typed. */
  all(document, '[data-smtp-security]').forEach(function (select) {
    var port = select.form.querySelector('[name="port"]'), previous = select.options[select.selectedIndex].getAttribute('data-port');
    select.addEventListener('change', function () {
      var next = select.options[select.selectedIndex].getAttribute('data-port');
      if (port.value.trim() === '' || port.value.trim() === previous) { port.value = next; }
      previous = next;
    });
  });

  /* Edit: load the record through the bridge into the add form, which then updates. */
  function editInto(form, api, update, id, fill) {
    call(api, null, 'GET', { id: id }).then(function (answer) {
      if (answer.errcode !== 0) { window.alert(answer.errmsg); return; }
      var data = answer.data || answer;
      form.setAttribute('data-api', update);
      form.setAttribute('data-editing', '');
      form.querySelector('[name="id"]').value = id;
      fill(data);
      var heading = form.querySelector('h3');
      if (heading) { heading.textContent = 'Edit ' + (data.name || ''); }
      form.scrollIntoView();
      var first = form.querySelector('[name="name"]');
      if (first) { first.focus(); }
    });
  }
  function setValue(form, name, value) {
    var el = form.querySelector('[name="' + name + '"]');
    if (el && value !== undefined && value !== null) { el.value = value; }
  }
  all(document, '[data-edit-queue]').forEach(function (button) {
    button.addEventListener('click', function () {
      var form = document.getElementById('queue-form');
      editInto(form, 'message_queue/get', 'message_queue/update', button.getAttribute('data-edit-queue'), function (q) {
        setValue(form, 'name', q.name);
        setValue(form, 'assignment_mode', q.assignment_mode);
        var ids = (q.members || []).map(function (m) { return String(m.extension_id); });
        all(form, 'input[name="member"]').forEach(function (c) { c.checked = ids.indexOf(c.value) >= 0; });
      });
    });
  });
  all(document, '[data-edit-channel]').forEach(function (button) {
    button.addEventListener('click', function () {
      var id = button.getAttribute('data-edit-channel');
      call('message_channel/get', null, 'GET', { id: id }).then(function (answer) {
        var c = answer.data || {};
        var form = document.getElementById(c.channel === 'whatsapp' || c.channel === 'facebook' ? 'meta-form' : 'sms-form');
        editInto(form, 'message_channel/get', 'message_channel/update', id, function (data) {
          ['name', 'webhook_url_type', 'send_rate', 'accompanying_msg', 'phone_number_id'].forEach(function (k) { setValue(form, k, data[k]); });
          var select = form.querySelector('[data-providers]');
          select.value = data.channel;
          select.dispatchEvent(new Event('change'));
          select.disabled = true;
          form.setAttribute('data-did-count', String((data.dids || []).length));
          var did = (data.dids || [])[0];
          if (did) {
            form.querySelector('[data-did="did_number"]').value = did.did_number;
            var destination = form.querySelector('[data-did="destination_type"]');
            destination.value = did.destination_type;
            destination.dispatchEvent(new Event('change'));
            if (did.destination_id) { form.querySelector('[data-did="destination_id"]').value = did.destination_id; }
          }
          all(form, '[data-auth]').forEach(function (i) { i.placeholder = 'unchanged'; i.required = false; });
        });
      });
    });
  });

  /* Directory: CSV import of company contacts, one company_contact/create per row. */
  var csvForm = document.getElementById('csv-form');
  if (csvForm) { csvForm.addEventListener('submit', function (event) { event.preventDefault(); importCSV(csvForm); }); }

  /* RFC 4180 CSV: rows of cells, each row with the file line it starts on; blank rows dropped. */
  function parseCSV(text) {
    var rows = [], row = [], field = '', quoted = false, line = 1, start = 1;
    function end() { row.push(field); row.line = start; rows.push(row); row = []; field = ''; }
    for (var i = 0; i < text.length; i++) {
      var ch = text[i];
      if (quoted) {
        if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (ch === '"') { quoted = false; } else {
          if (ch === '\n') { line++; }
          field += ch;
        }
      } else if (ch === '"') { quoted = true; } else if (ch === ',') { row.push(field); field = ''; } else if (ch === '\n' || ch === '\r') {
        if (ch === '\r' && text[i + 1] === '\n') { i++; }
        end(); line++; start = line;
      } else { field += ch; }
    }
    if (field !== '' || row.length) { end(); }
    return rows.filter(function (r) { return r.some(function (c) { return c.trim() !== ''; }); });
  }
  window.SwitchboardPortal.parseCSV = parseCSV;

  function importCSV(form) {
    var file = form.querySelector('input[type=file]').files[0], report = document.getElementById('csv-report');
    if (!file) { report.textContent = 'Choose a CSV file first.'; return; }
    var phonebook = form.querySelector('[name="phonebook"]').value;
    file.text().then(function (text) {
      var rows = parseCSV(text), header = rows.shift().map(function (h) { return h.trim(); }), lines = [], ok = 0, n = 0;
      report.textContent = 'Importing ' + rows.length + ' contacts…';
      function next() {
        if (n >= rows.length) {
          report.textContent = 'Imported ' + ok + ' of ' + rows.length + ' contacts.' + (lines.length ? ' Rejected:' : '');
          lines.forEach(function (l) { var li = document.createElement('li'); li.textContent = l; report.appendChild(li); });
          return;
        }
        var row = rows[n++], body = {};
        header.forEach(function (h, i) { if (h && row[i] !== undefined && row[i].trim() !== '') { body[h] = row[i].trim(); } });
        if (phonebook) { body.phonebook_ids = [Number(phonebook)]; }
        call('company_contact/create', body).then(function (answer) {
          if (answer.errcode === 0) { ok++; } else {
            var fields = (answer.invalid_param_list || []).map(function (p) { return p.field + ' ' + (p.validation_type || ''); });
            (answer.duplicate_field_list || []).forEach(function (d) { fields.push(d.field + ' duplicate'); });
            lines.push('line ' + row.line + ': ' + answer.errmsg + (fields.length ? ' (' + fields.join(', ') + ')' : ''));
          }
          next();
        });
      }
      next();
    });
  }
})();
