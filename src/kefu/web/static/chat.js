/* kefu customer chat page.
 *
 * Plain ES2020, no build step, no external resources.  Talks to the kefu HTTP API:
 *   POST /v1/conversations                       -> {id, token, status, messages}
 *   GET  /v1/conversations/{id}/messages?after_seq=N
 *   POST /v1/conversations/{id}/messages          (fallback when the WebSocket is not open)
 *   POST /v1/conversations/{id}/ws-ticket         -> {ticket} (single use, seconds long)
 *   WS   /v1/conversations/{id}/ws?ticket=...     (live messages + status, sending)
 *   POST /v1/conversations/{id}/feedback          (CSAT)
 * User-provided and server-provided text is only ever put into the DOM with textContent.
 */
(() => {
  "use strict";

  const I18N = {
    zh: {
      title: "在线客服",
      subtitle: "智能助手 · 可随时转人工",
      placeholder: "请输入您的问题…",
      send: "发送",
      typing: "正在输入…",
      waitingHuman: "正在为您转接人工客服，请稍候…",
      human: "人工客服已接入",
      closed: "本次会话已结束",
      restart: "开始新会话",
      agent: "人工客服",
      bot: "智能助手",
      sources: "参考：",
      reconnecting: "连接中断，正在重新连接…",
      offline: "网络已断开，恢复后将自动重连",
      startFailed: "无法连接客服，正在重试…",
      sendFailed: "发送失败",
      retry: "重试",
      csatPrompt: "您对本次服务满意吗？",
      csatComment: "还有什么想告诉我们的吗？（选填）",
      csatSubmit: "提交",
      csatThanks: "感谢您的评价！",
      close: "关闭",
      star: (n) => `${n} 星`,
    },
    en: {
      title: "Customer service",
      subtitle: "Virtual assistant · a human is one message away",
      placeholder: "Type your question…",
      send: "Send",
      typing: "Typing…",
      waitingHuman: "Connecting you to a human agent, please wait…",
      human: "You are now chatting with an agent",
      closed: "This conversation has ended",
      restart: "Start a new conversation",
      agent: "Agent",
      bot: "Assistant",
      sources: "Sources: ",
      reconnecting: "Connection lost, reconnecting…",
      offline: "You are offline; we will reconnect automatically",
      startFailed: "Could not reach customer service, retrying…",
      sendFailed: "Not sent",
      retry: "Retry",
      csatPrompt: "How satisfied are you with our service?",
      csatComment: "Anything else you'd like to tell us? (optional)",
      csatSubmit: "Submit",
      csatThanks: "Thank you for your feedback!",
      close: "Close",
      star: (n) => `${n} star${n > 1 ? "s" : ""}`,
    },
  };

  const ROLES = new Set(["customer", "bot", "agent", "system"]);
  const WS_ACK_TIMEOUT_MS = 8000;
  const TYPING_TIMEOUT_MS = 30000;
  const POLL_INTERVAL_MS = 5000;
  const MAX_BACKOFF_MS = 30000;

  // ---------------------------------------------------------------- config

  const body = document.body;
  const cfg = {
    pack: body.dataset.pack || "retail",
    lang: pickLang(body.dataset.lang),
    base: (body.dataset.base || "").replace(/\/+$/, ""),
    embed: body.classList.contains("embed"),
  };
  const t = I18N[cfg.lang];
  const storageKey = `kefu.conversation.v1:${cfg.pack}:${cfg.lang}`;

  function pickLang(explicit) {
    if (explicit === "zh" || explicit === "en") return explicit;
    const candidates = [navigator.language, ...(navigator.languages || [])];
    for (const tag of candidates) {
      const value = String(tag || "").toLowerCase();
      if (value.startsWith("zh")) return "zh";
      if (value.startsWith("en")) return "en";
    }
    return "en";
  }

  // ---------------------------------------------------------------- elements

  const $ = (id) => document.getElementById(id);
  const messagesEl = $("messages");
  const inputEl = $("input");
  const sendEl = $("send");
  const composerEl = $("composer");
  const typingEl = $("typing");
  const chipsEl = $("chips");
  const statusEl = $("status");
  const connEl = $("conn");
  const closedEl = $("closed");
  const csatEl = $("csat");
  const csatForm = $("csat-form");
  const csatComment = $("csat-comment");
  const stars = Array.from(csatEl.querySelectorAll(".star"));

  // ---------------------------------------------------------------- state

  let conv = null; // {id, token, csat?: "done" | "dismissed"}
  let status = "bot";
  let lastSeq = 0;
  const messages = new Map(); // seq -> message
  const pending = new Map(); // client_msg_id -> {text, el, timer, viaRest, failed}
  let ws = null;
  let wsAttempts = 0;
  let reconnectTimer = null;
  let connNoticeTimer = null;
  let pollTimer = null;
  let typingTimer = null;
  let catchingUp = null;
  let booting = null;
  let bootAttempts = 0;
  let csatValue = 0;
  let generation = 0; // bumped on restart so stale sockets/requests are ignored

  // ---------------------------------------------------------------- helpers

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function uuid() {
    const c = window.crypto;
    if (c && typeof c.randomUUID === "function") {
      try {
        return c.randomUUID();
      } catch (_) {
        /* insecure context: fall through */
      }
    }
    const bytes = new Uint8Array(16);
    if (c && typeof c.getRandomValues === "function") {
      c.getRandomValues(bytes);
    } else {
      for (let i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  function loadSaved() {
    try {
      const raw = window.sessionStorage.getItem(storageKey);
      if (!raw) return null;
      const value = JSON.parse(raw);
      if (value && typeof value.id === "string" && typeof value.token === "string") return value;
    } catch (_) {
      /* storage blocked or corrupt */
    }
    return null;
  }

  function save() {
    try {
      if (conv) window.sessionStorage.setItem(storageKey, JSON.stringify(conv));
      else window.sessionStorage.removeItem(storageKey);
    } catch (_) {
      /* storage blocked (e.g. third-party iframe): the conversation just won't survive a reload */
    }
  }

  const { ApiError } = window.KefuApi;

  function api(method, path, payload, token) {
    return window.KefuApi.request(cfg.base + path, method, payload, token, "same-origin");
  }

  const convPath = (suffix) => `/v1/conversations/${encodeURIComponent(conv.id)}${suffix}`;

  // ---------------------------------------------------------------- i18n

  function applyI18n() {
    document.documentElement.lang = cfg.lang === "zh" ? "zh-CN" : "en";
    document.title = t.title;
    for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t[node.dataset.i18n] || "";
    for (const node of document.querySelectorAll("[data-i18n-placeholder]")) {
      node.placeholder = t[node.dataset.i18nPlaceholder] || "";
    }
    for (const node of document.querySelectorAll("[data-i18n-aria-label]")) {
      node.setAttribute("aria-label", t[node.dataset.i18nAriaLabel] || "");
    }
    stars.forEach((star, i) => star.setAttribute("aria-label", t.star(i + 1)));
  }

  // ---------------------------------------------------------------- rendering

  const URL_RE = /\bhttps?:\/\/[^\s<>"'）】，。]+/gi;

  /** Append text to `parent`, turning http(s) URLs into links -- all through text nodes, never HTML. */
  function appendLinkified(parent, text) {
    let last = 0;
    for (const match of text.matchAll(URL_RE)) {
      let url = match[0];
      const trailing = url.match(/[.,;:!?)\]]+$/);
      if (trailing) url = url.slice(0, -trailing[0].length);
      if (match.index > last) parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      const a = el("a", null, url);
      a.href = url;
      a.target = "_blank";
      a.rel = "noopener noreferrer nofollow";
      parent.appendChild(a);
      last = match.index + url.length;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  const HTTP_RE = /^https?:\/\//i;

  /** A citation {source, title, anchor}: its title, linked to source#anchor when the source is a URL;
   * otherwise shown as text (the source's name as a tooltip). */
  function citationLabel(c) {
    if (typeof c === "string") return { label: c, url: null, source: null };
    if (!c || typeof c !== "object") return null;
    const source = typeof c.source === "string" ? c.source : null;
    const anchor = typeof c.anchor === "string" && c.anchor ? (c.anchor.startsWith("#") ? c.anchor : `#${c.anchor}`) : "";
    let url = typeof c.url === "string" && HTTP_RE.test(c.url) ? c.url : null;
    if (!url && source && HTTP_RE.test(source)) url = source.split("#")[0] + anchor;
    const label = c.title || c.question || c.name || source || c.doc_id || c.id;
    return label ? { label: String(label), url, source } : url ? { label: url, url, source } : null;
  }

  function renderMessage(m) {
    const role = ROLES.has(m.role) ? m.role : "system";
    const row = el("div", `msg msg-${role}`);
    row.dataset.role = role;
    row.dataset.seq = String(m.seq);
    if (m.id) row.dataset.id = String(m.id);
    if (m.lang === "zh" || m.lang === "en") row.lang = m.lang === "zh" ? "zh-CN" : "en";
    if (role === "agent" || role === "bot") row.appendChild(el("div", "who", role === "agent" ? t.agent : t.bot));
    const bubble = el("div", "bubble");
    appendLinkified(bubble, String(m.text == null ? "" : m.text));
    row.appendChild(bubble);
    if (Array.isArray(m.citations) && m.citations.length) {
      const cites = el("div", "citations");
      cites.appendChild(el("span", "citations-label", t.sources));
      m.citations.map(citationLabel).filter(Boolean).forEach((c, i) => {
        if (i > 0) cites.appendChild(document.createTextNode(" · "));
        if (c.url) {
          const a = el("a", "citation", c.label);
          a.href = c.url;
          a.target = "_blank";
          a.rel = "noopener noreferrer nofollow";
          cites.appendChild(a);
        } else {
          const span = el("span", "citation", c.label);
          if (c.source && c.source !== c.label) span.title = c.source;
          cites.appendChild(span);
        }
      });
      if (cites.childNodes.length > 1) row.appendChild(cites);
    }
    return row;
  }

  function isNearBottom() {
    return messagesEl.scrollHeight - messagesEl.scrollTop - messagesEl.clientHeight < 80;
  }

  function scrollToBottom() {
    messagesEl.scrollTop = messagesEl.scrollHeight;
  }

  /** Insert a rendered message in seq order; unconfirmed (pending) bubbles always stay last. */
  function insertBySeq(row, seq) {
    for (const node of messagesEl.querySelectorAll(".msg[data-seq]")) {
      if (Number(node.dataset.seq) > seq) {
        messagesEl.insertBefore(row, node);
        return;
      }
    }
    const firstPending = messagesEl.querySelector(".msg.pending");
    messagesEl.insertBefore(row, firstPending);
  }

  function confirmPending(clientId, message) {
    let key = clientId && pending.has(clientId) ? clientId : null;
    if (!key && message) {
      for (const [k, p] of pending) {
        if (p.text === String(message.text || "").trim()) {
          key = k;
          break;
        }
      }
    }
    if (!key) return;
    const p = pending.get(key);
    pending.delete(key);
    clearTimeout(p.timer);
    p.el.remove();
  }

  function addMessages(list) {
    if (!Array.isArray(list) || !list.length) return;
    const stick = isNearBottom();
    let sawReply = false;
    let sawOwn = false;
    const sorted = list.filter((m) => m && Number.isFinite(Number(m.seq))).sort((a, b) => a.seq - b.seq);
    for (const raw of sorted) {
      const m = { ...raw, seq: Number(raw.seq) };
      if (m.role === "customer") {
        confirmPending(m.client_msg_id, m);
        sawOwn = true;
      }
      if (messages.has(m.seq)) continue;
      messages.set(m.seq, m);
      insertBySeq(renderMessage(m), m.seq);
      if (m.seq > lastSeq) lastSeq = m.seq;
      if (m.role !== "customer") sawReply = true;
    }
    if (sawReply && lastMessage() && lastMessage().role !== "customer") setTyping(false);
    updateChips();
    updateCsat();
    if (stick || sawOwn) scrollToBottom();
  }

  function lastMessage() {
    return messages.get(lastSeq) || null;
  }

  function addPending(text, clientId) {
    const row = el("div", "msg msg-customer pending");
    row.dataset.role = "customer";
    row.dataset.clientId = clientId;
    row.appendChild(el("div", "bubble", text));
    messagesEl.appendChild(row);
    scrollToBottom();
    return row;
  }

  function markFailed(clientId) {
    const p = pending.get(clientId);
    if (!p || p.failed) return;
    p.failed = true;
    clearTimeout(p.timer);
    p.el.classList.add("failed");
    const line = el("div", "failed-line");
    line.appendChild(el("span", null, t.sendFailed));
    const retry = el("button", "retry", t.retry);
    retry.type = "button";
    retry.addEventListener("click", () => {
      p.failed = false;
      p.el.classList.remove("failed");
      line.remove();
      setTyping(status === "bot");
      sendViaRest(clientId);
    });
    line.appendChild(retry);
    p.el.appendChild(line);
  }

  function updateChips() {
    chipsEl.replaceChildren();
    const last = lastMessage();
    const suggestions =
      last && last.role !== "customer" && Array.isArray(last.suggestions) && status !== "closed"
        ? last.suggestions.filter((s) => typeof s === "string" && s.trim())
        : [];
    for (const text of suggestions.slice(0, 8)) {
      const chip = el("button", "chip", text);
      chip.type = "button";
      chip.addEventListener("click", () => sendText(text));
      chipsEl.appendChild(chip);
    }
    chipsEl.hidden = suggestions.length === 0;
  }

  function setTyping(on) {
    clearTimeout(typingTimer);
    typingEl.hidden = !on;
    if (on) {
      typingTimer = setTimeout(() => setTyping(false), TYPING_TIMEOUT_MS);
      if (isNearBottom()) scrollToBottom();
    }
  }

  function setStatus(next) {
    if (!next || typeof next !== "string") return;
    status = next;
    statusEl.classList.remove("waiting", "human");
    if (next === "waiting_human") {
      statusEl.textContent = t.waitingHuman;
      statusEl.classList.add("waiting");
      statusEl.hidden = false;
    } else if (next === "human") {
      statusEl.textContent = t.human;
      statusEl.classList.add("human");
      statusEl.hidden = false;
    } else {
      statusEl.hidden = true;
      statusEl.textContent = "";
    }
    if (next !== "bot") setTyping(false);
    const closed = next === "closed";
    closedEl.hidden = !closed;
    composerEl.hidden = closed;
    inputEl.disabled = closed;
    updateSendState();
    updateChips();
    updateCsat();
  }

  function showConn(text, kind) {
    connEl.textContent = text || "";
    connEl.className = `conn${kind ? ` ${kind}` : ""}`;
    connEl.hidden = !text;
  }

  // ---------------------------------------------------------------- CSAT

  function updateCsat() {
    if (!conv || conv.csat === "dismissed") {
      csatEl.hidden = true;
      return;
    }
    if (conv.csat === "done") return; // keep the thank-you line if it is showing
    let sawCustomer = false;
    let answered = false;
    for (const seq of Array.from(messages.keys()).sort((a, b) => a - b)) {
      const role = messages.get(seq).role;
      if (role === "customer") sawCustomer = true;
      else if (sawCustomer && (role === "bot" || role === "agent")) answered = true;
    }
    csatEl.hidden = !(answered || (status === "closed" && sawCustomer));
  }

  function paintStars(value) {
    stars.forEach((star, i) => {
      star.classList.toggle("on", i < value);
      star.setAttribute("aria-checked", String(i + 1 === value));
    });
  }

  async function submitCsat() {
    if (!conv || !csatValue) return;
    const payload = { csat: csatValue };
    const comment = csatComment.value.trim();
    if (comment) payload.comment = comment;
    const submit = csatForm.querySelector("button");
    submit.disabled = true;
    try {
      await api("POST", convPath("/feedback"), payload, conv.token);
      conv.csat = "done";
      save();
      csatEl.querySelector(".csat-row").hidden = true;
      csatForm.hidden = true;
      csatEl.querySelector(".csat-thanks").hidden = false;
      setTimeout(() => {
        csatEl.hidden = true;
      }, 4000);
    } catch (err) {
      flashError(err.message);
    } finally {
      submit.disabled = false;
    }
  }

  // ---------------------------------------------------------------- sending

  function updateSendState() {
    sendEl.disabled = !inputEl.value.trim() || !conv || status === "closed";
  }

  function autoresize() {
    inputEl.style.height = "auto";
    inputEl.style.height = `${Math.min(inputEl.scrollHeight, 140)}px`;
  }

  async function sendText(raw) {
    const text = String(raw || "").trim();
    if (!text || status === "closed") return;
    if (!conv) {
      if (!booting) return;
      await booting;
      if (!conv) return;
    }
    const clientId = uuid();
    const p = { text, el: addPending(text, clientId), timer: null, viaRest: false, failed: false };
    pending.set(clientId, p);
    chipsEl.hidden = true;
    setTyping(status === "bot");
    if (ws && ws.readyState === WebSocket.OPEN) {
      try {
        ws.send(JSON.stringify({ type: "message", text, client_msg_id: clientId }));
        // No echo in time (half-open socket)?  Re-send over REST; the client_msg_id makes it idempotent.
        p.timer = setTimeout(() => sendViaRest(clientId), WS_ACK_TIMEOUT_MS);
        return;
      } catch (_) {
        /* fall back to REST below */
      }
    }
    await sendViaRest(clientId);
  }

  async function sendViaRest(clientId) {
    const p = pending.get(clientId);
    if (!p || !conv) return;
    clearTimeout(p.timer);
    p.viaRest = true;
    const gen = generation;
    try {
      const data = await api("POST", convPath("/messages"), { text: p.text, client_msg_id: clientId }, conv.token);
      if (gen !== generation) return;
      const list = Array.isArray(data.messages) ? data.messages : [];
      const own = list.find((m) => m && m.role === "customer");
      if (own) confirmPending(clientId, own);
      addMessages(list);
      setStatus(data.status);
    } catch (err) {
      if (gen !== generation) return;
      if (err.status === 409) {
        // Already stored (duplicate client_msg_id): fetch what we missed.
        confirmPending(clientId, null);
        catchUp();
        return;
      }
      setTyping(false);
      markFailed(clientId);
      if (err.status === 401 || err.status === 403 || err.status === 404) {
        resetConversation();
      } else {
        flashError(err.message);
      }
    }
  }

  function flashError(message) {
    showConn(message, "error");
    clearTimeout(connNoticeTimer);
    connNoticeTimer = setTimeout(() => {
      if (connEl.classList.contains("error")) showConn("");
    }, 6000);
  }

  // ---------------------------------------------------------------- live connection

  // The socket opens with a short-lived, single-use ticket, never with the conversation token: URLs end
  // up in server and proxy logs.
  let ticketPending = false;

  function wsUrl(ticket) {
    const url = new URL(`${cfg.base}${convPath("/ws")}`, window.location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    url.searchParams.set("ticket", ticket);
    return url.toString();
  }

  function connect() {
    if (!conv || status === "closed" || ticketPending) return;
    if (ws && (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING)) return;
    clearTimeout(reconnectTimer);
    const gen = generation;
    ticketPending = true;
    api("POST", convPath("/ws-ticket"), undefined, conv.token).then(
      (data) => {
        ticketPending = false;
        if (gen !== generation || !conv || status === "closed") return;
        if (!data || typeof data.ticket !== "string") return scheduleReconnect();
        openSocket(gen, data.ticket);
      },
      () => {
        ticketPending = false;
        if (gen !== generation) return;
        catchUp(); // a refused token: the REST call decides whether to start over
        scheduleReconnect();
        startPolling();
      },
    );
  }

  function openSocket(gen, ticket) {
    if (ws && (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING)) return;
    let socket;
    try {
      socket = new WebSocket(wsUrl(ticket));
    } catch (_) {
      scheduleReconnect();
      return;
    }
    ws = socket;
    socket.addEventListener("open", () => {
      if (gen !== generation || ws !== socket) return;
      wsAttempts = 0;
      stopPolling();
      clearTimeout(connNoticeTimer);
      if (!connEl.classList.contains("error")) showConn("");
      catchUp();
    });
    socket.addEventListener("message", (event) => {
      if (gen !== generation || ws !== socket) return;
      let data;
      try {
        data = JSON.parse(event.data);
      } catch (_) {
        return;
      }
      if (!data || typeof data !== "object") return;
      if (data.type === "message" && data.message) {
        addMessages([data.message]);
      } else if (data.type === "status") {
        setStatus(data.status);
      } else if (data.type === "error") {
        const e = data.error || {};
        setTyping(false);
        for (const [clientId, p] of pending) if (!p.viaRest) markFailed(clientId);
        flashError(e.message || e.code || t.sendFailed);
      }
    });
    socket.addEventListener("close", (event) => {
      if (gen !== generation || ws !== socket) return;
      ws = null;
      // Anything sent over the socket but not echoed back goes out again over REST (idempotent).
      for (const [clientId, p] of pending) if (!p.viaRest && !p.failed) sendViaRest(clientId);
      if (status === "closed") return;
      if (event.code === 4401 || event.code === 4403 || event.code === 4404) {
        // Token rejected / conversation gone: let a REST call decide whether to start over.
        catchUp();
      }
      scheduleReconnect();
      startPolling();
    });
  }

  function scheduleReconnect() {
    clearTimeout(reconnectTimer);
    if (!conv || status === "closed") return;
    const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** wsAttempts) * (0.75 + Math.random() * 0.5);
    wsAttempts += 1;
    reconnectTimer = setTimeout(connect, delay);
    clearTimeout(connNoticeTimer);
    connNoticeTimer = setTimeout(() => {
      if (!ws || ws.readyState !== WebSocket.OPEN) showConn(navigator.onLine === false ? t.offline : t.reconnecting);
    }, 2000);
  }

  function reconnectNow() {
    if (!conv || status === "closed") return;
    if (ws && (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING)) return;
    wsAttempts = 0;
    connect();
  }

  function startPolling() {
    if (pollTimer) return;
    pollTimer = setInterval(() => {
      if (document.visibilityState === "visible" && (!ws || ws.readyState !== WebSocket.OPEN)) catchUp();
    }, POLL_INTERVAL_MS);
  }

  function stopPolling() {
    clearInterval(pollTimer);
    pollTimer = null;
  }

  function catchUp() {
    if (!conv) return Promise.resolve();
    if (catchingUp) return catchingUp;
    const gen = generation;
    catchingUp = api("GET", convPath(`/messages?after_seq=${lastSeq}`), undefined, conv.token)
      .then((data) => {
        if (gen !== generation) return;
        addMessages(data.messages);
        setStatus(data.status);
      })
      .catch((err) => {
        if (gen !== generation) return;
        if (err.status === 401 || err.status === 403 || err.status === 404) resetConversation();
      })
      .finally(() => {
        catchingUp = null;
      });
    return catchingUp;
  }

  // ---------------------------------------------------------------- lifecycle

  function clearConversationState() {
    generation += 1;
    if (ws) {
      const old = ws;
      ws = null;
      try {
        old.close(1000);
      } catch (_) {
        /* ignore */
      }
    }
    clearTimeout(reconnectTimer);
    stopPolling();
    for (const p of pending.values()) clearTimeout(p.timer);
    pending.clear();
    messages.clear();
    lastSeq = 0;
    messagesEl.replaceChildren();
    conv = null;
    csatValue = 0;
    paintStars(0);
    csatComment.value = "";
    csatForm.hidden = true;
    csatEl.querySelector(".csat-row").hidden = false;
    csatEl.querySelector(".csat-thanks").hidden = true;
    csatEl.hidden = true;
    setTyping(false);
    setStatus("bot");
  }

  /** The stored conversation is no longer valid (expired token, deleted): start a fresh one. */
  function resetConversation() {
    clearConversationState();
    save();
    boot();
  }

  async function createConversation() {
    const data = await api("POST", "/v1/conversations", { pack: cfg.pack, locale: cfg.lang });
    if (!data || typeof data.id !== "string" || typeof data.token !== "string") {
      throw new ApiError("Malformed response", 500, "bad_response");
    }
    conv = { id: data.id, token: data.token };
    save();
    addMessages(data.messages);
    setStatus(data.status || "bot");
  }

  async function resume(saved) {
    conv = saved;
    try {
      const data = await api("GET", convPath("/messages?after_seq=0"), undefined, saved.token);
      addMessages(data.messages);
      setStatus(data.status);
      return true;
    } catch (err) {
      if (err.status === 401 || err.status === 403 || err.status === 404) {
        conv = null;
        save();
        return false;
      }
      conv = null;
      throw err;
    }
  }

  function boot() {
    if (booting) return booting;
    booting = (async () => {
      try {
        const saved = loadSaved();
        if (!(saved && (await resume(saved)))) await createConversation();
        bootAttempts = 0;
        if (connEl.textContent === t.startFailed) showConn("");
        updateSendState();
        connect();
      } catch (_) {
        conv = null;
        showConn(t.startFailed, "error");
        const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** bootAttempts);
        bootAttempts += 1;
        setTimeout(boot, delay);
      } finally {
        booting = null;
      }
    })();
    return booting;
  }

  function bindEvents() {
    composerEl.addEventListener("submit", (event) => {
      event.preventDefault();
      const text = inputEl.value;
      if (!text.trim() || sendEl.disabled) return;
      inputEl.value = "";
      autoresize();
      updateSendState();
      sendText(text);
      inputEl.focus();
    });
    inputEl.addEventListener("keydown", (event) => {
      // Enter sends, Shift+Enter inserts a newline; never send while an IME (pinyin...) is composing.
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
        event.preventDefault();
        composerEl.requestSubmit ? composerEl.requestSubmit() : composerEl.dispatchEvent(new Event("submit"));
      }
    });
    inputEl.addEventListener("input", () => {
      updateSendState();
      autoresize();
    });
    $("restart").addEventListener("click", () => {
      clearConversationState();
      save();
      boot();
    });
    stars.forEach((star) => {
      star.addEventListener("click", () => {
        csatValue = Number(star.dataset.value);
        paintStars(csatValue);
        csatForm.hidden = false;
      });
      star.addEventListener("mouseenter", () => paintStars(Number(star.dataset.value)));
      star.addEventListener("mouseleave", () => paintStars(csatValue));
    });
    csatForm.addEventListener("submit", (event) => {
      event.preventDefault();
      submitCsat();
    });
    csatEl.querySelector(".csat-close").addEventListener("click", () => {
      if (conv) {
        conv.csat = "dismissed";
        save();
      }
      csatEl.hidden = true;
    });
    window.addEventListener("online", reconnectNow);
    window.addEventListener("offline", () => showConn(t.offline));
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") {
        reconnectNow();
        catchUp();
      }
    });
  }

  applyI18n();
  bindEvents();
  updateSendState();
  boot();
})();
