/* kefu agent console.
 *
 * Plain ES2020, no build step, no external resources.  Talks to the kefu agent API:
 *   GET  /v1/agent/me                                  -> validates the pasted token
 *   GET  /v1/agent/queue                               -> {waiting, active, load, capacity}
 *   GET  /v1/agent/conversations/{id}                  -> {id, pack, status, handoff, messages}
 *   POST /v1/agent/conversations/{id}/claim|release|close
 *   POST /v1/agent/conversations/{id}/messages {text}
 *   POST /v1/agent/ws-ticket                           -> {ticket} (single use, seconds long)
 *   WS   /v1/agent/ws?ticket=...                       -> {type: "message"|"status"|"review", conversation_id, ...}
 *   GET  /v1/knowledge/search?pack=&q=&k=3             -> suggested passages for the customer's last message
 * The review tab (replies held for a human) lives in console-review.js.
 * The token lives in sessionStorage only.  Server-provided text is only ever put into the DOM with
 * textContent (or as SVG attributes built from numbers).
 */
(() => {
  "use strict";

  const I18N = {
    zh: {
      title: "客服工作台",
      otherLang: "English",
      switchLang: "Switch to English",
      logout: "退出",
      dismiss: "关闭",
      signIn: "登录工作台",
      tokenHint: "粘贴您的客服令牌（或管理员令牌）。令牌仅保存在当前浏览器标签页中。",
      token: "客服令牌",
      signInButton: "登录",
      signingIn: "正在验证…",
      queue: "队列",
      waiting: "等待中",
      mine: "我的会话",
      allActive: "进行中的会话",
      noneWaiting: "暂无排队客户。",
      noneActive: "暂无进行中的会话。",
      conversation: "会话",
      claim: "接入",
      release: "交还机器人",
      close: "结束会话",
      pickOne: "请从左侧队列中选择一个会话。",
      loading: "正在加载…",
      replyPlaceholder: "输入回复…（Enter 发送，Shift+Enter 换行）",
      send: "发送",
      canned: "快捷回复",
      summary: "会话摘要",
      noSummary: "暂无转人工摘要。",
      ended: "（该次转人工已结束）",
      f: {
        reason: "转人工原因",
        priority: "优先级",
        lang: "语言",
        intent: "意图",
        flow: "流程",
        slots: "已收集信息",
        verified: "已验证客户",
        sentiment: "情绪趋势",
        lastMessage: "最后一条消息",
        requestedAt: "请求时间",
      },
      yes: "是",
      no: "否",
      none: "—",
      you: "我",
      claimedBy: (who) => `接待：${who}`,
      loadLabel: (load, cap) => `负载 ${load}/${cap}`,
      roles: { customer: "客户", bot: "机器人", agent: "客服", system: "系统" },
      statuses: { bot: "机器人接待", waiting_human: "等待人工", human: "人工接待中", closed: "已结束" },
      priorities: ["普通", "情绪", "VIP", "紧急"],
      reasons: {
        customer_request: "客户要求人工",
        repeated_failure: "机器人多次未能解决",
        negative_sentiment: "客户情绪不佳",
        emergency: "紧急情况",
        policy: "按规定转人工",
        verification_failed: "身份验证失败",
      },
      langs: { zh: "中文", en: "英文" },
      conn: { idle: "", connecting: "正在连接…", open: "实时", reconnecting: "连接中断，正在重连…", offline: "网络已断开" },
      newMessage: "新消息",
      sentimentLabel: (values) => `情绪分数：${values}`,
      duration: (s) => {
        if (s < 60) return `${s}秒`;
        if (s < 3600) return `${Math.floor(s / 60)}分${String(s % 60).padStart(2, "0")}秒`;
        return `${Math.floor(s / 3600)}小时${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}分`;
      },
      errInvalidToken: "令牌无效，请检查后重试。",
      errExpired: "登录已失效，请重新登录。",
      errNetwork: "无法连接服务器，请检查网络。",
      errEmptyToken: "请先粘贴令牌。",
      errStorage: "浏览器禁止了会话存储，刷新页面后需要重新登录。",
      claimFailed: "接入失败",
      releaseFailed: "交还机器人失败",
      closeFailed: "结束会话失败",
      sendFailed: "发送失败",
      loadFailed: "加载会话失败",
      queueFailed: "刷新队列失败",
      tabConversations: "会话",
      tabReview: "待审核",
      reviewTitle: "待审核回复",
      reviewHint: "这些机器人回复被合规规则拦下，审核通过后才会发给客户。",
      reviewEmpty: "暂无待审核的回复。",
      kbTitle: "知识库建议",
      kbInsert: "插入",
      vault: {
        title: "客户提供的个人信息",
        hint: "聊天记录中已打码；查看需填写用途，每次查看都会记入审计日志。",
        purpose: "查看用途（如：回电）",
        reveal: "查看",
        failed: "查看失败",
        kinds: { PHONE: "电话", EMAIL: "邮箱", CN_ID: "身份证号", PASSPORT: "护照号", ADDRESS: "地址" },
      },
      rv: {
        risk: (r) => `风险 ${r}`,
        open: "查看会话",
        asked: "客户问题",
        held: "被拦下的回复",
        reasons: "拦截原因",
        approve: "通过",
        edit: "修改",
        reject: "驳回",
        approveEdited: "修改后通过",
        confirmReject: "确认驳回（转人工）",
        cancel: "取消",
        editLabel: "修改回复内容",
        reasonPlaceholder: "驳回原因（可选）",
        none: "—",
        loadFailed: "刷新审核列表失败",
        approveFailed: "通过失败",
        rejectFailed: "驳回失败",
      },
    },
    en: {
      title: "Agent console",
      otherLang: "中文",
      switchLang: "切换到中文",
      logout: "Sign out",
      dismiss: "Dismiss",
      signIn: "Sign in to the console",
      tokenHint: "Paste your agent token (or the admin token). It is kept in this browser tab only.",
      token: "Agent token",
      signInButton: "Sign in",
      signingIn: "Checking…",
      queue: "Queue",
      waiting: "Waiting",
      mine: "My conversations",
      allActive: "Active conversations",
      noneWaiting: "Nobody is waiting.",
      noneActive: "No active conversations.",
      conversation: "Conversation",
      claim: "Claim",
      release: "Hand back to bot",
      close: "Close",
      pickOne: "Pick a conversation from the queue.",
      loading: "Loading…",
      replyPlaceholder: "Type a reply… (Enter sends, Shift+Enter for a new line)",
      send: "Send",
      canned: "Quick replies",
      summary: "Summary",
      noSummary: "No handoff summary.",
      ended: "(this handoff has ended)",
      f: {
        reason: "Reason",
        priority: "Priority",
        lang: "Language",
        intent: "Intent",
        flow: "Flow",
        slots: "Collected details",
        verified: "Verified customer",
        sentiment: "Sentiment trend",
        lastMessage: "Last message",
        requestedAt: "Requested at",
      },
      yes: "Yes",
      no: "No",
      none: "—",
      you: "you",
      claimedBy: (who) => `with ${who}`,
      loadLabel: (load, cap) => `load ${load}/${cap}`,
      roles: { customer: "Customer", bot: "Bot", agent: "Agent", system: "System" },
      statuses: { bot: "With the bot", waiting_human: "Waiting for an agent", human: "With an agent", closed: "Closed" },
      priorities: ["Normal", "Upset", "VIP", "Emergency"],
      reasons: {
        customer_request: "Customer asked for a human",
        repeated_failure: "The bot could not help",
        negative_sentiment: "Upset customer",
        emergency: "Emergency",
        policy: "Policy requires a human",
        verification_failed: "Verification failed",
      },
      langs: { zh: "Chinese", en: "English" },
      conn: { idle: "", connecting: "Connecting…", open: "Live", reconnecting: "Connection lost, reconnecting…", offline: "Offline" },
      newMessage: "New message",
      sentimentLabel: (values) => `Sentiment scores: ${values}`,
      duration: (s) => {
        if (s < 60) return `${s}s`;
        if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
        return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
      },
      errInvalidToken: "That token was not accepted. Check it and try again.",
      errExpired: "Your session is no longer valid. Please sign in again.",
      errNetwork: "Cannot reach the server. Check your connection.",
      errEmptyToken: "Paste a token first.",
      errStorage: "This browser blocks session storage: you will have to sign in again after a reload.",
      claimFailed: "Could not claim the conversation",
      releaseFailed: "Could not hand the conversation back to the bot",
      closeFailed: "Could not close the conversation",
      sendFailed: "Could not send the reply",
      loadFailed: "Could not load the conversation",
      queueFailed: "Could not refresh the queue",
      tabConversations: "Conversations",
      tabReview: "Review",
      reviewTitle: "Replies held for review",
      reviewHint: "A compliance rule stopped these bot replies; the customer sees them only once approved.",
      reviewEmpty: "No replies are waiting for review.",
      kbTitle: "From the knowledge base",
      kbInsert: "Insert",
      vault: {
        title: "Personal details the customer gave",
        hint: "Masked in the transcript; revealing one needs a purpose and is written to the audit log.",
        purpose: "Purpose (e.g. call back)",
        reveal: "Reveal",
        failed: "Could not reveal",
        kinds: { PHONE: "Phone", EMAIL: "Email", CN_ID: "ID number", PASSPORT: "Passport", ADDRESS: "Address" },
      },
      rv: {
        risk: (r) => `risk ${r}`,
        open: "Open conversation",
        asked: "Customer asked",
        held: "Held reply",
        reasons: "Why it was held",
        approve: "Approve",
        edit: "Edit",
        reject: "Reject",
        approveEdited: "Approve edited",
        confirmReject: "Reject (hand to a human)",
        cancel: "Cancel",
        editLabel: "Edit the reply",
        reasonPlaceholder: "Reason (optional)",
        none: "—",
        loadFailed: "Could not refresh the review list",
        approveFailed: "Could not approve the reply",
        rejectFailed: "Could not reject the reply",
      },
    },
  };

  const CANNED = {
    zh: [
      "您好，我是人工客服，很高兴为您服务。请问有什么可以帮您？",
      "请提供一下您的订单号，我帮您查询。",
      "感谢您的耐心等待，我这就为您核实。",
      "非常抱歉给您带来不便。",
      "请问还有其他可以帮您的吗？",
    ],
    en: [
      "Hello, I'm here to help. What can I do for you?",
      "Could you share your order number, please?",
      "Thank you for waiting. Let me check that for you.",
      "I'm sorry for the inconvenience.",
      "Is there anything else I can help you with?",
    ],
  };

  const ROLES = new Set(["customer", "bot", "agent", "system"]);
  const TOKEN_KEY = "kefu.console.token.v1";
  const OPEN_KEY = "kefu.console.open.v1";
  const LANG_KEY = "kefu.console.lang.v1";
  const VIEW_KEY = "kefu.console.view.v1";
  const MAX_BACKOFF_MS = 30000;
  const PING_INTERVAL_MS = 25000;
  const POLL_LIVE_MS = 30000; // safety net while the live feed is up
  const POLL_OFFLINE_MS = 5000; // while it is down
  const QUEUE_DEBOUNCE_MS = 0; // coalesce events of one tick; in-flight + one queued refresh bound the rate
  const ERROR_VISIBLE_MS = 15000;
  const SVG_NS = "http://www.w3.org/2000/svg";

  // ---------------------------------------------------------------- config and elements

  const body = document.body;
  const base = (body.dataset.base || "").replace(/\/+$/, "");
  let lang = pickLang(body.dataset.lang);
  let t = I18N[lang];

  const $ = (id) => document.getElementById(id);
  const loginView = $("login-view");
  const loginForm = $("login-form");
  const tokenEl = $("token");
  const loginBtn = $("login");
  const loginError = $("login-error");
  const desk = $("desk");
  const meEl = $("me");
  const logoutBtn = $("logout");
  const langBtn = $("lang-toggle");
  const connEl = $("conn");
  const errorEl = $("error");
  const errorText = $("error-text");
  const waitingList = $("waiting-list");
  const activeList = $("active-list");
  const queueEl = $("queue");
  const loadEl = $("load");
  const claimBtn = $("claim");
  const releaseBtn = $("release");
  const closeBtn = $("close");
  const statusPill = $("conversation-status");
  const noConversation = $("no-conversation");
  const transcript = $("transcript");
  const cannedEl = $("canned");
  const composer = $("composer");
  const replyEl = $("reply");
  const sendBtn = $("send");
  const summaryEmpty = $("summary-empty");
  const summaryFields = $("summary-fields");
  const tabsEl = $("tabs");
  const tabDesk = $("tab-desk");
  const tabReview = $("tab-review");
  const reviewView = $("review-view");
  const reviewCount = $("review-count");
  const kbEl = $("kb-suggestions");

  // ---------------------------------------------------------------- state

  let token = null;
  let me = null; // {id, name, role, skills, capacity}
  let session = 0; // bumped on sign-out: late responses and sockets of an old session are ignored
  let queue = { waiting: [], active: [], load: 0, capacity: 0 };
  let queueFetchedAt = 0; // performance.now() when `queue` arrived; waiting_s is relative to it
  let queueInFlight = null;
  let queueAgain = false;
  let queueTimer = null;
  const lastCustomerText = new Map(); // conversation id -> newest customer text seen on the live feed
  const unread = new Set(); // conversation ids with customer messages not looked at yet

  // The open conversation: {id, status, statusSeq, pack, handoff, lastHandoff, messages: Map(seq -> message)}.
  // Every status change comes with a new message, so `statusSeq` (the highest seq the status is known at)
  // orders answers that race each other: an older answer never overwrites a newer status.
  let open = null;
  let openGen = 0; // bumped whenever another conversation is opened
  let reloadTimer = null;
  let reloadInFlight = null;
  let reloadNext = null;
  let busy = false; // a claim/release/close request is running
  let sending = false;

  let ws = null;
  let wsAttempts = 0;
  let reconnectTimer = null;
  let pingTimer = null;
  let pollTimer = null;
  let errorTimer = null;
  let view = storageGet("sessionStorage", VIEW_KEY) === "review" ? "review" : "desk";

  // ---------------------------------------------------------------- helpers

  function pickLang(explicit) {
    if (explicit === "zh" || explicit === "en") return explicit;
    const saved = storageGet("localStorage", LANG_KEY);
    if (saved === "zh" || saved === "en") return saved;
    for (const tag of [navigator.language, ...(navigator.languages || [])]) {
      const value = String(tag || "").toLowerCase();
      if (value.startsWith("zh")) return "zh";
      if (value.startsWith("en")) return "en";
    }
    return "en";
  }

  // `store` is "sessionStorage" or "localStorage": merely touching them throws when storage is blocked.
  function storageGet(store, key) {
    try {
      return window[store].getItem(key);
    } catch (_) {
      return null;
    }
  }

  function storageSet(store, key, value) {
    try {
      if (value === null || value === undefined) window[store].removeItem(key);
      else window[store].setItem(key, value);
      return true;
    } catch (_) {
      return false;
    }
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function svg(tag, attrs) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    return node;
  }

  const enc = encodeURIComponent;
  const convPath = (id, suffix) => `/v1/agent/conversations/${enc(id)}${suffix || ""}`;

  function fmtTime(iso) {
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return "";
    return d.toLocaleTimeString(lang === "zh" ? "zh-CN" : "en", { hour: "2-digit", minute: "2-digit" });
  }

  function fmtDateTime(iso) {
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return t.none;
    return d.toLocaleString(lang === "zh" ? "zh-CN" : "en", {
      month: "short",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
  }

  function langName(code) {
    return t.langs[code] || (code ? String(code) : t.none);
  }

  function reasonLabel(code) {
    return t.reasons[code] || (code ? String(code) : t.none);
  }

  function priorityOf(h) {
    const p = Number(h && h.priority);
    return Number.isInteger(p) && p >= 0 && p <= 3 ? p : 0;
  }

  function plain(value) {
    if (value === null || value === undefined || value === "") return t.none;
    if (typeof value === "string") return value;
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    try {
      return JSON.stringify(value);
    } catch (_) {
      return String(value);
    }
  }

  // ---------------------------------------------------------------- HTTP

  const { ApiError } = window.KefuApi;

  function request(method, path, payload, bearer) {
    return window.KefuApi.request(base + path, method, payload, bearer, "omit");
  }

  /** An authenticated call of the current session; a 401 signs the agent out. */
  async function api(method, path, payload) {
    const mine = session;
    try {
      return await request(method, path, payload, token);
    } catch (err) {
      if (err.status === 401 && mine === session && token) signOut(t.errExpired);
      throw err;
    }
  }

  function describe(err) {
    if (!err || err.status === 0) return t.errNetwork;
    return `${err.message} (HTTP ${err.status}${err.code ? `, ${err.code}` : ""})`;
  }

  function showError(prefix, err) {
    if (err && err.status === 401) return; // signOut() already explains it
    showBanner(`${prefix}: ${describe(err)}`);
  }

  function showBanner(text) {
    errorText.textContent = text;
    errorEl.hidden = false;
    clearTimeout(errorTimer);
    errorTimer = setTimeout(hideError, ERROR_VISIBLE_MS);
  }

  function hideError() {
    clearTimeout(errorTimer);
    errorEl.hidden = true;
    errorText.textContent = "";
  }

  // ---------------------------------------------------------------- i18n

  function applyI18n() {
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
    document.title = t.title;
    for (const node of document.querySelectorAll("[data-i18n]")) {
      const value = t[node.dataset.i18n];
      node.textContent = typeof value === "string" ? value : "";
    }
    for (const node of document.querySelectorAll("[data-i18n-placeholder]")) {
      node.placeholder = t[node.dataset.i18nPlaceholder] || "";
    }
    for (const node of document.querySelectorAll("[data-i18n-aria-label]")) {
      node.setAttribute("aria-label", t[node.dataset.i18nAriaLabel] || "");
    }
    for (const node of document.querySelectorAll("[data-i18n-title]")) {
      node.title = t[node.dataset.i18nTitle] || "";
    }
    langBtn.lang = lang === "zh" ? "en" : "zh-CN";
  }

  function switchLang() {
    lang = lang === "zh" ? "en" : "zh";
    t = I18N[lang];
    storageSet("localStorage", LANG_KEY, lang);
    applyI18n();
    renderMe();
    renderConn();
    renderQueue();
    renderTranscript();
    renderSummary();
    renderCanned();
    renderKnowledge();
    review.render();
    updateControls();
  }

  const vault = window.KefuConsoleVault.create({ api, strings: () => t.vault, showError });

  // ---------------------------------------------------------------- tabs: conversations | review

  const review = window.KefuConsoleReview.create({
    api,
    strings: () => t.rv,
    langName,
    fmtDateTime,
    showError,
    hideError,
    onCount: renderReviewCount,
    openConversation: (id) => {
      showView("desk");
      openConversation(id);
    },
  });

  function renderReviewCount(n) {
    reviewCount.textContent = String(n);
    reviewCount.dataset.count = String(n);
    tabReview.classList.toggle("has-items", n > 0);
  }

  function showView(next) {
    view = next === "review" ? "review" : "desk";
    storageSet("sessionStorage", VIEW_KEY, view);
    if (!token) return;
    desk.hidden = view !== "desk";
    reviewView.hidden = view !== "review";
    tabDesk.setAttribute("aria-selected", String(view === "desk"));
    tabReview.setAttribute("aria-selected", String(view === "review"));
    if (view === "review") review.refresh();
  }

  // ---------------------------------------------------------------- sign-in

  function showLogin(message) {
    desk.hidden = true;
    reviewView.hidden = true;
    tabsEl.hidden = true;
    logoutBtn.hidden = true;
    meEl.hidden = true;
    loginView.hidden = false;
    loginError.textContent = message || "";
    loginError.hidden = !message;
    loginBtn.disabled = false;
    loginBtn.textContent = t.signInButton;
    tokenEl.value = "";
    tokenEl.focus();
  }

  function showDesk() {
    loginView.hidden = true;
    tabsEl.hidden = false;
    logoutBtn.hidden = false;
    renderMe();
    showView(view);
  }

  function renderMe() {
    if (!me) {
      meEl.hidden = true;
      meEl.textContent = "";
      return;
    }
    meEl.textContent = me.role === "admin" && me.name !== "admin" ? `${me.name} · admin` : String(me.name);
    meEl.hidden = false;
  }

  async function signIn(candidate, remembered) {
    const value = String(candidate || "").trim();
    if (!value) {
      showLogin(t.errEmptyToken);
      return;
    }
    loginBtn.disabled = true;
    loginBtn.textContent = t.signingIn;
    loginError.hidden = true;
    let data;
    try {
      data = await request("GET", "/v1/agent/me", undefined, value);
    } catch (err) {
      if (err.status === 401) {
        storageSet("sessionStorage", TOKEN_KEY, null);
        showLogin(remembered ? t.errExpired : t.errInvalidToken);
      } else {
        showLogin(err.status === 0 ? t.errNetwork : describe(err));
        if (remembered) tokenEl.value = value; // a server hiccup: let the agent simply retry
      }
      return;
    }
    session += 1;
    token = value;
    me = data;
    if (!storageSet("sessionStorage", TOKEN_KEY, value)) showBanner(t.errStorage);
    loginBtn.disabled = false;
    loginBtn.textContent = t.signInButton;
    showDesk();
    connect();
    startPolling();
    refreshQueue();
    review.refresh();
    const reopen = storageGet("sessionStorage", OPEN_KEY);
    if (reopen) openConversation(reopen);
  }

  function signOut(message) {
    session += 1;
    token = null;
    me = null;
    storageSet("sessionStorage", TOKEN_KEY, null);
    storageSet("sessionStorage", OPEN_KEY, null);
    disconnect();
    clearInterval(pollTimer);
    pollTimer = null;
    clearTimeout(queueTimer);
    queueTimer = null;
    queue = { waiting: [], active: [], load: 0, capacity: 0 };
    lastCustomerText.clear();
    unread.clear();
    closeConversationView();
    renderQueue();
    review.stop();
    hideError();
    showLogin(message);
  }

  // ---------------------------------------------------------------- live feed

  function setConn(state) {
    connEl.dataset.state = state;
    renderConn();
  }

  function renderConn() {
    const state = connEl.dataset.state || "idle";
    connEl.textContent = t.conn[state] || "";
    connEl.hidden = state === "idle";
  }

  // The feed opens with a short-lived, single-use ticket: the agent token never goes into a URL (or a log).
  let ticketPending = false;

  function wsUrl(ticket) {
    const url = new URL(`${base}/v1/agent/ws`, window.location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    url.searchParams.set("ticket", ticket);
    return url.toString();
  }

  function connect() {
    if (!token || ticketPending) return;
    if (ws && (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING)) return;
    clearTimeout(reconnectTimer);
    const mine = session;
    setConn(wsAttempts ? "reconnecting" : "connecting");
    ticketPending = true;
    api("POST", "/v1/agent/ws-ticket").then(
      (data) => {
        ticketPending = false;
        if (mine !== session || !token) return;
        if (!data || typeof data.ticket !== "string") return scheduleReconnect();
        openSocket(mine, data.ticket);
      },
      () => {
        ticketPending = false;
        if (mine !== session || !token) return; // a 401 has signed the agent out
        setConn(navigator.onLine === false ? "offline" : "reconnecting");
        startPolling();
        scheduleReconnect();
      },
    );
  }

  function openSocket(mine, ticket) {
    if (ws && (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING)) return;
    let socket;
    try {
      socket = new WebSocket(wsUrl(ticket));
    } catch (_) {
      scheduleReconnect();
      return;
    }
    ws = socket;
    let opened = false;
    socket.addEventListener("open", () => {
      if (mine !== session || ws !== socket) return;
      opened = true;
      wsAttempts = 0;
      setConn("open");
      clearInterval(pingTimer);
      pingTimer = setInterval(() => {
        if (socket.readyState === WebSocket.OPEN) socket.send("ping");
      }, PING_INTERVAL_MS);
      startPolling();
      // Whatever happened while we were not listening: catch up.
      refreshQueue();
      review.refresh();
      if (open) scheduleReload(0);
    });
    socket.addEventListener("message", (event) => {
      if (mine !== session || ws !== socket) return;
      let data;
      try {
        data = JSON.parse(event.data);
      } catch (_) {
        return;
      }
      if (data && typeof data === "object") handleEvent(data);
    });
    socket.addEventListener("close", () => {
      if (mine !== session || ws !== socket) return;
      ws = null;
      clearInterval(pingTimer);
      setConn(navigator.onLine === false ? "offline" : "reconnecting");
      startPolling();
      // A socket refused before opening may mean the token was revoked: the REST call decides (401 -> sign out).
      if (!opened) refreshQueue();
      scheduleReconnect();
    });
  }

  function scheduleReconnect() {
    clearTimeout(reconnectTimer);
    if (!token) return;
    const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** wsAttempts) * (0.75 + Math.random() * 0.5);
    wsAttempts += 1;
    reconnectTimer = setTimeout(connect, delay);
  }

  function reconnectNow() {
    if (!token) return;
    if (ws && (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING)) return;
    wsAttempts = 0;
    connect();
  }

  function disconnect() {
    clearTimeout(reconnectTimer);
    clearInterval(pingTimer);
    wsAttempts = 0;
    if (ws) {
      const old = ws;
      ws = null;
      try {
        old.close(1000);
      } catch (_) {
        /* ignore */
      }
    }
    setConn("idle");
  }

  function startPolling() {
    clearInterval(pollTimer);
    const live = ws && ws.readyState === WebSocket.OPEN;
    pollTimer = setInterval(() => {
      if (document.visibilityState !== "visible") return;
      refreshQueue();
      review.refresh();
      if (!live && open) scheduleReload(0);
    }, live ? POLL_LIVE_MS : POLL_OFFLINE_MS);
  }

  function knownConversation(id) {
    return queue.waiting.some((h) => h.conversation_id === id) || queue.active.some((h) => h.conversation_id === id);
  }

  function handleEvent(data) {
    const id = typeof data.conversation_id === "string" ? data.conversation_id : null;
    if (!id) return;
    if (data.type === "review") {
      review.refresh(); // a reply was held, or a reviewer decided one
      return;
    }
    if (data.type === "message" && data.message && typeof data.message === "object") {
      const m = data.message;
      if (m.role === "customer") {
        lastCustomerText.set(id, String(m.text == null ? "" : m.text));
        updateLastText(id);
      }
      if (open && open.id === id) {
        addMessages([m]);
      } else if (m.role === "customer" && queue.active.some((h) => h.conversation_id === id)) {
        unread.add(id);
        renderQueue();
      }
    } else if (data.type === "status") {
      if (open && open.id === id) {
        // Only newer than what we know if this turn's messages just came over the feed; else ask.
        const known = highestSeq([...open.messages.values()]);
        if (known > open.statusSeq) setOpenStatus(data.status, known);
        scheduleReload();
      }
      // Every turn of every conversation reports its status; only these can change the queue.
      if (data.status !== "bot" || knownConversation(id)) scheduleQueueRefresh();
    }
  }

  // ---------------------------------------------------------------- queue

  function scheduleQueueRefresh() {
    if (queueTimer) return;
    queueTimer = setTimeout(() => {
      queueTimer = null;
      refreshQueue();
    }, QUEUE_DEBOUNCE_MS);
  }

  function refreshQueue() {
    if (!token) return Promise.resolve();
    if (queueInFlight) {
      queueAgain = true;
      return queueInFlight;
    }
    const mine = session;
    queueInFlight = api("GET", "/v1/agent/queue")
      .then((data) => {
        if (mine !== session) return;
        queue = {
          waiting: Array.isArray(data.waiting) ? data.waiting : [],
          active: Array.isArray(data.active) ? data.active : [],
          load: Number(data.load) || 0,
          capacity: Number(data.capacity) || 0,
        };
        queueFetchedAt = performance.now();
        renderQueue();
        if (open) syncOpenFromQueue();
      })
      .catch((err) => {
        if (mine === session) showError(t.queueFailed, err);
      })
      .finally(() => {
        queueInFlight = null;
        if (queueAgain && mine === session) {
          queueAgain = false;
          refreshQueue();
        }
      });
    return queueInFlight;
  }

  function queueItem(h, kind) {
    const id = String(h.conversation_id);
    const summary = (h.summary && typeof h.summary === "object" && h.summary) || {};
    const priority = priorityOf(h);
    const li = el("li", `queue-item p${priority}`);
    li.dataset.conversationId = id;
    li.dataset.priority = String(priority);
    li.dataset.kind = kind;
    li.tabIndex = 0;
    li.setAttribute("role", "button");
    if (open && open.id === id) {
      li.classList.add("selected");
      li.setAttribute("aria-current", "true");
    }
    if (unread.has(id)) li.classList.add("unread");

    const top = el("div", "item-top");
    top.appendChild(el("span", `badge prio p${priority}`, t.priorities[priority]));
    top.appendChild(el("span", "reason", reasonLabel(h.reason)));
    top.appendChild(el("span", "tag lang-tag", langName(h.lang)));
    if (kind === "waiting") {
      const wait = el("span", "wait");
      wait.dataset.base = String(Number(h.waiting_s) || 0);
      top.appendChild(wait);
    } else if (me && h.claimed_by) {
      top.appendChild(el("span", "tag who", t.claimedBy(h.claimed_by === me.id ? t.you : h.claimed_by)));
    }
    if (unread.has(id)) top.appendChild(el("span", "dot", null)).setAttribute("aria-label", t.newMessage);
    li.appendChild(top);
    const text = lastCustomerText.get(id) || summary.last_message || "";
    li.appendChild(el("div", "last", text || t.none));
    return li;
  }

  function renderQueue() {
    waitingList.replaceChildren(...queue.waiting.map((h) => queueItem(h, "waiting")));
    activeList.replaceChildren(...queue.active.map((h) => queueItem(h, "active")));
    $("active-title").textContent = me && me.role === "admin" ? t.allActive : t.mine;
    $("waiting-count").textContent = String(queue.waiting.length);
    $("active-count").textContent = String(queue.active.length);
    $("waiting-empty").hidden = queue.waiting.length > 0;
    $("active-empty").hidden = queue.active.length > 0;
    loadEl.textContent = me && me.role !== "admin" && queue.capacity ? t.loadLabel(queue.load, queue.capacity) : "";
    tick();
  }

  function updateLastText(id) {
    const text = lastCustomerText.get(id);
    for (const item of queueEl.querySelectorAll(".queue-item")) {
      if (item.dataset.conversationId === id) item.querySelector(".last").textContent = text || t.none;
    }
  }

  function tick() {
    const elapsed = queueFetchedAt ? (performance.now() - queueFetchedAt) / 1000 : 0;
    for (const node of waitingList.querySelectorAll(".wait")) {
      node.textContent = t.duration(Math.max(0, Math.floor(Number(node.dataset.base) + elapsed)));
    }
  }

  // ---------------------------------------------------------------- conversation

  function closeConversationView() {
    openGen += 1;
    open = null;
    clearTimeout(reloadTimer);
    reloadTimer = null;
    transcript.replaceChildren();
    transcript.hidden = true;
    noConversation.hidden = false;
    noConversation.textContent = t.pickOne;
    replyEl.value = "";
    kb = { conversation: null, query: null, hits: [] };
    vault.clear();
    renderSummary();
    renderCanned();
    renderKnowledge();
    updateControls();
  }

  function openConversation(id) {
    if (!id || !token) return;
    if (open && open.id === id) {
      scheduleReload(0);
      return;
    }
    openGen += 1;
    clearTimeout(reloadTimer);
    reloadTimer = null;
    open = { id, status: null, statusSeq: -1, pack: null, handoff: null, lastHandoff: null, messages: new Map() };
    const entry = [...queue.waiting, ...queue.active].find((h) => h.conversation_id === id);
    if (entry) open.lastHandoff = entry;
    unread.delete(id);
    storageSet("sessionStorage", OPEN_KEY, id);
    replyEl.value = "";
    transcript.replaceChildren();
    transcript.hidden = false;
    noConversation.hidden = true;
    renderQueue();
    renderSummary();
    renderCanned();
    updateControls();
    scheduleReload(0);
  }

  function scheduleReload(delay) {
    if (!open) return;
    clearTimeout(reloadTimer);
    reloadTimer = setTimeout(reloadConversation, delay === undefined ? 100 : delay);
  }

  /** Fetch the open conversation; resolves once a fetch that started after this call has finished. */
  function reloadConversation() {
    clearTimeout(reloadTimer);
    reloadTimer = null;
    if (!open || !token) return Promise.resolve();
    if (reloadInFlight) {
      if (!reloadNext) {
        reloadNext = reloadInFlight.then(() => {
          reloadNext = null;
          return reloadConversation();
        });
      }
      return reloadNext;
    }
    const gen = openGen;
    const id = open.id;
    reloadInFlight = api("GET", convPath(id))
      .then((data) => {
        if (gen !== openGen || !open) return;
        open.pack = data.pack || open.pack;
        addMessages(data.messages);
        const seq = highestSeq(data.messages);
        if (seq >= open.statusSeq) {
          open.handoff = data.handoff && typeof data.handoff === "object" ? data.handoff : null;
          if (open.handoff) open.lastHandoff = open.handoff;
          setOpenStatus(data.status, seq);
        }
        renderSummary();
        renderCanned();
        suggestFromKnowledge();
      })
      .catch((err) => {
        if (gen !== openGen) return;
        showError(t.loadFailed, err);
        if (err.status === 404) {
          storageSet("sessionStorage", OPEN_KEY, null);
          closeConversationView();
          renderQueue();
        }
      })
      .finally(() => {
        reloadInFlight = null;
      });
    return reloadInFlight;
  }

  /** Keep the open conversation's claim state in step with the queue (another agent may have claimed it). */
  function syncOpenFromQueue() {
    const entry = [...queue.waiting, ...queue.active].find((h) => h.conversation_id === open.id);
    if (!entry) return;
    open.lastHandoff = entry;
    if (open.handoff && open.handoff.claimed_by !== entry.claimed_by) scheduleReload(0);
  }

  function setOpenStatus(status, seq) {
    if (!open || typeof status !== "string" || !(seq >= open.statusSeq)) return;
    open.status = status;
    open.statusSeq = seq;
    updateControls();
  }

  function highestSeq(list) {
    let top = 0;
    for (const m of Array.isArray(list) ? list : []) {
      const seq = Number(m && m.seq);
      if (Number.isFinite(seq) && seq > top) top = seq;
    }
    return top;
  }

  function renderMessage(m) {
    const role = ROLES.has(m.role) ? m.role : "system";
    const row = el("div", `msg msg-${role}`);
    row.dataset.role = role;
    row.dataset.seq = String(m.seq);
    if (m.id !== undefined && m.id !== null) row.dataset.id = String(m.id);
    if (m.lang === "zh" || m.lang === "en") row.lang = m.lang === "zh" ? "zh-CN" : "en";
    const meta = el("div", "meta");
    meta.appendChild(el("span", "who", t.roles[role]));
    const time = el("time", "time", fmtTime(m.created_at));
    if (m.created_at) time.dateTime = String(m.created_at);
    meta.appendChild(time);
    row.appendChild(meta);
    row.appendChild(el("div", "bubble", m.text == null ? "" : String(m.text)));
    if (Array.isArray(m.suggestions) && m.suggestions.length) {
      const chips = el("div", "suggestions");
      for (const s of m.suggestions.slice(0, 8)) chips.appendChild(el("span", "chip", s));
      row.appendChild(chips);
    }
    return row;
  }

  function nearBottom() {
    return transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 80;
  }

  /** Add messages to the open transcript in seq order, once each (REST answers and the feed overlap). */
  function addMessages(list) {
    if (!open || !Array.isArray(list) || !list.length) return;
    const stick = nearBottom();
    let added = false;
    for (const raw of list) {
      if (!raw || typeof raw !== "object") continue;
      const seq = Number(raw.seq);
      if (!Number.isFinite(seq) || open.messages.has(seq)) continue;
      const m = { ...raw, seq };
      open.messages.set(seq, m);
      const row = renderMessage(m);
      let before = null;
      for (const node of transcript.children) {
        if (Number(node.dataset.seq) > seq) {
          before = node;
          break;
        }
      }
      transcript.insertBefore(row, before);
      added = true;
    }
    if (added && stick) transcript.scrollTop = transcript.scrollHeight;
    if (added) {
      suggestFromKnowledge();
      vault.show(open.id); // the customer may have given new personal details
    }
  }

  function renderTranscript() {
    if (!open) return;
    const stick = nearBottom();
    const sorted = [...open.messages.values()].sort((a, b) => a.seq - b.seq);
    transcript.replaceChildren(...sorted.map(renderMessage));
    if (stick) transcript.scrollTop = transcript.scrollHeight;
  }

  // ---------------------------------------------------------------- summary

  function sparkline(values) {
    const w = 96;
    const h = 24;
    const pad = 3;
    const clamp = (v) => Math.max(-1, Math.min(1, v));
    const x = (i) => (values.length === 1 ? w / 2 : pad + (i * (w - 2 * pad)) / (values.length - 1));
    const y = (v) => pad + ((1 - clamp(v)) / 2) * (h - 2 * pad);
    const last = values[values.length - 1];
    const mood = last <= -0.3 ? "neg" : last >= 0.3 ? "pos" : "neu";
    const root = svg("svg", {
      class: `sparkline ${mood}`,
      viewBox: `0 0 ${w} ${h}`,
      width: w,
      height: h,
      role: "img",
    });
    root.setAttribute("aria-label", t.sentimentLabel(values.map((v) => v.toFixed(2)).join(", ")));
    root.appendChild(svg("line", { class: "zero", x1: 0, x2: w, y1: y(0), y2: y(0) }));
    if (values.length > 1) {
      const points = values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
      root.appendChild(svg("polyline", { class: "trend", points }));
    }
    root.appendChild(svg("circle", { class: "last", cx: x(values.length - 1), cy: y(last), r: 2.5 }));
    return root;
  }

  function field(key, valueNode, value) {
    const dt = el("dt", null, t.f[key]);
    const dd = el("dd");
    dd.dataset.field = key;
    if (value !== undefined && value !== null) dd.dataset.value = String(value);
    if (valueNode instanceof Node) dd.appendChild(valueNode);
    else dd.textContent = plain(valueNode);
    summaryFields.append(dt, dd);
    return dd;
  }

  function renderSummary() {
    summaryFields.replaceChildren();
    const h = open && open.lastHandoff;
    const s = h && h.summary && typeof h.summary === "object" ? h.summary : null;
    if (!h) {
      summaryFields.hidden = true;
      summaryEmpty.hidden = false;
      summaryEmpty.textContent = open ? t.noSummary : t.pickOne;
      return;
    }
    summaryEmpty.hidden = true;
    summaryFields.hidden = false;
    const sum = s || {};
    const reason = h.reason || sum.reason;
    const reasonNode = el("span", null);
    reasonNode.appendChild(el("span", "reason-label", reasonLabel(reason)));
    if (reason) reasonNode.appendChild(el("code", "code", reason));
    field("reason", reasonNode, reason);
    const priority = priorityOf(h);
    field("priority", el("span", `badge prio p${priority}`, t.priorities[priority]), priority);
    const convLang = h.lang || sum.lang;
    field("lang", langName(convLang), convLang);
    field("intent", sum.intent, sum.intent);
    field("flow", sum.flow, sum.flow);
    const slots = sum.slots && typeof sum.slots === "object" ? Object.entries(sum.slots) : [];
    if (slots.length) {
      const list = el("ul", "slots");
      for (const [k, v] of slots) {
        const item = el("li");
        item.append(el("span", "slot-key", `${k}: `), el("span", "slot-value", plain(v)));
        list.appendChild(item);
      }
      field("slots", list);
    } else {
      field("slots", t.none);
    }
    const verified = sum.verified_customer;
    field(
      "verified",
      verified === true ? t.yes : verified === false ? t.no : plain(verified),
      verified === undefined ? null : verified,
    );
    const trend = Array.isArray(sum.sentiment_trend)
      ? sum.sentiment_trend.map(Number).filter((v) => Number.isFinite(v))
      : [];
    if (trend.length) {
      const wrap = el("span", "sentiment");
      wrap.appendChild(sparkline(trend));
      wrap.appendChild(el("span", "sentiment-value", trend[trend.length - 1].toFixed(2)));
      field("sentiment", wrap, trend.join(","));
    } else {
      field("sentiment", t.none);
    }
    const last = el("span", "quote", plain(sum.last_message));
    field("lastMessage", last);
    field("requestedAt", fmtDateTime(h.requested_at), h.requested_at);
    if (open && !open.handoff && open.status && open.status !== "waiting_human" && open.status !== "human") {
      summaryFields.appendChild(el("p", "ended", t.ended));
    }
  }

  // ---------------------------------------------------------------- replying and actions

  function conversationLang() {
    const h = open && open.lastHandoff;
    const fromHandoff = h && (h.lang || (h.summary && h.summary.lang));
    if (fromHandoff === "zh" || fromHandoff === "en") return fromHandoff;
    if (open) {
      const customer = [...open.messages.values()].filter((m) => m.role === "customer").pop();
      if (customer && (customer.lang === "zh" || customer.lang === "en")) return customer.lang;
    }
    return lang;
  }

  function renderCanned() {
    cannedEl.replaceChildren();
    if (!open) {
      cannedEl.hidden = true;
      return;
    }
    const replyLang = conversationLang();
    cannedEl.appendChild(el("span", "canned-label", `${t.canned} · ${t.langs[replyLang]}`));
    for (const text of CANNED[replyLang]) {
      const b = el("button", "canned-reply", text);
      b.type = "button";
      b.lang = replyLang === "zh" ? "zh-CN" : "en";
      b.dataset.text = text;
      cannedEl.appendChild(b);
    }
    cannedEl.hidden = false;
    updateControls();
  }

  // Suggested passages from the knowledge base for the customer's last message (GET /v1/knowledge/search).
  const KB_HITS = 3;
  const KB_SNIPPET_CHARS = 200;
  let kb = { conversation: null, query: null, hits: [] };

  function lastCustomerMessage() {
    if (!open) return "";
    const customer = [...open.messages.values()]
      .filter((m) => m.role === "customer")
      .sort((a, b) => a.seq - b.seq)
      .pop();
    return customer && customer.text ? String(customer.text).trim().slice(0, 2000) : "";
  }

  function suggestFromKnowledge() {
    if (!open || !open.pack || !token) return;
    const query = lastCustomerMessage();
    if (!query || (kb.conversation === open.id && kb.query === query)) return;
    const gen = openGen;
    kb = { conversation: open.id, query, hits: [] };
    renderKnowledge();
    const path = `/v1/knowledge/search?pack=${enc(open.pack)}&q=${enc(query)}&k=${KB_HITS}`;
    api("GET", path)
      .then((data) => {
        if (gen !== openGen || kb.query !== query) return;
        kb.hits = Array.isArray(data.hits) ? data.hits.filter((h) => h && h.text).slice(0, KB_HITS) : [];
        renderKnowledge();
      })
      .catch(() => {
        /* suggestions are optional: no knowledge base (404/503) or a failed search shows nothing */
      });
  }

  function renderKnowledge() {
    kbEl.replaceChildren();
    if (!open || kb.conversation !== open.id || !kb.hits.length) {
      kbEl.hidden = true;
      return;
    }
    kbEl.dataset.query = kb.query || "";
    kbEl.appendChild(el("div", "kb-label", t.kbTitle));
    for (const hit of kb.hits) {
      const item = el("div", "kb-hit");
      const text = String(hit.text);
      if (hit.lang === "zh" || hit.lang === "en") item.lang = hit.lang === "zh" ? "zh-CN" : "en";
      const head = el("div", "kb-head");
      head.appendChild(el("span", "kb-title", hit.title || hit.source || ""));
      const insert = el("button", "kb-insert", t.kbInsert);
      insert.type = "button";
      insert.dataset.text = text;
      head.appendChild(insert);
      item.appendChild(head);
      item.appendChild(
        el("div", "kb-text", text.length > KB_SNIPPET_CHARS ? `${text.slice(0, KB_SNIPPET_CHARS)}…` : text),
      );
      kbEl.appendChild(item);
    }
    kbEl.hidden = false;
    updateControls();
  }

  function insertReply(text) {
    if (replyEl.disabled) return;
    const start = replyEl.selectionStart ?? replyEl.value.length;
    const end = replyEl.selectionEnd ?? replyEl.value.length;
    replyEl.setRangeText(text, start, end, "end");
    replyEl.focus();
    updateControls();
  }

  function canReply() {
    if (!open || !me || open.status !== "human") return false;
    const h = open.handoff;
    return me.role === "admin" || !!(h && h.claimed_by === me.id);
  }

  function updateControls() {
    const status = open && open.status;
    const h = open && open.handoff;
    const admin = !!(me && me.role === "admin");
    const mine = !!(h && me && h.claimed_by === me.id);
    claimBtn.disabled = busy || !(status === "waiting_human" && h && !h.claimed_by);
    releaseBtn.disabled = busy || !((status === "human" || status === "waiting_human") && (mine || admin));
    closeBtn.disabled = busy || !(status && status !== "closed" && (!h || !h.claimed_by || mine || admin));
    const replying = canReply();
    replyEl.disabled = !replying;
    replyEl.readOnly = sending;
    sendBtn.disabled = !replying || sending || !replyEl.value.trim();
    for (const b of cannedEl.querySelectorAll("button")) b.disabled = !replying;
    for (const b of kbEl.querySelectorAll("button")) b.disabled = !replying;
    statusPill.hidden = !status;
    statusPill.textContent = status ? t.statuses[status] || status : "";
    statusPill.dataset.status = status || "";
  }

  async function act(kind) {
    if (!open || busy) return;
    const gen = openGen;
    const id = open.id;
    busy = true;
    updateControls();
    try {
      const data = await api("POST", convPath(id, `/${kind}`));
      if (gen === openGen) {
        addMessages(data.messages);
        setOpenStatus(data.status, highestSeq(data.messages));
      }
      hideError();
    } catch (err) {
      showError(t[`${kind}Failed`], err);
    } finally {
      busy = false;
      updateControls();
      if (gen === openGen) {
        await reloadConversation();
        if (kind === "claim" && canReply()) replyEl.focus();
      }
      refreshQueue();
    }
  }

  async function sendReply() {
    const text = replyEl.value.trim();
    if (!text || sending || !canReply()) return;
    const gen = openGen;
    const id = open.id;
    sending = true;
    updateControls();
    try {
      const data = await api("POST", convPath(id, "/messages"), { text });
      if (gen === openGen) {
        if (replyEl.value.trim() === text) replyEl.value = "";
        addMessages(data.messages);
        setOpenStatus(data.status, highestSeq(data.messages));
      }
      hideError();
    } catch (err) {
      showError(t.sendFailed, err);
      if (gen === openGen && err.status === 403) scheduleReload(0);
    } finally {
      sending = false;
      updateControls();
      if (gen === openGen && !replyEl.disabled) replyEl.focus();
    }
  }

  // ---------------------------------------------------------------- wiring

  function bindEvents() {
    loginForm.addEventListener("submit", (event) => {
      event.preventDefault();
      if (!loginBtn.disabled) signIn(tokenEl.value, false);
    });
    logoutBtn.addEventListener("click", () => signOut(""));
    langBtn.addEventListener("click", switchLang);
    $("error-dismiss").addEventListener("click", hideError);
    tabDesk.addEventListener("click", () => showView("desk"));
    tabReview.addEventListener("click", () => showView("review"));

    const pick = (event) => {
      const item = event.target.closest(".queue-item[data-conversation-id]");
      if (item && queueEl.contains(item)) openConversation(item.dataset.conversationId);
    };
    queueEl.addEventListener("click", pick);
    queueEl.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        pick(event);
      }
    });

    claimBtn.addEventListener("click", () => act("claim"));
    releaseBtn.addEventListener("click", () => act("release"));
    closeBtn.addEventListener("click", () => act("close"));
    cannedEl.addEventListener("click", (event) => {
      const b = event.target.closest("button.canned-reply");
      if (b && !b.disabled) insertReply(b.dataset.text || b.textContent || "");
    });
    kbEl.addEventListener("click", (event) => {
      const b = event.target.closest("button.kb-insert");
      if (b && !b.disabled) insertReply(b.dataset.text || "");
    });

    composer.addEventListener("submit", (event) => {
      event.preventDefault();
      sendReply();
    });
    replyEl.addEventListener("keydown", (event) => {
      // Enter sends, Shift+Enter inserts a newline; never send while an IME (pinyin...) is composing.
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
        event.preventDefault();
        sendReply();
      }
    });
    replyEl.addEventListener("input", updateControls);

    window.addEventListener("online", reconnectNow);
    window.addEventListener("offline", () => {
      if (token) setConn("offline");
    });
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible" && token) {
        reconnectNow();
        refreshQueue();
        review.refresh();
      }
    });
    setInterval(tick, 1000);
  }

  applyI18n();
  bindEvents();
  renderConn();
  closeConversationView();
  const remembered = storageGet("sessionStorage", TOKEN_KEY);
  if (remembered) {
    loginView.hidden = false;
    signIn(remembered, true);
  } else {
    showLogin("");
  }
})();
