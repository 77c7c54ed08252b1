/* kg offline page: renders the embedded graph with Cytoscape.js; no network access. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var SIGN_COLOURS = data.style.sign_colours;
  var DIRECTION_COLOURS = data.style.direction_colours;
  var LINE_STYLES = data.style.status_styles;

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
  function link(curie) {
    var iri = expand(curie);
    if (!iri) return el("span", {}, curie);
    return el("a", { href: iri, target: "_blank", rel: "noopener" }, curie);
  }

  var style = [
    { selector: "node[kind = 'entity']", style: {
        "shape": "data(shape)", "background-color": "data(fill)", "label": "data(name)",
        "border-width": 1, "border-color": "#333", "text-valign": "center", "text-halign": "center",
        "font-size": 11, "text-wrap": "wrap", "text-max-width": 110, "width": "data(w)", "height": "data(h)" } },
    { selector: "node[kind = 'compartment']", style: {
        "label": "data(name)", "text-valign": "top", "text-halign": "center", "background-color": "#f4f4f4",
        "border-color": "#b0b0b0", "border-width": 1, "shape": "round-rectangle", "color": "#666",
        "font-size": 12 } },
    { selector: "edge", style: {
        "curve-style": "bezier", "width": 1.8, "line-color": "data(colour)", "target-arrow-color": "data(colour)",
        "arrow-scale": 1.1 } },
    { selector: "node.overlaid", style: { "background-color": "data(overlay_fill)", "label": "data(overlay_label)" } },
    { selector: "node.dimmed", style: { "opacity": 0.35 } },
    { selector: ":selected", style: { "border-width": 3, "border-color": "#1565c0", "line-color": "#1565c0" } },
    { selector: ".hidden", style: { "display": "none" } }
  ];

  // arrow shapes and line styles take no data() mappers in Cytoscape.js: one selector per value in use
  var seen = {};
  data.elements.edges.forEach(function (e) {
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
  data.elements.nodes.forEach(function (n) {
    var p = n.data.prediction;
    if (p) {
      n.data.overlay_fill = DIRECTION_COLOURS[p.direction];
      n.data.overlay_label = n.data.name + "\n" + data.style.direction_symbols[p.direction] + " " + p.direction +
        (p.fold_change === null || p.fold_change === undefined ? "" : " ×" + Number(p.fold_change).toPrecision(3));
    }
  });

  var cy = cytoscape({
    container: document.getElementById("cy"), elements: data.elements, style: style,
    layout: { name: "preset", fit: true, padding: 30 }, minZoom: 0.05, maxZoom: 6
  });
  window.kgCy = cy;
  // Graphviz's positions read like the printed figure (the same layout as `kg export diagram`). A large graph
  // fitted whole shows unreadably small labels, so the first view is centred on the best-connected entity at
  // the figure's own scale; "Fit" shows everything.
  var MAX_FITTED = 60;
  var entities = cy.nodes().filter(function (n) { return !n.isParent(); });
  if (entities.length > MAX_FITTED && cy.zoom() < 1) {
    var hub = entities.max(function (n) { return n.degree(false); }).ele;
    cy.zoom(1);
    cy.center(hub);
  }

  // ---- cards --------------------------------------------------------------------------------------
  function showCard(node) {
    var d = node.data();
    var card = document.getElementById("card");
    card.innerHTML = "";
    card.appendChild(el("h2", { id: "card-title" }, d.name));
    var idLine = el("div", { "class": "id" });
    idLine.appendChild(link(d.id));
    idLine.appendChild(document.createTextNode(" · " + d.category.replace(/_/g, " ")));
    card.appendChild(idLine);
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
    row("Symbol", d.symbol ? [d.symbol] : []);
    row("Synonyms", d.synonyms);
    row("Cross-references", d.xrefs, true);
    row("Compartments", d.compartments);
    row("Description", d.description ? [d.description] : []);
    if (d.prediction) {
      row("Prediction (" + data.overlay.title + ")", [d.prediction.direction +
        (d.prediction.fold_change === null ? "" : ", fold change " + Number(d.prediction.fold_change).toPrecision(3))]);
    }
    card.appendChild(dl);
    var edges = node.connectedEdges();
    card.appendChild(el("h3", {}, edges.length + " edges"));
    var list = el("ul");
    edges.sort(function (a, b) { return a.id() < b.id() ? -1 : 1; }).forEach(function (edge) {
      var e = edge.data();
      var li = el("li");
      var s = cy.getElementById(e.source).data("name"), t = cy.getElementById(e.target).data("name");
      li.appendChild(el("div", { "class": "edge" }, s + " " + e.predicate.replace(/_/g, " ") + " " + t));
      li.appendChild(el("div", { "class": "status-" + (e.status || "established") },
        (e.status || "established") + " · sign " + e.sign + " · " + e.mechanism.replace(/_/g, " ")));
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
    card.appendChild(list);
  }
  cy.on("tap", "node[kind = 'entity']", function (evt) { showCard(evt.target); });

  // ---- search -------------------------------------------------------------------------------------
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
  document.getElementById("search-form").addEventListener("submit", function (evt) {
    evt.preventDefault();
    var found = matches(document.getElementById("search").value);
    cy.elements().unselect();
    document.getElementById("matches").textContent = found.length + " found";
    if (!found.length) return;
    found.select();
    cy.animate({ center: { eles: found[0] }, zoom: Math.max(cy.zoom(), 1.2) }, { duration: 200 });
    showCard(found[0]);
  });
  document.getElementById("fit").addEventListener("click", function () { cy.fit(undefined, 30); });

  // ---- filters ------------------------------------------------------------------------------------
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

  // ---- overlay ------------------------------------------------------------------------------------
  if (data.overlay) {
    document.getElementById("overlay-toggle").hidden = false;
    document.getElementById("overlay-title").textContent = data.overlay.title;
    var overlayBox = document.getElementById("overlay");
    var setOverlay = function () {
      cy.nodes("[kind = 'entity']").forEach(function (n) {
        var has = !!n.data("prediction");
        n.toggleClass("overlaid", overlayBox.checked && has);
        n.toggleClass("dimmed", overlayBox.checked && !has);
      });
    };
    overlayBox.addEventListener("change", setOverlay);
    setOverlay();
  }
  cy.ready(function () { window.kgReady = true; });
})();
