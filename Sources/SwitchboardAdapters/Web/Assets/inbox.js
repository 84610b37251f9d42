// Switchboard agent inbox: the session API under /api/inbox/ plus the agent WebSocket.
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var state = { me: null, list: "recent", lists: { recent: [], archived: [], campaign: [] }, current: null, detail: null,
    lastSeq: null, socket: null, retry: 0, directory: null, refreshTimer: null };
  var PROMPTS = { auth_fail: "Authentication Failed", auth_not_exit: "Authentication Failed",
    service_unavailable: "Recipient Platform Service Unavailable", invalid_phone_number: "Invalid Phone Number",
    invalid_param: "Invalid Parameter",
    unsupport_media_type: "This type of message is not supported due to the restriction of the recipient platform.",
    too_many_request: "Too frequent operations. Please try again later.",
    exceeds_size_limit: "The file size exceeds the limit of the recipient's platform." };
  var EMOJI = ["😀", "😂", "😊", "😍", "👍", "🙏", "🎉", "❤️", "😢", "😮", "👋", "✅"];

  function call(method, path, body, query) {
    var url = "/api/inbox/" + path + (query ? "?" + new URLSearchParams(query).toString() : "");
    var options = { method: method, credentials: "same-origin", headers: {} };
    if (body !== undefined) { options.headers["Content-Type"] = "application/json"; options.body = JSON.stringify(body); }
    return fetch(url, options).then(function (r) { return r.json(); });
  }
  function show(el, on) { el.hidden = !on; }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function fail(id, answer) {
    var node = $(id);
    node.textContent = answer && answer.errmsg ? answer.errmsg + (answer.invalid_param_list ? " (" +
      answer.invalid_param_list.map(function (p) { return p.field; }).join(", ") + ")" : "") : "Something went wrong.";
    show(node, true);
  }
  function time(seconds) { return new Date(seconds * 1000).toLocaleString(); }

  // Sign-in
  function boot() {
    call("GET", "me").then(function (answer) {
      if (answer.errcode !== 0) { show($("signin-view"), true); show($("app-view"), false); $("ext").focus(); return; }
      state.me = answer;
      $("me").textContent = answer.name + " <" + answer.extension + ">";
      $("presence").value = answer.presence_status;
      show($("signin-view"), false); show($("app-view"), true);
      refreshLists(); connect();
      call("GET", "directory").then(function (d) { state.directory = d; });
    });
  }
  $("signin-form").addEventListener("submit", function (event) {
    event.preventDefault();
    call("POST", "login", { extension: $("ext").value.trim(), password: $("pw").value }).then(function (answer) {
      if (answer.errcode === 0) { $("pw").value = ""; show($("signin-error"), false); boot(); return; }
      $("signin-error").textContent = answer.errcode === 70004 ? "Too many failed attempts. Try again later." : "The extension number or password is incorrect.";
      show($("signin-error"), true);
    });
  });
  $("signout").addEventListener("click", function () {
    call("POST", "logout", {}).then(function () { if (state.socket) state.socket.close(); location.reload(); });
  });
  $("presence").addEventListener("change", function () { call("POST", "presence", { presence_status: $("presence").value }); });

  // Session lists
  function refreshLists() {
    var queries = { recent: { is_archived: 0 }, archived: { is_archived: 1 }, campaign: { collection: "campaign" } };
    Object.keys(queries).forEach(function (name) {
      var q = queries[name]; q.page_size = 100;
      call("GET", "message_session/list", undefined, q).then(function (answer) {
        if (answer.errcode !== 0) return;
        state.lists[name] = answer.list;
        var unread = answer.list.reduce(function (n, s) { return n + (s.unread_count || 0); }, 0);
        $("count-" + name).textContent = unread ? String(unread) : "";
        if (name === state.list) renderList();
      });
    });
  }
  function scheduleRefresh() {
    clearTimeout(state.refreshTimer);
    state.refreshTimer = setTimeout(function () { refreshLists(); if (state.current) openSession(state.current, true); }, 100);
  }
  function renderList() {
    var ul = $("session-list"); ul.textContent = "";
    var list = state.lists[state.list];
    if (!list.length) { ul.appendChild(el("li", "muted pad", "No sessions.")); return; }
    list.forEach(function (s) {
      var li = el("li");
      var button = el("button", "session" + (s.id === state.current ? " selected" : ""));
      button.type = "button"; button.dataset.session = s.id;
      var top = el("span", "row-between");
      top.appendChild(el("strong", "", s.to.username));
      if (s.unread_count) top.appendChild(el("span", "count", String(s.unread_count)));
      button.appendChild(top);
      var meta = s.channel_name + " · " + s.type + (s.queue_id && !s.is_pickup ? " · Queue" : "") + (s.is_close ? " · Closed" : "");
      button.appendChild(el("span", "muted small", meta));
      var last = s.last_msg || {};
      button.appendChild(el("span", "preview", last.msg_body || (last.msg_files ? "[file]" : "")));
      button.addEventListener("click", function () { openSession(s.id, false); });
      li.appendChild(button); ul.appendChild(li);
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("[role=tab]"), function (tab) {
    tab.addEventListener("click", function () {
      state.list = tab.dataset.list;
      Array.prototype.forEach.call(document.querySelectorAll("[role=tab]"), function (t) { t.setAttribute("aria-selected", String(t === tab)); });
      renderList();
    });
  });

  // One session
  function openSession(id, quiet) {
    state.current = id;
    document.body.classList.add("chat-open");
    Promise.all([
      call("GET", "message_session/get", undefined, { id: id }),
      call("GET", "message/get", undefined, { id: id, page_size: 100 })
    ]).then(function (answers) {
      if (answers[0].errcode !== 0) { state.current = null; show($("chat-view"), false); show($("chat-empty"), true); return; }
      state.detail = answers[0].list;
      renderSession(state.detail);
      renderMessages(answers[1].data ? answers[1].data.records : []);
      if (!quiet) { renderList(); refreshListsSoon(); }
    });
  }
  function refreshListsSoon() { setTimeout(refreshLists, 50); }
  function renderSession(d) {
    show($("chat-empty"), false); show($("chat-view"), true);
    $("chat-title").textContent = d.user_info.username + " · " + d.channel_name;
    var phone = d.channel_type === "sms" || d.channel_type === "whatsapp";
    show($("act-pickup"), d.queue_id > 0 && !d.owner.extension_id && !d.is_close);
    show($("act-call"), phone);
    show($("act-archive"), !d.is_archived);
    show($("act-unarchive"), d.is_archived && !d.is_close);
    show($("act-close"), !d.is_close);
    show($("act-transfer"), !d.is_close);
    $("reply").disabled = !!d.is_close; $("send").disabled = !!d.is_close;
    show($("template-open"), d.channel_type === "whatsapp" && !d.is_close);
    $("reply").placeholder = d.is_close ? "The session is closed." : "Type a message";
    if (!$("details").hidden) renderDetails();
  }
  function deliveryText(m) {
    if (m.delivery_status === 2) return (PROMPTS[m.send_error] || "Failed to send") + (m.send_error_msg ? ": " + m.send_error_msg : "");
    return m.delivery_status === 1 ? "Sent" : "Sending…";
  }
  function renderMessages(records) {
    var ol = $("messages"); ol.textContent = "";
    records.slice().reverse().forEach(function (m) {
      var sys = m.msg_type !== 0, mine = !sys && [1, 9, 0].indexOf(m.sender.user_type) >= 0;
      var li = el("li", sys ? "msg sys" : mine ? "msg out" : "msg in");
      li.dataset.msg = m.msg_id;
      if (!sys) li.appendChild(el("span", "who small muted", m.sender.username));
      if (m.msg_body) li.appendChild(el("p", "body", m.msg_body));
      if (m.msg_files) {
        try {
          JSON.parse(m.msg_files).forEach(function (f) {
            var a = el("a", "file", f.name || "file"); a.href = f.uri; a.target = "_blank"; a.rel = "noopener";
            if (/^image\//.test(f.type)) { var img = el("img"); img.src = f.uri; img.alt = f.name || "image"; a.textContent = ""; a.appendChild(img); }
            li.appendChild(a);
          });
        } catch (e) { /* a malformed file list shows nothing */ }
      }
      var foot = el("span", "small muted", time(m.send_time));
      if (mine) {
        var status = el("span", "delivery" + (m.delivery_status === 2 ? " failed" : ""), deliveryText(m));
        status.dataset.status = m.delivery_status;
        foot.appendChild(document.createTextNode(" · ")); foot.appendChild(status);
      }
      li.appendChild(foot); ol.appendChild(li);
    });
    ol.scrollTop = ol.scrollHeight;
  }
  function act(path, body, method) {
    var payload = Object.assign({ session_id: state.current }, body || {});
    var request = method === "GET" ? call("GET", path, undefined, payload) : call("POST", path, payload);
    return request.then(function (answer) {
      if (answer.errcode !== 0) alert(answer.errmsg || "The operation failed.");
      scheduleRefresh(); return answer;
    });
  }
  function confirmThen(text, action) {
    $("confirm-text").textContent = text;
    var dialog = $("dlg-confirm");
    dialog.onclose = function () { if (dialog.returnValue === "ok") action(); };
    dialog.showModal();
  }
  $("act-pickup").addEventListener("click", function () { act("message_session/pickup"); });
  $("act-archive").addEventListener("click", function () { act("message_session/archive"); });
  $("act-unarchive").addEventListener("click", function () { act("message_session/unarchive"); });
  $("act-close").addEventListener("click", function () { confirmThen("End this messaging session?", function () { act("message_session/close"); }); });
  $("act-remove").addEventListener("click", function () {
    confirmThen("Remove this session from all your clients?", function () {
      act("message_session/delete", {}, "GET").then(function () { state.current = null; show($("chat-view"), false); show($("chat-empty"), true); });
    });
  });
  $("act-call").addEventListener("click", function (event) {
    event.preventDefault();
    act("message_session/call").then(function (answer) {
      if (answer.errcode === 0 && answer.method === "tel") location.href = answer.tel_uri;
    });
  });
  $("back").addEventListener("click", function () { document.body.classList.remove("chat-open"); });

  // Details
  function renderDetails() {
    var d = state.detail, dl = $("details-list"); dl.textContent = "";
    [["Customer", d.user_info.username], ["Number", d.to_number], ["Channel", d.channel_name], ["Channel type", d.channel_type],
     ["Channel number", d.did_number], ["Website", d.website_domain], ["Handled by", d.owner.ext_num ? d.owner.caller_id_name + " <" + d.owner.ext_num + ">" : "Queue"],
     ["Created", time(d.create_time)], ["Last active", time(d.last_active_time)], ["Status", d.is_close ? "Closed" : "Open"]]
      .forEach(function (pair) { if (!pair[1]) return; dl.appendChild(el("dt", "", pair[0])); dl.appendChild(el("dd", "", String(pair[1]))); });
  }
  $("act-details").addEventListener("click", function () { renderDetails(); show($("details"), true); $("details-close").focus(); });
  $("details-close").addEventListener("click", function () { show($("details"), false); $("act-details").focus(); });

  // Add to contacts
  // "Add New Contact" or "Add to Existing Contact" (pick one, edit its fields as needed).
  var contactFields = { first_name: "contact-first", last_name: "contact-last", company: "contact-company", email: "contact-email" };
  var foundContacts = [], searchSeq = 0;
  function existingMode() { return $("contact-mode-existing").checked; }
  function searchContacts() {
    var seq = ++searchSeq;
    call("GET", "contacts", undefined, { search_value: $("contact-search").value.trim(), page: 1, page_size: 20 }).then(function (answer) {
      if (seq !== searchSeq) return;  // a newer search is on its way
      var pick = $("contact-pick"), keep = pick.value; pick.textContent = ""; foundContacts = answer.data || [];
      foundContacts.forEach(function (c) {
        var name = [c.first_name, c.last_name].filter(Boolean).join(" ") || c.company;
        var number = c.mobile_number || c.business_number || c.home_number || c.other_number || "";
        var o = el("option", "", name + (c.company && name !== c.company ? " · " + c.company : "") + (number ? " · " + number : ""));
        o.value = c.id; o.selected = String(c.id) === keep; pick.appendChild(o);
      });
    });
  }
  $("contact-mode-new").addEventListener("change", function () { show($("contact-existing"), false); });
  $("contact-mode-existing").addEventListener("change", function () { show($("contact-existing"), true); searchContacts(); $("contact-search").focus(); });
  var searchTimer = null;
  $("contact-search").addEventListener("input", function () { clearTimeout(searchTimer); searchTimer = setTimeout(searchContacts, 250); });
  $("contact-pick").addEventListener("change", function () {
    var chosen = foundContacts.filter(function (c) { return String(c.id) === $("contact-pick").value; })[0];
    if (chosen) Object.keys(contactFields).forEach(function (key) { $(contactFields[key]).value = chosen[key] || ""; });
  });
  $("act-contact").addEventListener("click", function () {
    show($("contact-error"), false); $("contact-mode-new").checked = true; show($("contact-existing"), false);
    $("dlg-contact").showModal();
  });
  $("contact-form").addEventListener("submit", function (event) {
    if (event.submitter && event.submitter.value === "cancel") return;
    event.preventDefault();
    var body = {};
    Object.keys(contactFields).forEach(function (key) { body[key] = $(contactFields[key]).value; });
    if (existingMode()) {
      if (!$("contact-pick").value) { fail("contact-error", { errmsg: "Choose the contact to add the customer to." }); return; }
      body.contact_id = Number($("contact-pick").value);
      if ($("contact-number-type").value) body.number_type = $("contact-number-type").value;
    }
    act("message_session/add_contact", body).then(function (answer) {
      if (answer.errcode === 0) $("dlg-contact").close(); else fail("contact-error", answer);
    });
  });

  // WhatsApp template: pick one of the channel's approved templates, fill its variables, preview, send.
  var templateList = [];
  var composer = window.SwitchboardTemplates.composer({
    root: $("template-form"), variables: $("template-variables"), preview: $("template-preview"), prefix: "it",
    upload: function (file) {
      return fetch("/api/inbox/upload?name=" + encodeURIComponent(file.name), { method: "POST", credentials: "same-origin",
        headers: { "Content-Type": file.type || "application/octet-stream" }, body: file }).then(function (r) { return r.json(); })
        .then(function (a) { return a.errcode === 0 ? a.file : Promise.reject(a.errmsg); });
    },
    onError: function (text) { fail("template-error", { errmsg: String(text) }); }
  });
  $("template-open").addEventListener("click", function () {
    show($("template-error"), false);
    call("GET", "whatsapp_template", undefined, { omnichannel_id: state.detail.channel_id, page: 1, page_size: 250 }).then(function (answer) {
      templateList = answer.errcode === 0 ? answer.data : [];
      var pick = $("template-pick"); pick.textContent = "";
      templateList.forEach(function (t, i) { var o = el("option", "", t.name + " (" + t.language + ")"); o.value = String(i); pick.appendChild(o); });
      composer.show(templateList[0] || null);
      if (!templateList.length) fail("template-error", { errmsg: answer.errcode === 0 ? "This channel has no approved templates yet." : answer.errmsg });
      $("dlg-template").showModal();
    });
  });
  $("template-pick").addEventListener("change", function () { composer.show(templateList[Number($("template-pick").value)] || null); });
  $("template-form").addEventListener("submit", function (event) {
    if (event.submitter && event.submitter.value === "cancel") return;
    event.preventDefault();
    var param = composer.param();
    if (!param) { fail("template-error", { errmsg: "Choose a template." }); return; }
    call("POST", "message/send", { session_id: state.current, msg_kind: 1, whatsapp_msg_param: param }).then(function (answer) {
      if (answer.errcode !== 0) { fail("template-error", answer); return; }
      $("dlg-template").close(); scheduleRefresh();
    });
  });

  // Transfer
  $("act-transfer").addEventListener("click", function () {
    var select = $("transfer-to"); select.textContent = "";
    var d = state.directory || { colleagues: [], queues: [] };
    d.colleagues.forEach(function (c) { var o = el("option", "", "Colleague: " + c.name + " <" + c.number + ">"); o.value = "extension:" + c.id; select.appendChild(o); });
    d.queues.forEach(function (q) { var o = el("option", "", "Queue: " + q.name); o.value = "queue:" + q.id; select.appendChild(o); });
    var p = el("option", "", "Third-party platform (API)"); p.value = "api:0"; select.appendChild(p);
    show($("transfer-error"), false); $("dlg-transfer").showModal();
  });
  $("transfer-form").addEventListener("submit", function (event) {
    if (event.submitter && event.submitter.value === "cancel") return;
    event.preventDefault();
    var parts = $("transfer-to").value.split(":");
    var body = { destination_type: parts[0] }; if (parts[0] !== "api") body.destination_id = Number(parts[1]);
    act("message_session/transfer", body).then(function (answer) { if (answer.errcode === 0) $("dlg-transfer").close(); else fail("transfer-error", answer); });
  });

  // New session
  function fillSenders() {
    var select = $("new-sender"); select.textContent = "";
    ((state.directory || {}).numbers || []).filter(function (n) { return n.type === $("new-type").value; }).forEach(function (n) {
      var o = el("option", "", n.did_number + "/" + n.channel_name); o.value = n.channel + "|" + n.did_number; select.appendChild(o);
    });
  }
  $("new-type").addEventListener("change", fillSenders);
  $("new-session").addEventListener("click", function () { fillSenders(); show($("new-error"), false); $("dlg-new").showModal(); });
  $("new-form").addEventListener("submit", function (event) {
    if (event.submitter && event.submitter.value === "cancel") return;
    event.preventDefault();
    var sender = $("new-sender").value.split("|");
    var to = $("new-cc").value.trim().replace(/^\+?/, "+") + $("new-to").value.replace(/[^0-9]/g, "");
    call("POST", "message/send", { channel: sender[0], did_number: sender[1], to: to, msg_body: $("new-text").value }).then(function (answer) {
      if (answer.errcode !== 0) { fail("new-error", answer); return; }
      $("dlg-new").close(); openSession(answer.session_id, false);
    });
  });

  // Composer
  EMOJI.forEach(function (e) {
    var b = el("button", "emoji", e); b.type = "button"; b.setAttribute("aria-label", "Insert " + e);
    b.addEventListener("click", function () { $("reply").value += e; $("reply").focus(); });
    $("emoji-panel").appendChild(b);
  });
  $("emoji-toggle").addEventListener("click", function () {
    var open = $("emoji-panel").hidden; show($("emoji-panel"), open); $("emoji-toggle").setAttribute("aria-expanded", String(open));
  });
  $("file").addEventListener("change", function () { $("file-name").textContent = $("file").files.length ? $("file").files[0].name : ""; });
  $("reply").addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); $("composer").requestSubmit(); }
  });
  $("composer").addEventListener("submit", function (event) {
    event.preventDefault();
    var text = $("reply").value.trim(), file = $("file").files[0];
    if (!text && !file) return;
    var upload = file ? fetch("/api/inbox/upload?name=" + encodeURIComponent(file.name), { method: "POST", credentials: "same-origin",
      headers: { "Content-Type": file.type || "application/octet-stream" }, body: file }).then(function (r) { return r.json(); }) : Promise.resolve(null);
    upload.then(function (uploaded) {
      if (uploaded && uploaded.errcode !== 0) { alert(uploaded.errmsg); return; }
      var body = { session_id: state.current, msg_body: text };
      if (uploaded) body.files = [uploaded.file];
      return call("POST", "message/send", body).then(function (answer) {
        if (answer.errcode !== 0) { alert(answer.errmsg); return; }
        $("reply").value = ""; $("file").value = ""; $("file-name").textContent = ""; scheduleRefresh();
      });
    });
  });

  // Realtime: the agent socket, resumed from the last sequence after a drop.
  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var url = scheme + location.host + "/api/inbox/ws" + (state.lastSeq !== null ? "?last_seq=" + state.lastSeq : "");
    var socket = new WebSocket(url); state.socket = socket;
    socket.onmessage = function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }  // "heartbeat response"
      if (frame.ready) {
        state.retry = 0; $("conn").textContent = "Live"; $("conn").className = "badge ok";
        if (frame.reset || state.lastSeq !== null) scheduleRefresh();
        state.lastSeq = frame.last_seq; return;
      }
      if (frame.errcode) { $("conn").textContent = "Signed out"; return; }
      if (typeof frame.seq === "number") { state.lastSeq = frame.seq; scheduleRefresh(); }
    };
    socket.onclose = function () {
      if (state.socket !== socket) return;
      $("conn").textContent = "Reconnecting…"; $("conn").className = "badge bad";
      state.retry = Math.min(state.retry + 1, 5);
      setTimeout(connect, 500 * state.retry);
    };
    socket.onerror = function () { /* onclose follows and reconnects */ };
    var beat = setInterval(function () { if (socket.readyState === 1) socket.send("heartbeat"); else if (socket.readyState > 1) clearInterval(beat); }, 25000);
  }

  boot();
})();
