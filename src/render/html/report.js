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
    });
  });
});
// Opening a conversation starts at its top.
window.addEventListener("hashchange", function () { window.scrollTo(0, 0); });
