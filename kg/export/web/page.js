/* kg page: the graph drawn by Cytoscape.js at the diagram's positions, cards, search, filters, a legend and the
 * prediction overlay. Offline (an exported file) it uses only the embedded data; served by `kg serve` (data.api
 * set) it also searches the whole graph, loads cards and other views from the API and runs predictions.
 * Every label reaches the screen as text (textContent, canvas labels), never as markup. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var API = data.api || null;
  var SIGN_COLOURS = data.style.sign_colours;
  var DIRECTION_COLOURS = data.style.direction_colours;
  var SYMBOLS = data.style.direction_symbols;
  var LINE_STYLES = data.style.status_styles;
  var SVG_NS = "http://www.w3.org/2000/svg";
  var MAX_FITTED = 60;
  var cy = null;
  var view = data;               // the drawn selection's data (elements, legend, title)
  var scope = data.scope || {};  // {module, focus, depth} of the drawn selection (served pages)
  var prediction = null;         // the last prediction's JSON (served pages)

  // ---- small helpers ------------------------------------------------------------------------------------
  function expand(curie) {
    var i = curie.indexOf(":");
    var base = i > 0 ? data.prefixes[curie.slice(0, i)] : null;
    return base ? base + curie.slice(i + 1) : null;
  }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }
  function svg(tag, attrs) {
    var node = document.createElementNS(SVG_NS, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }
  function link(curie) {
    var iri = expand(curie);
    if (!iri) return el("span", {}, curie);
    return el("a", { href: iri, target: "_blank", rel: "noopener noreferrer" }, curie);
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }
  function fold(value) {
    if (value === null || value === undefined) return "";
    var text = Number(value).toPrecision(3);
    return Number(text) === 1 && value !== 1 ? Number(value).toPrecision(4) : String(Number(text));
  }
  function api(path, params) {
    var query = new URLSearchParams();
    Object.keys(params || {}).forEach(function (k) {
      var v = params[k];
      (Array.isArray(v) ? v : [v]).forEach(function (item) {
        if (item !== null && item !== undefined && item !== "") query.append(k, item);
      });
    });
    var text = query.toString();
    return API + path + (text ? "?" + text : "");
  }
  function getJSON(url) {
    return fetch(url, { headers: { "Accept": "application/json" } }).then(function (response) {
      return response.json().catch(function () { return { error: "HTTP " + response.status }; })
        .then(function (body) {
          if (!response.ok) throw new Error(body.error || ("HTTP " + response.status));
          return body;
        });
    });
  }

  // ---- drawing ------------------------------------------------------------------------------------------
  function styles(elements) {
    var style = [
      { selector: "node[kind = 'entity']", style: {
          "shape": "data(shape)", "background-color": "data(fill)", "label": "data(name)",
          "border-width": 1, "border-color": "#333", "text-valign": "center", "text-halign": "center",
          "font-size": 11, "text-wrap": "wrap", "text-max-width": "data(w)", "width": "data(w)",
          "height": "data(h)" } },
      { selector: "node[kind = 'compartment']", style: {
          "label": "data(name)", "text-valign": "top", "text-halign": "center", "background-color": "#f4f4f4",
          "border-color": "#b0b0b0", "border-width": 1, "shape": "round-rectangle", "color": "#666",
          "font-size": 12, "padding": 4, "text-margin-y": -2 } },
      { selector: "edge", style: {
          "curve-style": "bezier", "width": 1.6, "line-color": "data(colour)", "target-arrow-color": "data(colour)",
          "arrow-scale": 1.1 } },
      { selector: "node.overlaid", style: { "background-color": "data(overlay_fill)", "label": "data(overlay_label)",
                                            "height": "data(oh)", "font-weight": "bold" } },
      { selector: "node.dimmed", style: { "opacity": 0.35 } },
      { selector: ":selected", style: { "border-width": 3, "border-color": "#1565c0", "line-color": "#1565c0" } },
      { selector: ".hidden", style: { "display": "none" } }
    ];
    // arrow shapes and line styles take no data() mappers in Cytoscape.js: one selector per value in use
    var seen = {};
    elements.edges.forEach(function (e) {
      e.data.colour = SIGN_COLOURS[e.data.sign] || "#555";
      e.data.line = LINE_STYLES[e.data.status || "established"] || "solid";
      if (!seen["a" + e.data.arrow]) {
        seen["a" + e.data.arrow] = true;
        style.splice(3, 0, { selector: "edge[arrow = '" + e.data.arrow + "']",
                             style: { "target-arrow-shape": e.data.arrow } });
      }
      if (!seen["l" + e.data.line]) {
        seen["l" + e.data.line] = true;
        style.splice(3, 0, { selector: "edge[line = '" + e.data.line + "']", style: { "line-style": e.data.line } });
      }
    });
    return style;
  }

  function draw(viewData) {
    view = viewData;
    if (cy) cy.destroy();
    viewData.elements.nodes.forEach(function (n) { n.data.oh = (n.data.h || 30) + 22; });
    cy = cytoscape({
      container: document.getElementById("cy"), elements: viewData.elements, style: styles(viewData.elements),
      layout: { name: "preset", fit: true, padding: 30 }, minZoom: 0.05, maxZoom: 6
    });
    window.kgCy = cy;
    // The positions are the printed figure's. A large graph fitted whole shows unreadably small labels, so its
    // first view is centred on the best-connected entity at the figure's own scale; "Fit" shows everything.
    var entities = cy.nodes("[kind = 'entity']");
    if (entities.length > MAX_FITTED && cy.zoom() < 1) {
      cy.zoom(1);
      cy.center(entities.max(function (n) { return n.degree(false); }).ele);
    }
    cy.on("tap", "node[kind = 'entity']", function (evt) { openCard(evt.target.id()); });
    document.getElementById("title").textContent = viewData.title;
    legend();
    applyFilters();
    applyOverlay();
  }

  // ---- cards --------------------------------------------------------------------------------------------
  function localCard(node) {
    var d = node.data();
    var card = {};
    Object.keys(d).forEach(function (k) { card[k] = d[k]; });
    card.label = d.name;
    card.edges = node.connectedEdges().map(function (edge) {
      var e = edge.data();
      var out = {};
      Object.keys(e).forEach(function (k) { out[k] = e[k]; });
      out.subject_label = cy.getElementById(e.source).data("name");
      out.object_label = cy.getElementById(e.target).data("name");
      return out;
    }).sort(function (a, b) { return a.id < b.id ? -1 : 1; });
    return card;
  }

  function renderCard(card) {
    var box = clear(document.getElementById("card"));
    box.appendChild(el("h2", { id: "card-title" }, card.label));
    var idLine = el("div", { "class": "id" });
    idLine.appendChild(link(card.id));
    idLine.appendChild(document.createTextNode(" · " + String(card.category || "").replace(/_/g, " ")));
    box.appendChild(idLine);
    var dl = el("dl");
    function row(label, values, asLinks) {
      if (!values || !values.length) return;
      dl.appendChild(el("dt", {}, label));
      var dd = el("dd");
      values.forEach(function (v, i) {
        if (i) dd.appendChild(document.createTextNode(", "));
        dd.appendChild(asLinks ? link(v) : document.createTextNode(v));
      });
      dl.appendChild(dd);
    }
    row("Symbol", card.symbol ? [card.symbol] : []);
    row("Synonyms", card.synonyms);
    row("Cross-references", card.xrefs, true);
    row("Gene", card.gene ? [card.gene] : [], true);
    row("HGVS", card.hgvs ? [card.hgvs] : []);
    row("Compartments", card.compartments);
    row("Description", card.description ? [card.description] : []);
    var node = cy && cy.getElementById(card.id);
    var p = node && node.length ? node.data("prediction") : null;
    if (p) row("Prediction", [p.direction + (p.fold_change === null || p.fold_change === undefined ? ""
                                             : ", fold change " + fold(p.fold_change))]);
    box.appendChild(dl);
    if (API) {
      var focus = el("button", { type: "button", id: "card-focus" }, "Draw around " + card.label);
      focus.addEventListener("click", function () { setScope({ focus: card.id, depth: 1 }); });
      box.appendChild(focus);
    }
    var edges = card.edges || [];
    box.appendChild(el("h3", {}, edges.length + " edges"));
    var list = el("ul");
    edges.forEach(function (e) {
      var li = el("li");
      li.appendChild(el("div", { "class": "edge" },
        e.subject_label + " " + String(e.predicate).replace(/_/g, " ") + " " + e.object_label));
      li.appendChild(el("div", { "class": "status-" + (e.status || "established") },
        (e.status || "established") + " · sign " + e.sign + " · " + String(e.mechanism || "").replace(/_/g, " ")));
      if (e.claim) li.appendChild(el("div", { "class": "ev" }, e.claim));
      var evs = el("ul");
      (e.evidence || []).forEach(function (ev) {
        var item = el("li", { "class": "ev" });
        item.appendChild(link(ev.source));
        var bits = [ev.reference, ev.species, ev.system, ev.assay, ev.confidence && ev.confidence + " confidence",
                    ev.statement].filter(Boolean);
        if (bits.length) item.appendChild(document.createTextNode(" — " + bits.join("; ")));
        evs.appendChild(item);
      });
      li.appendChild(evs);
      list.appendChild(li);
    });
    box.appendChild(list);
  }

  function openCard(id) {
    if (!API) { renderCard(localCard(cy.getElementById(id))); return Promise.resolve(); }
    return getJSON(API + "/entities/" + encodeURIComponent(id)).then(renderCard).catch(function (err) {
      var box = clear(document.getElementById("card"));
      box.appendChild(el("p", { "class": "hint" }, err.message));
    });
  }

  // ---- search -------------------------------------------------------------------------------------------
  function matches(query) {
    var q = query.trim().toLowerCase();
    if (!q) return cy.collection();
    var exact = [], partial = [];
    cy.nodes("[kind = 'entity']").forEach(function (n) {
      var d = n.data();
      var names = [d.name, d.id, d.symbol].concat(d.synonyms || [], d.xrefs || []).filter(Boolean)
        .map(function (s) { return String(s).toLowerCase(); });
      if (names.indexOf(q) >= 0) exact.push(n);
      else if (names.some(function (s) { return s.indexOf(q) >= 0; })) partial.push(n);
    });
    return cy.collection(exact.concat(partial));
  }
  function select(node) {
    cy.elements().unselect();
    node.select();
    cy.animate({ center: { eles: node }, zoom: Math.max(cy.zoom(), 1.2) }, { duration: 200 });
  }
  document.getElementById("search-form").addEventListener("submit", function (evt) {
    evt.preventDefault();
    var text = document.getElementById("search").value;
    var found = matches(text);
    var status = clear(document.getElementById("matches"));
    status.textContent = found.length + " found";
    if (found.length) {
      found.select();
      select(found[0]);
      openCard(found[0].id());
    }
    if (!API || !text.trim()) return;
    getJSON(api("/search", { q: text.trim(), limit: 8 })).then(function (rows) {
      var elsewhere = rows.filter(function (r) { return !cy.getElementById(r.id).length; });
      if (!found.length && rows.length) openCard(rows[0].id);
      if (!elsewhere.length) return;
      status.appendChild(document.createTextNode(" here; elsewhere: "));
      elsewhere.slice(0, 5).forEach(function (r) {
        var button = el("button", { type: "button" }, r.label);
        button.addEventListener("click", function () { openCard(r.id); });
        status.appendChild(button);
      });
    }).catch(function (err) { status.textContent = err.message; });
  });
  document.getElementById("fit").addEventListener("click", function () { cy.fit(undefined, 30); });

  // ---- filters ------------------------------------------------------------------------------------------
  var active = { sign: {}, status: {} };
  function applyFilters() {
    cy.edges().forEach(function (e) {
      var ok = active.sign[e.data("sign")] !== false && active.status[e.data("status") || "established"] !== false;
      e.toggleClass("hidden", !ok);
    });
  }
  function checkboxes(id, kind, values) {
    var box = document.getElementById(id);
    values.forEach(function (v) {
      var label = el("label");
      var input = el("input", { type: "checkbox", "data-kind": kind, value: v });
      input.checked = true;
      input.addEventListener("change", function () { active[kind][v] = input.checked; applyFilters(); });
      label.appendChild(input);
      label.appendChild(document.createTextNode(" " + v));
      box.appendChild(label);
    });
  }
  checkboxes("filter-sign", "sign", data.signs);
  checkboxes("filter-status", "status", data.statuses);

  // ---- legend: what this view draws ---------------------------------------------------------------------
  function glyphSample(shape, fill, dashed) {
    var box = svg("svg", { width: 28, height: 16, viewBox: "0 0 28 16", "aria-hidden": "true" });
    var paint = { fill: fill, stroke: "#333", "stroke-width": 1 };
    if (dashed) paint["stroke-dasharray"] = "3 2";
    var points = { "hexagon": "1,8 7,1 21,1 27,8 21,15 7,15", "octagon": "1,5 5,1 23,1 27,5 27,11 23,15 5,15 1,11",
                   "rhomboid": "6,1 27,1 22,15 1,15", "tag": "1,1 22,1 27,8 22,15 1,15" }[shape];
    var node = shape === "ellipse" ? svg("ellipse", { cx: 14, cy: 8, rx: 13, ry: 7 })
      : points ? svg("polygon", { points: points })
      : svg("rect", { x: 1, y: 1, width: 26, height: 14, rx: shape === "round-rectangle" ? 4 : 0 });
    Object.keys(paint).forEach(function (k) { node.setAttribute(k, paint[k]); });
    box.appendChild(node);
    return box;
  }
  function arrowSample(head, colour, line) {
    var box = svg("svg", { width: 34, height: 12, viewBox: "0 0 34 12", "aria-hidden": "true" });
    var stroke = { stroke: colour, "stroke-width": 1.6, fill: "none" };
    var shaft = svg("line", { x1: 1, y1: 6, x2: head === "none" ? 33 : 26, y2: 6 });
    if (line === "dashed") shaft.setAttribute("stroke-dasharray", "4 3");
    if (line === "dotted") shaft.setAttribute("stroke-dasharray", "1 2");
    var tips = {
      "triangle": svg("polygon", { points: "26,2 33,6 26,10", fill: colour }),
      "triangle-backcurve": svg("polygon", { points: "26,2 33,6 26,10", fill: "#fff", stroke: colour }),
      "vee": svg("polyline", { points: "26,2 33,6 26,10", fill: "none", stroke: colour }),
      "tee": svg("line", { x1: 30, y1: 1, x2: 30, y2: 11, stroke: colour, "stroke-width": 2 }),
      "circle": svg("circle", { cx: 30, cy: 6, r: 3, fill: "#fff", stroke: colour })
    };
    Object.keys(stroke).forEach(function (k) { shaft.setAttribute(k, stroke[k]); });
    box.appendChild(shaft);
    if (tips[head]) box.appendChild(tips[head]);
    return box;
  }
  function legend() {
    var box = clear(document.getElementById("legend"));
    var spec = view.legend || { glyphs: [], arrows: [], statuses: [] };
    box.appendChild(el("h2", {}, "Legend"));
    var list = el("ul");
    function item(sample, text) {
      var li = el("li");
      li.appendChild(sample);
      li.appendChild(el("span", {}, text));
      list.appendChild(li);
    }
    spec.glyphs.forEach(function (g) { item(glyphSample(g.shape, g.fill, g.dashed), g.title); });
    spec.arrows.forEach(function (a) { item(arrowSample(a.arrow, a.colour, "solid"), a.title); });
    spec.statuses.forEach(function (s) { item(arrowSample("none", "#555", LINE_STYLES[s]), s); });
    if (hasOverlay()) {
      Object.keys(DIRECTION_COLOURS).forEach(function (d) {
        item(glyphSample("rectangle", DIRECTION_COLOURS[d], false), SYMBOLS[d] + " predicted " + d);
      });
    }
    box.appendChild(list);
  }

  // ---- the prediction overlay ---------------------------------------------------------------------------
  function hasOverlay() { return !!(prediction || data.overlay); }
  function overlayTitle() {
    if (prediction) {
      var names = prediction.perturbations.map(function (p) { return p.input; }).join(" + ");
      return "Predicted response to " + names + " in " + prediction.context.name;
    }
    return data.overlay ? data.overlay.title : "";
  }
  function applyOverlay() {
    if (!cy) return;
    if (prediction) {
      var byId = {};
      prediction.readouts.forEach(function (r) { byId[r.id] = r; });
      cy.nodes("[kind = 'entity']").forEach(function (n) {
        var r = byId[n.id()];
        n.data("prediction", r ? { direction: r.direction, fold_change: r.fold_change } : null);
      });
    }
    var on = hasOverlay();
    document.getElementById("overlay-toggle").hidden = !on;
    if (!on) return;
    document.getElementById("overlay-title").textContent = overlayTitle();
    var checked = document.getElementById("overlay").checked;
    cy.nodes("[kind = 'entity']").forEach(function (n) {
      var p = n.data("prediction");
      if (p) {
        n.data("overlay_fill", DIRECTION_COLOURS[p.direction]);
        var amount = p.direction === "unchanged" ? "" : (p.fold_change === null || p.fold_change === undefined
          ? " " + p.direction : " ×" + fold(p.fold_change));
        n.data("overlay_label", n.data("name") + "\n" + SYMBOLS[p.direction] + amount);
      }
      n.toggleClass("overlaid", checked && !!p);
      n.toggleClass("dimmed", checked && !p);
    });
    legend();
  }
  document.getElementById("overlay").addEventListener("change", applyOverlay);

  draw(data);
  cy.ready(function () { window.kgReady = true; });
  if (window.ResizeObserver) {  // the header grows with search results: keep the drawing's size in step
    new ResizeObserver(function () { if (cy) cy.resize(); }).observe(document.getElementById("cy"));
  }
  if (!API) return;

  // ==== served by `kg serve`: scope, predictions, completion, permalinks ==================================
  var links = document.getElementById("links");
  [["API documentation", "/docs"], ["offline copy of this view", null]].forEach(function (pair) {
    var a = el("a", { href: pair[1] || "#", id: pair[1] ? "docs-link" : "offline-link" }, pair[0]);
    links.appendChild(a);
  });
  function offlineLink() {
    document.getElementById("offline-link").setAttribute("href", api("/export/html", scope));
  }
  offlineLink();

  // ---- scope: which part of the graph is drawn ----------------------------------------------------------
  var form = document.getElementById("scope-form");
  var moduleBox = document.getElementById("scope-module");
  form.hidden = false;
  (data.modules || []).forEach(function (m) { moduleBox.appendChild(el("option", { value: "module:" + m }, m + " module")); });
  moduleBox.appendChild(el("option", { value: "focus" }, "neighbourhood"));
  moduleBox.appendChild(el("option", { value: "all" }, "whole graph"));
  function showScope() {
    moduleBox.value = scope.focus ? "focus" : (scope.module ? "module:" + scope.module : "all");
    document.getElementById("scope-focus").value = scope.focus || "";
    document.getElementById("scope-depth").value = String(scope.depth || 1);
    document.getElementById("scope-focus-label").hidden = moduleBox.value !== "focus";
  }
  moduleBox.addEventListener("change", function () {
    document.getElementById("scope-focus-label").hidden = moduleBox.value !== "focus";
  });
  function setScope(next) {
    var status = document.getElementById("matches");
    status.textContent = "drawing…";
    return getJSON(api("/view", next)).then(function (viewData) {
      scope = next;
      draw(viewData);
      showScope();
      offlineLink();
      permalink();
      status.textContent = "";
    }).catch(function (err) { status.textContent = err.message; });
  }
  form.addEventListener("submit", function (evt) {
    evt.preventDefault();
    var choice = moduleBox.value;
    var next = choice === "all" ? {} : choice === "focus"
      ? { focus: document.getElementById("scope-focus").value.trim(),
          depth: Number(document.getElementById("scope-depth").value) }
      : { module: choice.slice("module:".length) };
    setScope(next);
  });
  showScope();

  // ---- contexts and completion ---------------------------------------------------------------------------
  var params = new URLSearchParams(location.search);
  var pending = { context: params.get("context") };
  var contextBox = document.getElementById("context");
  contextBox.appendChild(el("option", { value: "" }, "context: plasma (default)"));
  getJSON(API + "/contexts").then(function (rows) {
    rows.forEach(function (c) { contextBox.appendChild(el("option", { value: c.name }, c.name + " — " + c.label)); });
    if (pending.context) contextBox.value = pending.context;
  }).catch(function () { /* the default context still works */ });

  var EFFECTS = ["ko", "lof", "gof", "up", "down"];
  var input = document.getElementById("perturbations");
  var options = document.getElementById("perturbation-options");
  var asked = 0;
  input.addEventListener("input", function () {
    var words = input.value.split(/\s+/);
    var last = words.pop();
    var before = words.join(" ") + (words.length ? " " : "");
    if (last.length < 2) return;
    var ticket = ++asked;
    var name = last.split("=")[0];
    getJSON(api("/search", { q: name, limit: 8 })).then(function (rows) {
      if (ticket !== asked) return;
      clear(options);
      rows.forEach(function (r) {
        var values = r.category === "sequence_variant" ? [r.label.replace(" ", ":")]
          : (r.category === "gene_or_protein" || r.category === "protein_complex")
            ? EFFECTS.map(function (e) { return (r.symbol || r.label) + "=" + e; }) : [r.label];
        values.forEach(function (v) { options.appendChild(el("option", { value: before + v })); });
      });
    }).catch(function () { /* no completion this time */ });
  });

  // ---- predictions --------------------------------------------------------------------------------------
  function perturbationsOf(text) { return text.split(/\s+/).filter(Boolean); }
  function permalink() {
    var params = new URLSearchParams();
    Object.keys(scope).forEach(function (k) { if (scope[k] !== undefined && scope[k] !== "") params.set(k, scope[k]); });
    if (!scope.module && !scope.focus) params.set("all", "1");
    if (prediction) {
      prediction.perturbations.forEach(function (p) { params.append("p", p.input); });
      if (contextBox.value) params.set("context", contextBox.value);
    }
    var text = params.toString();
    history.replaceState(null, "", location.pathname + (text ? "?" + text : ""));
  }
  function predictionLinks(query) {
    var box = clear(document.getElementById("predict-links"));
    box.appendChild(el("a", { href: location.pathname + location.search, id: "permalink" }, "permalink"));
    box.appendChild(el("a", { href: api("/predict", query), target: "_blank", rel: "noopener" }, "JSON"));
    box.appendChild(el("a", { href: api("/predict/plot", query), target: "_blank", rel: "noopener" }, "chart (SVG)"));
  }
  var LAYER_RANK = { input: 0, kinetic: 1, signed: 2 };
  function strength(r) {
    var f = r.fold_change;
    if (f === null || f === undefined) return 0;
    return f > 0 ? Math.abs(Math.log(f)) : Infinity;
  }
  function renderReadouts(result) {
    var box = clear(document.getElementById("readouts"));
    var changed = result.readouts.filter(function (r) { return r.direction !== "unchanged"; });
    changed.sort(function (a, b) {
      return (LAYER_RANK[a.layer] - LAYER_RANK[b.layer]) || (strength(b) - strength(a)) ||
        (a.label < b.label ? -1 : 1);
    });
    var table = el("table", { id: "readout-table" });
    var head = el("tr");
    ["Readout", "Change", "Layer", "Why (and its sources)"].forEach(function (h) {
      head.appendChild(el("th", {}, h));
    });
    table.appendChild(head);
    changed.forEach(function (r) {
      var tr = el("tr", { "class": r.direction, "data-id": r.id });
      var name = el("td");
      var button = el("button", { type: "button", "class": "readout" }, r.label);
      button.addEventListener("click", function () {
        var node = cy.getElementById(r.id);
        if (node.length) select(node);
        openCard(r.id);
      });
      name.appendChild(button);
      tr.appendChild(name);
      var change = SYMBOLS[r.direction] + " " + r.direction;
      var median = r.fold_median !== undefined ? r.fold_median : r.fold_change;
      if (median !== null && median !== undefined) change += " ×" + fold(median);
      if (r.fold_interval) change += " [" + fold(r.fold_interval[0]) + "–" + fold(r.fold_interval[1]) + "]";
      tr.appendChild(el("td", { "class": "num dir" }, change));
      tr.appendChild(el("td", {}, r.layer));
      var paths = (r.explanation && (r.explanation.supporting.length ? r.explanation.supporting
                                                                      : r.explanation.opposing)) || [];
      var why = el("td", { "class": "why" }, paths.length ? paths[0].text : (r.explanation || {}).summary);
      var sources = el("div", { "class": "sources" });
      var seen = {};
      paths.slice(0, 1).forEach(function (p) {
        p.steps.forEach(function (s) { (s.sources || []).forEach(function (src) { seen[src] = true; }); });
      });
      Object.keys(seen).sort().slice(0, 4).forEach(function (src, i) {
        if (i) sources.appendChild(document.createTextNode(" "));
        sources.appendChild(link(src));
      });
      why.appendChild(sources);
      tr.appendChild(why);
      table.appendChild(tr);
    });
    box.appendChild(table);
    var unchanged = result.readouts.length - changed.length;
    box.appendChild(el("p", { "class": "hint" }, changed.length + " readouts changed, " + unchanged +
                       " unchanged (all of them in the JSON)."));
    (result.notes || []).forEach(function (note) { box.appendChild(el("p", { "class": "hint" }, "note: " + note)); });
  }
  function runPrediction(text) {
    var status = document.getElementById("predict-status");
    var query = { perturbation: perturbationsOf(text), context: contextBox.value };
    if (!query.perturbation.length) return Promise.resolve();
    status.className = "";
    status.textContent = "predicting…";
    return getJSON(api("/predict", query)).then(function (result) {
      prediction = result;
      status.textContent = overlayTitle();
      document.getElementById("overlay").checked = true;
      applyOverlay();
      renderReadouts(result);
      permalink();
      predictionLinks(query);
      window.kgPredicted = (window.kgPredicted || 0) + 1;
    }).catch(function (err) {
      status.className = "error";
      status.textContent = err.message;
    });
  }
  document.getElementById("predict").hidden = false;
  document.getElementById("predict-form").addEventListener("submit", function (evt) {
    evt.preventDefault();
    runPrediction(input.value);
  });

  // ---- a permalink opens the view and the prediction it names -------------------------------------------
  var wanted = {};
  if (params.get("focus")) wanted = { focus: params.get("focus"), depth: Number(params.get("depth") || 1) };
  else if (params.get("module")) wanted = { module: params.get("module") };
  else if (params.has("all")) wanted = {};
  else wanted = scope;
  var ready = JSON.stringify(wanted) === JSON.stringify(scope) ? Promise.resolve() : setScope(wanted);
  ready.then(function () {
    var named = params.getAll("p");
    if (!named.length) return;
    input.value = named.join(" ");
    if (pending.context) {
      if (!Array.prototype.some.call(contextBox.options, function (o) { return o.value === pending.context; })) {
        contextBox.appendChild(el("option", { value: pending.context }, pending.context));
      }
      contextBox.value = pending.context;
    }
    return runPrediction(input.value);
  });
})();
