/* Switchboard admin portal, Message Campaign page (seed 003): the create/edit form's body builder
   (registered with portal.js, which posts it and shows errors next to the fields), CSV import and
   file upload, the WhatsApp template picker with variables and preview, and the list's live
   progress (message_campaign/query every second while a campaign is pending, executing or
   retrying), per-recipient results, retry, duplicate and delete. Hand-written, no build step. */
(function () {
  'use strict';
  var portal = window.SwitchboardPortal, call = portal.call;
  var form = document.getElementById('campaign-form'), table = document.getElementById('campaign-table');
  if (!form || !table) { return; }
  var csrf = document.getElementById('main').getAttribute('data-csrf');
  var live = ['pending', 'executing', 'retrying'];
  function $(id) { return document.getElementById(id); }
  function all(root, sel) { return Array.prototype.slice.call(root.querySelectorAll(sel)); }
  function radio(name) { var c = form.querySelector('input[name="' + name + '"]:checked'); return c ? c.value : ''; }
  function setRadio(name, value) {
    all(form, 'input[name="' + name + '"]').forEach(function (r) { r.checked = r.value === value; });
    syncWhen();
  }
  function label(raw) { var t = String(raw || '').replace(/_/g, ' '); return t.charAt(0).toUpperCase() + t.slice(1); }
  function alertBox(text) { var box = $('campaign-alert'); box.textContent = text || ''; box.hidden = !text; }
  function failed(answer) { return answer.errmsg + (answer.errdetail ? ': ' + answer.errdetail : ''); }

  /* Multipart upload through the bridge (file parts are not JSON). */
  function upload(path, part, file) {
    var data = new FormData();
    data.append(part, file, file.name);
    return fetch('/portal/api/' + path, { method: 'POST', body: data, credentials: 'same-origin', headers: { 'X-CSRF-Token': csrf } })
      .then(function (r) { return r.json(); });
  }

  /* Sections shown only for a radio choice: data-when="radio-name=value". */
  function syncWhen() {
    all(form, '[data-when]').forEach(function (el) {
      var rule = el.getAttribute('data-when').split('=');
      el.hidden = radio(rule[0]) !== rule[1];
    });
  }
  all(form, 'input[type=radio]').forEach(function (r) { r.addEventListener('change', syncWhen); });

  /* Channel → its senders, and SMS (text or file) vs WhatsApp (template) content. */
  var channel = $('cp-channel'), sender = $('cp-sender');
  function channelType() { var o = channel.options[channel.selectedIndex]; return o ? o.getAttribute('data-type') : ''; }
  function syncChannel(keepSender) {
    var chosen = null;
    all(sender, 'option').forEach(function (o) {
      var fits = o.getAttribute('data-channel') === channel.value;
      o.hidden = !fits; o.disabled = !fits;
      if (fits && !chosen) { chosen = o; }
    });
    var current = sender.options[sender.selectedIndex];
    if (!keepSender || !current || current.disabled) { sender.value = chosen ? chosen.value : ''; }
    var type = channelType();
    all(form, '[data-for-channel]').forEach(function (el) { el.hidden = el.getAttribute('data-for-channel') !== type; });
    /* WhatsApp sends templates only (no text/file choice: both radios stay unchecked). */
    if (type === 'whatsapp') { setRadio('cp-content', 'template'); loadTemplates(); } else if (!radio('cp-content')) { setRadio('cp-content', 'text'); }
    syncWhen();
  }
  channel.addEventListener('change', function () { syncChannel(false); });

  /* Text counter (characters as the API counts them: Unicode scalars). */
  var text = $('cp-text'), counter = $('cp-count');
  function count() { counter.textContent = Array.from(text.value).length + ' / 1600'; }
  text.addEventListener('input', count);

  /* File content: uploaded at once through message/batchupload; the File_Info becomes the content. */
  var fileInfo = null;
  $('cp-file').addEventListener('change', function (event) {
    var file = event.target.files[0], note = $('cp-file-info');
    fileInfo = null;
    if (!file) { note.textContent = ''; return; }
    note.textContent = 'Uploading ' + file.name + '…';
    upload('message/batchupload', 'files', file).then(function (answer) {
      if (answer.errcode !== 0) { note.textContent = failed(answer); return; }
      fileInfo = answer.list[0];
      note.textContent = 'Uploaded ' + fileInfo.name + ' (' + Math.ceil(fileInfo.size / 1024) + ' KB).';
    });
  });

  /* CSV import: the numbers join the list; each rejected row is shown with its line and reason. */
  $('cp-import').addEventListener('click', function () {
    var file = $('cp-csv').files[0], report = $('cp-csv-report');
    report.textContent = '';
    if (!file) { report.textContent = 'Choose a CSV file first.'; return; }
    upload('message_campaign/import', 'file', file).then(function (answer) {
      if (answer.errcode !== 0) { portal.showErrors(form, answer); return; }
      var numbers = $('cp-numbers'), have = numbersOf(numbers.value);
      answer.number_list.forEach(function (n) { if (have.indexOf(n.number) < 0) { have.push(n.number); } });
      numbers.value = have.join('\n');
      report.textContent = 'Imported ' + answer.total_number + ' numbers.' + (answer.rejected_list.length ? ' Rejected rows:' : '');
      var list = document.createElement('ul');
      answer.rejected_list.forEach(function (r) {
        var li = document.createElement('li');
        li.textContent = 'line ' + r.line + ': ' + (r.value || '(empty)') + ' — ' + label(r.reason);
        list.appendChild(li);
      });
      if (answer.rejected_list.length) { report.appendChild(list); }
    });
  });
  function numbersOf(value) { return value.split(/[\s,;]+/).map(function (n) { return n.trim(); }).filter(Boolean); }

  /* WhatsApp templates: picker, one field per variable (and header media/location), live preview. */
  var templates = [], templateSelect = $('cp-template'), loadedFor = '';
  function loadTemplates(force) {
    if (!force && loadedFor === channel.value) { return Promise.resolve(); }
    loadedFor = channel.value;
    return call('message_channel/whatsapp_template', null, 'GET', { omnichannel_id: channel.value, page: 1, page_size: 250 }).then(function (answer) {
      templates = answer.errcode === 0 ? answer.data : [];
      templateSelect.length = 1;
      templates.forEach(function (t, i) { templateSelect.add(new Option(t.name + ' (' + t.language + ', ' + label(t.category.toLowerCase()) + ')', String(i))); });
      renderVariables();
    });
  }
  $('cp-refresh').addEventListener('click', function () {
    call('message_channel/whatsapp_template/refresh', { omnichannel_id: Number(channel.value) }).then(function (answer) {
      if (answer.errcode !== 0) { alertBox(failed(answer)); return; }
      loadTemplates(true);
    });
  });
  function chosenTemplate() { return templates[Number(templateSelect.value)] || null; }
  /* Variable fields, preview and msg_param: the shared composer (portal-templates.js). */
  var composer = window.SwitchboardTemplates.composer({
    root: form, variables: $('cp-variables'), preview: $('cp-preview'), prefix: 'cp',
    upload: function (file) { return upload('message/batchupload', 'files', file).then(function (a) { return a.errcode === 0 ? a.list[0] : Promise.reject(failed(a)); }); },
    onError: alertBox
  });
  function renderVariables() { composer.show(chosenTemplate()); }
  templateSelect.addEventListener('change', renderVariables);
  function msgParam() { return composer.param(); }
  /* The create/update body; portal.js posts it and places errcode/invalid_param_list next to the fields. */
  portal.builders.campaign = function (f, editing) {
    var body = {
      name: $('cp-name').value.trim(), channel_type: channelType(), omnichannel_id: Number(channel.value), sender: Number(sender.value),
      recipient_type: radio('cp-recipient'), content_type: channelType() === 'whatsapp' ? 'template' : radio('cp-content'), send_type: radio('cp-send'), send_mode: radio('cp-mode')
    };
    if (editing) { body.id = Number(form.querySelector('[name="id"]').value); }
    if (body.recipient_type === 'input') {
      body.number_list = numbersOf($('cp-numbers').value).map(function (n) { return { number: n }; });
    } else {
      body.recipient_id = Number($('cp-phonebook').value);
      body.recipient_num_type = $('cp-numtype').value;
    }
    if (body.content_type === 'text') { body.content = text.value; }
    if (body.content_type === 'document') { body.content = fileInfo ? JSON.stringify(fileInfo) : ''; }
    if (body.content_type === 'template') { body.msg_param = msgParam(); }
    if (body.send_type === 'schedule' && $('cp-time').value) { body.send_time = Math.floor(new Date($('cp-time').value).getTime() / 1000); }
    if (body.send_mode === 'new_session') {
      body.assign_to_type = $('cp-assign-type').value;
      body.assign_to_id = Number($('cp-assign-id').value);
    }
    return body;
  };

  /* Edit: the campaign's settings into the form, which then updates it. */
  function edit(id) {
    call('message_campaign/get', null, 'GET', { id: id }).then(function (answer) {
      if (answer.errcode !== 0) { alertBox(failed(answer)); return; }
      var c = answer.data;
      portal.clearErrors(form);
      form.setAttribute('data-api', 'message_campaign/update');
      form.setAttribute('data-editing', '');
      form.querySelector('[name="id"]').value = id;
      $('campaign-form-h').textContent = 'Edit ' + c.name;
      $('campaign-reset').hidden = false;
      $('cp-name').value = c.name;
      channel.value = String(c.omnichannel_id);
      syncChannel(false);
      sender.value = String(c.sender);
      setRadio('cp-recipient', c.recipient_type);
      $('cp-numbers').value = (c.number_list || []).map(function (n) { return n.number; }).join('\n');
      if (c.recipient_id) { $('cp-phonebook').value = String(c.recipient_id); }
      if (c.recipient_num_type) { $('cp-numtype').value = c.recipient_num_type; }
      setRadio('cp-content', c.content_type);
      if (c.content_type === 'text') { text.value = c.content; count(); }
      if (c.content_type === 'document') { try { fileInfo = JSON.parse(c.content); $('cp-file-info').textContent = 'Current file: ' + fileInfo.name; } catch (e) { fileInfo = null; } }
      if (c.content_type === 'template') { loadTemplates().then(function () { fillTemplate(c.msg_param); }); }
      setRadio('cp-send', c.send_type === 'scheduled' ? 'schedule' : c.send_type);
      if (c.send_time) { var d = new Date(c.send_time * 1000); $('cp-time').value = new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16); }
      setRadio('cp-mode', c.send_mode);
      if (c.assign_to_type) {
        $('cp-assign-type').value = c.assign_to_type;
        $('cp-assign-type').dispatchEvent(new Event('change'));
        $('cp-assign-id').value = String(c.assign_to_id);
      }
      form.scrollIntoView();
      $('cp-name').focus();
    });
  }
  function fillTemplate(raw) {
    var p; try { p = JSON.parse(raw); } catch (e) { return; }
    var index = templates.findIndex(function (t) { return t.id === p.id || t.template_id === p.template_id; });
    if (index < 0) { return; }
    templateSelect.value = String(index);
    renderVariables();
    composer.fill(p);
  }
  $('campaign-reset').addEventListener('click', function () { window.location.href = '/portal/campaigns'; });

  /* List operations. */
  function rowOf(id) { return table.querySelector('tr[data-campaign="' + id + '"]'); }
  function act(path, id, reload) {
    call(path, null, 'GET', { id: id }).then(function (answer) {
      if (answer.errcode !== 0) { alertBox(failed(answer)); return; }
      if (reload) { window.location.reload(); }
    });
  }
  table.addEventListener('click', function (event) {
    var b = event.target.closest('button');
    if (!b) { return; }
    alertBox('');
    if (b.hasAttribute('data-details')) { details(b.getAttribute('data-details'), true); }
    if (b.hasAttribute('data-edit-campaign')) { edit(b.getAttribute('data-edit-campaign')); }
    if (b.hasAttribute('data-retry')) { act('message_campaign/retry', b.getAttribute('data-retry'), true); }
    if (b.hasAttribute('data-duplicate')) { act('message_campaign/duplicate', b.getAttribute('data-duplicate'), true); }
    if (b.hasAttribute('data-delete-campaign')) {
      var id = b.getAttribute('data-delete-campaign');
      if (window.confirm('Delete the campaign ' + rowOf(id).getAttribute('data-name') + ' and its results?')) { act('message_campaign/delete', id, true); }
    }
  });

  /* Details: the summary and every recipient's result with its failed reason. */
  var shownID = '';
  function details(id, focus) {
    shownID = String(id);
    call('message_campaign/results', null, 'GET', { id: id, page: 1, page_size: 1000 }).then(function (answer) {
      if (answer.errcode !== 0) { alertBox(failed(answer)); return; }
      var box = $('campaign-details'), body = $('results-table').tBodies[0], row = rowOf(id);
      box.hidden = false;
      $('details-h').textContent = 'Details (' + (row ? row.getAttribute('data-name') : id) + ')';
      $('details-summary').textContent = 'Failed: ' + answer.failed + ' · Succeeded: ' + answer.succeeded + ' · Total: ' + answer.total_number + ' · Response rate: ' + answer.response_rate;
      body.textContent = '';
      answer.data.forEach(function (r) {
        var tr = body.insertRow();
        [r.contact_name, r.number, label(r.result), r.failed_reason].forEach(function (v) { tr.insertCell().textContent = v; });
        tr.className = 'result-' + r.result;
      });
      if (focus) { $('details-h').focus(); }
    });
  }
  $('details-close').addEventListener('click', function () { $('campaign-details').hidden = true; shownID = ''; });

  /* Live progress: poll the running campaigns every second; rows update in place. */
  function update(c) {
    var row = rowOf(c.id);
    if (!row) { return; }
    var running = live.indexOf(c.status) >= 0, badge = row.querySelector('.badge'), bar = row.querySelector('progress');
    row.setAttribute('data-status', c.status);
    badge.textContent = label(c.status);
    badge.classList.toggle('ok', c.status === 'completed');
    badge.classList.toggle('bad', c.status === 'stop');
    bar.max = Math.max(c.total, 1);
    bar.value = c.succeeded + c.failed;
    bar.textContent = row.querySelector('.progress-text').textContent = (c.succeeded + c.failed) + '/' + c.total;
    if (running) { row.querySelector('.progress-box').hidden = false; }
    row.querySelector('.result-count').textContent = c.result_count;
    row.querySelector('.response-rate').textContent = c.response_rate;
    row.querySelector('[data-retry]').hidden = !(c.status === 'completed' || c.status === 'stop');
    row.querySelector('[data-delete-campaign]').hidden = c.status === 'executing' || c.status === 'retrying';
    row.querySelector('[data-edit-campaign]').hidden = ['draft', 'scheduled', 'pending'].indexOf(c.status) < 0;
    if (shownID === String(c.id)) { details(c.id, false); }
  }
  /* Scheduled campaigns join the polling a minute before their time (they then turn pending). */
  function due(r) {
    return r.getAttribute('data-status') === 'scheduled' && Number(r.getAttribute('data-send-time')) * 1000 - Date.now() < 60000;
  }
  function poll() {
    var rows = all(table, 'tr.campaign'), ids = rows.filter(function (r) { return live.indexOf(r.getAttribute('data-status')) >= 0 || due(r); })
      .map(function (r) { return r.getAttribute('data-campaign'); });
    if (!ids.length) {
      if (rows.some(function (r) { return r.getAttribute('data-status') === 'scheduled'; })) { setTimeout(poll, 30000); }
      return;
    }
    call('message_campaign/query', null, 'GET', { ids: ids.join(',') }).then(function (answer) {
      (answer.list || []).forEach(update);
      setTimeout(poll, 1000);
    }, function () { setTimeout(poll, 1000); });
  }

  /* Send times in the browser's time zone. */
  all(table, 'time[data-epoch]').forEach(function (t) {
    var epoch = Number(t.getAttribute('data-epoch')), type = t.getAttribute('data-send-type');
    t.textContent = epoch > 0 ? new Date(epoch * 1000).toLocaleString() : type === 'draft' ? 'Draft' : 'Send now';
    if (epoch > 0) { t.dateTime = new Date(epoch * 1000).toISOString(); }
  });

  syncChannel(true);
  syncWhen();
  count();
  composer.show(null);
  poll();
})();
