/* Switchboard portal: WhatsApp template previews (shared by the Channels and Campaigns pages) and
   the Channels page's template browser with Refresh. Hand-written, no build step. */
(function () {
  'use strict';
  function label(raw) { var t = String(raw || '').replace(/_/g, ' '); return t.charAt(0).toUpperCase() + t.slice(1); }
  function components(t) { try { return JSON.parse(t.components_data) || []; } catch (e) { return []; } }

  /* Renders `t` into `box`: header, body and footer with {{placeholders}} filled by value(part, key)
     (left as they are when it has none), media headers as [Image] etc., buttons as [text]. */
  function render(box, t, value) {
    box.textContent = '';
    if (!t) { box.textContent = 'Choose a template to see the message.'; return; }
    components(t).forEach(function (c) {
      var type = (c.type || '').toUpperCase(), p = document.createElement('p');
      if (type === 'BUTTONS') { p.textContent = (c.buttons || []).map(function (b) { return '[' + b.text + ']'; }).join(' '); } else if (c.text) {
        p.textContent = c.text.replace(/\{\{\s*([^}]+?)\s*\}\}/g, function (all, key) { return (value && value(type, key)) || '{{' + key + '}}'; });
      } else if (c.format) { p.textContent = '[' + label(c.format.toLowerCase()) + ']'; }
      if (type === 'HEADER') { p.className = 'strong'; } else if (type === 'FOOTER') { p.className = 'small muted'; }
      box.appendChild(p);
    });
  }
  function placeholders(s) {
    var found = [], re = /\{\{\s*([^}]+?)\s*\}\}/g, m;
    while ((m = re.exec(s || ''))) { if (found.indexOf(m[1]) < 0) { found.push(m[1]); } }
    return found;
  }

  /* A template message being composed: one labelled field per variable (header location, header
     media uploaded with opts.upload, header/body placeholders, dynamic button values) inside
     opts.variables, a live preview in opts.preview, and msg_param / whatsapp_msg_param as seed 002
     shows it. Field ids start with opts.prefix. */
  function composer(opts) {
    var root = opts.root, template = null;
    function q(sel) { return root.querySelector(sel); }
    function qa(sel) { return Array.prototype.slice.call(root.querySelectorAll(sel)); }
    function value(part, key) { var el = q('[data-part="' + part + '"][data-key="' + key + '"]'); return el ? el.value : ''; }
    function preview() { render(opts.preview, template, value); }
    function field(id, text, attrs) {
      var wrap = document.createElement('div'), l = document.createElement('label'), input = document.createElement('input');
      wrap.className = 'field'; l.htmlFor = id; l.textContent = text; input.id = id;
      Object.keys(attrs || {}).forEach(function (k) { input.setAttribute(k, attrs[k]); });
      input.addEventListener('input', preview);
      wrap.appendChild(l); wrap.appendChild(input);
      return wrap;
    }
    function show(t) {
      var box = opts.variables, p = opts.prefix;
      template = t; box.textContent = '';
      components(t || {}).forEach(function (c) {
        var type = (c.type || '').toUpperCase(), format = (c.format || 'TEXT').toUpperCase();
        if (type === 'HEADER' && format === 'LOCATION') {
          box.appendChild(field(p + '-loc-url', 'Location: Google Maps URL (fills name and coordinates)', { 'data-loc': 'maps_url' }));
          box.appendChild(field(p + '-loc-name', 'Location name', { 'data-loc': 'name' }));
          box.appendChild(field(p + '-loc-address', 'Location address', { 'data-loc': 'address' }));
        } else if (type === 'HEADER' && format !== 'TEXT') {
          var media = field(p + '-media', 'Header ' + format.toLowerCase() + ' file' + (format === 'IMAGE' ? ' (png, gif, jpg, jpeg, webp; up to 5 MB)' : ''), { type: 'file' });
          var input = media.querySelector('input');
          input.addEventListener('change', function (event) {
            var file = event.target.files[0];
            if (!file) { return; }
            opts.upload(file).then(function (info) { input.setAttribute('data-file', JSON.stringify(info)); }, opts.onError);
          });
          box.appendChild(media);
        } else if (type === 'HEADER' || type === 'BODY') {
          placeholders(c.text).forEach(function (key, i) {
            box.appendChild(field(p + '-var-' + type + '-' + i, (type === 'HEADER' ? 'Header' : 'Body') + ' variable {{' + key + '}}', { 'data-part': type, 'data-key': key }));
          });
        } else if (type === 'BUTTONS') {
          (c.buttons || []).forEach(function (b, i) {
            var bt = (b.type || '').toUpperCase();
            if ((bt === 'URL' && placeholders(b.url).length) || bt === 'COPY_CODE') {
              box.appendChild(field(p + '-btn-' + i, 'Button "' + (b.text || bt) + '" value', { 'data-button': String(i) }));
            }
          });
        }
      });
      preview();
    }
    function param() {
      var t = template;
      if (!t) { return ''; }
      var named = t.parameter_format === 'NAMED', out = [];
      components(t).forEach(function (c) {
        var type = (c.type || '').toUpperCase(), format = (c.format || 'TEXT').toUpperCase();
        if (type === 'HEADER' && format === 'LOCATION') {
          var loc = {};
          qa('[data-loc]').forEach(function (el) { if (el.value.trim()) { loc[el.getAttribute('data-loc')] = el.value.trim(); } });
          out.push({ type: 'HEADER', parameters: [{ type: 'LOCATION', location: loc }] });
        } else if (type === 'HEADER' && format !== 'TEXT') {
          var media = q('#' + opts.prefix + '-media'), file = media && media.getAttribute('data-file');
          out.push({ type: 'HEADER', parameters: file ? [{ type: format, file_list: [JSON.parse(file)] }] : [] });
        } else if ((type === 'HEADER' || type === 'BODY') && placeholders(c.text).length) {
          out.push({ type: type, parameters: placeholders(c.text).map(function (key) {
            var p = { type: 'TEXT', text: value(type, key) };
            if (named) { p.parameter_name = key; }
            return p;
          }) });
        } else if (type === 'BUTTONS') {
          out.push({ type: 'BUTTONS', parameters: (c.buttons || []).map(function (b, i) {
            var el = q('[data-button="' + i + '"]');
            return { type: (b.type || '').toUpperCase(), text: el ? el.value : '' };
          }) });
        }
      });
      return JSON.stringify({ id: t.id, template_id: t.template_id, name: t.name, language: { code: t.language }, parameter_format: t.parameter_format, components: out });
    }
    /* Puts a stored msg_param's values back into the fields (the template already shown). */
    function fill(p) {
      (p.components || []).forEach(function (c) {
        (c.parameters || []).forEach(function (prm, i) {
          var el = prm.parameter_name ? q('[data-part="' + c.type + '"][data-key="' + prm.parameter_name + '"]') : qa('[data-part="' + c.type + '"]')[i];
          if (c.type === 'BUTTONS') { el = q('[data-button="' + i + '"]'); }
          if (el && prm.text !== undefined) { el.value = prm.text; }
          if (prm.location) { Object.keys(prm.location).forEach(function (k) { var l = q('[data-loc="' + k + '"]'); if (l) { l.value = prm.location[k]; } }); }
        });
      });
      preview();
    }
    return { show: show, param: param, fill: fill };
  }
  window.SwitchboardTemplates = { components: components, render: render, label: label, composer: composer };

  /* Channels page: a WhatsApp channel's synced templates, a preview of the chosen one, Refresh. */
  var box = document.getElementById('templates-box');
  if (!box || !window.SwitchboardPortal) { return; }
  var call = window.SwitchboardPortal.call, select = document.getElementById('tpl-select'), status = document.getElementById('tpl-status');
  var preview = document.getElementById('tpl-preview'), list = [], channelID = '';
  function load() {
    return call('message_channel/whatsapp_template', null, 'GET', { omnichannel_id: channelID, page: 1, page_size: 250 }).then(function (answer) {
      list = answer.errcode === 0 ? answer.data : [];
      select.length = 0;
      list.forEach(function (t, i) { select.add(new Option(t.name + ' (' + t.language + ', ' + label(String(t.category).toLowerCase()) + ')', String(i))); });
      status.textContent = answer.errcode === 0 ? answer.total_number + ' approved template(s)' : answer.errmsg;
      render(preview, list[0] || null);
    });
  }
  select.addEventListener('change', function () { render(preview, list[Number(select.value)] || null); });
  Array.prototype.slice.call(document.querySelectorAll('[data-templates]')).forEach(function (button) {
    button.addEventListener('click', function () {
      channelID = button.getAttribute('data-templates');
      document.getElementById('tpl-channel').textContent = button.getAttribute('data-name');
      box.hidden = false;
      load().then(function () { select.focus(); });
    });
  });
  document.getElementById('tpl-refresh').addEventListener('click', function () {
    status.textContent = 'Refreshing…';
    call('message_channel/whatsapp_template/refresh', { omnichannel_id: Number(channelID) }).then(function (answer) {
      if (answer.errcode !== 0) { status.textContent = answer.errmsg + (answer.errdetail ? ': ' + answer.errdetail : ''); return; }
      load();
    });
  });
}());
