/*
 * kefu manager dashboard.  Talks to one endpoint:
 *   GET /v1/analytics/summary?from=YYYY-MM-DD&to=YYYY-MM-DD&pack=P   (Authorization: Bearer <admin token>)
 * and draws everything as inline SVG.  No third-party code; data text is only ever set as textContent.
 */
(function () {
  "use strict";

  const STRINGS = {
    zh: {
      title: "运营看板", otherLang: "English", switchLang: "切换语言", logout: "退出", dismiss: "关闭",
      signIn: "管理员登录", tokenHint: "请输入管理员令牌（KEFU_ADMIN_TOKEN）或管理员坐席令牌。令牌只保存在本标签页。",
      token: "令牌", signInButton: "登录", from: "开始", to: "结束", pack: "行业包", allPacks: "全部",
      quickRange: "快捷范围", last7: "近 7 天", last30: "近 30 天", last90: "近 90 天", apply: "查询",
      kpi_conversations: "会话数", kpi_containment: "机器人独立解决率", kpi_handoff_rate: "转人工率",
      kpi_csat: "满意度 (CSAT)", kpi_wait: "平均等待", kpi_handle: "平均处理时长", kpi_fcr: "首次解决率",
      chartDaily: "每日会话与转人工", chartReasons: "转人工原因", chartSentiment: "客户情绪（每个会话最后一次）",
      chartCsat: "满意度分布", chartOutcomes: "转人工结果", gaps: "知识缺口", actions: "常见操作",
      gapsHint: "机器人回答“帮不上忙”的客户问题，按出现次数排序。", actionsHint: "工具调用与转人工，按次数排序。",
      question: "客户问题", action: "操作", count: "次数", legendConversations: "会话", legendHandoffs: "转人工",
      negative: "负面", neutral: "中性", positive: "正面", unscored: "无评分", noData: "此范围内没有数据",
      updated: "更新于", loading: "加载中…", badToken: "令牌无效。", notAdmin: "该令牌属于普通坐席；看板需要管理员令牌。",
      network: "无法连接服务器，请稍后重试。", ofTotal: "共 {n} 个", handedOff: "{n} 个转人工", contained: "{n} 个未转人工",
      rated: "{n} 个评分", p50: "中位数 {v}", measured: "{n} 次", resolved: "{n} / {m} 个会话", engaged: "{n} 个有提问",
      waiting: "排队中", with_agent: "处理中", returned: "交还机器人", closed: "已关闭", ended: "已结束",
      customer_request: "客户要求", repeated_failure: "多次未解决", negative_sentiment: "情绪负面",
      emergency: "紧急情况", policy: "政策/投诉", verification_failed: "身份验证失败", handoff: "转人工",
      sec: "秒", min: "分", hour: "小时",
    },
    en: {
      title: "Service dashboard", otherLang: "中文", switchLang: "Switch language", logout: "Sign out",
      dismiss: "Dismiss", signIn: "Admin sign-in",
      tokenHint: "Paste the admin token (KEFU_ADMIN_TOKEN) or an admin agent's token. It is kept in this tab only.",
      token: "Token", signInButton: "Sign in", from: "From", to: "To", pack: "Pack", allPacks: "All",
      quickRange: "Quick range", last7: "Last 7 days", last30: "Last 30 days", last90: "Last 90 days", apply: "Show",
      kpi_conversations: "Conversations", kpi_containment: "Containment", kpi_handoff_rate: "Handoff rate",
      kpi_csat: "CSAT", kpi_wait: "Avg wait", kpi_handle: "Avg handle time", kpi_fcr: "First-contact resolution",
      chartDaily: "Conversations and handoffs per day", chartReasons: "Handoffs by reason",
      chartSentiment: "Customer sentiment (last score per conversation)", chartCsat: "CSAT distribution",
      chartOutcomes: "Handoff outcomes", gaps: "Knowledge gaps", actions: "Top actions",
      gapsHint: "Customer questions the bot answered with its fallback, most frequent first.",
      actionsHint: "Tool calls and handoffs, most frequent first.", question: "Customer question", action: "Action",
      count: "Count", legendConversations: "Conversations", legendHandoffs: "Handoffs", negative: "Negative",
      neutral: "Neutral", positive: "Positive", unscored: "No score", noData: "No data in this range",
      updated: "Updated", loading: "Loading…", badToken: "That token was not accepted.",
      notAdmin: "That token belongs to an agent; the dashboard needs an admin token.",
      network: "Cannot reach the server; try again shortly.", ofTotal: "{n} in total", handedOff: "{n} handed off",
      contained: "{n} never handed off", rated: "{n} rated", p50: "median {v}", measured: "{n} measured",
      resolved: "{n} of {m} conversations", engaged: "{n} with a question",
      waiting: "Waiting", with_agent: "With an agent", returned: "Back to bot", closed: "Closed", ended: "Ended",
      customer_request: "Customer asked", repeated_failure: "Bot failed repeatedly",
      negative_sentiment: "Upset customer", emergency: "Emergency", policy: "Policy / complaint",
      verification_failed: "Verification failed", handoff: "Handoff", sec: "s", min: "m", hour: "h",
    },
  };
  const TOKEN_KEY = "kefu.dashboard.token";
  const LANG_KEY = "kefu.dashboard.lang";
  const SVG = "http://www.w3.org/2000/svg";
  const COLORS = { conv: "#1f6feb", hand: "#e8590c", neg: "#d64545", neu: "#9aa4b2", pos: "#2f9e44" };
  const CSAT_COLORS = ["#d64545", "#f08c00", "#fab005", "#74b816", "#2f9e44"];

  const body = document.body;
  const base = body.dataset.base || "";
  const $ = (id) => document.getElementById(id);
  let lang = pickLang();
  let t = STRINGS[lang];
  let last = null; // the last summary, redrawn on a language switch

  function pickLang() {
    const fixed = body.dataset.lang || sessionStorage.getItem(LANG_KEY) || navigator.language || "zh";
    return fixed.toLowerCase().startsWith("en") ? "en" : "zh";
  }

  function fmt(template, fields) {
    return template.replace(/\{(\w+)\}/g, (_, k) => String(fields[k]));
  }

  function applyStrings() {
    t = STRINGS[lang];
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
    document.title = t.title;
    document.querySelectorAll("[data-i18n]").forEach((n) => { n.textContent = t[n.dataset.i18n] || ""; });
    document.querySelectorAll("[data-i18n-title]").forEach((n) => { n.title = t[n.dataset.i18nTitle] || ""; });
    document.querySelectorAll("[data-i18n-aria-label]").forEach((n) => {
      n.setAttribute("aria-label", t[n.dataset.i18nAriaLabel] || "");
    });
  }

  // -- formatting ------------------------------------------------------------------------------
  const dash = "—";
  const pct = (v) => (v === null || v === undefined ? dash : (v * 100).toFixed(1) + "%");
  const num = (v) => (v === null || v === undefined ? dash : Number(v).toLocaleString(lang === "zh" ? "zh-CN" : "en-US"));

  function duration(s) {
    if (s === null || s === undefined) return dash;
    if (s < 10) return (Math.round(s * 10) / 10) + t.sec;
    const total = Math.round(s);
    if (total < 60) return total + t.sec;
    if (total < 3600) return Math.floor(total / 60) + t.min + " " + (total % 60) + t.sec;
    return Math.floor(total / 3600) + t.hour + " " + Math.round((total % 3600) / 60) + t.min;
  }

  function label(key) {
    if (key.startsWith("handoff:")) return t.handoff + " · " + (t[key.slice(8)] || key.slice(8));
    return t[key] || key;
  }

  function isoDay(d) {
    const pad = (n) => String(n).padStart(2, "0");
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  // -- errors and views ------------------------------------------------------------------------
  function showError(text) {
    $("error-text").textContent = text;
    $("error").hidden = !text;
  }

  function showLogin(message) {
    $("board").hidden = true;
    $("logout").hidden = true;
    $("login-view").hidden = false;
    $("login-error").textContent = message || "";
    $("login-error").hidden = !message;
    body.dataset.state = "login";
    $("token").focus();
  }

  function showBoard() {
    $("login-view").hidden = true;
    $("board").hidden = false;
    $("logout").hidden = false;
  }

  // -- data ------------------------------------------------------------------------------------
  async function load() {
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (!token) return showLogin("");
    const params = new URLSearchParams();
    if ($("from").value) params.set("from", $("from").value);
    if ($("to").value) params.set("to", $("to").value);
    if ($("pack").value) params.set("pack", $("pack").value);
    body.dataset.state = "loading";
    $("updated").textContent = t.loading;
    let res;
    try {
      res = await fetch(base + "/v1/analytics/summary?" + params.toString(), {
        headers: { Authorization: "Bearer " + token, Accept: "application/json" },
        cache: "no-store",
      });
    } catch (err) {
      body.dataset.state = "error";
      $("updated").textContent = "";
      return showError(t.network);
    }
    if (res.status === 401 || res.status === 403) {
      sessionStorage.removeItem(TOKEN_KEY);
      return showLogin(res.status === 401 ? t.badToken : t.notAdmin);
    }
    const data = await res.json().catch(() => null);
    if (!res.ok || !data) {
      body.dataset.state = "error";
      $("updated").textContent = "";
      return showError((data && data.error && data.error.message) || "HTTP " + res.status);
    }
    showError("");
    showBoard();
    last = data;
    render(data);
  }

  function render(data) {
    $("from").value = data.first_day;
    $("to").value = data.last_day;
    renderTiles(data);
    drawCharts(data);
    fillTable($("gaps"), data.knowledge_gaps, (x) => x);
    fillTable($("actions"), data.top_actions, label);
    const now = new Date();
    $("updated").textContent = t.updated + " " + now.toLocaleTimeString(lang === "zh" ? "zh-CN" : "en-US") + " · " + data.timezone;
    body.dataset.state = "ready";
  }

  function drawCharts(data) {
    drawDaily($("chart-daily"), data.daily);
    drawBars($("chart-reasons"), data.handoffs_by_reason.map((r) => ({ label: label(r.label), value: r.count, color: COLORS.hand })));
    const s = data.sentiment;
    drawBars($("chart-sentiment"), [
      { label: t.negative, value: s.negative, color: COLORS.neg },
      { label: t.neutral, value: s.neutral, color: COLORS.neu },
      { label: t.positive, value: s.positive, color: COLORS.pos },
    ], s.unscored ? t.unscored + ": " + s.unscored : "");
    drawColumns($("chart-csat"), ["1", "2", "3", "4", "5"].map((k, i) => ({
      label: k + "★", value: data.csat.distribution[k] || 0, color: CSAT_COLORS[i],
    })));
    drawBars($("chart-outcomes"), Object.entries(data.handoffs_by_outcome).map(([k, v]) => ({ label: label(k), value: v, color: COLORS.conv })));
  }

  function setTile(kpi, value, sub) {
    const tile = document.querySelector('.tile[data-kpi="' + kpi + '"]');
    tile.querySelector(".value").textContent = value;
    tile.querySelector(".sub").textContent = sub || "";
  }

  function renderTiles(d) {
    setTile("conversations", num(d.conversations), fmt(t.engaged, { n: d.engaged_conversations }));
    setTile("containment", pct(d.containment_rate), fmt(t.contained, { n: d.contained }));
    setTile("handoff_rate", pct(d.handoff_rate), fmt(t.handedOff, { n: d.handed_off }));
    setTile("csat", d.csat.average === null ? dash : d.csat.average.toFixed(2) + " / 5", fmt(t.rated, { n: d.csat.rated }));
    setTile("wait", duration(d.wait.average_s), d.wait.count ? fmt(t.p50, { v: duration(d.wait.p50_s) }) : "");
    setTile("handle", duration(d.handle.average_s), d.handle.count ? fmt(t.p50, { v: duration(d.handle.p50_s) }) : "");
    setTile("fcr", pct(d.fcr.rate), fmt(t.resolved, { n: d.fcr.resolved, m: d.fcr.eligible }));
  }

  function fillTable(table, rows, show) {
    const tbody = table.querySelector("tbody");
    tbody.replaceChildren();
    if (!rows.length) {
      const tr = document.createElement("tr");
      const td = document.createElement("td");
      td.colSpan = 2;
      td.className = "empty";
      td.textContent = t.noData;
      tr.append(td);
      tbody.append(tr);
      return;
    }
    for (const row of rows) {
      const tr = document.createElement("tr");
      const what = document.createElement("td");
      const count = document.createElement("td");
      what.textContent = show(row.label);
      count.textContent = num(row.count);
      count.className = "num";
      tr.append(what, count);
      tbody.append(tr);
    }
  }

  // -- SVG charts ------------------------------------------------------------------------------
  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function niceMax(v) {
    if (v <= 4) return 4;
    const magnitude = Math.pow(10, Math.floor(Math.log10(v)));
    for (const step of [1, 2, 2.5, 5, 10]) {
      if (step * magnitude * 4 >= v) return step * magnitude * 4;
    }
    return v;
  }

  // Charts are drawn at the host's pixel width, so their text stays at the page's font size.
  function widthOf(host, fallback) {
    return Math.max(280, Math.round(host.getBoundingClientRect().width) || fallback);
  }

  function empty(host) {
    host.replaceChildren();
    const p = document.createElement("p");
    p.className = "empty";
    p.textContent = t.noData;
    host.append(p);
    host.dataset.rendered = "empty";
  }

  function drawDaily(host, days) {
    const W = widthOf(host, 720), H = 260, L = 40, R = 12, T = 28, B = 30;
    const top = Math.max(1, ...days.map((d) => Math.max(d.conversations, d.handoffs)));
    if (!days.length) return empty(host);
    const max = niceMax(top), pw = W - L - R, ph = H - T - B, n = days.length;
    const x = (i) => L + (pw * (i + 0.5)) / n;
    const y = (v) => T + ph - (ph * v) / max;
    const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", class: "plot", "aria-label": t.chartDaily });
    for (let k = 0; k <= 4; k++) {
      const v = (max / 4) * k;
      root.append(svg("line", { x1: L, x2: W - R, y1: y(v), y2: y(v), class: "grid" }));
      root.append(svg("text", { x: L - 6, y: y(v) + 4, class: "axis", "text-anchor": "end" }, String(Math.round(v * 10) / 10)));
    }
    const bw = Math.max(1, (pw / n) * 0.62);
    days.forEach((d, i) => {
      const bar = svg("rect", { x: x(i) - bw / 2, y: y(d.conversations), width: bw, height: Math.max(0, y(0) - y(d.conversations)), fill: COLORS.conv, class: "bar", "data-day": d.day, "data-value": d.conversations });
      bar.append(svg("title", {}, `${d.day}: ${t.legendConversations} ${d.conversations}, ${t.legendHandoffs} ${d.handoffs}`));
      root.append(bar);
    });
    const points = days.map((d, i) => `${x(i)},${y(d.handoffs)}`).join(" ");
    root.append(svg("polyline", { points, fill: "none", stroke: COLORS.hand, "stroke-width": 2.5, class: "line" }));
    if (n <= 62) days.forEach((d, i) => root.append(svg("circle", { cx: x(i), cy: y(d.handoffs), r: 3.2, fill: COLORS.hand })));
    const every = Math.ceil(n / Math.max(2, Math.floor(pw / 70)));
    days.forEach((d, i) => {
      const lastOne = i === n - 1 && (n - 1) % every >= every / 2;
      if (i % every === 0 || lastOne) root.append(svg("text", { x: x(i), y: H - 10, class: "axis", "text-anchor": "middle" }, d.day.slice(5)));
    });
    root.append(svg("rect", { x: L, y: 6, width: 12, height: 12, fill: COLORS.conv, rx: 2 }));
    root.append(svg("text", { x: L + 18, y: 16, class: "legend" }, t.legendConversations));
    root.append(svg("line", { x1: L + 130, x2: L + 150, y1: 12, y2: 12, stroke: COLORS.hand, "stroke-width": 3 }));
    root.append(svg("text", { x: L + 156, y: 16, class: "legend" }, t.legendHandoffs));
    host.replaceChildren(root);
    host.dataset.rendered = "chart";
  }

  function drawBars(host, items, note) {
    if (!items.length || items.every((it) => !it.value)) return empty(host);
    const W = widthOf(host, 420), rowH = 30, L = 150, R = 44, T = 8;
    const H = T * 2 + rowH * items.length + (note ? 18 : 0);
    const max = Math.max(...items.map((it) => it.value), 1);
    const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", class: "plot" });
    items.forEach((it, i) => {
      const yy = T + i * rowH;
      const w = ((W - L - R) * it.value) / max;
      root.append(svg("text", { x: L - 8, y: yy + rowH / 2 + 4, class: "axis", "text-anchor": "end" }, it.label));
      const bar = svg("rect", { x: L, y: yy + 5, width: Math.max(it.value ? 2 : 0, w), height: rowH - 10, rx: 3, fill: it.color, class: "bar", "data-value": it.value });
      bar.append(svg("title", {}, `${it.label}: ${it.value}`));
      root.append(bar);
      root.append(svg("text", { x: L + w + 6, y: yy + rowH / 2 + 4, class: "value-label" }, String(it.value)));
    });
    if (note) root.append(svg("text", { x: L, y: H - 6, class: "axis" }, note));
    host.replaceChildren(root);
    host.dataset.rendered = "chart";
  }

  function drawColumns(host, items) {
    if (items.every((it) => !it.value)) return empty(host);
    const W = widthOf(host, 420), H = 200, L = 16, R = 16, T = 22, B = 26;
    const max = Math.max(...items.map((it) => it.value), 1);
    const slot = (W - L - R) / items.length, bw = Math.min(72, slot * 0.6), ph = H - T - B;
    const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", class: "plot" });
    root.append(svg("line", { x1: L, x2: W - R, y1: T + ph, y2: T + ph, class: "grid" }));
    items.forEach((it, i) => {
      const h = (ph * it.value) / max, cx = L + slot * (i + 0.5);
      const bar = svg("rect", { x: cx - bw / 2, y: T + ph - h, width: bw, height: h, rx: 3, fill: it.color, class: "bar", "data-value": it.value });
      bar.append(svg("title", {}, `${it.label}: ${it.value}`));
      root.append(bar);
      root.append(svg("text", { x: cx, y: T + ph - h - 6, class: "value-label", "text-anchor": "middle" }, String(it.value)));
      root.append(svg("text", { x: cx, y: H - 8, class: "axis", "text-anchor": "middle" }, it.label));
    });
    host.replaceChildren(root);
    host.dataset.rendered = "chart";
  }

  // -- events ----------------------------------------------------------------------------------
  function setUp() {
    const packs = (body.dataset.packs || "").split(",").filter(Boolean);
    for (const name of packs) {
      const option = document.createElement("option");
      option.value = name;
      option.textContent = name;
      $("pack").append(option);
    }
    applyStrings();
    $("login-form").addEventListener("submit", (ev) => {
      ev.preventDefault();
      const token = $("token").value.trim();
      if (!token) return;
      sessionStorage.setItem(TOKEN_KEY, token);
      $("token").value = "";
      load();
    });
    $("filters").addEventListener("submit", (ev) => {
      ev.preventDefault();
      load();
    });
    document.querySelectorAll("[data-days]").forEach((button) => {
      button.addEventListener("click", () => {
        const end = $("to").value ? new Date($("to").value + "T00:00:00") : new Date();
        const start = new Date(end);
        start.setDate(end.getDate() - Number(button.dataset.days) + 1);
        $("from").value = isoDay(start);
        $("to").value = isoDay(end);
        load();
      });
    });
    $("logout").addEventListener("click", () => {
      sessionStorage.removeItem(TOKEN_KEY);
      last = null;
      showLogin("");
    });
    $("lang-toggle").addEventListener("click", () => {
      lang = lang === "zh" ? "en" : "zh";
      sessionStorage.setItem(LANG_KEY, lang);
      body.dataset.lang = "";
      applyStrings();
      if (last) render(last);
    });
    $("error-dismiss").addEventListener("click", () => showError(""));
    let resizing = 0;
    window.addEventListener("resize", () => {
      clearTimeout(resizing);
      resizing = setTimeout(() => { if (last && !$("board").hidden) drawCharts(last); }, 150);
    });
    if (sessionStorage.getItem(TOKEN_KEY)) load();
    else showLogin("");
  }

  setUp();
})();
