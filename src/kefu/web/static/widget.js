/* kefu embeddable chat widget.
 *
 * Paste into any page:
 *   <script src="https://kefu.example.com/widget.js" data-pack="retail" data-lang="zh" async></script>
 * Optional attributes: data-color="#1f6feb" (button colour), data-title="..." (iframe/button label).
 * Adds a round button in the bottom-right corner; clicking it toggles an iframe with the chat page
 * (<kefu base>/?embed=1&pack=..&lang=..).  Styles live in a shadow root so the host page's CSS cannot
 * break the widget and ours cannot leak out.  window.KefuWidget exposes open() / close() / toggle().
 */
(() => {
  "use strict";

  const script = document.currentScript;
  if (!script || !script.src || window.KefuWidget) return;

  const scriptUrl = new URL(script.src, window.location.href);
  const data = script.dataset;
  const pack = /^[a-z0-9][a-z0-9_-]{0,63}$/i.test(data.pack || "") ? data.pack : "retail";
  const lang = data.lang === "zh" || data.lang === "en" ? data.lang : "";
  const uiLang =
    lang || (String(navigator.language || "").toLowerCase().startsWith("zh") ? "zh" : "en");
  const labels = {
    zh: { open: "在线客服", close: "关闭客服窗口" },
    en: { open: "Chat with customer service", close: "Close chat" },
  }[uiLang];
  const title = data.title || labels.open;
  const color = data.color && window.CSS && CSS.supports("color", data.color) ? data.color : "#1f6feb";

  // The chat page lives next to widget.js: "<origin>/" normally, "<origin>/prefix/" behind a sub-path proxy.
  const chatUrl = new URL("./", scriptUrl);
  chatUrl.searchParams.set("embed", "1");
  chatUrl.searchParams.set("pack", pack);
  if (lang) chatUrl.searchParams.set("lang", lang);

  const host = document.createElement("div");
  host.id = "kefu-widget";
  host.style.cssText = "all: initial; position: static;";
  const root = host.attachShadow({ mode: "open" });

  const style = document.createElement("style");
  style.textContent = `
    :host { all: initial; }
    .kefu-button {
      position: fixed; right: 20px; bottom: 20px; z-index: 2147483001;
      width: 56px; height: 56px; padding: 0; border: none; border-radius: 50%;
      background: var(--kefu-color); color: #fff; cursor: pointer;
      display: grid; place-items: center;
      box-shadow: 0 4px 14px rgba(0, 0, 0, 0.25);
      transition: transform 0.15s ease;
    }
    .kefu-button:hover { transform: scale(1.06); }
    .kefu-button:focus-visible { outline: 3px solid rgba(31, 111, 235, 0.45); outline-offset: 3px; }
    .kefu-button svg { width: 28px; height: 28px; pointer-events: none; }
    .kefu-button .icon-close { display: none; }
    .kefu-button[aria-expanded="true"] .icon-chat { display: none; }
    .kefu-button[aria-expanded="true"] .icon-close { display: block; }
    .kefu-panel {
      position: fixed; right: 20px; bottom: 88px; z-index: 2147483000;
      width: 360px; height: 560px; max-width: calc(100vw - 40px); max-height: calc(100vh - 108px);
      border: none; border-radius: 12px; overflow: hidden; background: #fff;
      box-shadow: 0 10px 40px rgba(0, 0, 0, 0.28);
    }
    .kefu-panel[hidden] { display: none; }
    .kefu-panel iframe { display: block; width: 100%; height: 100%; border: 0; }
    @media (max-width: 480px), (max-height: 600px) {
      .kefu-panel {
        inset: 0; right: 0; bottom: 0; width: 100%; height: 100%;
        max-width: none; max-height: none; border-radius: 0;
      }
      .kefu-button[aria-expanded="true"] {
        top: 8px; right: 8px; bottom: auto; width: 40px; height: 40px;
        background: rgba(0, 0, 0, 0.35); box-shadow: none;
      }
      .kefu-button[aria-expanded="true"] svg { width: 22px; height: 22px; }
    }
    @media (prefers-reduced-motion: reduce) { .kefu-button { transition: none; } }
  `;
  root.appendChild(style);

  const button = document.createElement("button");
  button.type = "button";
  button.className = "kefu-button";
  button.id = "kefu-widget-button";
  button.style.setProperty("--kefu-color", color);
  button.setAttribute("aria-label", title);
  button.setAttribute("aria-expanded", "false");
  button.setAttribute("aria-controls", "kefu-widget-panel");
  button.title = title;
  // Static markup only (no page or user data is interpolated here).
  button.innerHTML =
    '<svg class="icon-chat" viewBox="0 0 24 24" aria-hidden="true"><path fill="currentColor" ' +
    'd="M12 3C6.5 3 2 6.9 2 11.7c0 2.6 1.3 4.9 3.4 6.5L4.6 21l3.4-1.7c1.2.4 2.6.6 4 .6 5.5 0 10-3.9 ' +
    '10-8.7S17.5 3 12 3Zm-4 9.9a1.2 1.2 0 1 1 0-2.4 1.2 1.2 0 0 1 0 2.4Zm4 0a1.2 1.2 0 1 1 0-2.4 1.2 1.2 ' +
    '0 0 1 0 2.4Zm4 0a1.2 1.2 0 1 1 0-2.4 1.2 1.2 0 0 1 0 2.4Z"/></svg>' +
    '<svg class="icon-close" viewBox="0 0 24 24" aria-hidden="true"><path fill="none" stroke="currentColor" ' +
    'stroke-width="2.4" stroke-linecap="round" d="M6 6l12 12M18 6 6 18"/></svg>';

  const panel = document.createElement("div");
  panel.className = "kefu-panel";
  panel.id = "kefu-widget-panel";
  panel.hidden = true;

  let iframe = null;

  function open() {
    if (!iframe) {
      // Created lazily: the chat (and its conversation) only starts when the visitor asks for it.
      iframe = document.createElement("iframe");
      iframe.id = "kefu-widget-frame";
      iframe.title = title;
      iframe.src = chatUrl.toString();
      iframe.setAttribute("allow", "clipboard-write");
      iframe.setAttribute("referrerpolicy", "no-referrer");
      panel.appendChild(iframe);
    }
    panel.hidden = false;
    button.setAttribute("aria-expanded", "true");
    button.setAttribute("aria-label", labels.close);
    button.title = labels.close;
  }

  function close() {
    panel.hidden = true;
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-label", title);
    button.title = title;
  }

  function toggle() {
    if (panel.hidden) open();
    else close();
  }

  button.addEventListener("click", toggle);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !panel.hidden) {
      close();
      button.focus();
    }
  });

  root.appendChild(panel);
  root.appendChild(button);

  function mount() {
    (document.body || document.documentElement).appendChild(host);
  }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount, { once: true });

  window.KefuWidget = { open, close, toggle, url: chatUrl.toString() };
})();
