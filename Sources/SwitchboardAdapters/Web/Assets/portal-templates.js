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
  window.SwitchboardTemplates = { components: components, render: render, label: label };

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
