/* Switchboard admin portal: External chat logs. Filters and pages of chat_log/search, one session's
   timeline and history, deletions (after an in-page confirmation) and the ZIP download, all through
   the portal bridge (/portal/api/chat_log/*, admin cookie + X-CSRF-Token). Times are shown and
   entered in the browser's time zone; the download is written in it too. Hand-written, no build step. */
(function () {
  'use strict';
  var portal = window.SwitchboardPortal, main = document.getElementById('main');
  var form = document.getElementById('cl-filter');
  if (!portal || !form) { return; }
  var csrf = main.getAttribute('data-csrf');

  function $(id) { return document.getElementById(id); }
  function all(root, sel) { return Array.prototype.slice.call(root.querySelectorAll(sel)); }
  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (className) { node.className = className; }
    return node;
  }
  function two(n) { return n < 10 ? '0' + n : String(n); }
  /* yyyy/MM/dd HH:mm:ss in the browser's time zone, as seed 003 shows times. */
  function time(seconds) {
    if (!seconds) { return ''; }
    var d = new Date(seconds * 1000);
    return d.getFullYear() + '/' + two(d.getMonth() + 1) + '/' + two(d.getDate()) + ' ' +
      two(d.getHours()) + ':' + two(d.getMinutes()) + ':' + two(d.getSeconds());
  }
  function timeZone() {
    try { return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'; } catch (e) { return 'UTC'; }
  }
  function describe(answer) { return answer.errmsg + (answer.errdetail ? ': ' + answer.errdetail : ''); }

  var line = $('cl-status-line');
  function say(text, bad) { line.textContent = text; line.className = bad ? 'alert' : 'muted small'; }

  /* In-page confirmation (a modal dialog: Escape or Cancel answers no). */
  var dialog = $('cl-confirm');
  function confirmed(text) {
    return new Promise(function (resolve) {
      $('cl-confirm-text').textContent = text;
      var back = document.activeElement;
      function finish(answer) {
        $('cl-confirm-ok').removeEventListener('click', yes);
        $('cl-confirm-cancel').removeEventListener('click', no);
        dialog.removeEventListener('cancel', no);
        if (dialog.open) { dialog.close(); }
        if (back && back.focus && document.contains(back)) { back.focus(); }
        resolve(answer);
      }
      function yes() { finish(true); }
      function no(event) { if (event) { event.preventDefault(); } finish(false); }
      $('cl-confirm-ok').addEventListener('click', yes);
      $('cl-confirm-cancel').addEventListener('click', no);
      dialog.addEventListener('cancel', no);
      dialog.showModal();
      $('cl-confirm-cancel').focus();
    });
  }

  /* ---- Filters and the session list ---- */
  var state = { filter: {}, page: 1, total: 0, selected: [], asked: 0 };

  /* The form's criteria as chat_log/search query fields (datetime-local → Unix seconds). */
  function criteria() {
    var query = {};
    all(form, '[name]').forEach(function (input) {
      var value = (input.value || '').trim();
      if (value === '') { return; }
      if (input.type === 'datetime-local') {
        var ms = new Date(value).getTime();
        query[input.name] = isNaN(ms) ? value : String(Math.floor(ms / 1000));
      } else {
        query[input.name] = value;
      }
    });
    return query;
  }

  function pageSize() { return Number($('cl-size').value); }

  /* Loads page `page` of `filter`; the filter becomes the page's only when the API accepts it.
     Only the latest search is shown (answers can arrive out of order). */
  function search(filter, page) {
    var query = Object.assign({}, filter, { page: String(page), page_size: String(pageSize()) });
    var mine = ++state.asked;
    portal.clearErrors(form);
    return portal.call('chat_log/search', null, 'GET', query).then(function (answer) {
      if (mine !== state.asked) { return; }
      if (answer.errcode !== 0) { portal.showErrors(form, answer); return; }
      var pages = Math.max(1, Math.ceil(answer.total_number / pageSize()));
      if (page > pages && answer.total_number > 0) { return search(filter, pages); }
      state.filter = filter;
      state.page = page;
      state.total = answer.total_number;
      renderSessions(answer.list || []);
    }).catch(function (error) {
      portal.showErrors(form, { errmsg: 'The hub did not answer (' + error.message + ')' });
    });
  }

  function renderSessions(list) {
    var body = $('cl-table').tBodies[0];
    body.textContent = '';
    state.selected = [];
    $('cl-all').checked = false;
    list.forEach(function (s) {
      var row = el('tr');
      row.setAttribute('data-session', s.session_id);
      if (String(s.session_id) === String(detail.id)) { row.className = 'current'; }
      var pick = el('input');
      pick.type = 'checkbox';
      pick.value = s.session_id;
      pick.setAttribute('aria-label', 'Select session ' + s.session_id);
      pick.addEventListener('change', syncSelection);
      var cell = el('td');
      cell.appendChild(pick);
      row.appendChild(cell);
      [[s.session_id], [time(s.created_at), 'nowrap'], [time(s.last_active_at), 'nowrap'], [s.sender], [s.recipient],
        [s.channel_type_name], [s.channel_number], [s.session_status]].forEach(function (c) { row.appendChild(el('td', c[0], c[1])); });
      var view = el('button', 'View');
      view.type = 'button';
      view.className = 'secondary';
      view.setAttribute('aria-label', 'View the timeline and history of session ' + s.session_id);
      view.addEventListener('click', function () { openDetail(s, view); });
      cell = el('td');
      cell.appendChild(view);
      row.appendChild(cell);
      var remove = el('button', 'Delete');
      remove.type = 'button';
      remove.className = 'secondary';
      remove.setAttribute('aria-label', 'Delete session ' + s.session_id);
      remove.addEventListener('click', function () { deleteSessions([s.session_id]); });
      cell = el('td');
      cell.appendChild(remove);
      row.appendChild(cell);
      body.appendChild(row);
    });
    if (!list.length) {
      var empty = el('tr'), note = el('td', 'No chat logs match.', 'muted');
      note.colSpan = 11;
      empty.appendChild(note);
      body.appendChild(empty);
    }
    var pages = Math.max(1, Math.ceil(state.total / pageSize()));
    $('cl-total').textContent = '(' + state.total + ')';
    $('cl-page').textContent = 'Page ' + state.page + ' of ' + pages + ' · Total ' + state.total;
    $('cl-prev').disabled = state.page <= 1;
    $('cl-next').disabled = state.page >= pages;
    syncSelection();
  }

  function syncSelection() {
    var boxes = all($('cl-table').tBodies[0], 'input[type=checkbox]');
    state.selected = boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
    $('cl-delete').disabled = state.selected.length === 0;
    $('cl-delete').textContent = state.selected.length ? 'Delete selected (' + state.selected.length + ')' : 'Delete selected';
    $('cl-all').checked = boxes.length > 0 && state.selected.length === boxes.length;
  }

  $('cl-all').addEventListener('change', function () {
    var on = $('cl-all').checked;
    all($('cl-table').tBodies[0], 'input[type=checkbox]').forEach(function (b) { b.checked = on; });
    syncSelection();
  });

  function deleteSessions(ids) {
    var text = 'If deleted, extensions will not be able to view ' + (ids.length > 1 ? 'these ' + ids.length + ' sessions' : 'session ' + ids[0]) +
      ', and the message record of the session will also be deleted. Are you sure you want to proceed?';
    confirmed(text).then(function (yes) {
      if (!yes) { return; }
      portal.call('chat_log/delete_sessions', null, 'GET', { ids: ids.join(',') }).then(function (answer) {
        if (answer.errcode !== 0) { say('Nothing was deleted: ' + describe(answer), true); return; }
        say('Deleted ' + (ids.length > 1 ? ids.length + ' sessions' : 'session ' + ids[0]) + '.');
        if (ids.map(String).indexOf(String(detail.id)) >= 0) { closeDetail(); }
        $('cl-results-h').focus();
        search(state.filter, state.page);
      });
    });
  }

  form.addEventListener('submit', function (event) { event.preventDefault(); search(criteria(), 1); });
  form.addEventListener('reset', function () { setTimeout(function () { search({}, 1); }, 0); });
  $('cl-refresh').addEventListener('click', function () { search(state.filter, state.page); });
  $('cl-prev').addEventListener('click', function () { search(state.filter, state.page - 1); });
  $('cl-next').addEventListener('click', function () { search(state.filter, state.page + 1); });
  $('cl-size').addEventListener('change', function () { search(state.filter, 1); });
  $('cl-delete').addEventListener('click', function () { if (state.selected.length) { deleteSessions(state.selected); } });

  /* ---- Download (a ZIP of Session_Record.csv and Chat_Data_Record.csv) ---- */
  function fileName(disposition) {
    var match = /filename="?([^";]+)"?/.exec(disposition || '');
    return match ? match[1] : 'chat_logs.zip';
  }
  function download(filter, what, button) {
    var query = Object.assign({}, filter, { time_zone: timeZone() });
    button.disabled = true;
    say('Preparing ' + what + '…');
    fetch('/portal/api/chat_log/download?' + new URLSearchParams(query).toString(), {
      headers: { 'X-CSRF-Token': csrf }, credentials: 'same-origin'
    }).then(function (response) {
      if ((response.headers.get('Content-Type') || '').indexOf('application/json') >= 0) {
        return response.json().then(function (answer) {
          if (answer.errcode === 10004) { window.location.href = '/'; return; }
          portal.showErrors(form, answer);
          say('The download was refused: ' + describe(answer), true);
        });
      }
      if (!response.ok) { throw new Error('HTTP ' + response.status); }
      var name = fileName(response.headers.get('Content-Disposition'));
      return response.blob().then(function (blob) {
        var url = URL.createObjectURL(blob), link = el('a');
        link.href = url;
        link.download = name;
        link.hidden = true;
        document.body.appendChild(link);
        link.click();
        link.remove();
        setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
        say('Downloaded ' + name + ' (' + Math.max(1, Math.round(blob.size / 1024)) + ' KB, times in ' + query.time_zone + ').');
      });
    }).catch(function (error) {
      say('The download failed (' + error.message + ').', true);
    }).then(function () { button.disabled = false; });
  }
  $('cl-download-filtered').addEventListener('click', function () { download(state.filter, 'the filtered chat logs', this); });
  $('cl-download-all').addEventListener('click', function () { download({}, 'all chat logs', this); });

  /* ---- One session: timeline and history ---- */
  var detail = { id: null, page: 1, size: 50, opener: null };
  var panel = $('cl-detail');

  function openDetail(session, opener) {
    detail.id = session.session_id;
    detail.page = 1;
    detail.opener = opener;
    panel.hidden = false;
    $('cl-detail-h').textContent = 'Session ' + session.session_id;
    $('cl-detail-summary').textContent = session.sender + ' → ' + session.recipient + ' · ' + session.channel_type_name + ' ' +
      session.channel_number + ' · ' + session.session_status;
    all($('cl-table'), 'tr[data-session]').forEach(function (r) {
      r.className = r.getAttribute('data-session') === String(session.session_id) ? 'current' : '';
    });
    loadTimeline();
    loadHistory();
    $('cl-detail-h').focus();
  }

  function closeDetail() {
    panel.hidden = true;
    detail.id = null;
    all($('cl-table'), 'tr.current').forEach(function (r) { r.className = ''; });
    if (detail.opener && document.contains(detail.opener)) { detail.opener.focus(); }
  }
  $('cl-detail-close').addEventListener('click', closeDetail);
  panel.addEventListener('keydown', function (event) { if (event.key === 'Escape' && !dialog.open) { closeDetail(); } });

  function loadTimeline() {
    var list = $('cl-timeline'), id = detail.id;
    list.textContent = '';
    portal.call('chat_log/timeline', null, 'GET', { id: String(id) }).then(function (answer) {
      if (id !== detail.id) { return; }
      if (answer.errcode !== 0) { list.appendChild(el('li', describe(answer))); return; }
      (answer.list || []).forEach(function (entry) {
        var item = el('li');
        item.appendChild(el('strong', entry.title));
        item.appendChild(el('span', time(entry.time), 'when'));
        item.appendChild(el('span', entry.description));
        list.appendChild(item);
      });
      if (!(answer.list || []).length) { list.appendChild(el('li', 'No operations recorded.', 'muted')); }
    });
  }

  var deliveries = { 0: 'Sending…', 1: 'Sent', 2: 'Failed' };

  /* The message text with each attached file's "name (link)" line turned into a link. */
  function content(message) {
    var cell = el('td', null, 'cl-content'), files = message.files || [];
    (message.message_content || '').split('\n').forEach(function (text, n) {
      if (n > 0) { cell.appendChild(document.createTextNode('\n')); }
      var file = files.filter(function (f) { return f.uri && text === f.name + ' (' + f.uri + ')'; })[0];
      if (file && /^https?:\/\//i.test(file.uri)) {
        var link = el('a', file.name || file.uri);
        link.href = file.uri;
        link.target = '_blank';
        link.rel = 'noopener noreferrer';
        cell.appendChild(link);
      } else {
        cell.appendChild(document.createTextNode(text));
      }
    });
    return cell;
  }

  function loadHistory() {
    var id = detail.id, body = $('cl-history').tBodies[0];
    $('cl-history-error').hidden = true;
    portal.call('chat_log/history', null, 'GET', { id: String(id), page: String(detail.page), page_size: String(detail.size) }).then(function (answer) {
      if (id !== detail.id) { return; }
      body.textContent = '';
      if (answer.errcode !== 0) { showHistoryError(describe(answer)); return; }
      (answer.list || []).forEach(function (m) {
        var row = el('tr', null, m.is_system ? 'sys' : ''), cell = el('td');
        row.setAttribute('data-msg', m.msg_id);
        var pick = el('input');
        pick.type = 'checkbox';
        pick.value = m.msg_id;
        pick.disabled = !!m.is_system;
        pick.setAttribute('aria-label', m.is_system ? 'System messages cannot be deleted' : 'Select message ' + m.msg_id);
        pick.addEventListener('change', syncMessages);
        cell.appendChild(pick);
        row.appendChild(cell);
        row.appendChild(el('td', time(m.time), 'nowrap'));
        row.appendChild(el('td', m.sender));
        row.appendChild(el('td', m.recipient));
        row.appendChild(el('td', m.message_type));
        row.appendChild(content(m));
        var delivery = m.message_type === 'Outbound' ? deliveries[m.delivery_status] || '' : '';
        row.appendChild(el('td', delivery, m.delivery_status === 2 && delivery ? 'cl-failed' : ''));
        cell = el('td');
        if (!m.is_system) {
          var remove = el('button', 'Delete');
          remove.type = 'button';
          remove.className = 'secondary';
          remove.setAttribute('aria-label', 'Delete message ' + m.msg_id);
          remove.addEventListener('click', function () { deleteMessages([m.msg_id]); });
          cell.appendChild(remove);
        }
        row.appendChild(cell);
        body.appendChild(row);
      });
      if (!(answer.list || []).length) {
        var empty = el('tr'), note = el('td', 'No messages.', 'muted');
        note.colSpan = 8;
        empty.appendChild(note);
        body.appendChild(empty);
      }
      var pages = Math.max(1, Math.ceil(answer.total_number / detail.size));
      $('cl-history-total').textContent = '(' + answer.total_number + ')';
      $('cl-msg-page').textContent = 'Page ' + detail.page + ' of ' + pages + ' · Total ' + answer.total_number;
      $('cl-msg-prev').disabled = detail.page <= 1;
      $('cl-msg-next').disabled = detail.page >= pages;
      $('cl-msg-all').checked = false;
      syncMessages();
    });
  }

  function showHistoryError(text) {
    $('cl-history-error').textContent = text;
    $('cl-history-error').hidden = false;
  }

  function selectedMessages() {
    return all($('cl-history').tBodies[0], 'input[type=checkbox]:checked').map(function (b) { return b.value; });
  }
  function syncMessages() {
    var count = selectedMessages().length;
    $('cl-msg-delete').disabled = count === 0;
    $('cl-msg-delete').textContent = count ? 'Delete selected messages (' + count + ')' : 'Delete selected messages';
  }
  $('cl-msg-all').addEventListener('change', function () {
    var on = $('cl-msg-all').checked;
    all($('cl-history').tBodies[0], 'input[type=checkbox]:not(:disabled)').forEach(function (b) { b.checked = on; });
    syncMessages();
  });
  $('cl-msg-delete').addEventListener('click', function () {
    var ids = selectedMessages();
    if (ids.length) { deleteMessages(ids); }
  });
  $('cl-msg-prev').addEventListener('click', function () { detail.page--; loadHistory(); });
  $('cl-msg-next').addEventListener('click', function () { detail.page++; loadHistory(); });

  function deleteMessages(ids) {
    var text = (ids.length > 1 ? 'Delete these ' + ids.length + ' messages' : 'Delete this message') +
      ' from the chat log? Messages sent by the system cannot be deleted.';
    confirmed(text).then(function (yes) {
      if (!yes) { return; }
      portal.call('chat_log/delete_messages', null, 'GET', { ids: ids.join(',') }).then(function (answer) {
        if (answer.errcode !== 0) { showHistoryError('Nothing was deleted: ' + describe(answer)); return; }
        say('Deleted ' + (ids.length > 1 ? ids.length + ' messages' : 'message ' + ids[0]) + ' of session ' + detail.id + '.');
        $('cl-history-h').focus();
        loadHistory();
      });
    });
  }

  search({}, 1);
})();
