// Sortable tables: click a header to sort by that column; again to reverse. Cells may carry the
// value to sort by in data-v (numbers); otherwise their text is compared.
document.querySelectorAll("table.sortable").forEach(function (table) {
  var headers = table.querySelectorAll("thead th");
  headers.forEach(function (th, column) {
    th.addEventListener("click", function () {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
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
});
// Paged tables with a search box: only the rows matching the search are counted, and a page of
// them is shown at a time, so a report of many conversations stays quick to read.
document.querySelectorAll("table.paged").forEach(function (table) {
  var size = parseInt(table.getAttribute("data-page-size"), 10) || 100;
  var tools = document.createElement("div");
  tools.className = "table-tools";
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
  tools.appendChild(search);
  tools.appendChild(previous);
  tools.appendChild(status);
  tools.appendChild(next);
  table.parentNode.insertBefore(tools, table);
  var page = 0;
  function show() {
    var query = search.value.trim().toLowerCase();
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var matching = rows.filter(function (row) { return !query || row.textContent.toLowerCase().indexOf(query) >= 0; });
    var pages = Math.max(1, Math.ceil(matching.length / size));
    page = Math.min(page, pages - 1);
    rows.forEach(function (row) { row.hidden = true; });
    matching.slice(page * size, (page + 1) * size).forEach(function (row) { row.hidden = false; });
    var first = matching.length ? page * size + 1 : 0;
    var last = Math.min(matching.length, (page + 1) * size);
    status.textContent = first + "–" + last + " of " + matching.length +
      (matching.length === rows.length ? "" : " matching (" + rows.length + " in all)");
    previous.disabled = page === 0;
    next.disabled = page >= pages - 1;
  }
  search.addEventListener("input", function () { page = 0; show(); });
  previous.addEventListener("click", function () { page -= 1; show(); });
  next.addEventListener("click", function () { page += 1; show(); });
  table.addEventListener("sorted", function () { page = 0; show(); });
  show();
});
// Conversations are held as inert text (script.lazy-section) until opened, so that a page of
// many loads quickly; opening one makes its section, once, and tells the review script.
var lazySections = {};
document.querySelectorAll("script.lazy-section").forEach(function (holder) {
  lazySections[holder.getAttribute("data-index")] = holder;
});
window.tactSection = function (index) {
  var made = document.getElementById("c-" + index);
  if (made) return made;
  var holder = lazySections[index];
  if (!holder) return null;
  holder.insertAdjacentHTML("afterend", holder.textContent);
  made = document.getElementById("c-" + index);
  holder.remove();
  delete lazySections[index];
  document.dispatchEvent(new CustomEvent("tact:section", { detail: made }));
  return made;
};
// Opening a conversation hides the overview and starts at its top.
function showTarget() {
  var match = /^#c-(\d+)$/.exec(location.hash);
  var target = match ? window.tactSection(match[1]) : null;
  document.querySelectorAll("section.conversation.shown").forEach(function (s) { s.classList.remove("shown"); });
  if (target) target.classList.add("shown");
  document.body.classList.toggle("showing-conversation", !!target);
}
window.addEventListener("hashchange", function () { showTarget(); window.scrollTo(0, 0); });
showTarget();
