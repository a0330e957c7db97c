// cmforge studio: keeps the served page live. The server sends its whole state on every change
// (server-sent events, /events); this script redraws the parts that changed. No build step.
"use strict";
const token = document.querySelector('meta[name="cmforge-token"]').content;
const $ = (sel) => document.querySelector(sel);
let last = null;

function esc(text) {
  const d = document.createElement("div");
  d.textContent = text == null ? "" : String(text);
  return d.innerHTML;
}
const stamped = (url, at) => (url ? url + (at ? "?v=" + Math.floor(at * 1000) : "") : "");

function problemsHtml(list) {
  return list.map((p, i) => {
    const where = esc(p.file) + (p.line ? ":" + p.line : "");
    const key = p.key ? ` <code>${esc(p.key)}</code>` : "";
    const hint = p.hint ? `<div class="hint">hint: ${esc(p.hint)}</div>` : "";
    const lines = (p.context || []).map(([n, t]) =>
      `<span class="${n === p.line ? "here" : ""}">${String(n).padStart(4)}  ${esc(t)}</span>`).join("");
    const ctx = lines ? `<pre class="context" hidden>${lines}</pre>` : "";
    return `<li class="problem ${esc(p.severity || "error")}" data-i="${i}">` +
      `<span class="where">${where}</span>${key}: ${esc(p.message)}${hint}${ctx}</li>`;
  }).join("");
}

function drawVariant(v) {
  let sec = document.querySelector(`section.variant[data-name="${CSS.escape(v.name)}"]`);
  if (!sec) {
    sec = document.createElement("section");
    sec.className = "variant";
    sec.dataset.name = v.name;
    sec.innerHTML = `<h2><a class="preview-link"></a> <span class="file"></span></h2>` +
      `<div class="pending">no preview yet</div>` +
      `<div class="bar"><span></span></div>` +
      `<button class="final-one">render final</button>`;
    $("#variants").appendChild(sec);
  }
  const src = stamped(v.preview, v.preview_at);
  const link = sec.querySelector(".preview-link");
  link.textContent = v.label;
  link.href = src;
  sec.querySelector(".file").textContent = v.label === v.name ? "" : v.name;
  sec.querySelector(".final-one").dataset.variant = v.name;
  sec.querySelector(".bar span").style.width = Math.round((v.progress || 0) * 100) + "%";
  if (v.preview_at) {
    let video = sec.querySelector("video");
    if (!video) {
      video = document.createElement("video");
      Object.assign(video, { controls: true, muted: true, playsInline: true, preload: "auto" });
      const pending = sec.querySelector(".pending");
      if (pending) pending.replaceWith(video); else sec.querySelector("h2").after(video);
    }
    if (video.getAttribute("src") !== src) {
      const at = video.currentTime || 0, playing = !video.paused;
      video.setAttribute("src", src);
      video.addEventListener("loadedmetadata", () => {
        video.currentTime = Math.min(at, video.duration || 0);
        if (playing) video.play().catch(() => {});
      }, { once: true });
    }
  }
}

function draw(s) {
  const status = $("#status");
  status.className = "status " + s.status;
  status.textContent = s.message;
  const names = new Set(s.variants.map((v) => v.name));
  document.querySelectorAll("section.variant").forEach((sec) => {
    if (!names.has(sec.dataset.name)) sec.remove();
  });
  s.variants.forEach(drawVariant);
  $("#problems").innerHTML = problemsHtml(s.problems);
  $("#warnings").innerHTML = problemsHtml(s.warnings);
  $("#cost").innerHTML = s.cost.lines.map((l) => `<li>${esc(l)}</li>`).join("");
  $("#generate").disabled = !s.cost.items;
  if (!last || JSON.stringify(last.variants.map((v) => v.plan)) !==
      JSON.stringify(s.variants.map((v) => v.plan))) {
    $("#plans").innerHTML = s.variants.map((v) =>
      `<details open><summary>${esc(v.label)}</summary><pre class="plan">${esc(v.plan)}</pre></details>`).join("");
  }
  const board = stamped(s.storyboard, s.storyboard_at);
  const img = $("#storyboard img");
  if (board && (!img || img.getAttribute("src") !== board)) {
    $("#storyboard").innerHTML = `<img src="${esc(board)}" alt="storyboard">`;
  }
  $("#guides").checked = !!s.guides;
  drawJob(s.job);
  last = s;
}

function drawJob(job) {
  const box = $("#job");
  if (!job) { box.innerHTML = ""; return; }
  let html = "";
  if (job.kind === "final") {
    html = Object.entries(job.progress || {}).map(([name, f]) =>
      `<div>${esc(name)}: final ${Math.round(f * 100)}%</div>`).join("");
  } else {
    html = (job.said || []).map((l) => `<div>${esc(l)}</div>`).join("");
  }
  html += (job.files || []).map((f) => `<div>✓ <a href="${esc(f)}">${esc(f.split("/").pop())}</a></div>`).join("");
  html += (job.errors || []).map((e) => `<div class="error">${esc(e)}</div>`).join("");
  box.innerHTML = (job.done ? "" : "<div>working…</div>") + html;
}

async function post(url, body) {
  const r = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Cmforge-Token": token },
    body: JSON.stringify(body || {}),
  });
  const answer = await r.json().catch(() => ({}));
  if (!r.ok && answer.why) $("#job").innerHTML = `<div class="error">${esc(answer.why)}</div>`;
  return answer;
}

document.addEventListener("click", (e) => {
  const problem = e.target.closest("li.problem");
  if (problem) {
    const ctx = problem.querySelector(".context");
    if (ctx) ctx.hidden = !ctx.hidden;
  }
  const one = e.target.closest("button.final-one");
  if (one) post("/api/final", { variant: one.dataset.variant });
});
$("#final-all").addEventListener("click", () => post("/api/final", {}));
$("#guides").addEventListener("change", (e) => post("/api/guides", { on: e.target.checked }));
$("#generate").addEventListener("click", () => {
  if (!last || !last.cost.items) return;
  const text = last.cost.lines.join("\n");
  if (!last.cost.within) { alert("Above the budget; nothing will be generated:\n" + text); return; }
  if (confirm("Generate the missing stills and clips?\n\n" + text)) post("/api/generate", { usd: last.cost.usd });
});

const source = new EventSource("/events");
source.addEventListener("state", (e) => draw(JSON.parse(e.data)));
