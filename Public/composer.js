// The composer's live counters: each chosen channel's (and previewed network's) count, limit,
// problems and a preview with its links, mentions and tags marked, from the server's own rules
// (POST …/compose/check). A target's `key` is a channel id or a network name.
(() => {
  "use strict";
  const form = document.getElementById("composer");
  if (!form) return;

  const checkURL = form.dataset.checkUrl;
  const csrf = form.dataset.csrf;
  // A chosen time is the viewer's own: the server reads it in this zone.
  const zone = document.getElementById("schedule-zone");
  if (zone) zone.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  const boxes = [...form.querySelectorAll("input[data-key]")];
  const otherNetworks = form.querySelector("details.other-networks");
  const parts = document.getElementById("parts");
  const tabs = document.getElementById("tabs");
  const panels = document.getElementById("panels");
  const verdict = document.getElementById("verdict");
  const threadNote = document.getElementById("thread-note");
  const mediaBox = form.querySelector(".media");
  const mediaList = document.getElementById("media-list");
  const mediaError = document.getElementById("media-error");
  const mediaIDs = () => [...mediaList.querySelectorAll("li")].map((item) => item.dataset.id);
  const variants = JSON.parse(form.dataset.variants || "{}");
  // A target with its own text is shown, so reopening a draft loses nothing.
  boxes.forEach((box) => { if (variants[box.dataset.key]) box.checked = true; });
  if (otherNetworks && boxes.some((box) => box.name === "networks" && box.checked)) otherNetworks.open = true;
  const hasChannels = boxes.some((box) => box.name === "channels[]");
  let current = null;
  let sequence = 0;
  let timer = null;

  const selected = () => boxes.filter((box) => box.checked).map((box) => ({
    key: box.dataset.key, network: box.dataset.network, channel: box.name === "channels[]", reconnect: box.dataset.reconnect === "true",
    name: box.dataset.name, limit: Number(box.dataset.limit), threads: box.dataset.threads === "true",
  }));
  const partTexts = () => [...parts.querySelectorAll(".part-text")].map((area) => area.value);

  // What a target will publish (PostContent on the server): its own version if written, else
  // its network's, else the parts — as a thread where the network has threads, joined into
  // one post where it has not.
  function textsFor(network) {
    const own = [variants[network.key], variants[network.network]].find((text) => text && text.trim());
    if (own) return [own];
    const texts = partTexts();
    return network.threads || texts.length === 1 ? texts : [texts.join("\n\n")];
  }

  function buildTabs() {
    const networks = selected();
    if (!networks.some((n) => n.key === current)) current = networks.length ? networks[0].key : null;
    tabs.replaceChildren();
    panels.replaceChildren();
    for (const network of networks) {
      const tab = document.createElement("button");
      tab.type = "button";
      tab.id = "tab-" + network.key;
      tab.className = "tab";
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-controls", "panel-" + network.key);
      tab.setAttribute("aria-selected", String(network.key === current));
      const count = document.createElement("span");
      count.className = "count";
      tab.append(network.name + " ", count);
      tab.tabIndex = network.key === current ? 0 : -1;
      tab.addEventListener("click", () => { current = network.key; buildTabs(); refresh(); });
      // Arrow keys move between tabs, as in any tab list.
      tab.addEventListener("keydown", (event) => {
        const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
        if (!step) return;
        const ids = selected().map((n) => n.key);
        current = ids[(ids.indexOf(network.key) + step + ids.length) % ids.length];
        buildTabs();
        refresh();
        document.getElementById("tab-" + current).focus();
      });
      tabs.append(tab);

      const panel = document.createElement("div");
      panel.id = "panel-" + network.key;
      panel.className = "panel";
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", tab.id);
      panel.hidden = network.key !== current;
      const label = document.createElement("label");
      label.htmlFor = "variant-" + network.key;
      label.textContent = network.name + " version (optional)";
      const area = document.createElement("textarea");
      area.id = "variant-" + network.key;
      area.name = "variants[" + network.key + "]";
      area.rows = 3;
      area.placeholder = "Same as the text above";
      area.value = variants[network.key] || "";
      area.addEventListener("input", () => { variants[network.key] = area.value; soon(); });
      const counter = document.createElement("p");
      counter.className = "counter";
      const previews = document.createElement("div");
      previews.className = "previews";
      const problems = document.createElement("ul");
      problems.className = "problems";
      panel.append(label, area, counter, previews, problems);
      panels.append(panel);
    }
    threadNote.hidden = partTexts().length < 2;
  }

  // Links that go out as short links are counted as such, as the server will count them.
  function shortens() {
    const box = document.getElementById("shorten-links");
    return box ? box.checked : false;
  }

  async function check(text, targets) {
    const networks = targets.filter((t) => !t.channel).map((t) => t.key);
    const channels = targets.filter((t) => t.channel).map((t) => t.key);
    const response = await fetch(checkURL, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf, Accept: "application/json" },
      body: JSON.stringify({ text, networks, channels, media: mediaIDs(), shortenLinks: shortens() }),
    });
    if (!response.ok) throw new Error(await errorMessage(response));
    return (await response.json()).results;
  }

  async function refresh() {
    const networks = selected();
    const mine = ++sequence;
    const jobs = new Map();
    for (const network of networks) {
      for (const text of textsFor(network)) {
        if (!jobs.has(text)) jobs.set(text, new Map());
        jobs.get(text).set(network.key, network);
      }
    }
    const answers = new Map();
    try {
      await Promise.all([...jobs].map(async ([text, targets]) => answers.set(text, await check(text, [...targets.values()]))));
    } catch (error) {
      verdict.textContent = "The text could not be checked: " + error.message;
      verdict.className = "error";
      return;
    }
    if (mine === sequence) render(networks, answers);
  }

  function render(networks, answers) {
    const problems = [];
    for (const network of networks) {
      const texts = textsFor(network);
      const checks = texts.map((text) => answers.get(text)[network.key]);
      const longest = Math.max(...checks.map((c) => c.length));
      const fits = checks.every((c) => c.valid) && texts.every((t) => t.trim());
      // Media problems concern the whole post: show them once, not per part.
      checks.slice(1).forEach((c) => { c.problems = c.problems.filter((p) => p.code !== "media"); });
      const label = (texts.length > 1 ? texts.length + " parts · " : "") + longest + " / " + checks[0].limit;
      const tab = document.getElementById("tab-" + network.key);
      tab.querySelector(".count").textContent = label;
      tab.classList.toggle("over", !fits);
      const panel = document.getElementById("panel-" + network.key);
      const counter = panel.querySelector(".counter");
      counter.textContent = label;
      counter.classList.toggle("over", !fits);
      panel.querySelector(".previews").replaceChildren(...texts.map((text, i) => preview(text, checks[i], network.network)));
      const list = panel.querySelector(".problems");
      list.replaceChildren();
      texts.forEach((text, i) => {
        const prefix = texts.length > 1 ? "Part " + (i + 1) + ": " : "";
        const messages = text.trim() ? checks[i].problems.map((p) => p.message) : ["Write something to post."];
        for (const message of messages) {
          const item = document.createElement("li");
          item.textContent = prefix + message;
          list.append(item);
          problems.push(network.name + " — " + prefix + message);
        }
      });
    }
    const channels = networks.filter((n) => n.channel);
    channels.filter((n) => n.reconnect).forEach((n) => problems.push(n.name + " — needs reconnecting under Channels."));
    if (!networks.length) problems.push(hasChannels ? "Choose at least one channel." : "Choose at least one network.");
    // Scheduling asks this same verdict before it lets a post go; only channels can be scheduled.
    const ready = problems.length === 0 && channels.length > 0;
    verdict.dataset.ready = String(ready);
    if (problems.length) {
      verdict.textContent = "Not ready to schedule: " + problems.join(" ");
    } else if (ready) {
      verdict.textContent = "Ready: fits every chosen channel" + (channels.length < networks.length ? " and network." : ".");
    } else {
      verdict.textContent = "Fits every chosen network. " + (hasChannels ? "Choose a channel to schedule it." : "Connect a channel to schedule it.");
    }
    verdict.className = problems.length ? "error" : "notice";
  }

  // Marks links, mentions and tags. Bluesky's facets count UTF-8 bytes, the others code points.
  function preview(text, check, network) {
    const points = Array.from(text);
    let ranges;
    if (network === "bluesky") {
      const encoder = new TextEncoder();
      const pointAtByte = new Map();
      let byte = 0;
      points.forEach((point, index) => { pointAtByte.set(byte, index); byte += encoder.encode(point).length; });
      pointAtByte.set(byte, points.length);
      ranges = check.facets.map((facet) => {
        const feature = facet.features[0] || {};
        return {
          start: pointAtByte.get(facet.index.byteStart), end: pointAtByte.get(facet.index.byteEnd),
          kind: String(feature.$type || "").split("#")[1], title: feature.uri || feature.did || "#" + feature.tag,
        };
      });
    } else {
      const kinds = { url: "link", mention: "mention", hashtag: "tag" };
      ranges = check.facets.map((entity) => ({ start: entity.start, end: entity.end, kind: kinds[entity.type], title: entity.text }));
    }
    ranges.sort((a, b) => a.start - b.start);
    const box = document.createElement("div");
    box.className = "preview";
    let position = 0;
    for (const range of ranges) {
      if (range.start === undefined || range.end === undefined || range.start < position) continue;
      box.append(points.slice(position, range.start).join(""));
      const mark = document.createElement("mark");
      mark.className = range.kind;
      mark.title = range.title;
      mark.textContent = points.slice(range.start, range.end).join("");
      box.append(mark);
      position = range.end;
    }
    box.append(points.slice(position).join(""));
    return box;
  }

  function soon() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 150);
  }

  function addPart() {
    const index = parts.querySelectorAll(".part").length;
    const part = document.createElement("div");
    part.className = "part";
    const label = document.createElement("label");
    label.htmlFor = "part-" + index;
    label.textContent = "Part " + (index + 1);
    const area = document.createElement("textarea");
    area.id = "part-" + index;
    area.name = "parts[]";
    area.className = "part-text";
    area.rows = 4;
    area.addEventListener("input", soon);
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "link";
    remove.textContent = "Remove part " + (index + 1);
    remove.addEventListener("click", () => { part.remove(); buildTabs(); refresh(); });
    part.append(label, area, remove);
    parts.append(part);
    area.focus();
    buildTabs();
    refresh();
  }

  function jsonHeaders() {
    return { "X-CSRF-Token": csrf, Accept: "application/json" };
  }

  function attachMediaControls(item) {
    item.querySelector(".remove-media").addEventListener("click", () => { item.remove(); refresh(); });
    const alt = item.querySelector(".alt");
    alt.addEventListener("change", async () => {
      const response = await fetch(mediaBox.dataset.mediaUrl + "/" + item.dataset.id, {
        method: "POST", headers: { ...jsonHeaders(), "Content-Type": "application/json" }, body: JSON.stringify({ alt: alt.value }),
      });
      showMediaError(response.ok ? null : await errorMessage(response));
      refresh();
    });
  }

  function showMediaError(message) {
    mediaError.hidden = !message;
    mediaError.textContent = message || "";
  }

  async function errorMessage(response) {
    try { return (await response.json()).error.message; } catch { return "The server answered " + response.status + ". Try again in a moment."; }
  }

  async function upload() {
    const file = document.getElementById("media-file");
    const alt = document.getElementById("media-alt");
    if (!file.files.length) { showMediaError("Choose a file first."); return; }
    const body = new FormData();
    body.append("file", file.files[0]);
    body.append("alt", alt.value);
    const response = await fetch(mediaBox.dataset.mediaUrl, { method: "POST", headers: jsonHeaders(), body });
    if (!response.ok) { showMediaError(await errorMessage(response)); return; }
    showMediaError(null);
    const media = await response.json();
    const item = document.createElement("li");
    item.dataset.id = media.id;
    const hidden = document.createElement("input");
    hidden.type = "hidden"; hidden.name = "media[]"; hidden.value = media.id;
    const preview = document.createElement(media.format === "mp4" || media.format === "mov" ? "span" : "img");
    if (preview.tagName === "IMG") {
      preview.src = mediaBox.dataset.mediaUrl + "/" + media.id + "/content"; preview.alt = ""; preview.width = 64; preview.height = 64;
    } else {
      preview.textContent = "▶"; preview.className = "video-mark";
    }
    const name = document.createElement("span");
    name.className = "filename"; name.textContent = media.filename;
    const altInput = document.createElement("input");
    altInput.type = "text"; altInput.className = "alt"; altInput.value = media.alt;
    altInput.setAttribute("aria-label", "Alt text for " + media.filename);
    const remove = document.createElement("button");
    remove.type = "button"; remove.className = "link remove-media"; remove.textContent = "Remove";
    item.append(hidden, preview, name, altInput, remove);
    mediaList.append(item);
    attachMediaControls(item);
    file.value = ""; alt.value = "";
    refresh();
  }

  mediaList.querySelectorAll("li").forEach(attachMediaControls);
  document.getElementById("media-upload").addEventListener("click", upload);
  parts.querySelectorAll(".part-text").forEach((area) => area.addEventListener("input", soon));
  parts.querySelectorAll(".remove-part").forEach((button) => button.addEventListener("click", () => {
    button.closest(".part").remove();
    buildTabs();
    refresh();
  }));
  document.getElementById("add-part").addEventListener("click", addPart);
  boxes.forEach((box) => box.addEventListener("change", () => { buildTabs(); refresh(); }));
  document.getElementById("shorten-links")?.addEventListener("change", refresh);
  buildTabs();
  refresh();
})();
