/* SutazAI Supervisor dashboard: plain JS against /api/v1, live over Server-Sent Events. */
"use strict";
(() => {
  const HOUR = 3600000;
  /** Scaling decisions shown on the overview, newest first. */
  const DECISIONS = 20;
  const STATES = ["HEALTHY", "STARTING", "QUEUED", "UNHEALTHY", "STOPPING", "CRASH_LOOP", "FAILED", "INACTIVE"];
  const ACTIVE = new Set(["HEALTHY", "STARTING", "UNHEALTHY", "STOPPING"]);
  const TOKEN_KEY = "sutazai.token";
  const S = {
    token: sessionStorage.getItem(TOKEN_KEY), role: null, name: null,
    agents: new Map(), pools: [], workers: [], alerts: [], containers: [], samples: [], events: [], decisions: [],
    thresholds: {memoryWarningRatio: .7, memoryCriticalRatio: .85, load1Warning: 8, load1Critical: 10,
      healthRateWarningRatio: .9, healthRateCriticalRatio: .8},
    es: null, agentPage: null, olderBefore: null,
  };
  const $ = (sel, root) => (root || document).querySelector(sel);

  // ---------- helpers ----------
  function esc(v) {
    return String(v == null ? "" : v).replace(/[&<>"']/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
  }
  function bytes(n) {
    if (n == null) return "–";
    const u = ["B", "KiB", "MiB", "GiB", "TiB"];
    let i = 0;
    while (n >= 1024 && i < u.length - 1) { n /= 1024; i++; }
    return (n >= 10 || i === 0 ? Math.round(n) : n.toFixed(1)) + " " + u[i];
  }
  const pct = r => r == null ? "–" : (r * 100).toFixed(r < 0.1 ? 1 : 0) + "%";
  const cores = c => c == null ? "–" : (Math.round(c * 100) / 100) + (c === 1 ? " core" : " cores");
  function time(t) {
    const d = new Date(t);
    return d.toLocaleTimeString([], {hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false});
  }
  function stamp(t) {
    const d = new Date(t), p = n => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  }
  function ago(ms) {
    const s = Math.round(ms / 1000);
    return s < 60 ? s + "s" : s < 3600 ? Math.round(s / 60) + "m" : (s / 3600).toFixed(1) + "h";
  }
  const badge = st => `<span class="badge st-${esc(st)}">${esc(String(st).replace("_", " "))}</span>`;
  let toastTimer = null;
  function toast(msg, bad) {
    const t = $("#toast");
    t.textContent = msg;
    t.className = "toast show" + (bad ? " bad" : "");
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { t.className = "toast" + (bad ? " bad" : ""); }, 5000);
  }

  async function api(method, path, body) {
    const headers = {"Authorization": "Bearer " + S.token, "Accept": "application/json"};
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const r = await fetch(path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body)});
    let json = null;
    try { json = await r.json(); } catch (e) { json = null; }
    if (r.status === 401) { signOut("Your token was not accepted. Sign in again."); throw new Error("unauthorized"); }
    return {status: r.status, ok: r.ok, json};
  }

  // ---------- session ----------
  function showSignIn(error) {
    $("#signin").hidden = false;
    $("#overview").hidden = true;
    $("#agent-page").hidden = true;
    $("#signout").hidden = true;
    $("#whoami").textContent = "";
    $("#signin-error").textContent = error || "";
    $("#token-input").focus();
  }
  function signOut(error) {
    sessionStorage.removeItem(TOKEN_KEY);
    S.token = null;
    if (S.es) { S.es.close(); S.es = null; }
    setLive(false);
    showSignIn(error);
  }
  async function signIn(token) {
    S.token = token;
    const r = await fetch("/api/v1/whoami", {headers: {"Authorization": "Bearer " + token}});
    if (!r.ok) { S.token = null; showSignIn(r.status === 401 ? "That token is not valid." : "Sign-in failed (" + r.status + ")."); return; }
    const who = await r.json();
    sessionStorage.setItem(TOKEN_KEY, token);
    S.role = who.role; S.name = who.name;
    $("#whoami").textContent = `${who.name} · ${who.role}`;
    $("#signout").hidden = false;
    $("#signin").hidden = true;
    document.body.classList.toggle("operator", S.role === "operator");
    await loadAll();
    connect();
    route();
  }

  // ---------- data ----------
  async function loadAll() {
    const [agents, pools, workers, alerts, containers, history] = await Promise.all([
      api("GET", "/api/v1/agents"), api("GET", "/api/v1/pools"), api("GET", "/api/v1/workers"),
      api("GET", "/api/v1/alerts"), api("GET", "/api/v1/containers"), api("GET", "/api/v1/history?minutes=60")]);
    if (agents.ok) {
      S.agents = new Map(agents.json.map(a => [a.name, a]));
      S.events = agents.json.filter(a => a.lastEvent).map(a => a.lastEvent)
        .sort((x, y) => Date.parse(y.time) - Date.parse(x.time)).slice(0, 30);
    }
    if (pools.ok) {
      S.pools = pools.json;
      const lists = await Promise.all(S.pools.map(p =>
        api("GET", "/api/v1/pools/" + encodeURIComponent(p.name) + "/decisions?limit=" + DECISIONS)));
      S.decisions = lists.filter(l => l.ok).flatMap(l => l.json)
        .sort((x, y) => Date.parse(y.time) - Date.parse(x.time)).slice(0, DECISIONS);
    }
    if (workers.ok) S.workers = workers.json;
    if (alerts.ok) S.alerts = alerts.json;
    if (containers.ok) S.containers = containers.json;
    if (history.ok) {
      S.thresholds = history.json.thresholds;
      S.samples = history.json.samples.map(s => ({...s, t: Date.parse(s.time)}));
    }
    renderAll();
  }
  async function refreshLists() {
    if (!S.token) return;
    const [agents, pools, workers, alerts, containers] = await Promise.all([
      api("GET", "/api/v1/agents"), api("GET", "/api/v1/pools"), api("GET", "/api/v1/workers"),
      api("GET", "/api/v1/alerts"), api("GET", "/api/v1/containers")]);
    if (agents.ok) S.agents = new Map(agents.json.map(a => [a.name, a]));
    if (pools.ok) S.pools = pools.json;
    if (workers.ok) S.workers = workers.json;
    if (alerts.ok) S.alerts = alerts.json;
    if (containers.ok) S.containers = containers.json;
    renderAll();
  }
  let refreshTimer = null;
  function refreshSoon() {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(refreshLists, 300);
  }

  // ---------- live ----------
  function setLive(on) {
    const p = $("#conn-status");
    p.textContent = on ? "live" : "offline";
    p.className = "pill " + (on ? "pill-on" : "pill-off");
  }
  async function connect() {
    if (S.es) S.es.close();
    // EventSource cannot send headers: the stream takes a single-use ticket, asked for with the token
    // (the token itself never goes into a URL).
    let ticket = null;
    try {
      const r = await api("GET", "/api/v1/events/ticket");
      ticket = r.ok && r.json ? r.json.ticket : null;
    } catch (e) {
      ticket = null;
    }
    if (!S.token) return;
    if (!ticket) {
      setLive(false);
      setTimeout(() => { if (S.token) connect(); }, 5000);
      return;
    }
    const es = new EventSource("/api/v1/events/stream?ticket=" + encodeURIComponent(ticket));
    S.es = es;
    es.addEventListener("ready", () => setLive(true));
    es.addEventListener("sample", e => {
      const s = JSON.parse(e.data);
      s.t = Date.parse(s.time);
      S.samples.push(s);
      const cut = Date.now() - HOUR;
      while (S.samples.length && S.samples[0].t < cut) S.samples.shift();
      renderKpis();
      renderCharts();
    });
    es.addEventListener("agent", e => {
      const u = JSON.parse(e.data);
      S.agents.set(u.agent.name, u.agent);
      S.events.unshift(u.event);
      S.events = S.events.slice(0, 50);
      renderAgents();
      renderEvents();
      renderStates();
      if (S.agentPage === u.agent.name) { renderAgentHead(u.agent); prependAgentEvent(u.event); }
      refreshSoon();
    });
    es.addEventListener("alert", () => refreshSoon());
    es.addEventListener("decision", e => {
      S.decisions.unshift(JSON.parse(e.data));
      S.decisions = S.decisions.slice(0, DECISIONS);
      renderDecisions();
      refreshSoon();
    });
    es.onerror = () => {
      setLive(false);
      // A ticket opens one stream: reconnect with a new one instead of EventSource's retry of the same URL.
      es.close();
      if (S.es === es) {
        S.es = null;
        setTimeout(() => { if (S.token && !S.es) connect(); }, 3000);
      }
    };
  }

  // ---------- rendering ----------
  function latest() { return S.samples.length ? S.samples[S.samples.length - 1] : null; }
  function kpi(id, value, ratio, level, sub, marks) {
    const card = $(id);
    $(".value", card).textContent = value;
    const fill = $(".fill", card);
    if (fill) fill.style.width = Math.max(0, Math.min(100, ratio * 100)) + "%";
    card.classList.toggle("warn", level === 1);
    card.classList.toggle("crit", level === 2);
    if (sub != null) $(".sub", card).textContent = sub;
    if (marks) {
      const w = $(".mark.warn", card), c = $(".mark.crit", card);
      if (w) w.style.left = Math.min(100, marks[0] * 100) + "%";
      if (c) c.style.left = Math.min(100, marks[1] * 100) + "%";
    }
  }
  function renderKpis() {
    const s = latest(), th = S.thresholds;
    if (s) {
      kpi("#kpi-cpu", pct(s.cpuRatio), s.cpuRatio, 0, `${s.cpuCores} cores`);
      const ml = s.memoryRatio >= th.memoryCriticalRatio ? 2 : s.memoryRatio >= th.memoryWarningRatio ? 1 : 0;
      kpi("#kpi-mem", pct(s.memoryRatio), s.memoryRatio, ml,
        `${bytes(s.memoryUsedBytes)} of ${bytes(s.memoryTotalBytes)} · crit ${pct(th.memoryCriticalRatio)}`,
        [th.memoryWarningRatio, th.memoryCriticalRatio]);
      const scale = Math.max(th.load1Critical * 1.2, s.load1);
      const ll = s.load1 >= th.load1Critical ? 2 : s.load1 >= th.load1Warning ? 1 : 0;
      kpi("#kpi-load", s.load1.toFixed(2), s.load1 / scale, ll, `${s.cpuCores} cores · warn ${th.load1Warning} · crit ${th.load1Critical}`,
        [th.load1Warning / scale, th.load1Critical / scale]);
      const h = s.containerHealthRatio;
      const hl = h < th.healthRateCriticalRatio ? 2 : h < th.healthRateWarningRatio ? 1 : 0;
      kpi("#kpi-health", pct(h), h, hl, `warn < ${pct(th.healthRateWarningRatio)} · crit < ${pct(th.healthRateCriticalRatio)}`,
        [th.healthRateWarningRatio, th.healthRateCriticalRatio]);
    }
    const crit = S.alerts.filter(a => a.severity === "critical").length;
    kpi("#kpi-alerts", String(S.alerts.length), 0, crit ? 2 : S.alerts.length ? 1 : 0,
      S.alerts.length ? `${crit} critical · ${S.alerts.length - crit} warning` : "all clear");
  }
  function renderStates() {
    const counts = {};
    for (const a of S.agents.values()) counts[a.state] = (counts[a.state] || 0) + 1;
    const total = S.agents.size || 1;
    const active = [...S.agents.values()].filter(a => ACTIVE.has(a.state)).length;
    $("#kpi-agents .value").textContent = `${active} / ${S.agents.size}`;
    const bar = $("#state-bar");
    bar.innerHTML = "";
    for (const st of STATES) {
      if (!counts[st]) continue;
      const seg = document.createElement("span");
      seg.className = "bg-" + st;
      seg.style.width = (counts[st] / total * 100) + "%";
      seg.title = `${st}: ${counts[st]}`;
      bar.appendChild(seg);
    }
    $("#state-legend").innerHTML = STATES.filter(st => counts[st])
      .map(st => `<span class="state-count" data-state="${st}"><span class="dot bg-${st}"></span>${counts[st]} ${esc(st.toLowerCase().replace("_", " "))}</span>`)
      .join(" &nbsp;");
  }
  function actionButtons(a) {
    const n = esc(a.name);
    const op = S.role === "operator";
    const button = (action, label, applies) => {
      const dis = !op ? " disabled title=\"needs an operator token\"" : applies ? "" : " disabled";
      return `<button class="btn" data-action="${action}" data-agent="${n}"${dis}>${label}</button>`;
    };
    return button("activate", "Activate", a.state === "INACTIVE" || a.state === "FAILED") +
      button("deactivate", "Deactivate", a.state !== "INACTIVE" && a.state !== "CRASH_LOOP") +
      button("reset", "Reset", a.state === "CRASH_LOOP" || a.state === "FAILED");
  }
  function coldStart(a) {
    return a.lastColdStartMillis == null ? "–" : (a.lastColdStartMillis / 1000).toFixed(1) + " s";
  }
  // An agent whose pool could not be reached in time (e.g. during a failover): its state is the last known.
  function staleMark(a) {
    if (!a.stale) return "";
    const since = a.staleSince ? `last heard from its pool at ${esc(a.staleSince)}` : "its pool not reached yet";
    return ` <span class="muted stale" data-stale="${esc(a.name)}" title="${since}">stale</span>`;
  }
  function renderAgents() {
    const rows = [...S.agents.values()].sort((x, y) => x.name.localeCompare(y.name)).map(a => `
      <tr data-agent-row="${esc(a.name)}">
        <td><a href="#/agent/${encodeURIComponent(a.name)}">${esc(a.name)}</a></td>
        <td>${esc(a.pool)}</td>
        <td>${badge(a.state)}${a.queuePosition ? ` <span class="muted">#${a.queuePosition}</span>` : ""}${staleMark(a)}</td>
        <td class="num">${a.priority}</td>
        <td class="num">${a.restarts}</td>
        <td class="num held">${a.heldRequests || 0}</td>
        <td class="num cold-start">${coldStart(a)}</td>
        <td class="num">${bytes(a.memoryRequestBytes)}</td>
        <td class="num">${a.cpuRequest}</td>
        <td class="actions">${actionButtons(a)}</td>
      </tr>`).join("");
    $("#agents-table tbody").innerHTML = rows || `<tr><td colspan="10" class="muted">No agents.</td></tr>`;
    $("#agents-count").textContent = `${S.agents.size} in fleet`;
  }
  function barRow(label, used, limit, fmt) {
    const r = limit > 0 ? used / limit : 0;
    return `<div class="bar-row"><span>${label}</span><div class="bar${r >= 1 ? " full" : ""}"><div data-w="${Math.min(100, r * 100)}"></div></div>` +
      `<span class="num">${fmt(used)} / ${fmt(limit)}</span></div>`;
  }
  function renderPools() {
    const box = $("#pools");
    box.innerHTML = S.pools.map(p => `
      <div class="pool" data-pool="${esc(p.name)}">
        <div class="pool-head"><span>${esc(p.name)}</span><span class="muted">queue depth <b class="queue-depth">${p.queue.length}</b></span></div>
        ${barRow("agents", p.usage.active, p.quota.maxActive, v => v)}
        ${barRow("memory", p.usage.memoryBytes, p.quota.memoryBudgetBytes, bytes)}
        ${barRow("cpu", p.usage.cpu, p.quota.cpuBudget, v => Math.round(v * 100) / 100)}
        ${p.queue.length ? `<div class="queue">waiting: ${p.queue.map(q => `${q.position}. ${esc(q.agent)} <span class="muted">(prio ${q.priority}, ${ago(q.waitingMillis)})</span>`).join(" · ")}</div>` : ""}
      </div>`).join("") || `<div class="muted">No pools.</div>`;
    box.querySelectorAll("[data-w]").forEach(d => { d.style.width = d.dataset.w + "%"; });
  }
  function renderWorkers() {
    $("#workers-table tbody").innerHTML = S.workers.map(w => `
      <tr data-worker="${esc(w.name)}">
        <td><b>${esc(w.name)}</b>${w.simulated ? ` <span class="chip sim" title="Ollama simulator: not real inference">simulated</span>` : ""}<div class="muted">${esc(w.url)}</div></td>
        <td>${w.healthy ? `<span class="badge st-HEALTHY">UP</span>` : `<span class="badge st-CRASH_LOOP">DOWN</span>`}</td>
        <td>${w.circuit === "CLOSED" ? `<span class="muted">closed</span>` : `<span class="badge st-UNHEALTHY">${esc(w.circuit)}</span>`}</td>
        <td>${w.loadedModels.map(m => `<span class="chip">${esc(m)}</span>`).join("") || `<span class="muted">none</span>`}</td>
        <td class="num in-flight">${w.inFlight}</td>
        <td class="num">${w.requestsTotal}${w.failuresTotal ? ` <span class="muted">(${w.failuresTotal} failed)</span>` : ""}</td>
      </tr>`).join("") || `<tr><td colspan="6" class="muted">No workers registered.</td></tr>`;
  }
  function renderAlerts() {
    $("#alerts").innerHTML = S.alerts.map(a => `
      <li><span class="sev-${esc(a.severity)}">${esc(a.severity)}</span><span>${esc(a.message)}</span>
        <span class="spacer"></span><time>since ${time(a.since)}</time></li>`).join("")
      || `<li class="empty">No alerts firing.</li>`;
  }
  function renderEvents() {
    $("#events").innerHTML = S.events.map(e => `
      <li><time>${time(e.time)}</time><a href="#/agent/${encodeURIComponent(e.agent)}">${esc(e.agent)}</a>
        <b>${esc(e.type)}</b><span class="muted">${esc(e.reason)}</span></li>`).join("")
      || `<li class="empty">No events yet.</li>`;
  }
  function renderDecisions() {
    $("#decisions").innerHTML = S.decisions.map(d => `
      <li><time>${time(d.time)}</time><b>${esc(d.kind.replace(/_/g, " ").toLowerCase())}</b>
        <span>${esc(d.reason)}</span><span class="muted">${esc(d.pool)}</span></li>`).join("")
      || `<li class="empty">No decisions yet.</li>`;
  }
  function renderCharts() {
    if ($("#overview").hidden) return;
    const th = S.thresholds;
    Charts.line($("#chart-util"), [
      {name: "CPU", color: "#4c9aff", fill: true, points: S.samples.map(s => [s.t, s.cpuRatio * 100])},
      {name: "Memory", color: "#a371f7", points: S.samples.map(s => [s.t, s.memoryRatio * 100])}],
      {min: 0, max: 100, windowMillis: HOUR, unit: "%", thresholds: [
        {value: th.memoryWarningRatio * 100, color: "#d29922", label: "memory warn"},
        {value: th.memoryCriticalRatio * 100, color: "#f85149", label: "memory crit"}]});
    Charts.line($("#chart-load"), [{name: "load1", color: "#3fb950", fill: true, points: S.samples.map(s => [s.t, s.load1])}],
      {min: 0, max: null, windowMillis: HOUR, thresholds: [
        {value: th.load1Warning, color: "#d29922", label: "warn"}, {value: th.load1Critical, color: "#f85149", label: "crit"}]});
    Charts.line($("#chart-health"), [{name: "health", color: "#3fb950", fill: true, points: S.samples.map(s => [s.t, s.containerHealthRatio * 100])}],
      {min: 0, max: 100, windowMillis: HOUR, unit: "%", thresholds: [
        {value: th.healthRateWarningRatio * 100, color: "#d29922", label: "warn"},
        {value: th.healthRateCriticalRatio * 100, color: "#f85149", label: "crit"}]});
  }
  function renderAll() {
    renderKpis(); renderStates(); renderAgents(); renderPools(); renderDecisions(); renderWorkers(); renderAlerts(); renderEvents();
    renderCharts();
    if (S.agentPage && S.agents.has(S.agentPage)) renderAgentHead(S.agents.get(S.agentPage));
  }

  // ---------- agent page ----------
  function renderAgentHead(a) {
    $("#agent-name").textContent = a.name;
    $("#agent-meta").textContent = `pool ${a.pool} · priority ${a.priority} · ${a.activation.toLowerCase().replace("_", "-")}` +
      (a.dependsOn.length ? ` · depends on ${a.dependsOn.join(", ")}` : "") + (a.models.length ? ` · models ${a.models.join(", ")}` : "") +
      (a.node ? ` · on node ${a.node.replace(/^akka:\/\/[^@]*@/, "")}` : "");
    $("#agent-state").className = "badge st-" + a.state;
    $("#agent-state").textContent = a.state.replace("_", " ") + (a.queuePosition ? ` #${a.queuePosition}` : "")
      + (a.stale ? ` (stale${a.staleSince ? ", as of " + a.staleSince : ""})` : "");
    $("#agent-actions").innerHTML = actionButtons(a);
    const c = S.containers.find(x => x.agent === a.name);
    const cards = [
      ["Memory in use", c && c.memoryUsageBytes != null ? bytes(c.memoryUsageBytes) : "–", `request ${bytes(a.memoryRequestBytes)}${c && c.memoryLimitBytes ? " · limit " + bytes(c.memoryLimitBytes) : ""}`],
      ["CPU in use", c && c.cpuRatio != null ? cores(c.cpuRatio) : "–", `request ${cores(a.cpuRequest)}`],
      ["Restarts", String(a.restarts), c ? `container ${c.status} · ${c.health}` : "no container"],
      ["Last cold start", coldStart(a), `${a.heldRequests || 0} held by the agent front now`],
      ["Response time p95", a.responseTimeP95Seconds != null ? a.responseTimeP95Seconds.toFixed(2) + " s" : "–", "recent requests"],
      ["Container", c ? c.id.substring(0, 12) : "–", c && c.startedAt ? "started " + time(c.startedAt) : ""]];
    $("#agent-kpis").innerHTML = cards.map(([l, v, s]) =>
      `<div class="card kpi"><div class="label">${esc(l)}</div><div class="value">${esc(v)}</div><div class="sub">${esc(s)}</div></div>`).join("");
  }
  function eventRow(e) {
    return `<tr><td class="num">${e.seqNr}</td><td>${esc(stamp(e.time))}</td><td><b>${esc(e.type)}</b></td><td class="muted">${esc(e.reason)}</td></tr>`;
  }
  function prependAgentEvent(e) {
    $("#agent-events tbody").insertAdjacentHTML("afterbegin", eventRow(e));
  }
  async function loadAgentEvents(name, before) {
    const q = before ? `?limit=25&before=${before}` : "?limit=25";
    const r = await api("GET", `/api/v1/agents/${encodeURIComponent(name)}/events${q}`);
    if (!r.ok) return;
    const body = $("#agent-events tbody");
    if (!before) body.innerHTML = "";
    body.insertAdjacentHTML("beforeend", r.json.events.map(eventRow).join(""));
    S.olderBefore = r.json.nextBefore;
    $("#older").hidden = !S.olderBefore;
  }
  async function showAgent(name) {
    S.agentPage = name;
    $("#overview").hidden = true;
    $("#agent-page").hidden = false;
    $("#crumbs").innerHTML = `<a href="#/">Overview</a> / ${esc(name)}`;
    const [r, cs] = await Promise.all([api("GET", `/api/v1/agents/${encodeURIComponent(name)}`), api("GET", "/api/v1/containers")]);
    if (cs.ok) S.containers = cs.json;
    if (!r.ok) { $("#agent-name").textContent = name; $("#agent-meta").textContent = r.json ? r.json.detail : "not found"; return; }
    S.agents.set(name, r.json);
    renderAgentHead(r.json);
    await loadAgentEvents(name, null);
  }
  function route() {
    if (!S.token) return;
    const m = location.hash.match(/^#\/agent\/(.+)$/);
    if (m) { showAgent(decodeURIComponent(m[1])); return; }
    S.agentPage = null;
    $("#agent-page").hidden = true;
    $("#overview").hidden = false;
    $("#crumbs").textContent = "";
    renderAll();
  }

  // ---------- actions ----------
  async function act(action, name) {
    try {
      const r = await api("POST", `/api/v1/agents/${encodeURIComponent(name)}/${action}`);
      if (r.ok) {
        const b = r.json || {};
        const msg = action !== "activate" ? `${name}: ${action} accepted (${b.state || "ok"})`
          : b.status === "queued" ? `${name} queued at position ${b.queuePosition}`
          : b.status === "starting" ? `${name} is starting` : `${name} is already active`;
        toast(msg, false);
      } else {
        toast(`${name}: ${r.json && r.json.detail ? r.json.detail : "failed (" + r.status + ")"}`, true);
      }
      refreshSoon();
    } catch (e) {
      if (e.message !== "unauthorized") toast(`${name}: ${e.message}`, true);
    }
  }

  document.addEventListener("click", e => {
    const b = e.target.closest("button[data-action]");
    if (b && !b.disabled) act(b.dataset.action, b.dataset.agent);
  });
  $("#signin-form").addEventListener("submit", e => {
    e.preventDefault();
    const t = $("#token-input").value.trim();
    if (t) { $("#token-input").value = ""; signIn(t); }
  });
  $("#signout").addEventListener("click", () => signOut(""));
  $("#older").addEventListener("click", () => { if (S.agentPage && S.olderBefore) loadAgentEvents(S.agentPage, S.olderBefore); });
  window.addEventListener("hashchange", route);
  window.addEventListener("resize", () => renderCharts());
  setInterval(refreshLists, 15000);
  setInterval(() => renderCharts(), 30000);

  if (S.token) signIn(S.token); else showSignIn("");
})();
