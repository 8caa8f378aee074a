// Calls sort(column, ascending, th) when a header is clicked, each click reversing the last,
// and marks the sorted header for assistive technology.
function onHeaderSort(table, sort) {
  var headers = table.querySelectorAll("thead th");
  headers.forEach(function (th, column) {
    th.addEventListener("click", function () {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      sort(column, ascending, th);
    });
  });
}
// Sortable tables: click a header to sort by that column; again to reverse. Cells may carry the
// value to sort by in data-v (numbers); otherwise their text is compared.
document.querySelectorAll("table.sortable:not([data-rows])").forEach(function (table) {
  onHeaderSort(table, function (column, ascending, th) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var key = function (row) {
      var cell = row.cells[column];
      if (!cell) return "";
      var v = cell.getAttribute("data-v");
      if (v !== null) return parseFloat(v);
      var text = cell.textContent.trim();
      var n = parseFloat(text);
      return th.classList.contains("num") && !isNaN(n) ? n : text.toLowerCase();
    };
    rows.sort(function (a, b) {
      var x = key(a), y = key(b);
      var c = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
      return ascending ? c : -c;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    table.dispatchEvent(new Event("sorted"));
  });
});
// The search box and page buttons above a paged table (the page's own rows or its data).
function pagingTools(table) {
  var bar = document.createElement("div");
  bar.className = "table-tools";
  var search = document.createElement("input");
  search.type = "search";
  search.placeholder = "Search conversations, agents, rules…";
  search.setAttribute("aria-label", "search the table");
  var previous = document.createElement("button");
  previous.type = "button";
  previous.textContent = "← Previous";
  var next = document.createElement("button");
  next.type = "button";
  next.textContent = "Next →";
  var status = document.createElement("span");
  status.className = "page-status";
  [search, previous, status, next].forEach(function (e) { bar.appendChild(e); });
  table.parentNode.insertBefore(bar, table);
  // Says which rows of how many are shown, and which page buttons can be used.
  function show(page, pages, size, matching, all) {
    var first = matching ? page * size + 1 : 0;
    var last = Math.min(matching, (page + 1) * size);
    status.textContent = first + "–" + last + " of " + matching +
      (matching === all ? "" : " matching (" + all + " in all)");
    previous.disabled = page === 0;
    next.disabled = page >= pages - 1;
  }
  return { search: search, previous: previous, next: next, show: show };
}
// Paged tables with a search box: only the rows matching the search are counted, and a page of
// them is shown at a time, so a report of many conversations stays quick to read.
document.querySelectorAll("table.paged").forEach(function (table) {
  var size = parseInt(table.getAttribute("data-page-size"), 10) || 100;
  var tools = pagingTools(table);
  var search = tools.search, previous = tools.previous, next = tools.next;
  var page = 0;
  function show() {
    var query = search.value.trim().toLowerCase();
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var matching = rows.filter(function (row) { return !query || row.textContent.toLowerCase().indexOf(query) >= 0; });
    var pages = Math.max(1, Math.ceil(matching.length / size));
    page = Math.min(page, pages - 1);
    rows.forEach(function (row) { row.hidden = true; });
    matching.slice(page * size, (page + 1) * size).forEach(function (row) { row.hidden = false; });
    tools.show(page, pages, size, matching.length, rows.length);
  }
  search.addEventListener("input", function () { page = 0; show(); });
  previous.addEventListener("click", function () { page -= 1; show(); });
  next.addEventListener("click", function () { page += 1; show(); });
  table.addEventListener("sorted", function () { page = 0; show(); });
  show();
});
// The folder form (tact score --html-dir): the conversation table is data (script#tact-data),
// drawn a page at a time, and each conversation's section is in a chunk file beside the page,
// loaded by a script element when first opened (a page opened from file:// may not fetch).
// Cell text is only ever set with textContent.
var tactData = null;
(function () {
  var holder = document.getElementById("tact-data");
  var table = document.querySelector("table[data-rows]");
  if (!holder || !table) return;
  tactData = JSON.parse(holder.textContent);
  window.tactData = tactData;
  var rows = tactData.rows.map(function (r, index) { return { index: index, cells: r }; });
  var size = parseInt(table.getAttribute("data-page-size"), 10) || 100;
  function failed(cells) {
    var out = [];
    for (var i = 0; i < cells[5].length; i++) if (cells[5].charAt(i) === "f") out.push(tactData.rules[i]);
    return out;
  }
  function scoreValue(cells) { var n = parseFloat(cells[4]); return isNaN(n) ? -1 : n; }
  function scoreClass(cells) {
    var n = parseFloat(cells[4]);
    return isNaN(n) ? "score na" : n >= 90 ? "score good" : n >= 70 ? "score fair" : "score poor";
  }
  function searchText(row) {
    if (row.text === undefined) {
      var c = row.cells;
      row.text = [c[0], c[1] || "", c[2] || "", c[3] || "", c[4]].concat(failed(c)).join("\n").toLowerCase();
    }
    return row.text;
  }
  var tools = pagingTools(table);
  var search = tools.search, previous = tools.previous, next = tools.next;
  var body = table.tBodies[0];
  var page = 0, order = rows, matching = rows;
  function cell(tr, text, className) {
    var td = document.createElement("td");
    if (className) td.className = className;
    if (text !== null) td.textContent = text;
    tr.appendChild(td);
    return td;
  }
  function draw() {
    var pages = Math.max(1, Math.ceil(matching.length / size));
    page = Math.min(page, pages - 1);
    body.textContent = "";
    matching.slice(page * size, (page + 1) * size).forEach(function (row) {
      var c = row.cells, tr = document.createElement("tr");
      var link = document.createElement("a");
      link.href = "#c-" + row.index;
      link.textContent = c[0];
      cell(tr, null).appendChild(link);
      cell(tr, c[1] || "—");
      cell(tr, c[2] || "—");
      cell(tr, c[3] || "—");
      var score = document.createElement("span");
      score.className = scoreClass(c);
      score.textContent = c[4];
      cell(tr, null, "num").appendChild(score);
      var rules = cell(tr, null);
      failed(c).forEach(function (rule) {
        var code = document.createElement("code");
        code.className = "failed";
        code.textContent = rule;
        rules.appendChild(code);
        rules.appendChild(document.createTextNode(" "));
      });
      body.appendChild(tr);
    });
    tools.show(page, pages, size, matching.length, rows.length);
  }
  function filter() {
    var query = search.value.trim().toLowerCase();
    matching = query ? order.filter(function (row) { return searchText(row).indexOf(query) >= 0; }) : order;
  }
  onHeaderSort(table, function (column, ascending) {
    var key = column === 4 ? scoreValue
      : column === 5 ? function (c) { return failed(c).join(" "); }
      : function (c) { return (c[column] || "").toLowerCase(); };
    order = rows.slice().sort(function (a, b) {
      var x = key(a.cells), y = key(b.cells);
      var d = typeof x === "number" ? x - y : x < y ? -1 : x > y ? 1 : 0;
      return (ascending ? d : -d) || a.index - b.index;
    });
    page = 0;
    filter();
    draw();
  });
  search.addEventListener("input", function () { page = 0; filter(); draw(); });
  previous.addEventListener("click", function () { page -= 1; draw(); });
  next.addEventListener("click", function () { page += 1; draw(); });
  draw();
})();
// Conversations are held as inert text until opened, so that a page of many loads quickly: in
// the page (script.lazy-section), or in the folder form in chunk files. Opening one makes its
// section, once, and tells the review script.
var lazySections = {};
document.querySelectorAll("script.lazy-section").forEach(function (holder) {
  lazySections[holder.getAttribute("data-index")] = holder;
});
var chunksLoading = {};
window.tactChunk = function (chunk, sections) {
  sections.forEach(function (markup, i) { lazySections[chunk * tactData.size + i] = markup; });
  delete chunksLoading[chunk];
  var before = document.querySelector("section.conversation.shown");
  var shown = showTarget();
  if (shown && shown !== before) window.scrollTo(0, 0);
};
function loadChunk(index) {
  var chunk = Math.floor(index / tactData.size);
  if (chunksLoading[chunk]) return;
  chunksLoading[chunk] = true;
  var script = document.createElement("script");
  script.src = tactData.chunks + "/" + chunk + ".js";
  script.onerror = function () {
    delete chunksLoading[chunk];
    var note = document.getElementById("chunk-error") || document.createElement("p");
    note.id = "chunk-error";
    note.className = "critical-note";
    note.textContent = "This conversation could not be loaded from " + script.src +
      ": keep the report's folder together (index.html and chunks/).";
    document.querySelector("main").prepend(note);
  };
  document.head.appendChild(script);
}
window.tactSection = function (index) {
  var made = document.getElementById("c-" + index);
  if (made) return made;
  var lazy = lazySections[index];
  if (lazy === undefined) {
    if (tactData && index >= 0 && index < tactData.rows.length) loadChunk(index);
    return null;
  }
  if (typeof lazy === "string") {
    document.querySelector("main").insertAdjacentHTML("beforeend", lazy);
  } else {
    lazy.insertAdjacentHTML("afterend", lazy.textContent);
    lazy.remove();
  }
  delete lazySections[index];
  made = document.getElementById("c-" + index);
  document.dispatchEvent(new CustomEvent("tact:section", { detail: made }));
  return made;
};
// Opening a conversation hides the overview and starts at its top. Returns what is shown.
function showTarget() {
  var match = /^#c-(\d+)$/.exec(location.hash);
  var target = match ? window.tactSection(parseInt(match[1], 10)) : null;
  document.querySelectorAll("section.conversation.shown").forEach(function (s) { s.classList.remove("shown"); });
  if (target) target.classList.add("shown");
  document.body.classList.toggle("showing-conversation", !!target);
  return target;
}
window.addEventListener("hashchange", function () { showTarget(); window.scrollTo(0, 0); });
showTarget();
