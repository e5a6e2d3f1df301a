/* feedlint audit page: sorts, filters and pages the findings embedded as JSON.
   Article text reaches the page only through textContent, never as markup. */
(function () {
  "use strict";

  performance.mark("feedlint-start");
  var data = JSON.parse(document.getElementById("feedlint-data").textContent);
  performance.mark("feedlint-parsed");
  var rows = data.rows, files = data.files, codes = data.codes;
  var providers = data.providers, messages = data.messages;
  // Row fields.
  var FILE = 0, LINE = 1, COL = 2, END_LINE = 3, END_COL = 4, CODE = 5, SEV = 6, MSG = 7;
  var VALUE = 8, FIXED = 9, FIX_NOTE = 10;
  // File fields.
  var PATH = 0, PROVIDER = 1, ERRORS = 2, WARNINGS = 3, FM_END = 4, NOTE = 5, CHUNKS = 6;
  var SEVERITY = ["error", "warning"];
  var num = new Intl.NumberFormat("en");

  var state = {
    view: "findings", code: "", severity: "", provider: "", file: "", text: "",
    sort: "file", dir: 1, page: 0, size: 100
  };
  var shown = [];          // indices of the rows (or files) passing the filters, sorted
  var expanded = new Set(); // rows whose front matter is open
  var lower = {};          // lower-cased text, built on first use

  function $(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // -- sorting ----------------------------------------------------------------
  function textRank(get, count) {
    // Rank of each item by its text, computed once per key.
    var order = new Array(count);
    for (var i = 0; i < count; i++) order[i] = i;
    var keys = new Array(count);
    for (i = 0; i < count; i++) keys[i] = get(i);
    order.sort(function (a, b) { return keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0; });
    var rank = new Int32Array(count);
    for (i = 0; i < count; i++) rank[order[i]] = i;
    return rank;
  }
  var ranks = {};
  function rank(name) {
    if (!ranks[name]) {
      if (name === "message") ranks[name] = textRank(function (i) { return messages[i]; }, messages.length);
      else if (name === "value") ranks[name] = textRank(function (i) { return rows[i][VALUE]; }, rows.length);
      else if (name === "fixed") ranks[name] = textRank(function (i) {
        return rows[i][FIXED] === null ? "\uffff" : rows[i][FIXED];
      }, rows.length);
    }
    return ranks[name];
  }
  function byPlace(a, b) {
    var x = rows[a], y = rows[b];
    return x[FILE] - y[FILE] || x[LINE] - y[LINE] || x[COL] - y[COL] || x[CODE] - y[CODE] || a - b;
  }
  function sortKey(name) {
    switch (name) {
      case "line": return function (i) { return rows[i][LINE]; };
      case "severity": return function (i) { return rows[i][SEV]; };
      case "code": return function (i) { return rows[i][CODE]; };
      case "provider": return function (i) { return files[rows[i][FILE]][PROVIDER]; };
      case "message": var m = rank("message"); return function (i) { return m[rows[i][MSG]]; };
      case "value": var v = rank("value"); return function (i) { return v[i]; };
      case "fixed": var f = rank("fixed"); return function (i) { return f[i]; };
      default: return null;
    }
  }
  function sortRows(list) {
    var key = sortKey(state.sort), dir = state.dir;
    if (!key) {
      list.sort(function (a, b) { return dir * byPlace(a, b); });
      return;
    }
    var keys = new Float64Array(rows.length);
    for (var i = 0; i < list.length; i++) keys[list[i]] = key(list[i]);
    list.sort(function (a, b) { return dir * (keys[a] - keys[b]) || byPlace(a, b); });
  }

  // -- filtering --------------------------------------------------------------
  function lowered(name, list, get) {
    if (!lower[name]) lower[name] = list.map(function (item) { return (get ? get(item) : item).toLowerCase(); });
    return lower[name];
  }
  function codeMatches(codeIndex) {
    return !state.code || codes[codeIndex][0].indexOf(state.code) === 0;
  }
  function rowMatches(i, fileLower, messageLower, needle) {
    var row = rows[i];
    if (state.code && !codeMatches(row[CODE])) return false;
    if (state.severity && SEVERITY[row[SEV]] !== state.severity) return false;
    if (state.provider !== "" && String(files[row[FILE]][PROVIDER]) !== state.provider) return false;
    if (fileLower && fileLower[row[FILE]].indexOf(state.file.toLowerCase()) < 0) return false;
    if (needle) {
      if (messageLower[row[MSG]].indexOf(needle) < 0 &&
          row[VALUE].toLowerCase().indexOf(needle) < 0 &&
          (row[FIXED] === null || row[FIXED].toLowerCase().indexOf(needle) < 0)) return false;
    }
    return true;
  }
  function filterRows() {
    var fileLower = state.file ? lowered("files", files, function (f) { return f[PATH]; }) : null;
    var needle = state.text.toLowerCase();
    var messageLower = needle ? lowered("messages", messages) : null;
    var out = [];
    for (var i = 0; i < rows.length; i++) {
      if (rowMatches(i, fileLower, messageLower, needle)) out.push(i);
    }
    return out;
  }

  // -- the findings table -----------------------------------------------------
  function valueCell(text, cls, link) {
    var td = el("td", cls);
    if (text === "" || text === null) return td;
    var span = el("span");
    var bare = text.replace(/^["']|["']$/g, "");
    if (link && /^https?:\/\/[^\s"'<>]+$/i.test(bare)) {
      var a = el("a", null, text);
      a.href = bare;               // only http(s): checked above
      a.rel = "noopener noreferrer nofollow";
      a.target = "_blank";
      span.appendChild(a);
    } else {
      span.textContent = text;
    }
    td.appendChild(span);
    return td;
  }
  function findingRow(i) {
    var row = rows[i], file = files[row[FILE]], code = codes[row[CODE]];
    var sev = SEVERITY[row[SEV]];
    var tr = el("tr", "finding sev-" + sev);
    tr.dataset.row = i;
    var toggleCell = el("td", "c-toggle");
    if (file[CHUNKS]) {
      var button = el("button", "toggle", expanded.has(i) ? "\u25be" : "\u25b8");
      button.type = "button";
      button.title = "show the front matter";
      button.setAttribute("aria-expanded", expanded.has(i) ? "true" : "false");
      button.dataset.row = i;
      toggleCell.appendChild(button);
    }
    tr.appendChild(toggleCell);
    tr.appendChild(pathCell(file[PATH]));
    tr.appendChild(el("td", "c-line", row[LINE]));
    var sevCell = el("td", "c-severity");
    sevCell.appendChild(el("span", "badge " + sev, sev));
    tr.appendChild(sevCell);
    var codeCell = el("td", "c-code", code[0]);
    codeCell.title = code[3];
    codeCell.appendChild(el("span", "rule", code[1]));
    tr.appendChild(codeCell);
    tr.appendChild(el("td", "c-provider", providers[file[PROVIDER]]));
    tr.appendChild(el("td", "c-message", messages[row[MSG]]));
    tr.appendChild(valueCell(row[VALUE], "c-value", true));
    var fixed = valueCell(row[FIXED], "c-fixed", false);
    if (row[FIX_NOTE]) fixed.appendChild(el("span", "why", row[FIX_NOTE]));
    tr.appendChild(fixed);
    return tr;
  }
  function pathCell(path) {
    // The folder muted, the name plain, and a line break allowed after each slash.
    var td = el("td", "c-file");
    var cut = path.lastIndexOf("/") + 1;
    if (cut) {
      var folder = el("span", "dir");
      path.slice(0, cut).split("/").forEach(function (part, k, parts) {
        if (k === parts.length - 1) return;
        folder.appendChild(document.createTextNode(part + "/"));
        folder.appendChild(document.createElement("wbr"));
      });
      td.appendChild(folder);
    }
    td.appendChild(el("span", "name", path.slice(cut)));
    return td;
  }
  function detailRow(i) {
    var tr = el("tr", "detail");
    var td = el("td");
    td.colSpan = 9;
    td.appendChild(sourceView(rows[i][FILE], i));
    tr.appendChild(td);
    return tr;
  }

  // -- a file's front matter --------------------------------------------------
  var rowsOfFile = null;
  function findingsOf(fileIndex) {
    if (!rowsOfFile) {
      rowsOfFile = new Map();
      for (var i = 0; i < rows.length; i++) {
        var f = rows[i][FILE];
        if (!rowsOfFile.has(f)) rowsOfFile.set(f, []);
        rowsOfFile.get(f).push(i);
      }
    }
    return rowsOfFile.get(fileIndex) || [];
  }
  function lineWithMarks(text, marks) {
    // marks: [start, end) column ranges (0-based) to highlight, merged here.
    var tx = el("span", "tx");
    marks.sort(function (a, b) { return a[0] - b[0]; });
    var at = 0;
    marks.forEach(function (m) {
      var start = Math.max(m[0], at), end = Math.min(m[1], text.length);
      if (end <= start) return;
      if (start > at) tx.appendChild(document.createTextNode(text.slice(at, start)));
      tx.appendChild(el("mark", null, text.slice(start, end)));
      at = end;
    });
    if (at < text.length || !text.length) tx.appendChild(document.createTextNode(text.slice(at) || " "));
    return tx;
  }
  function sourceView(fileIndex, current) {
    var file = files[fileIndex];
    var box = el("div", "source");
    var head = el("div", "src-head");
    head.appendChild(el("span", "path", file[PATH]));
    head.appendChild(el("span", "muted", "provider " + providers[file[PROVIDER]]));
    head.appendChild(el("span", "muted", plural(file[ERRORS], "error") + ", " + plural(file[WARNINGS], "warning")));
    if (file[NOTE]) head.appendChild(el("span", "muted", "(" + file[NOTE] + ")"));
    box.appendChild(head);
    if (!file[CHUNKS]) {
      box.appendChild(el("p", "muted", "The source of this file is not shown."));
      return box;
    }
    var byLine = new Map();
    findingsOf(fileIndex).forEach(function (i) {
      var line = rows[i][LINE];
      if (!byLine.has(line)) byLine.set(line, []);
      byLine.get(line).push(i);
    });
    var src = el("div", "src");
    var last = 0;
    file[CHUNKS].forEach(function (chunk) {
      var first = chunk[0];
      if (first > last + 1) src.appendChild(el("div", "gap", "\u22ef"));
      chunk[1].forEach(function (text, k) {
        var number = first + k;
        var here = byLine.get(number) || [];
        var cls = "ln";
        if (here.length) {
          var worst = Math.min.apply(null, here.map(function (i) { return rows[i][SEV]; }));
          cls += " hit " + SEVERITY[worst];
        }
        if (here.indexOf(current) >= 0) cls += " current";
        if (number > file[FM_END]) cls += " body";
        var line = el("div", cls);
        line.dataset.line = number;
        line.appendChild(el("span", "no", number));
        var marks = here.map(function (i) {
          var r = rows[i];
          return [r[COL] - 1, r[END_LINE] === r[LINE] ? r[END_COL] - 1 : text.length];
        });
        line.appendChild(lineWithMarks(text, marks));
        src.appendChild(line);
        here.forEach(function (i) {
          var note = el("div", "note");
          note.appendChild(el("span", "no"));
          var body = el("span");
          body.appendChild(el("span", "badge " + SEVERITY[rows[i][SEV]], codes[rows[i][CODE]][0]));
          body.appendChild(document.createTextNode(messages[rows[i][MSG]]));
          note.appendChild(body);
          src.appendChild(note);
        });
      });
      last = first + chunk[1].length - 1;
    });
    box.appendChild(src);
    return box;
  }
  function plural(n, noun) { return num.format(n) + " " + noun + (n === 1 ? "" : "s"); }

  // -- the files list ---------------------------------------------------------
  function filterFiles() {
    var matching = new Set();
    filterRows().forEach(function (i) { matching.add(rows[i][FILE]); });
    var out = Array.from(matching);
    var dir = state.dir;
    if (state.sort === "provider") {
      out.sort(function (a, b) { return dir * (files[a][PROVIDER] - files[b][PROVIDER]) || a - b; });
    } else if (state.sort === "severity" || state.sort === "code") {
      out.sort(function (a, b) {
        return dir * (files[b][ERRORS] - files[a][ERRORS] || files[b][WARNINGS] - files[a][WARNINGS]) || a - b;
      });
    } else {
      out.sort(function (a, b) { return dir * (a - b); });
    }
    return out;
  }
  function fileItem(fileIndex) {
    var file = files[fileIndex];
    var details = el("details", "file");
    details.dataset.file = fileIndex;
    var summary = el("summary");
    summary.appendChild(el("span", "path", file[PATH]));
    summary.appendChild(el("span", "muted", providers[file[PROVIDER]]));
    if (file[ERRORS]) summary.appendChild(el("span", "badge error", plural(file[ERRORS], "error")));
    if (file[WARNINGS]) summary.appendChild(el("span", "badge warning", plural(file[WARNINGS], "warning")));
    details.appendChild(summary);
    details.addEventListener("toggle", function () {
      if (details.open && !details.querySelector(".body")) {
        var body = el("div", "body");
        body.appendChild(sourceView(fileIndex, -1));
        details.appendChild(body);
      }
    });
    return details;
  }

  // -- rendering --------------------------------------------------------------
  function pages() { return Math.max(1, Math.ceil(shown.length / state.size)); }
  function refilter() {
    shown = state.view === "files" ? filterFiles() : filterRows();
    if (state.view === "findings") sortRows(shown);
    state.page = 0;
    render();
  }
  function render() {
    state.page = Math.min(state.page, pages() - 1);
    var start = state.page * state.size;
    var slice = shown.slice(start, start + state.size);
    if (state.view === "files") {
      var list = $("file-list");
      list.textContent = "";
      slice.forEach(function (f) { list.appendChild(fileItem(f)); });
      if (!slice.length) list.appendChild(el("p", "empty-row", files.length ? "No file matches these filters." : "No findings: every file is clean."));
    } else {
      var body = document.createDocumentFragment();
      slice.forEach(function (i) {
        body.appendChild(findingRow(i));
        if (expanded.has(i)) body.appendChild(detailRow(i));
      });
      if (!slice.length) {
        var tr = el("tr"), td = el("td", "empty-row", rows.length ? "No finding matches these filters." : "No findings: every file is clean.");
        td.colSpan = 9;
        tr.appendChild(td);
        body.appendChild(tr);
      }
      var tbody = $("findings").tBodies[0];
      tbody.textContent = "";
      tbody.appendChild(body);
    }
    document.querySelectorAll("#findings th[data-sort]").forEach(function (th) {
      if (th.dataset.sort === state.sort) th.setAttribute("aria-sort", state.dir > 0 ? "ascending" : "descending");
      else th.removeAttribute("aria-sort");
    });
    renderPager(start, slice.length);
  }
  function renderPager(start, count) {
    var noun = state.view === "files" ? "file" : "finding";
    var total = state.view === "files" ? files.length : rows.length;
    ["pager-top", "pager"].forEach(function (id) {
      var pager = $(id);
      pager.textContent = "";
      var info = el("span", "info");
      info.textContent = shown.length
        ? num.format(start + 1) + "\u2013" + num.format(start + count) + " of " + plural(shown.length, noun)
        : plural(0, noun);
      if (shown.length !== total) info.textContent += " (filtered from " + num.format(total) + ")";
      info.className = "info";
      pager.appendChild(info);
      [["first", "\u00ab First", 0], ["prev", "\u2039 Previous", state.page - 1],
       ["next", "Next \u203a", state.page + 1], ["last", "Last \u00bb", pages() - 1]].forEach(function (b) {
        var button = el("button", "page-" + b[0], b[1]);
        button.type = "button";
        button.dataset.page = b[2];
        button.disabled = b[2] < 0 || b[2] >= pages() || b[2] === state.page;
        pager.appendChild(button);
      });
      pager.appendChild(el("span", "page-no", "page " + num.format(state.page + 1) + " of " + num.format(pages())));
      if (id === "pager-top") {
        var select = el("select", "page-size");
        select.id = "page-size";
        select.setAttribute("aria-label", "rows per page");
        [25, 50, 100, 250, 1000].forEach(function (n) {
          var option = el("option", null, n + " per page");
          option.value = n;
          option.selected = n === state.size;
          select.appendChild(option);
        });
        pager.appendChild(select);
      }
    });
  }

  // -- controls ---------------------------------------------------------------
  function fillFilters() {
    var codeSelect = $("f-code"), seen = {};
    var counts = new Int32Array(codes.length);
    rows.forEach(function (r) { counts[r[CODE]]++; });
    codes.forEach(function (code, i) {
      var family = code[0].slice(0, 3);
      if (!seen[family]) {
        seen[family] = el("optgroup");
        seen[family].label = code[2];
        var all = el("option", null, code[2] + " (all)");
        all.value = family;
        seen[family].appendChild(all);
        codeSelect.appendChild(seen[family]);
      }
      var option = el("option", null, code[0] + " " + code[1] + " (" + num.format(counts[i]) + ")");
      option.value = code[0];
      seen[family].appendChild(option);
    });
    var providerSelect = $("f-provider");
    providers.forEach(function (name, i) {
      var option = el("option", null, name);
      option.value = String(i);
      providerSelect.appendChild(option);
    });
  }
  function readFilters() {
    state.code = $("f-code").value;
    state.severity = $("f-severity").value;
    state.provider = $("f-provider").value;
    state.file = $("f-file").value.trim();
    state.text = $("f-text").value.trim();
  }
  var typing = null;
  function onFilter(event) {
    readFilters();
    clearTimeout(typing);
    // Typing in a text box waits for a pause on large reports.
    if (event && event.type === "input" && rows.length > 20000) typing = setTimeout(refilter, 200);
    else refilter();
  }
  function setView(view) {
    state.view = view;
    $("tab-findings").setAttribute("aria-selected", view === "findings" ? "true" : "false");
    $("tab-files").setAttribute("aria-selected", view === "files" ? "true" : "false");
    $("view-findings").hidden = view !== "findings";
    $("view-files").hidden = view !== "files";
    refilter();
  }
  function applyChart(target) {
    var kind = target.dataset.filter, value = target.dataset.value;
    if (kind === "code") $("f-code").value = value;
    else if (kind === "provider") $("f-provider").value = String(providers.indexOf(value));
    else if (kind === "text") $("f-text").value = value;
    onFilter();
    $("results").scrollIntoView({ behavior: "smooth", block: "start" });
  }

  function init() {
    fillFilters();
    if (!rows.some(function (r) { return r[FIXED] !== null; })) {
      // No finding has a fix in this run: no empty column for it.
      $("findings").classList.add("no-fixes");
    }
    ["f-code", "f-severity", "f-provider"].forEach(function (id) { $(id).addEventListener("change", onFilter); });
    ["f-file", "f-text"].forEach(function (id) { $(id).addEventListener("input", onFilter); });
    $("filters").addEventListener("submit", function (e) { e.preventDefault(); });
    $("f-clear").addEventListener("click", function () {
      $("filters").reset();
      onFilter();
    });
    document.querySelectorAll("#findings th[data-sort]").forEach(function (th) {
      th.tabIndex = 0;
      function sort() {
        if (state.sort === th.dataset.sort) state.dir = -state.dir;
        else { state.sort = th.dataset.sort; state.dir = 1; }
        refilter();
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") sort(); });
    });
    $("findings").addEventListener("click", function (e) {
      var button = e.target.closest("button.toggle");
      if (!button) return;
      var i = Number(button.dataset.row);
      if (expanded.has(i)) expanded.delete(i); else expanded.add(i);
      render();
    });
    document.querySelectorAll(".results .pager").forEach(function (pager) {
      pager.addEventListener("click", function (e) {
        var button = e.target.closest("button[data-page]");
        if (!button || button.disabled) return;
        state.page = Number(button.dataset.page);
        render();
      });
      pager.addEventListener("change", function (e) {
        if (e.target.id !== "page-size") return;
        var first = state.page * state.size;
        state.size = Number(e.target.value);
        state.page = Math.floor(first / state.size);
        render();
      });
    });
    $("tab-findings").addEventListener("click", function () { setView("findings"); });
    $("tab-files").addEventListener("click", function () { setView("files"); });
    document.querySelectorAll("svg.chart g[data-filter]").forEach(function (g) {
      g.addEventListener("click", function () { applyChart(g); });
      g.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") applyChart(g); });
    });
    refilter();
    performance.mark("feedlint-rendered");
    document.documentElement.dataset.ready = "true";
  }
  init();
})();
