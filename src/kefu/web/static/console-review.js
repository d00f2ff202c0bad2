/* kefu agent console: the review queue (replies an output rail held for a human).
 *
 *   GET  /v1/review                       -> {items: [{id, conversation_id, pack, lang, text, risk, reasons,
 *                                                      customer_message, created_at, ...}]}
 *   POST /v1/review/{id}/approve {text?}  -> the held (or edited) reply goes to the customer
 *   POST /v1/review/{id}/reject {reason?} -> the customer is told a human follows up; conversation queued
 * console.js owns sign-in, the live feed and the tabs; it calls refresh() on "review" feed events and on
 * its poll. Cards are keyed by item id and kept across refreshes, so a half-typed edit survives.
 * Server text only ever goes into the DOM with textContent.
 */
(() => {
  "use strict";

  function create(ctx) {
    const list = document.getElementById("review-list");
    const empty = document.getElementById("review-empty");
    const cards = new Map(); // item id -> {li, item, mode: "view"|"edit"|"reject", busy}
    let items = [];
    let inFlight = null;
    let again = false;
    let generation = 0; // bumped by stop(): answers of an old session are dropped

    const s = () => ctx.strings();

    function el(tag, className, text) {
      const node = document.createElement(tag);
      if (className) node.className = className;
      if (text !== undefined && text !== null) node.textContent = String(text);
      return node;
    }

    function button(className, label, action) {
      const b = el("button", className, label);
      b.type = "button";
      b.dataset.action = action;
      return b;
    }

    function riskLevel(risk) {
      return risk >= 0.8 ? "high" : risk >= 0.5 ? "medium" : "low";
    }

    function refresh() {
      if (inFlight) {
        again = true;
        return inFlight;
      }
      const gen = generation;
      inFlight = ctx
        .api("GET", "/v1/review")
        .then((data) => {
          if (gen !== generation) return;
          items = Array.isArray(data.items) ? data.items.filter((i) => i && Number.isInteger(i.id)) : [];
          reconcile();
        })
        .catch((err) => {
          if (gen === generation) ctx.showError(s().loadFailed, err);
        })
        .finally(() => {
          inFlight = null;
          if (again && gen === generation) {
            again = false;
            refresh();
          }
        });
      return inFlight;
    }

    /** Add new cards (in id order), drop decided ones, leave the others (and their drafts) alone. */
    function reconcile() {
      const ids = new Set(items.map((i) => i.id));
      for (const [id, card] of cards) {
        if (!ids.has(id)) {
          card.li.remove();
          cards.delete(id);
        }
      }
      for (const item of items) {
        if (cards.has(item.id)) continue;
        const card = { li: null, item, mode: "view", busy: false, draft: String(item.text || ""), reason: "" };
        card.li = renderCard(card);
        cards.set(item.id, card);
        let before = null;
        for (const node of list.children) {
          if (Number(node.dataset.reviewId) > item.id) {
            before = node;
            break;
          }
        }
        list.insertBefore(card.li, before);
      }
      empty.hidden = items.length > 0;
      ctx.onCount(items.length);
    }

    /** Rebuild every card (language switch); drafts and modes are kept in `cards`. */
    function render() {
      for (const card of cards.values()) {
        const fresh = renderCard(card);
        card.li.replaceWith(fresh);
        card.li = fresh;
      }
      empty.hidden = items.length > 0;
    }

    function renderCard(card) {
      const t = s();
      const item = card.item;
      const risk = Number(item.risk) || 0;
      const li = el("li", `review-item risk-${riskLevel(risk)}`);
      li.dataset.reviewId = String(item.id);
      li.dataset.conversationId = String(item.conversation_id);
      li.dataset.mode = card.mode;
      if (item.lang === "zh" || item.lang === "en") li.lang = item.lang === "zh" ? "zh-CN" : "en";

      const top = el("div", "item-top");
      const badge = el("span", `badge risk ${riskLevel(risk)}`, t.risk(risk.toFixed(2)));
      badge.dataset.risk = String(risk);
      top.appendChild(badge);
      top.appendChild(el("span", "tag", item.pack));
      top.appendChild(el("span", "tag lang-tag", ctx.langName(item.lang)));
      top.appendChild(el("span", "wait", ctx.fmtDateTime(item.created_at)));
      const openBtn = button("ghost link review-open", t.open, "open");
      top.appendChild(openBtn);
      li.appendChild(top);

      li.appendChild(el("div", "review-label", t.asked));
      li.appendChild(el("div", "quote review-question", item.customer_message || t.none));
      li.appendChild(el("div", "review-label", t.held));
      li.appendChild(el("div", "bubble review-text", item.text));

      const reasons = Array.isArray(item.reasons) ? item.reasons : [];
      const reasonList = el("div", "suggestions review-reasons");
      reasonList.setAttribute("aria-label", t.reasons);
      for (const r of reasons.slice(0, 12)) reasonList.appendChild(el("span", "chip", r));
      if (reasons.length) li.appendChild(reasonList);

      if (card.mode === "edit") {
        const area = el("textarea", "review-draft");
        area.rows = 4;
        area.maxLength = 100000;
        area.value = card.draft;
        area.setAttribute("aria-label", t.editLabel);
        area.addEventListener("input", () => {
          card.draft = area.value;
          syncButtons(card);
        });
        li.appendChild(area);
      } else if (card.mode === "reject") {
        const input = el("input", "review-reason");
        input.type = "text";
        input.maxLength = 500;
        input.value = card.reason;
        input.placeholder = t.reasonPlaceholder;
        input.setAttribute("aria-label", t.reasonPlaceholder);
        input.addEventListener("input", () => {
          card.reason = input.value;
        });
        li.appendChild(input);
      }

      const actions = el("div", "actions review-actions");
      if (card.mode === "edit") {
        actions.append(
          button("primary review-approve-edited", t.approveEdited, "approve-edited"),
          button("review-cancel", t.cancel, "cancel"),
        );
      } else if (card.mode === "reject") {
        actions.append(
          button("danger review-confirm-reject", t.confirmReject, "confirm-reject"),
          button("review-cancel", t.cancel, "cancel"),
        );
      } else {
        actions.append(
          button("primary review-approve", t.approve, "approve"),
          button("review-edit", t.edit, "edit"),
          button("danger review-reject", t.reject, "reject"),
        );
      }
      li.appendChild(actions);
      li.addEventListener("click", (event) => {
        const b = event.target.closest("button[data-action]");
        if (b && !b.disabled) act(card, b.dataset.action);
      });
      syncButtons(card, li);
      return li;
    }

    function syncButtons(card, li) {
      const node = li || card.li;
      for (const b of node.querySelectorAll("button[data-action]")) {
        b.disabled = card.busy || (b.dataset.action === "approve-edited" && !card.draft.trim());
      }
      node.classList.toggle("busy", card.busy);
    }

    function setMode(card, mode) {
      card.mode = mode;
      const fresh = renderCard(card);
      card.li.replaceWith(fresh);
      card.li = fresh;
      const field = fresh.querySelector("textarea, input");
      if (field) field.focus();
    }

    async function act(card, action) {
      if (action === "open") return ctx.openConversation(String(card.item.conversation_id));
      if (action === "edit") return setMode(card, "edit");
      if (action === "reject") return setMode(card, "reject");
      if (action === "cancel") return setMode(card, "view");
      const id = card.item.id;
      let path;
      let payload;
      if (action === "approve") {
        path = `/v1/review/${id}/approve`;
      } else if (action === "approve-edited") {
        path = `/v1/review/${id}/approve`;
        payload = { text: card.draft.trim() };
      } else if (action === "confirm-reject") {
        path = `/v1/review/${id}/reject`;
        payload = card.reason.trim() ? { reason: card.reason.trim() } : undefined;
      } else {
        return undefined;
      }
      const gen = generation;
      card.busy = true;
      syncButtons(card);
      try {
        await ctx.api("POST", path, payload);
        ctx.hideError();
      } catch (err) {
        if (gen !== generation) return undefined;
        const t = s();
        ctx.showError(action === "confirm-reject" ? t.rejectFailed : t.approveFailed, err);
      } finally {
        card.busy = false;
        if (card.li.isConnected) syncButtons(card);
      }
      return refresh();
    }

    function stop() {
      generation += 1;
      items = [];
      cards.clear();
      list.replaceChildren();
      empty.hidden = false;
      ctx.onCount(0);
    }

    return { refresh, render, stop };
  }

  window.KefuConsoleReview = { create };
})();
