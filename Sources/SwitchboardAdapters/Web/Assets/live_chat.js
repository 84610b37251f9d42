// Switchboard Live Chat widget. Include with
// <script src="https://HUB/live_chat.v1.0.0.js?channelNumber=LC00000"></script>
// The hub serves the widget's API only to the channel's website domain.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.__switchboardLiveChat) return;
  window.__switchboardLiveChat = true;
  var src = new URL(script.src);
  var base = src.origin, channel = src.searchParams.get("channelNumber") || "";
  var storeKey = "sb_livechat_" + channel;
  var state = { token: localStorage.getItem(storeKey), after: 0, polling: false, config: null, open: false, ended: false };
  var api = function (method, path, body, extra) {
    var headers = {};
    if (state.token) headers["X-Visitor-Token"] = state.token;
    var init = { method: method, headers: headers, mode: "cors", credentials: "omit" };
    if (body !== undefined && !(body instanceof Blob)) { headers["Content-Type"] = "application/json"; init.body = JSON.stringify(body); }
    if (body instanceof Blob) { headers["Content-Type"] = body.type || "application/octet-stream"; init.body = body; }
    var query = "channelNumber=" + encodeURIComponent(channel) + (extra ? "&" + extra : "");
    return fetch(base + "/api/livechat/" + path + "?" + query, init).then(function (r) { return r.json(); });
  };
  var css = [
    ".sblc{position:fixed;right:16px;bottom:16px;z-index:2147483000;font:14px/1.4 system-ui,sans-serif;color:#1d2330}",
    ".sblc *{box-sizing:border-box}",
    ".sblc-launch{border:none;border-radius:28px;padding:12px 18px;color:#fff;cursor:pointer;font:inherit;font-weight:600;box-shadow:0 4px 12px rgba(0,0,0,.2)}",
    ".sblc-panel{width:340px;max-width:calc(100vw - 32px);height:480px;max-height:calc(100vh - 90px);background:#fff;border:1px solid #d8dee6;border-radius:12px;display:flex;flex-direction:column;overflow:hidden;box-shadow:0 8px 24px rgba(0,0,0,.2);margin-bottom:8px}",
    ".sblc-head{color:#fff;padding:10px 12px;display:flex;align-items:center;justify-content:space-between}",
    ".sblc-head button{background:none;border:1px solid rgba(255,255,255,.6);color:#fff;border-radius:6px;cursor:pointer;font:inherit;padding:2px 8px}",
    ".sblc-body{flex:1;overflow-y:auto;padding:10px;display:flex;flex-direction:column;gap:6px;background:#f6f8fb}",
    ".sblc-msg{max-width:80%;padding:6px 10px;border-radius:10px;background:#fff;border:1px solid #e1e6ed;white-space:pre-wrap;word-break:break-word}",
    ".sblc-msg.visitor{align-self:flex-end;background:#e6efff}.sblc-msg.system{align-self:center;background:none;border:none;color:#5f6b7a;font-size:12px;text-align:center}",
    ".sblc-msg img{max-width:200px;display:block}",
    ".sblc-form{padding:10px;display:flex;flex-direction:column;gap:6px}.sblc-form label{font-weight:600;font-size:13px}",
    ".sblc input,.sblc textarea{font:inherit;padding:6px 8px;border:1px solid #c9d1db;border-radius:6px;width:100%}",
    ".sblc-compose{display:flex;gap:6px;padding:8px;border-top:1px solid #e1e6ed;align-items:flex-end;flex-wrap:wrap}",
    ".sblc-compose textarea{flex:1;min-width:150px;resize:none}",
    ".sblc-btn{border:none;border-radius:6px;padding:7px 12px;color:#fff;cursor:pointer;font:inherit}",
    ".sblc-tool{background:#fff;border:1px solid #c9d1db;border-radius:6px;padding:6px 8px;cursor:pointer;font:inherit}",
    ".sblc-emoji{display:flex;flex-wrap:wrap;gap:4px;width:100%}",
    ".sblc-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}",
    ".sblc :focus-visible{outline:3px solid #f2a900;outline-offset:1px}",
    ".sblc [hidden]{display:none!important}"
  ].join("\n");
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }
  var root, panel, body, launch, compose, input, color = "#1f5fbf";

  function system(text) { addMessage({ from: "system", text: text, files: "" }); }
  function addMessage(m) {
    var div = el("div", { "class": "sblc-msg " + m.from });
    if (m.msg_id) div.setAttribute("data-msg", m.msg_id);
    if (m.text) div.appendChild(el("span", {}, m.text));
    if (m.files) {
      try { JSON.parse(m.files).forEach(function (f) { var img = el("img", { src: f.uri, alt: f.name || "image" }); div.appendChild(img); }); } catch (e) { /* ignore */ }
    }
    body.appendChild(div); body.scrollTop = body.scrollHeight;
  }

  function build(config) {
    color = config.theme_color || color;
    var style = el("style", {}, css); document.head.appendChild(style);
    root = el("div", { "class": "sblc", id: "sb-livechat" });
    panel = el("section", { "class": "sblc-panel", role: "dialog", "aria-label": "Live chat", hidden: "" });
    var head = el("div", { "class": "sblc-head" }); head.style.background = color;
    head.appendChild(el("strong", {}, config.name));
    var endButton = el("button", { type: "button", id: "sblc-end" }, "End chat");
    var closeButton = el("button", { type: "button", "aria-label": "Minimize chat" }, "–");
    var tools = el("span"); tools.appendChild(endButton); tools.appendChild(document.createTextNode(" ")); tools.appendChild(closeButton);
    head.appendChild(tools);
    body = el("div", { "class": "sblc-body", "aria-live": "polite", id: "sblc-messages" });
    panel.appendChild(head); panel.appendChild(body);
    launch = el("button", { type: "button", "class": "sblc-launch", id: "sblc-launch", "aria-expanded": "false" }, "Chat with us");
    launch.style.background = color;
    root.appendChild(panel); root.appendChild(launch);
    document.body.appendChild(root);
    launch.addEventListener("click", function () { toggle(!state.open); });
    closeButton.addEventListener("click", function () { toggle(false); launch.focus(); });
    endButton.addEventListener("click", function () {
      api("POST", "end", {}).then(function () { state.ended = true; showCompose(false); endButton.hidden = true; });
    });
    state.endButton = endButton;
  }
  function toggle(open) {
    state.open = open; panel.hidden = !open; launch.setAttribute("aria-expanded", String(open));
    if (open && !state.started) start();
  }
  function start() {
    state.started = true;
    system(state.config.greeting);
    if (state.token) { openChat(); return; }
    if (!state.config.pre_chat_form && !state.config.data_privacy) { register({}); return; }
    var form = el("form", { "class": "sblc-form", id: "sblc-prechat" });
    if (state.config.pre_chat_form_title) form.appendChild(el("strong", {}, state.config.pre_chat_form_title));
    if (state.config.pre_chat_form_subtitle) form.appendChild(el("span", {}, state.config.pre_chat_form_subtitle));
    var labels = { name: "Name", email: "Email", phone: "Phone" }, types = { name: "text", email: "email", phone: "tel" };
    (state.config.pre_chat_form ? state.config.pre_chat_fields : []).forEach(function (f) {
      form.appendChild(el("label", { "for": "sblc-" + f }, labels[f]));
      form.appendChild(el("input", { id: "sblc-" + f, name: f, type: types[f], required: "" }));
    });
    if (state.config.data_privacy) {
      var consent = el("label", {}); var box = el("input", { type: "checkbox", id: "sblc-consent", name: "consent" });
      if (state.config.require_explicit_consent) box.setAttribute("required", "");
      box.style.width = "auto"; consent.appendChild(box); consent.appendChild(document.createTextNode(" " + state.config.privacy_consent_text));
      form.appendChild(consent);
    }
    var error = el("p", { role: "alert", hidden: "" }); form.appendChild(error);
    var go = el("button", { type: "submit", "class": "sblc-btn", id: "sblc-start" }, "Start chat"); go.style.background = color;
    form.appendChild(go);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = {};
      ["name", "email", "phone"].forEach(function (f) { if (form.elements[f]) data[f] = form.elements[f].value; });
      if (form.elements.consent) data.consent = form.elements.consent.checked ? 1 : 0;
      register(data, form, error);
    });
    panel.appendChild(form);
    var first = form.querySelector("input"); if (first) first.focus();
  }
  function register(data, form, error) {
    api("POST", "start", data).then(function (answer) {
      if (answer.errcode !== 0) { if (error) { error.textContent = "Please check: " + (answer.invalid_param_list || []).map(function (p) { return p.field; }).join(", "); error.hidden = false; } return; }
      state.token = answer.token; localStorage.setItem(storeKey, answer.token);
      if (form) form.remove();
      openChat();
    });
  }
  function openChat() {
    compose = el("form", { "class": "sblc-compose", id: "sblc-compose" });
    compose.appendChild(el("label", { "for": "sblc-input", "class": "sblc-sr" }, "Message"));
    input = el("textarea", { id: "sblc-input", rows: "2", placeholder: "Type a message", maxlength: "4096" });
    compose.appendChild(input);
    var emojiButton = el("button", { type: "button", "class": "sblc-tool", "aria-label": "Emoji", "aria-expanded": "false" }, "😊");
    compose.appendChild(emojiButton);
    var fileInput;
    if (state.config.message_type === 2) {
      var fileLabel = el("label", { "class": "sblc-tool", "for": "sblc-file" }, "📎");
      fileLabel.appendChild(el("span", { "class": "sblc-sr" }, "Attach an image"));
      fileInput = el("input", { type: "file", id: "sblc-file", accept: ".png,.jpg,.jpeg,image/png,image/jpeg", "class": "sblc-sr" });
      compose.appendChild(fileLabel); compose.appendChild(fileInput);
      fileInput.addEventListener("change", function () { if (fileInput.files.length) sendFile(fileInput); });
    }
    var send = el("button", { type: "submit", "class": "sblc-btn", id: "sblc-send" }, "Send"); send.style.background = color;
    compose.appendChild(send);
    var emojis = el("div", { "class": "sblc-emoji", hidden: "" });
    ["😀", "😊", "👍", "🙏", "❤️", "😢"].forEach(function (e) {
      var b = el("button", { type: "button", "class": "sblc-tool", "aria-label": "Insert " + e }, e);
      b.addEventListener("click", function () { input.value += e; input.focus(); });
      emojis.appendChild(b);
    });
    compose.appendChild(emojis);
    emojiButton.addEventListener("click", function () { emojis.hidden = !emojis.hidden; emojiButton.setAttribute("aria-expanded", String(!emojis.hidden)); });
    input.addEventListener("keydown", function (event) { if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); compose.requestSubmit(); } });
    compose.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = input.value.trim(); if (!text) return;
      input.value = "";
      api("POST", "send", { text: text }).then(function (answer) {
        if (answer.errcode !== 0) { system(answer.errcode === 60002 ? answer.errdetail || "All our agents are busy right now. Please try again in a few minutes." : "The message could not be sent."); }
      });
    });
    panel.appendChild(compose);
    input.focus();
    poll();
  }
  function sendFile(fileInput) {
    var file = fileInput.files[0];
    if (!/\.(png|jpe?g)$/i.test(file.name) || file.size > 10 * 1024 * 1024) { system("Only png, jpg or jpeg images up to 10 MB can be sent."); fileInput.value = ""; return; }
    api("POST", "upload", file, "name=" + encodeURIComponent(file.name)).then(function (answer) {
      fileInput.value = "";
      if (answer.errcode !== 0) { system("The image could not be sent."); return; }
      return api("POST", "send", { text: "", file: answer.file });
    });
  }
  function showCompose(on) { if (compose) compose.hidden = !on; }
  function poll() {
    if (state.polling) return;
    state.polling = true;
    api("GET", "messages", undefined, "after=" + state.after).then(function (answer) {
      state.polling = false;
      if (answer.errcode === 10004) { localStorage.removeItem(storeKey); state.token = null; return; }
      (answer.list || []).forEach(function (m) { state.after = Math.max(state.after, m.msg_id); addMessage(m); });
      if (answer.list && answer.list.some(function (m) { return m.from === "system" && [2, 3, 7].indexOf(m.msg_type) >= 0; }) && !answer.open) {
        state.endButton.hidden = true;
      }
      setTimeout(poll, 50);
    }, function () { state.polling = false; setTimeout(poll, 2000); });
  }

  fetch(base + "/api/livechat/config?channelNumber=" + encodeURIComponent(channel), { mode: "cors", credentials: "omit" })
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (config) { if (config && config.errcode === 0) { state.config = config; build(config); } }, function () { /* not this website's channel */ });
})();
