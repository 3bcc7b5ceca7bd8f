// On a narrow screen a table reads as a list of cards (screens.css): each cell shows the title
// of its column, copied here from the table's header row into the cell's data-label.
(function () {
  function headerCells(table) {
    var head = table.tHead && table.tHead.rows[0];
    if (head) return head.cells;
    var first = table.rows[0];
    if (!first) return null;
    for (var i = 0; i < first.cells.length; i++) {
      if (first.cells[i].tagName !== "TH") return null;  // a table of label/value rows
    }
    return first.cells.length > 1 ? first.cells : null;
  }

  function label(root) {
    var tables = (root || document).querySelectorAll("table:not([data-cards])");
    for (var t = 0; t < tables.length; t++) {
      var table = tables[t], cells = headerCells(table);
      table.setAttribute("data-cards", cells ? "1" : "0");
      if (!cells) continue;
      var titles = [];
      for (var c = 0; c < cells.length; c++) {
        for (var span = 0; span < (cells[c].colSpan || 1); span++) titles.push(cells[c].textContent.trim());
      }
      cells[0].parentNode.classList.add("zy-head-row");
      for (var r = 0; r < table.rows.length; r++) {
        var row = table.rows[r];
        if (row === cells[0].parentNode) continue;
        for (var i = 0, col = 0; i < row.cells.length; i++) {
          if (titles[col] && row.cells[i].colSpan < 2) row.cells[i].setAttribute("data-label", titles[col]);
          col += row.cells[i].colSpan || 1;
        }
      }
    }
  }

  label(document);
  if (!window.zyCardsListening) {
    window.zyCardsListening = true;
    document.addEventListener("DOMContentLoaded", function () { label(document); });
    document.addEventListener("turbo:load", function () { label(document); });
    document.addEventListener("turbo:render", function () { label(document); });
  }
})();
