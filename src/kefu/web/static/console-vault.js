/* kefu agent console: the personal values a conversation's transcript shows as placeholders.
 *
 *   GET  /v1/agent/conversations/{id}/vault                        -> {entries: [{id, kind, created_at}]}
 *   POST /v1/agent/conversations/{id}/vault/{entry}/reveal {purpose} -> {id, kind, value}   (audited)
 *
 * console.js calls show(id) when a conversation opens or new customer messages arrive, and clear() when
 * it closes. A value is fetched only when the agent gives a purpose and presses Reveal; every reveal is
 * written to the audit log on the server. Server text only ever goes into the DOM with textContent.
 */
(() => {
  "use strict";

  function create(ctx) {
    const box = document.getElementById("vault");
    let current = null;
    let generation = 0; // bumped by clear(): answers about an older conversation are dropped
    const revealed = new Map(); // entry id -> value, for the open conversation only

    const s = () => ctx.strings();

    function el(tag, className, text) {
      const node = document.createElement(tag);
      if (className) node.className = className;
      if (text !== undefined && text !== null) node.textContent = String(text);
      return node;
    }

    function clear() {
      generation += 1;
      current = null;
      revealed.clear();
      box.replaceChildren();
      box.hidden = true;
    }

    function show(id) {
      if (!id) return clear();
      if (id !== current) clear();
      current = id;
      const mine = generation;
      ctx
        .api("GET", `/v1/agent/conversations/${encodeURIComponent(id)}/vault`)
        .then((data) => {
          if (mine === generation) render(id, Array.isArray(data.entries) ? data.entries : []);
        })
        .catch(() => {
          /* the panel is optional: a failed listing shows nothing */
        });
    }

    function reveal(id, entry, purpose, row) {
      const why = purpose.value.trim();
      if (!why) {
        purpose.focus();
        return;
      }
      const mine = generation;
      const button = row.querySelector("button");
      button.disabled = true;
      const path = `/v1/agent/conversations/${encodeURIComponent(id)}/vault/${encodeURIComponent(entry.id)}/reveal`;
      ctx
        .api("POST", path, { purpose: why })
        .then((data) => {
          if (mine !== generation) return;
          revealed.set(entry.id, String(data.value));
          row.replaceWith(entryRow(id, entry));
        })
        .catch((err) => {
          button.disabled = false;
          ctx.showError(s().failed, err);
        });
    }

    function entryRow(id, entry) {
      const row = el("div", "vault-entry");
      row.dataset.entry = entry.id;
      row.appendChild(el("span", "vault-kind", s().kinds[entry.kind] || entry.kind));
      if (revealed.has(entry.id)) {
        row.appendChild(el("span", "vault-value", revealed.get(entry.id)));
        return row;
      }
      row.appendChild(el("span", "vault-value", "••••"));
      const purpose = el("input", "vault-purpose");
      purpose.placeholder = s().purpose;
      purpose.maxLength = 200;
      purpose.setAttribute("aria-label", s().purpose);
      purpose.addEventListener("keydown", (event) => {
        if (event.key === "Enter") reveal(id, entry, purpose, row);
      });
      const button = el("button", "vault-reveal", s().reveal);
      button.type = "button";
      button.addEventListener("click", () => reveal(id, entry, purpose, row));
      row.append(purpose, button);
      return row;
    }

    function render(id, entries) {
      box.replaceChildren();
      if (!entries.length) {
        box.hidden = true;
        return;
      }
      box.appendChild(el("div", "vault-label", s().title));
      box.appendChild(el("p", "hint", s().hint));
      for (const entry of entries) box.appendChild(entryRow(id, entry));
      box.hidden = false;
    }

    return { show, clear };
  }

  window.KefuConsoleVault = { create };
})();
