// The usage page: a treemap of the pool tree (area: provisioned addresses; color: percent used against the
// threshold) with drill-down, and the report's tables. Text reaches the page through textContent only.
"use strict";
const report = JSON.parse(document.getElementById("report").textContent);
const byName = new Map(report.pools.map((p) => [p.name, { ...p, children: [] }]));
const roots = [];
for (const pool of byName.values()) {
  const parent = pool.parent && byName.get(pool.parent);
  (parent ? parent.children : roots).push(pool);
}
const band = (p) => (p.percent_used >= report.threshold ? "over" : p.percent_used >= report.threshold * 0.8 ? "near" : "ok");
const el = (tag, text, cls) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = String(text); if (cls) e.className = cls; return e; };

function table(id, header, rows) {
  const t = document.getElementById(id);
  if (!rows.length) { t.replaceWith(el("p", "None.")); return; }
  const head = t.insertRow();
  header.forEach((h) => head.appendChild(el("th", h)));
  rows.forEach((row) => { const r = t.insertRow(); row.forEach((c) => r.appendChild(el("td", c, typeof c === "number" ? "num" : ""))); });
}

// Slice and dice, alternating direction: a child pool takes its parent's rectangle in proportion to the addresses
// it holds out of the parent's; what the children leave shows the parent's own color.
function layout(pools, x, y, w, h, vertical, depth, box, total) {
  let offset = 0;
  for (const pool of pools) {
    const share = Math.max(pool.provisioned, 1) / total;
    const rect = vertical ? [x, y + offset * h, w, share * h] : [x + offset * w, y, share * w, h];
    offset += share;
    const tile = el("div", undefined, `tile ${band(pool)}${pool.children.length ? " drill" : ""}`);
    Object.assign(tile.style, { left: `${rect[0]}%`, top: `${rect[1]}%`, width: `${rect[2]}%`, height: `${rect[3]}%` });
    tile.dataset.pool = pool.name;
    tile.title = `${pool.name}: ${pool.cidrs.join(" ")}, ${pool.percent_used} % used`;
    tile.appendChild(el("div", `${pool.name} ${pool.percent_used.toFixed(1)} %`, `label ${band(pool)}`));
    if (!pool.children.length) {
      const used = el("div", undefined, `used ${band(pool)}`);
      used.style.height = `${Math.min(pool.percent_used, 100)}%`;
      tile.appendChild(used);
    }
    if (pool.children.length) tile.addEventListener("click", (event) => { event.stopPropagation(); show(pool); });
    box.appendChild(tile);
    if (pool.children.length && depth < 3) {
      const pad = 18 / 4.2; // room for the parent's label, in percent of the map's height
      const held = Math.max(pool.provisioned, pool.children.reduce((s, c) => s + c.provisioned, 0), 1);
      layout(pool.children, rect[0] + 0.5, rect[1] + pad, rect[2] - 1, Math.max(rect[3] - pad - 0.5, 0), !vertical, depth + 1, box, held);
    }
  }
}

function show(focus) {
  const map = document.getElementById("map");
  map.replaceChildren();
  const shown = focus ? [focus] : roots;
  layout(shown, 0, 0, 100, 100, false, 0, map, shown.reduce((s, p) => s + Math.max(p.provisioned, 1), 0));
  const crumbs = document.getElementById("crumbs");
  crumbs.replaceChildren();
  const top = el("button", "all pools"); top.addEventListener("click", () => show(null)); crumbs.appendChild(top);
  const path = [];
  for (let p = focus; p; p = p.parent && byName.get(p.parent)) path.unshift(p);
  for (const p of path) { crumbs.appendChild(el("span", " › ")); const b = el("button", p.name); b.addEventListener("click", () => show(p)); crumbs.appendChild(b); }
  map.dataset.focus = focus ? focus.name : "";
}

document.getElementById("title").textContent = `IP address usage of ${report.ipam.id} (${report.ipam.region})`;
document.getElementById("summary").textContent =
  `${report.pools.length} pools, ${report.over_threshold.length} at or over ${report.threshold} % used; ` +
  `${report.unmanaged.length} VPC CIDRs outside IPAM, ${report.overlaps.length} overlapping pairs. Read ${report.read_at}.`;
show(null);
const fits = (p) => p.fits.map((f) => `${f.count} × /${f.length}`).join(", ") || "full";
table("pools", ["pool", "CIDRs", "used %", "to pools %", "to resources %", "free", "fits"],
  report.pools.map((p) => [p.name, p.cidrs.join(" "), p.percent_used, p.percent_allocated, p.percent_assigned, p.free, fits(p)]));
const resource = (r) => [r.account, r.region, r.vpc || r.id, r.cidr, r.name];
table("unmanaged", ["account", "region", "VPC", "CIDR", "name"], report.unmanaged.map(resource));
table("noncompliant", ["account", "region", "VPC", "CIDR", "name"], report.noncompliant.map(resource));
table("overlaps", ["CIDR", "account", "VPC", "overlaps CIDR", "account", "VPC"],
  report.overlaps.map((o) => [o.a.cidr, o.a.account, o.a.vpc, o.b.cidr, o.b.account, o.b.vpc]));
table("accounts", ["account", "name", "OU", "VPC CIDRs", "addresses", "outside IPAM"],
  report.accounts.map((a) => [a.account, a.name, a.ou_name || a.ou || "-", a.resource_cidrs, a.addresses, a.unmanaged]));
document.getElementById("cost").textContent = report.cost.estimated
  ? `Cost: ${report.cost.active_ips} active IPs, about $${report.cost.monthly_usd} a month (${report.cost.price_source}).`
  : `Cost: not estimated: ${report.cost.reason}.`;
document.body.dataset.ready = "yes";
