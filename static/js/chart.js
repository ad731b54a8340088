// The family charts (hourglass, pedigree, descendants, fan): lay out the branches the page carries,
// draw every person as a link, pan and zoom (mouse, wheel, touch, pinch, buttons), move between
// relatives with the arrow keys, and fetch a collapsed branch from the server only when it is opened.
(function () {
  "use strict";
  var dataNode = document.getElementById("chart-data"), svg = document.getElementById("chart-svg");
  if (!dataNode || !svg) return;
  var config = JSON.parse(dataNode.textContent);
  var NS = "http://www.w3.org/2000/svg";
  var W = 200, H = 56, GX = 56, GY = 12, STACK = 6, THUMB = 44;
  var FAN_RINGS = [90, 100, 120, 130, 130, 130, 120];  // centre radius, then each ring's width
  var kind = config.kind, root = config.root;
  var ancDir = kind === "pedigree" ? 1 : -1;  // a pedigree grows to the right; elsewhere time runs left to right
  var viewport = document.getElementById("chart-viewport");
  var outline = document.getElementById("chart-outline");
  var statusLine = document.getElementById("chart-status");
  var layout = null, view = null, focusKey = null;

  function make(name, attrs, parent) {
    var node = document.createElementNS(NS, name);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (parent) parent.appendChild(node);
    return node;
  }
  function text(parent, attrs, value) { var node = make("text", attrs, parent); node.textContent = value; return node; }
  function clip(value, chars) { return value.length > chars ? value.slice(0, Math.max(1, chars - 1)) + "…" : value; }
  function clamp(value, low, high) { return Math.max(low, Math.min(high, value)); }
  function chartHref(p) { return config.chart_url + "?kind=" + kind + "&focus=" + p.id; }
  function label(p) { return p.name + (p.years ? ", " + p.years : "") + (p.hypothetical ? ", hypothetical" : ""); }
  function word(p, male, female, other) { return p.sex === "M" ? male : p.sex === "F" ? female : other; }
  function parentsOf(p) { return p.parents && !p.hideUp ? p.parents.filter(Boolean) : []; }
  function familiesOf(p) { return p.families && !p.hideDown ? p.families : []; }
  function canGoUp(p) { return kind !== "descendants" && (p.more_parents || (p.parents && p.parents.length > 0)); }
  function canGoDown(p) {
    return (kind === "descendants" || kind === "hourglass") && (p.more_children || (p.families || []).some(function (f) {
      return f.children.length > 0 || f.generated;
    }));
  }

  // ---- Horizontal layout: each branch gets a band of rows; a person sits at the middle of its branch. ----
  function newLayout() { return { persons: [], lines: [], groups: [], controls: [] }; }
  function addPerson(p, x, y, key, role, side) {
    var entry = { p: p, x: x, y: y, cx: x + W / 2, cy: y + H / 2, key: key, role: role, side: side,
                  older: null, younger: null, kin: [] };
    layout.persons.push(entry);
    return entry;
  }
  function ancBand(p) {
    var sum = 0;
    parentsOf(p).forEach(function (q, i) { sum += ancBand(q) + (i ? GY : 0); });
    p._ancSum = sum;
    p._ancBand = Math.max(H + (p.sibling_generated ? H + STACK : 0), sum);
    return p._ancBand;
  }
  function placeAnc(p, depth, top, key, role) {
    var cursor = top + (p._ancBand - p._ancSum) / 2, placed = [];
    parentsOf(p).forEach(function (q, i) {
      placed.push(placeAnc(q, depth + 1, cursor, key + ".u" + i, word(q, "father", "mother", "parent")));
      cursor += q._ancBand + GY;
    });
    var above = p.sibling_generated ? H + STACK : 0;
    var mid = placed.length ? (placed[0].cy + placed[placed.length - 1].cy) / 2 : top + (p._ancBand + above) / 2;
    var cy = clamp(mid, top + above + H / 2, top + p._ancBand - H / 2);
    var entry = addPerson(p, ancDir * depth * (W + GX), cy - H / 2, key, role, depth ? "anc" : "root");
    entry.parents = placed;
    entry.older = placed[0] || null;
    placed.forEach(function (q) { q.younger = entry; joinLine(q, entry, "child"); });
    if (above) {
      var group = { g: p.sibling_generated, x: entry.x, y: entry.y - above };
      layout.groups.push(group);
      placed.forEach(function (q) { joinLine(q, group, "generated"); });
    }
    return entry;
  }
  function descItems(p) {
    var items = [];
    familiesOf(p).forEach(function (family, f) {
      family.children.forEach(function (child, i) { if (child) items.push({ child: child, family: f, index: i }); });
      if (family.generated) items.push({ generated: family.generated, family: f });
    });
    return items;
  }
  function descBand(p) {
    var sum = 0;
    descItems(p).forEach(function (item, i) { sum += (item.child ? descBand(item.child) : H) + (i ? GY : 0); });
    var partners = familiesOf(p).filter(function (f) { return f.partner; }).length;
    p._descSum = sum;
    p._descBlock = H + partners * (H + STACK);
    p._descBand = Math.max(p._descBlock, sum);
    return p._descBand;
  }
  function placeDesc(p, depth, top, key, role) {
    var x = depth * (W + GX), cursor = top + (p._descBand - p._descSum) / 2, placed = [];
    descItems(p).forEach(function (item) {
      if (item.child) {
        placed.push({ item: item, entry: placeDesc(item.child, depth + 1, cursor, key + ".d" + item.family + "." + item.index,
                                                   word(item.child, "son", "daughter", "child")) });
        cursor += item.child._descBand + GY;
      } else {
        var group = { g: item.generated, x: x + W + GX, y: cursor };
        layout.groups.push(group);
        placed.push({ item: item, entry: { x: group.x, y: group.y, cx: group.x + W / 2, cy: group.y + H / 2, group: true } });
        cursor += H + GY;
      }
    });
    var mid = placed.length ? (placed[0].entry.cy + placed[placed.length - 1].entry.cy) / 2 : top + p._descBand / 2;
    var blockTop = clamp(mid - p._descBlock / 2, top, top + p._descBand - p._descBlock);
    var entry = addPerson(p, x, blockTop, key, role, depth ? "desc" : "root");
    var anchors = {}, below = blockTop;
    familiesOf(p).forEach(function (family, f) {
      anchors[f] = entry;
      if (!family.partner) return;
      below += H + STACK;
      var partner = addPerson(family.partner, x, below, key + ".p" + f, "partner", "partner");
      partner.spouse = entry;
      layout.lines.push({ x1: x + 14, y1: below - STACK, x2: x + 14, y2: below, cls: "partner" });
      anchors[f] = partner;
    });
    entry.children = [];
    placed.forEach(function (placedItem) {
      var anchor = anchors[placedItem.item.family];
      joinLine(anchor, placedItem.entry, placedItem.item.child ? "child" : "generated");
      if (placedItem.entry.group) return;
      placedItem.entry.older = entry;
      entry.children.push(placedItem.entry);
      if (anchor !== entry && !anchor.younger) anchor.younger = placedItem.entry;
    });
    entry.younger = entry.children[0] || null;
    return entry;
  }
  function joinLine(a, b, cls) {
    // An elbow between the facing edges of two boxes in neighbouring columns.
    var left = a.x < b.x ? a : b, right = left === a ? b : a;
    layout.lines.push({ x1: left.x + W, y1: left.cy !== undefined ? left.cy : left.y + H / 2, x2: right.x,
                        y2: right.cy !== undefined ? right.cy : right.y + H / 2, cls: cls });
  }
  function shift(from, dy) {
    layout.persons.slice(from.persons).forEach(function (e) { e.y += dy; e.cy += dy; });
    layout.lines.slice(from.lines).forEach(function (l) { l.y1 += dy; l.y2 += dy; });
    layout.groups.slice(from.groups).forEach(function (g) { g.y += dy; });
  }
  function layoutRows() {
    var rootEntry = null;
    if (kind !== "descendants") { ancBand(root); rootEntry = placeAnc(root, 0, 0, "r", "focus"); }
    if (kind === "descendants" || kind === "hourglass") {
      var mark = { persons: layout.persons.length, lines: layout.lines.length, groups: layout.groups.length };
      descBand(root);
      var rootDesc = placeDesc(root, 0, 0, "r", "focus");
      if (rootEntry) {
        shift(mark, rootEntry.y - rootDesc.y);
        // The focus is drawn once: the ancestors' copy takes over the descendants' relations.
        layout.persons.splice(layout.persons.indexOf(rootDesc), 1);
        rootEntry.children = rootDesc.children;
        rootEntry.younger = rootDesc.younger;
        rootEntry.children.forEach(function (c) { c.older = rootEntry; });
        layout.persons.forEach(function (e) { if (e.spouse === rootDesc) e.spouse = rootEntry; });
      }
    }
  }

  // ---- Fan: the focus in the centre, each generation of ancestors one ring of a half circle. ----
  function ringRadius(ring) { var r = 0; for (var i = 0; i <= ring; i += 1) r += FAN_RINGS[Math.min(i, FAN_RINGS.length - 1)]; return r; }
  function polar(r, angle) { var a = angle * Math.PI / 180; return [r * Math.sin(a), -r * Math.cos(a)]; }
  function layoutFan() {
    function place(p, ring, a0, a1, key, role) {
      var r0 = ring ? ringRadius(ring - 1) : 0, r1 = ringRadius(ring), mid = polar((r0 + r1) / 2, (a0 + a1) / 2);
      var entry = addPerson(p, mid[0] - W / 2, mid[1] - H / 2, key, role, ring ? "anc" : "root");
      entry.cx = mid[0]; entry.cy = mid[1];
      entry.fan = { ring: ring, a0: a0, a1: a1, r0: r0, r1: r1 };
      var parents = parentsOf(p), placed = [];
      parents.forEach(function (q, i) {
        // A lone parent takes the half its sex belongs to, so fathers stay on the left all round.
        var half = parents.length === 2 ? i : q.sex === "F" ? 1 : 0, am = (a0 + a1) / 2;
        placed.push(place(q, ring + 1, half ? am : a0, half ? a1 : am, key + ".u" + i, word(q, "father", "mother", "parent")));
      });
      entry.parents = placed;
      entry.older = placed[0] || null;
      placed.forEach(function (q) { q.younger = entry; });
      return entry;
    }
    place(root, 0, -90, 90, "r", "focus");
    // The candidates generated for the focus person's parents stand just under the focus, as siblings would.
    if (root.sibling_generated && !root.hideUp) layout.groups.push({ g: root.sibling_generated, x: -W / 2, y: 16 });
  }

  // ---- Drawing ----
  function drawPerson(entry) {
    var p = entry.p, focus = entry.key === "r";
    var link = make("a", {
      href: focus ? p.page : chartHref(p), "data-person-id": p.id, "data-key": entry.key,
      "aria-label": label(p) + (focus ? ", focus of the chart: open the person page" : ", " + entry.role),
      class: "node sex-" + p.sex + (focus ? " focus" : "") + (p.private ? " private" : "")
        + (p.hypothetical ? " hypothetical" : "") + (p.synthetic_portrait ? " synthetic-portrait" : ""),
    }, viewport);
    entry.el = link;
    if (entry.fan) return drawFanPerson(entry, link);
    make("rect", { x: entry.x, y: entry.y, width: W, height: H, rx: 8 }, link);
    var textX = entry.x + 10, chars = 22;
    if (p.thumb) {
      make("image", { href: p.thumb, x: entry.x + 6, y: entry.y + 6, width: THUMB, height: THUMB,
                      preserveAspectRatio: "xMidYMid slice" }, link);
      if (p.synthetic_portrait) {
        make("rect", { class: "synthetic-frame", x: entry.x + 5, y: entry.y + 5, width: THUMB + 2, height: THUMB + 2, rx: 3 }, link);
        var badge = make("g", { class: "synthetic-badge" }, link);
        make("rect", { x: entry.x + 4, y: entry.y + 40, width: 48, height: 13, rx: 6 }, badge);
        text(badge, { x: entry.x + 28, y: entry.y + 50, "text-anchor": "middle" }, "synthetic");
      }
      textX = entry.x + THUMB + 14; chars = 17;
    }
    text(link, { x: textX, y: entry.y + 24, class: "name" }, clip(p.name, chars));
    text(link, { x: textX, y: entry.y + 44, class: "years" }, clip(p.years + (p.hypothetical ? " hypothetical" : ""), chars + 3));
  }
  function arcPath(f) {
    var large = f.a1 - f.a0 > 180 ? 1 : 0;
    var o0 = polar(f.r1, f.a0), o1 = polar(f.r1, f.a1), i1 = polar(f.r0, f.a1), i0 = polar(f.r0, f.a0);
    return ["M", o0, "A", f.r1, f.r1, 0, large, 1, o1, "L", i1, "A", f.r0, f.r0, 0, large, 0, i0, "Z"].join(" ");
  }
  function drawFanPerson(entry, link) {
    var f = entry.fan, p = entry.p, mid = (f.a0 + f.a1) / 2, rm = (f.r0 + f.r1) / 2;
    if (!f.ring) {
      make("path", { d: "M " + -f.r1 + " 0 A " + f.r1 + " " + f.r1 + " 0 0 1 " + f.r1 + " 0 Z" }, link);
    } else {
      make("path", { d: arcPath(f) }, link);
    }
    var radial = f.ring >= 3, across = (f.a1 - f.a0) * Math.PI / 180 * (radial ? f.r0 : rm);
    var rotate = radial ? (mid >= 0 ? mid - 90 : mid + 90) : mid;
    var chars = Math.floor(((radial ? f.r1 - f.r0 : across) - 12) / 7.2);
    var at = f.ring ? polar(rm, mid) : [0, -f.r1 / 2];
    var group = make("g", { transform: "translate(" + at[0] + " " + at[1] + ") rotate(" + rotate + ")" }, link);
    var twoLines = (radial ? across : f.r1 - f.r0) >= 34;
    text(group, { x: 0, y: twoLines ? -3 : 4, "text-anchor": "middle", class: "name" }, clip(p.name, chars));
    if (twoLines) text(group, { x: 0, y: 13, "text-anchor": "middle", class: "years" }, clip(p.years, chars + 2));
  }
  function drawGroup(group) {
    var g = group.g, x = group.x, y = group.y;
    var node = make("g", { class: "generated-group", id: "generated-" + g.family, "data-family-id": g.family }, viewport);
    make("title", {}, node).textContent = g.total + " synthetic candidate" + (g.total === 1 ? "" : "s")
      + " generated for this family (job " + g.job + "); not photographs";
    make("rect", { class: "generated-frame", x: x, y: y, width: W, height: H, rx: 8 }, node);
    var link = make("a", { href: g.href, class: "generated-link",
                           "aria-label": g.total + " synthetic candidates of this family: open the family's gallery" }, node);
    g.thumbs.forEach(function (href, i) {
      make("image", { class: "generated-thumb", href: href, x: x + 6 + i * (THUMB + 6), y: y + 6, width: THUMB, height: THUMB,
                      preserveAspectRatio: "xMidYMid slice" }, link);
    });
    text(link, { class: "generated-collapsed", x: x + 66, y: y + 30 }, g.total + " generated");
    if (g.thumbs.length < 3) {
      text(link, { class: "generated-label", x: x + 8 + g.thumbs.length * (THUMB + 6), y: y + 33 },
           g.total + " candidate" + (g.total === 1 ? "" : "s"));
    }
    var badge = make("g", { class: "synthetic-badge" }, node);
    make("rect", { x: x + 4, y: y + 40, width: 48, height: 13, rx: 6 }, badge);
    text(badge, { x: x + 28, y: y + 50, "text-anchor": "middle" }, "synthetic");
    if (g.total > g.thumbs.length) text(node, { class: "generated-more", x: x + W - 6, y: y + 50, "text-anchor": "end" }, "+" + (g.total - g.thumbs.length));
  }
  function drawControl(entry, direction) {
    var p = entry.p, up = direction === "up";
    var open = up ? p.parents && !p.hideUp && !p.more_parents : p.families && !p.hideDown && !p.more_children;
    var x, y;
    if (entry.fan) {
      // Outside the arc while the parents are hidden; inside its rim once their ring covers the outside.
      var at = polar(entry.fan.r1 + (open ? -13 : 13), (entry.fan.a0 + entry.fan.a1) / 2); x = at[0]; y = at[1];
    } else {
      x = up ? (ancDir > 0 ? entry.x + W + 13 : entry.x - 13) : entry.x + W + 13; y = entry.cy;
    }
    var what = up ? "parents" : "children";
    var button = make("g", { class: "expand", role: "button", tabindex: "0", "data-key": entry.key + ":" + direction,
                             "aria-expanded": open ? "true" : "false",
                             "aria-label": (open ? "Hide " : "Show ") + what + " of " + p.name }, viewport);
    make("circle", { cx: x, cy: y, r: 11 }, button);
    text(button, { x: x, y: y + 5, "text-anchor": "middle" }, open ? "−" : "+");
    function act(evt) { evt.preventDefault(); toggle(entry, direction, button); }
    button.addEventListener("click", act);
    button.addEventListener("keydown", function (evt) { if (evt.key === "Enter" || evt.key === " ") act(evt); });
  }
  function drawLine(line) {
    var mx = (line.x1 + line.x2) / 2;
    make("path", { class: "edge " + line.cls, fill: "none",
                   d: ["M", line.x1, line.y1, "H", mx, "V", line.y2, "H", line.x2].join(" ") }, viewport);
  }
  function render() {
    layout = newLayout();
    if (kind === "fan") layoutFan(); else layoutRows();
    while (viewport.firstChild) viewport.removeChild(viewport.firstChild);
    layout.lines.forEach(drawLine);
    layout.groups.forEach(drawGroup);
    // Tab order follows the page: column by column, top to bottom (ring by ring, left to right, on a fan).
    var order = layout.persons.slice().sort(function (a, b) {
      if (a.fan) return a.fan.ring - b.fan.ring || a.fan.a0 - b.fan.a0;
      return a.x - b.x || a.y - b.y;
    });
    order.forEach(function (entry) {
      drawPerson(entry);
      if (entry.role === "partner") return;
      if (entry.side !== "desc" && canGoUp(entry.p) && (!entry.fan || entry.fan.ring < FAN_RINGS.length - 1)) drawControl(entry, "up");
      if (entry.side !== "anc" && canGoDown(entry.p)) drawControl(entry, "down");
    });
    var toggleButton = document.getElementById("toggle-generated");
    if (toggleButton) toggleButton.hidden = layout.groups.length === 0;
    drawOutline();
  }

  // ---- The same chart as nested lists, for screen readers ----
  function outlineItem(p, role, parentList) {
    if (!p) return;
    var item = document.createElement("li"), link = document.createElement("a");
    link.href = p.focus ? p.page : chartHref(p); link.tabIndex = -1;
    link.textContent = (role ? role + ": " : "") + label(p);
    item.appendChild(link); parentList.appendChild(item);
    if (kind !== "descendants" && parentsOf(p).length) {
      var parents = document.createElement("ul");
      parents.setAttribute("aria-label", "Parents of " + p.name);
      parentsOf(p).forEach(function (q) { outlineItem(q, word(q, "Father", "Mother", "Parent"), parents); });
      item.appendChild(parents);
    }
    if (p.more_parents) item.appendChild(document.createTextNode(" (more ancestors: use Show parents)"));
    familiesOf(p).forEach(function (family) {
      var children = document.createElement("ul");
      children.setAttribute("aria-label", "Family of " + p.name + (family.partner ? " and " + family.partner.name : ""));
      outlineItem(family.partner, "Partner", children);
      family.children.forEach(function (c) { outlineItem(c, word(c, "Son", "Daughter", "Child"), children); });
      if (family.generated) {
        var li = document.createElement("li"), a = document.createElement("a");
        a.href = family.generated.href; a.tabIndex = -1;
        a.textContent = family.generated.total + " synthetic candidates (generated, not photographs)";
        li.appendChild(a); children.appendChild(li);
      }
      item.appendChild(children);
    });
    if (p.more_children) item.appendChild(document.createTextNode(" (more descendants: use Show children)"));
  }
  function drawOutline() {
    while (outline.firstChild) outline.removeChild(outline.firstChild);
    outlineItem(root, "", outline);
  }

  // ---- Opening and closing branches ----
  function toggle(entry, direction, button) {
    var p = entry.p, up = direction === "up";
    var missing = up ? p.more_parents : p.more_children;
    focusKey = entry.key + ":" + direction;
    if (!missing) {
      if (up) p.hideUp = !p.hideUp; else p.hideDown = !p.hideDown;
      rerender(entry.key);
      announce((up ? (p.hideUp ? "Parents of " : "Showing parents of ") : (p.hideDown ? "Children of " : "Showing children of "))
               + p.name + ((up ? p.hideUp : p.hideDown) ? " hidden." : "."));
      return;
    }
    button.setAttribute("aria-busy", "true");
    var url = config.branch_url + "?person=" + p.id + "&direction=" + direction + "&generations=2";
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) throw new Error(body.detail || response.statusText);
          return body.person;
        });
      })
      .then(function (branch) {
        if (up) { p.parents = branch.parents; p.sibling_generated = branch.sibling_generated; p.more_parents = false; p.hideUp = false; }
        else { p.families = branch.families; p.more_children = false; p.hideDown = false; }
        rerender(entry.key);
        var count = up ? (branch.parents || []).length : (branch.families || []).reduce(function (n, f) { return n + f.children.length; }, 0);
        announce("Showing " + count + (up ? " parent" : " child") + (count === 1 ? "" : up ? "s" : "ren") + " of " + p.name + ".");
      })
      .catch(function (error) {
        button.removeAttribute("aria-busy");
        announce("Could not load the branch: " + error.message);
      });
  }
  function announce(message) { statusLine.textContent = message; }
  function rerender(anchorKey) {
    // Keep the branch that was opened where it was on screen while the rest of the chart moves round it.
    var before = find(anchorKey);
    render();
    var after = find(anchorKey);
    if (before && after) { view.x += after.cx - before.cx; view.y += after.cy - before.cy; apply(); }
    restoreFocus();
  }
  function find(key) { return layout.persons.filter(function (e) { return e.key === key; })[0]; }
  function restoreFocus() {
    if (!focusKey) return;
    var node = viewport.querySelector('[data-key="' + focusKey + '"]');
    if (node) node.focus();
  }

  // ---- Pan and zoom through the viewBox: 1 unit is 1 CSS pixel at first paint, so text is readable ----
  function apply() { svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].join(" ")); }
  function centreOn(entry) {
    var width = svg.clientWidth || 800, height = svg.clientHeight || 600;
    var scale = view ? width / view.w : 1;
    view = { w: width / scale, h: height / scale };
    // A fan opens upwards: its centre sits near the bottom edge so that the inner rings fill the view.
    var y = entry.fan ? FAN_RINGS[0] + 30 - view.h / 2 : entry.cy;
    view.x = entry.cx - view.w / 2; view.y = y - view.h / 2; apply();
  }
  function zoom(factor, cx, cy) {
    cx = cx === undefined ? view.x + view.w / 2 : cx;
    cy = cy === undefined ? view.y + view.h / 2 : cy;
    var scale = clamp(svg.clientWidth / view.w * factor, 0.15, 4);
    factor = scale / (svg.clientWidth / view.w);
    view.x = cx - (cx - view.x) / factor; view.y = cy - (cy - view.y) / factor;
    view.w /= factor; view.h /= factor; apply();
  }
  function toChart(clientX, clientY) {
    var rect = svg.getBoundingClientRect();
    return { x: view.x + (clientX - rect.left) / rect.width * view.w, y: view.y + (clientY - rect.top) / rect.height * view.h };
  }
  svg.addEventListener("wheel", function (evt) {
    evt.preventDefault(); var at = toChart(evt.clientX, evt.clientY); zoom(evt.deltaY < 0 ? 1.15 : 1 / 1.15, at.x, at.y);
  }, { passive: false });
  var pointers = {}, dragged = false, pinch = null;
  svg.addEventListener("pointerdown", function (evt) {
    pointers[evt.pointerId] = { x: evt.clientX, y: evt.clientY, startX: evt.clientX, startY: evt.clientY };
    if (Object.keys(pointers).length === 1) dragged = false;
  });
  svg.addEventListener("pointermove", function (evt) {
    var pointer = pointers[evt.pointerId];
    if (!pointer) return;
    var ids = Object.keys(pointers);
    if (ids.length === 2) {
      // Pinch: zoom by the change of the distance between the two fingers, about their midpoint.
      pointer.x = evt.clientX; pointer.y = evt.clientY;
      var a = pointers[ids[0]], b = pointers[ids[1]], distance = Math.hypot(a.x - b.x, a.y - b.y);
      var mid = toChart((a.x + b.x) / 2, (a.y + b.y) / 2);
      if (pinch) zoom(distance / pinch, mid.x, mid.y);
      pinch = distance; dragged = true;
      return;
    }
    if (!dragged && Math.hypot(evt.clientX - pointer.startX, evt.clientY - pointer.startY) < 6) return;
    if (!dragged) {
      dragged = true;
      try { svg.setPointerCapture(evt.pointerId); } catch (e) { /* a pointer the browser no longer tracks */ }
    }
    var rect = svg.getBoundingClientRect();
    view.x -= (evt.clientX - pointer.x) / rect.width * view.w;
    view.y -= (evt.clientY - pointer.y) / rect.height * view.h;
    pointer.x = evt.clientX; pointer.y = evt.clientY; apply();
  });
  function release(evt) { delete pointers[evt.pointerId]; pinch = null; }
  svg.addEventListener("pointerup", release);
  svg.addEventListener("pointercancel", release);
  // A drag that starts on a person pans the chart; it must not also open the person.
  svg.addEventListener("click", function (evt) { if (dragged) { evt.preventDefault(); evt.stopPropagation(); dragged = false; } }, true);
  document.querySelectorAll("[data-zoom]").forEach(function (button) {
    button.addEventListener("click", function () {
      if (button.dataset.zoom === "reset") { view = null; centreOn(find("r")); } else zoom(Number(button.dataset.zoom));
    });
  });

  // ---- Keyboard: arrows move between relatives, Enter follows the link ----
  function neighbour(entry, key) {
    var same;
    if (entry.fan) {
      if (key === "ArrowUp") return entry.older;
      if (key === "ArrowDown") return entry.younger;
      same = layout.persons.filter(function (e) { return e.fan.ring === entry.fan.ring; })
        .sort(function (a, b) { return a.fan.a0 - b.fan.a0; });
      return same[same.indexOf(entry) + (key === "ArrowRight" ? 1 : -1)] || null;
    }
    if (key === "ArrowUp" || key === "ArrowDown") {
      same = layout.persons.filter(function (e) { return e.x === entry.x; }).sort(function (a, b) { return a.y - b.y; });
      return same[same.indexOf(entry) + (key === "ArrowDown" ? 1 : -1)] || null;
    }
    var towardAncestors = (key === "ArrowRight") === (ancDir > 0);
    if (entry.role === "partner") return towardAncestors ? entry.spouse : entry.younger;
    return towardAncestors ? entry.older : entry.younger;
  }
  svg.addEventListener("keydown", function (evt) {
    if (["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight"].indexOf(evt.key) < 0) return;
    var link = evt.target.closest && evt.target.closest("a.node");
    if (!link) return;
    evt.preventDefault();
    var entry = find(link.getAttribute("data-key")), next = entry && neighbour(entry, evt.key);
    if (!next) { announce("No relative that way."); return; }
    next.el.focus();
    focusKey = next.key;
  });
  svg.addEventListener("focusin", function (evt) {
    // Keep the focused person on screen (tabbing or arrows may reach someone outside the view).
    var key = evt.target.getAttribute && evt.target.getAttribute("data-key");
    var entry = key && find(key.split(":")[0]);
    if (!entry || !view) return;
    var margin = 20;
    if (entry.cx - W / 2 < view.x + margin || entry.cx + W / 2 > view.x + view.w - margin
        || entry.cy - H / 2 < view.y + margin || entry.cy + H / 2 > view.y + view.h - margin) {
      view.x = entry.cx - view.w / 2; view.y = entry.cy - view.h / 2; apply();
    }
  });

  render();
  centreOn(find("r"));
  window.kinshipChart = { view: function () { return view; } };
})();
// Collapse the generated-candidate groups to a count (and back); the choice survives reloads.
(function () {
  var button = document.getElementById("toggle-generated"), svg = document.getElementById("chart-svg");
  if (!button || !svg) return;
  function set(hidden) {
    svg.classList.toggle("hide-generated", hidden);
    button.setAttribute("aria-pressed", String(!hidden));
    button.textContent = hidden ? "Show generated candidates" : "Hide generated candidates";
    try { window.localStorage.setItem("kinship.hideGenerated", hidden ? "1" : ""); } catch (e) { /* private mode */ }
  }
  var stored = "";
  try { stored = window.localStorage.getItem("kinship.hideGenerated") || ""; } catch (e) { /* private mode */ }
  set(stored === "1");
  button.addEventListener("click", function () { set(!svg.classList.contains("hide-generated")); });
})();
