// 我的企业 with no connection. Online, the page is the server's and /field/offline/data.json is
// fetched so the service worker keeps the newest copy. Offline, the page the worker kept may be
// older than that copy: the list is drawn again from the data, with its age ("离线，数据更新于
// HH:MM"), and each enterprise keeps its 登记走访 link (the visit form opens offline too).
(function () {
  "use strict";

  const list = document.getElementById("enterprise-list");
  const banner = document.getElementById("offline-banner");
  if (!list || !banner) return;
  const words = banner.dataset;
  const say = (template, values) =>
    (template || "").replace(/\{(\w+)\}/g, (_, key) => (key in values ? values[key] : ""));

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function card(enterprise) {
    const box = element("div", "card shadow-sm mb-3 enterprise-card");
    box.id = `enterprise-${enterprise.id}`;
    const body = element("div", "card-body p-3 pb-2");
    body.append(element("h2", "h6 mb-1", enterprise.name));
    const facts = element("div", "small d-flex flex-wrap align-items-center gap-2 text-body-secondary");
    facts.append(element("span", "", say(words.openCases, { n: enterprise.open_cases.length })));
    facts.append(element("span", "last-visit",
      `${words.lastVisit}：${enterprise.last_visit || words.never}`));
    if (enterprise.task_force) facts.append(element("span", "", enterprise.task_force));
    body.append(facts);
    box.append(body);
    if (enterprise.open_cases.length) {
      const cases = element("ul", "list-group list-group-flush border-top");
      for (const item of enterprise.open_cases) {
        const line = element("li", "list-group-item py-2 d-flex gap-2 align-items-start");
        line.append(element("div", "flex-grow-1 fw-semibold text-break min-w-0", item.title));
        line.append(element("span", `badge state-badge state-${item.status}`, item.status_label));
        cases.append(line);
      }
      box.append(cases);
    }
    const footer = element("div", "card-footer bg-body d-flex gap-2");
    const visit = element("a", "btn btn-sm btn-outline-primary flex-fill", words.logVisit);
    visit.href = `${banner.dataset.formUrl}?enterprise=${enterprise.id}`;
    footer.append(visit);
    box.append(footer);
    return box;
  }

  function drawOffline(data) {
    // The county's wall-clock time, as the server wrote it (2026-04-22T09:30:00+08:00).
    const day = data.generated_at.slice(0, 10);
    const time = data.generated_at.slice(11, 16);
    const now = new Date();
    const today = [now.getFullYear(), now.getMonth() + 1, now.getDate()]
      .map((n) => String(n).padStart(2, "0")).join("-");
    banner.textContent = say(words.offline, { time: day === today ? time : `${day} ${time}` });
    banner.hidden = false;
    list.replaceChildren(...data.enterprises.map(card));
    if (!data.enterprises.length) list.append(element("p", "text-body-secondary", words.none));
    // The page's own search and paging need the server.
    document.querySelectorAll("[data-online-only]").forEach((node) => { node.hidden = true; });
  }

  async function start() {
    let data = null;
    try {
      // Offline, the service worker answers with the copy it kept.
      const response = await fetch(banner.dataset.source, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (response.ok) data = await response.json();
    } catch (error) {
      return; // offline and nothing kept: the page as it is
    }
    if (data && !navigator.onLine) drawOffline(data);
  }

  window.addEventListener("offline", start);
  // Back online: the server's page again, with today's data — once the signal has held for a
  // moment (a flapping signal does not reload the page over and over), and never over a page the
  // cadre is already leaving: a reload would cancel the visit form or enterprise they just tapped.
  let leaving = false;
  let reloadTimer = null;
  window.addEventListener("beforeunload", () => { leaving = true; });
  window.addEventListener("pageshow", () => { leaving = false; });
  window.addEventListener("online", () => {
    window.clearTimeout(reloadTimer);
    reloadTimer = window.setTimeout(() => {
      if (!banner.hidden && navigator.onLine && !leaving) window.location.reload();
    }, 1000);
  });
  start();
})();
