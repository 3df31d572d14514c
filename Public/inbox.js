// The inbox, enhanced: keys to move through the list and work it (j, k, e, r, ?), the list
// swapped in place when the server says the inbox changed (server-sent events from Trestle
// itself), and on an item's page the reply box's live counter and the saved-reply picker.
// Every button and link works without it.
(() => {
  "use strict";
  const inbox = document.getElementById("inbox");
  if (inbox) enhanceList(inbox);
  const replyForm = document.getElementById("reply-form");
  if (replyForm) enhanceReply(replyForm);

  // A picture that does not load (its server is gone) gives way to the author's initial, or
  // to nothing where the name beside it is enough.
  function showInitial(image) {
    if (!image.dataset.initial) { image.remove(); return; }
    const initial = document.createElement("span");
    initial.className = "avatar initial";
    initial.setAttribute("aria-hidden", "true");
    initial.textContent = image.dataset.initial || "";
    image.replaceWith(initial);
  }
  document.addEventListener("error", (event) => {
    if (event.target instanceof HTMLImageElement && event.target.matches("img.avatar")) showInitial(event.target);
  }, true);
  document.querySelectorAll("img.avatar").forEach((image) => { if (image.complete && image.naturalWidth === 0) showInitial(image); });

  function isTyping(element) {
    return !!element && (element.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(element.tagName));
  }

  function enhanceList(inbox) {
    const status = document.getElementById("inbox-status");
    const keys = document.getElementById("inbox-keys");
    const items = () => [...inbox.querySelectorAll(".inbox-item")];
    const focusedItem = () => (document.activeElement && inbox.contains(document.activeElement) ? document.activeElement.closest(".inbox-item") : null);
    // The item the keys act on, remembered across a refresh of the list.
    let currentID = null;
    inbox.addEventListener("focusin", (event) => {
      const item = event.target.closest(".inbox-item");
      if (item) currentID = item.id;
    });

    function announce(text) {
      status.textContent = "";
      // A change of text after a moment is what screen readers announce.
      setTimeout(() => { status.textContent = text; }, 50);
    }

    function focus(item) {
      item.focus({ preventScroll: true });
      item.scrollIntoView({ block: "nearest" });
    }

    function move(step) {
      const all = items();
      if (!all.length) return;
      const at = all.indexOf(focusedItem());
      const index = at === -1 ? (step > 0 ? 0 : all.length - 1) : Math.min(all.length - 1, Math.max(0, at + step));
      focus(all[index]);
    }

    async function markDone(item) {
      const form = item.querySelector(".state-form");
      if (!form || form.elements.state.value !== "done") return;
      const response = await fetch(form.action, {
        method: "POST", body: new URLSearchParams(new FormData(form)), redirect: "manual", headers: { "X-CSRF-Token": inbox.dataset.csrf },
      });
      // A form post answers with a redirect back to the list; anything else went wrong.
      if (response.type !== "opaqueredirect" && !response.ok) {
        announce("The item could not be marked done. Reload the page and try again.");
        return;
      }
      announce("Marked done.");
      await refresh(items().indexOf(item));
    }

    let refreshing = null;
    let again = false;
    // Fetches the list as the server renders it now and swaps it in, keeping the focus on the
    // same item (or the one now at its place, when it left the list).
    async function refresh(indexHint) {
      if (refreshing) { again = true; return refreshing; }
      refreshing = (async () => {
        try {
          const had = focusedItem();
          const id = had ? had.id : currentID;
          const index = indexHint !== undefined ? indexHint : items().findIndex((item) => item.id === id);
          const response = await fetch(inbox.dataset.fragmentUrl, { headers: { Accept: "text/html" }, cache: "no-store" });
          if (!response.ok) return;
          const html = await response.text();
          const known = new Set(items().map((item) => item.id));
          inbox.innerHTML = html;
          if (window.trestleLocalTimes) window.trestleLocalTimes(inbox);
          const fresh = items().filter((item) => !known.has(item.id)).length;
          if (fresh) announce(fresh === 1 ? "A new message in the inbox." : fresh + " new messages in the inbox.");
          if (had || indexHint !== undefined) {
            const all = items();
            const target = document.getElementById(id) || all[Math.min(Math.max(index, 0), all.length - 1)];
            if (target) focus(target);
          }
        } finally {
          refreshing = null;
        }
      })();
      await refreshing;
      if (again) { again = false; await refresh(); }
    }

    document.addEventListener("keydown", (event) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      const item = focusedItem();
      switch (event.key) {
        case "j": move(1); break;
        case "k": move(-1); break;
        case "e": if (!item) return; markDone(item); break;
        case "r": if (!item) return; location.href = item.dataset.url + "#reply"; break;
        case "?": keys.classList.toggle("shown"); break;
        default: return;
      }
      event.preventDefault();
    });

    function showUnread(unread) {
      const badge = document.getElementById("inbox-unread");
      const count = document.getElementById("inbox-unread-count");
      if (!badge || !count) return;
      count.textContent = String(unread);
      badge.hidden = unread === 0;
    }

    // A shared link names only the filters chosen: empty fields stay out of the address.
    const filters = document.getElementById("inbox-filters");
    if (filters) {
      filters.addEventListener("submit", () => {
        filters.querySelectorAll("select").forEach((select) => { select.disabled = select.value === "" || (select.name === "state" && select.value === "open"); });
        setTimeout(() => filters.querySelectorAll("select").forEach((select) => { select.disabled = false; }), 0);
      });
    }

    if (window.EventSource && inbox.dataset.eventsUrl) {
      const events = new EventSource(inbox.dataset.eventsUrl);
      events.addEventListener("inbox", (event) => {
        try {
          const unread = JSON.parse(event.data).unread;
          if (Number.isInteger(unread)) showUnread(unread);
        } catch (_) { /* a malformed event still refreshes the list */ }
        refresh();
      });
      // The browser reconnects by itself after an error; nothing to do here but not leak.
      window.addEventListener("pagehide", () => events.close());
    }
  }

  function enhanceReply(form) {
    const area = document.getElementById("reply-text");
    const counter = document.getElementById("reply-counter");
    const { checkUrl, csrf, channel } = form.dataset;
    const prefix = form.dataset.prefix || "";
    const suffix = form.dataset.suffix || "";
    let timer = null;
    let sequence = 0;

    // Counts what will be sent — the answer with what the network adds — by the channel's own
    // rules, through the composer's check.
    async function check() {
      const mine = ++sequence;
      try {
        const response = await fetch(checkUrl, {
          method: "POST",
          headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf, Accept: "application/json" },
          body: JSON.stringify({ text: prefix + area.value + suffix, channels: [channel] }),
        });
        if (!response.ok) throw new Error(String(response.status));
        const result = (await response.json()).results[channel];
        if (mine !== sequence || !result) return;
        const written = area.value.trim() !== "";
        const problems = written ? result.problems.map((problem) => problem.message) : [];
        counter.textContent = result.length + " / " + result.limit + (problems.length ? " — " + problems.join(" ") : "");
        counter.classList.toggle("over", written && !result.valid);
      } catch (_) {
        if (mine === sequence) counter.textContent = "The answer could not be counted just now; it is checked again when sent.";
      }
    }

    area.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(check, 150);
    });

    const picker = document.getElementById("saved-picker");
    if (picker) {
      const select = picker.querySelector("select");
      const use = () => {
        const option = select.selectedOptions[0];
        if (!option) return;
        area.value = option.dataset.text;
        area.focus();
        check();
      };
      picker.addEventListener("submit", (event) => { event.preventDefault(); use(); });
      // Choosing one fills an empty box at once; a box already written in waits for "Use it".
      select.addEventListener("change", () => { if (!area.value.trim()) use(); });
    }
    // Opened with r from the list: straight to typing, once the browser has scrolled to it.
    if (location.hash === "#reply") {
      if (document.readyState === "complete") area.focus();
      else window.addEventListener("load", () => area.focus(), { once: true });
    }
    check();
  }
})();
