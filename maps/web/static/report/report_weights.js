/* Smart City report: try other weights in the browser (maps/web/weights.py explains the data).
 * Re-scores the villages from the normalised criteria stored with the run, re-ranks the table, recolours
 * the small map, and writes the model file for `smartcity score --config`. No eval, no HTML from data:
 * rows and paths are moved and their text set with textContent. */
(function () {
  "use strict";
  var panel = document.getElementById("sc-weights");
  if (!panel) { return; }
  var model = JSON.parse(panel.getAttribute("data-model"));
  var DIMS = ["governance", "branding", "economy", "living", "society", "environment"];
  var CRIT = ["pressure", "ikn", "idm", "assets"];
  var ORDER = DIMS.map(function (d) { return "pressure_" + d; }).concat(["ikn", "idm", "assets"]);
  var criteria = model.criteria;
  var nc = criteria.length;
  var nv = model.villages.length;
  var codes = [];
  var values = new Float64Array(nv * nc);
  model.villages.forEach(function (v, i) {
    codes.push(v[0]);
    for (var k = 0; k < nc; k++) { values[i * nc + k] = v[1][k]; }
  });
  var missing = {};
  model.missing.forEach(function (c) { missing[c] = true; });
  var present = {};
  criteria.forEach(function (c) { present[c] = true; });
  var lang = panel.getAttribute("data-lang") || "id";
  var labels = JSON.parse(panel.getAttribute("data-labels"));

  var sliders = Array.prototype.slice.call(panel.querySelectorAll("input[type=range]"));
  var tbody = document.querySelector("#sc-weights-table tbody");
  var rows = {}, cells = {};
  Array.prototype.forEach.call(tbody.rows, function (row) {
    var code = row.getAttribute("data-code");
    rows[code] = row;
    cells[code] = { rank: row.querySelector(".sc-rank"), score: row.querySelector(".sc-score"),
      badge: row.querySelector(".badge"), move: row.querySelector(".sc-move"),
      runRank: Number(row.getAttribute("data-run-rank")) };
  });
  var paths = {};
  Array.prototype.forEach.call(document.querySelectorAll("#sc-weights-map path[data-code]"), function (p) {
    paths[p.getAttribute("data-code")] = p;
  });
  var status = document.getElementById("sc-weights-status");
  var original = snapshot();

  function snapshot() {
    var order = Array.prototype.map.call(tbody.rows, function (row) { return row.getAttribute("data-code"); });
    var cells = {};
    order.forEach(function (code) {
      var row = rows[code];
      var badge = row.querySelector(".badge");
      cells[code] = {
        rank: row.querySelector(".sc-rank").textContent, score: row.querySelector(".sc-score").textContent,
        label: badge.textContent, bg: badge.style.background, fg: badge.style.color,
        move: row.querySelector(".sc-move").textContent,
        fill: paths[code] ? paths[code].getAttribute("fill") : null
      };
    });
    return { order: order, cells: cells };
  }

  function sliderValues() {
    var c = {}, d = {};
    sliders.forEach(function (s) {
      var v = Math.round(s.valueAsNumber * 100) / 100;  /* two decimals: what the copied model says */
      if (!(v >= 0)) { v = 0; }
      if (s.getAttribute("data-kind") === "criterion") { c[s.getAttribute("data-key")] = v; }
      else { d[s.getAttribute("data-key")] = v; }
    });
    CRIT.forEach(function (k) { if (!(k in c)) { c[k] = 0; } });
    DIMS.forEach(function (k) { if (!(k in d)) { d[k] = 0; } });
    return { criteria: c, dimensions: d };
  }

  /* The criterion weights exactly as smartcity.scoring.model and scores compute them. */
  function effectiveWeights(w) {
    var total = 0, dtotal = 0, kept = 0;
    CRIT.forEach(function (k) { total += w.criteria[k]; });
    DIMS.forEach(function (k) { dtotal += w.dimensions[k]; });
    if (!(total > 0)) { return { error: labels.no_criterion }; }
    if (!(dtotal > 0)) { return { error: labels.no_dimension }; }
    var raw = {};
    DIMS.forEach(function (k) {
      raw["pressure_" + k] = (w.criteria.pressure / total) * (w.dimensions[k] / dtotal);
    });
    ["ikn", "idm", "assets"].forEach(function (k) { raw[k] = w.criteria[k] / total; });
    var used = {};
    ORDER.forEach(function (k) {
      if (raw[k] > 0 && (missing[k] || !present[k])) { return; }  // no area has data: left out
      used[k] = raw[k];
      kept += raw[k];
    });
    if (!(kept > 0)) { return { error: labels.no_criterion }; }
    var out = new Float64Array(nc);
    criteria.forEach(function (c, k) { out[k] = c in used ? used[c] / kept : 0; });
    return { weights: out };
  }

  function scores(weights) {
    var s = new Float64Array(nv);
    for (var i = 0; i < nv; i++) {
      var total = 0.0;
      for (var k = 0; k < nc; k++) { total += values[i * nc + k] * weights[k] * 100.0; }
      s[i] = Math.min(100, Math.max(0, total));
    }
    return s;
  }

  function ranks(s) {  /* 1 = highest; ties share the better rank (pandas rank method "min") */
    var idx = orderOf(s);
    var r = new Int32Array(nv);
    for (var p = 0; p < nv; p++) {
      var i = idx[p];
      r[i] = p > 0 && s[idx[p - 1]] === s[i] ? r[idx[p - 1]] : p + 1;
    }
    return { rank: r, order: idx };
  }

  function orderOf(s) {
    var idx = [];
    for (var i = 0; i < nv; i++) { idx.push(i); }
    idx.sort(function (a, b) { return s[b] - s[a] || (codes[a] < codes[b] ? -1 : codes[a] > codes[b] ? 1 : 0); });
    return idx;
  }

  /* --- classes, as smartcity/scoring/classes.py --- */
  function classBreaks(x, k, method) {
    var sorted = Array.prototype.slice.call(x).sort(function (a, b) { return a - b; });
    var distinct = [], counts = [];
    sorted.forEach(function (v) {
      if (distinct.length && distinct[distinct.length - 1] === v) { counts[counts.length - 1] += 1; }
      else { distinct.push(v); counts.push(1); }
    });
    if (distinct.length < k) { return distinct; }
    if (method === "jenks") { return fisherJenks(distinct, counts, k); }
    if (method === "quantiles") {
      var out = [];
      for (var q = 1; q <= k; q++) {
        var v = percentile(sorted, (100 * q) / k);
        if (!out.length || out[out.length - 1] !== v) { out.push(v); }
      }
      return out.sort(function (a, b) { return a - b; }).filter(function (v, i, a) { return !i || a[i - 1] !== v; });
    }
    var lo = distinct[0], hi = distinct[distinct.length - 1], b = [];
    for (var i = 1; i <= k; i++) { b.push(lo + ((hi - lo) * i) / k); }
    b[k - 1] = hi;
    return b;
  }

  function percentile(sorted, p) {  /* numpy's default "linear" method, with its lerp */
    var pos = ((sorted.length - 1) * p) / 100;
    var lo = Math.floor(pos), hi = Math.min(lo + 1, sorted.length - 1), t = pos - lo;
    var a = sorted[lo], b = sorted[hi], d = b - a;
    return t >= 0.5 ? b - d * (1 - t) : a + d * t;
  }

  function fisherJenks(distinct, counts, k) {
    var n = distinct.length, mean = 0, i, j, m;
    for (i = 0; i < n; i++) { mean += distinct[i]; }
    mean /= n;
    var w = new Float64Array(n + 1), s1 = new Float64Array(n + 1), s2 = new Float64Array(n + 1);
    for (i = 0; i < n; i++) {
      var x = distinct[i] - mean;
      w[i + 1] = w[i] + counts[i];
      s1[i + 1] = s1[i] + counts[i] * x;
      s2[i + 1] = s2[i] + counts[i] * x * x;
    }
    function ssd(a, b) {
      var t = s1[b + 1] - s1[a];
      return Math.max(s2[b + 1] - s2[a] - (t * t) / (w[b + 1] - w[a]), 0);
    }
    var cost = new Float64Array(n), starts = [];
    for (j = 0; j < n; j++) { cost[j] = ssd(0, j); }
    for (m = 1; m < k; m++) {
      var next = new Float64Array(n).fill(Infinity), start = new Int32Array(n);
      for (j = m; j < n; j++) {
        for (i = m; i <= j; i++) {
          var c = cost[i - 1] + ssd(i, j);
          if (c < next[j]) { next[j] = c; start[j] = i; }
        }
      }
      cost = next;
      starts.push(start);
    }
    var breaks = new Array(k), end = n - 1;
    for (m = k - 1; m > 0; m--) {
      breaks[m] = distinct[end];
      end = starts[m - 1][end] - 1;
    }
    breaks[0] = distinct[end];
    return breaks;
  }

  function assignClasses(s, breaks) {
    var out = new Int32Array(s.length);
    for (var i = 0; i < s.length; i++) {
      if (breaks.length === 1) { out[i] = 3; continue; }
      var p = 0;
      while (p < breaks.length - 1 && breaks[p] < s[i]) { p++; }
      out[i] = breaks.length - p;
    }
    return out;
  }

  function format(x) {
    var text = x.toFixed(1);
    return lang === "id" ? text.replace(".", ",") : text;
  }

  function apply() {
    performance.mark("sc-rerank-start");
    var effective = effectiveWeights(sliderValues());
    showShares();
    if (effective.error) {
      status.textContent = effective.error;
      return;
    }
    status.textContent = "";
    var s = scores(effective.weights);
    var ranked = ranks(s);
    var cls = assignClasses(s, classBreaks(s, model.classes.count, model.classes.method));
    var fragment = document.createDocumentFragment();
    ranked.order.forEach(function (i) {
      var code = codes[i], row = rows[code];
      if (!row) { return; }
      var c = cls[i], cell = cells[code], badge = cell.badge;
      cell.rank.textContent = String(ranked.rank[i]);
      cell.score.textContent = format(s[i]);
      badge.textContent = labels.classes[c - 1];
      badge.style.background = model.colours[c - 1];
      badge.style.color = labels.text_colours[c - 1];
      var move = cell.runRank - ranked.rank[i];
      cell.move.textContent = move > 0 ? "▲" + move : move < 0 ? "▼" + -move : "";
      fragment.appendChild(row);
      if (paths[code]) { paths[code].setAttribute("fill", model.colours[c - 1]); }
    });
    tbody.appendChild(fragment);
    performance.mark("sc-rerank-end");
    performance.measure("sc-rerank", "sc-rerank-start", "sc-rerank-end");
  }

  function showShares() {
    var w = sliderValues(), total = 0, dtotal = 0;
    CRIT.forEach(function (k) { total += w.criteria[k]; });
    DIMS.forEach(function (k) { dtotal += w.dimensions[k]; });
    sliders.forEach(function (s) {
      var out = document.getElementById(s.id + "-share");
      var sum = s.getAttribute("data-kind") === "criterion" ? total : dtotal;
      var share = sum > 0 ? Math.round((100 * s.valueAsNumber) / sum) : 0;
      if (out) { out.textContent = share + "%"; }
    });
  }

  function reset() {
    sliders.forEach(function (s) { s.value = s.getAttribute("data-start"); });
    var fragment = document.createDocumentFragment();
    original.order.forEach(function (code) {
      var row = rows[code], cell = original.cells[code], badge = row.querySelector(".badge");
      row.querySelector(".sc-rank").textContent = cell.rank;
      row.querySelector(".sc-score").textContent = cell.score;
      row.querySelector(".sc-move").textContent = cell.move;
      badge.textContent = cell.label;
      badge.style.background = cell.bg;
      badge.style.color = cell.fg;
      if (paths[code] && cell.fill) { paths[code].setAttribute("fill", cell.fill); }
      fragment.appendChild(row);
    });
    tbody.appendChild(fragment);
    showShares();
    status.textContent = "";
  }

  function modelToml() {
    var w = sliderValues();
    var run = String(model.runId).replace(/[^0-9A-Za-z-]/g, "");
    var lines = [
      "# " + labels.toml_comment + " " + run,
      "# smartcity score --config <file>",
      "version = 1",
      "",
      "[criteria]"
    ];
    CRIT.forEach(function (k) { lines.push(k + " = " + String(w.criteria[k])); });
    lines.push("", "[dimensions]", 'method = "direct"');
    lines.push("weights = { " + DIMS.map(function (k) { return k + " = " + String(w.dimensions[k]); }).join(", ") + " }");
    lines.push("");
    return lines.join("\n") + "\n" + model.tomlRest;
  }

  function copyModel() {
    var area = document.getElementById("sc-model-toml");
    var effective = effectiveWeights(sliderValues());
    if (effective.error) { status.textContent = effective.error; return; }
    area.value = modelToml();
    area.hidden = false;
    area.focus();
    area.select();
    var copied = false;
    try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
    if (!copied && navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(area.value).then(function () { status.textContent = labels.copied; },
        function () { status.textContent = labels.copy_by_hand; });
    }
    status.textContent = copied ? labels.copied : labels.copy_by_hand;
  }

  /* A person moving a thumb moves the others of its group with it, so the group adds up to 100 and each
     thumb stands at its share; values set by a script (isTrusted false) are taken as given. */
  function rebalance(moved) {
    var group = sliders.filter(function (s) {
      return s !== moved && !s.disabled && s.getAttribute("data-kind") === moved.getAttribute("data-kind");
    });
    if (!group.length) { return; }
    var v = Math.min(Math.max(moved.valueAsNumber || 0, 0), 100), rest = 0;
    group.forEach(function (s) { rest += s.valueAsNumber || 0; });
    group.forEach(function (s) {
      var share = rest > 0 ? (s.valueAsNumber || 0) * (100 - v) / rest : (100 - v) / group.length;
      s.value = String(Math.round(share * 100) / 100);
    });
  }

  sliders.forEach(function (s) {
    s.addEventListener("input", function (event) {
      if (event.isTrusted) { rebalance(s); }
      apply();
    });
  });
  document.getElementById("sc-weights-reset").addEventListener("click", reset);
  document.getElementById("sc-weights-copy").addEventListener("click", copyModel);
  panel.hidden = false;
  var note = document.getElementById("sc-weights-noscript");
  if (note) { note.hidden = true; }
  showShares();
  window.scWeights = { apply: apply, reset: reset, modelToml: modelToml };
}());
