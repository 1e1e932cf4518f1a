// Sortable tables: each header with data-sort becomes a button; clicking sorts the rows and
// sets aria-sort. Without JavaScript the server's order stays.
(function () {
  "use strict";
  function key(cell, kind) {
    var raw = cell.getAttribute("data-value") || cell.textContent.trim();
    if (kind === "number") { var n = parseFloat(raw.replace(/[^0-9.-]/g, "")); return isNaN(n) ? -Infinity : n; }
    return raw.toLocaleLowerCase();
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var headers = table.querySelectorAll("thead th[data-sort]");
    headers.forEach(function (th) {
      var index = Array.prototype.indexOf.call(th.parentNode.children, th);
      var button = document.createElement("button");
      button.type = "button"; button.className = "sort";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var kind = th.getAttribute("data-sort");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a.cells[index], kind), y = key(b.cells[index], kind);
          var order = x < y ? -1 : x > y ? 1 : 0;
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });
})();
