// Tables on narrow screens (decision 0044): a GOV.UK table wider than the column it sits in is
// stacked, each row a block and each cell a line led by its column's header, so no page scrolls
// sideways at 320 CSS pixels (a phone, or 1280 px at 400 % zoom). A table that fits is left alone.
// Styles: static/css/app.css (.app-table--stacked). Checked again when the window is resized and
// when a <details> holding a table opens.

const STACKED = "app-table--stacked";

// Explicit roles, so the table stays a table to assistive technology while its parts are
// display: block (some browsers drop the semantics of a table whose display changes).
function addRoles(table) {
  table.setAttribute("role", "table");
  for (const group of table.querySelectorAll(":scope > thead, :scope > tbody, :scope > tfoot")) {
    group.setAttribute("role", "rowgroup");
  }
  for (const row of table.querySelectorAll(":scope > * > tr")) {
    row.setAttribute("role", "row");
    for (const cell of row.children) {
      if (cell.tagName === "TD") {
        cell.setAttribute("role", "cell");
      } else {
        cell.setAttribute("role", cell.closest("thead") || cell.scope === "col" ? "columnheader" : "rowheader");
      }
    }
  }
}

// Each body cell's data-app-label: the text of the header above it (colspans counted).
function addLabels(table) {
  const headerRow = table.querySelector(":scope > thead > tr:last-child");
  if (!headerRow) return;
  const headers = [];
  for (const header of headerRow.children) {
    const text = header.textContent.replace(/\s+/g, " ").trim();
    for (let span = 0; span < (header.colSpan || 1); span++) headers.push(text);
  }
  for (const row of table.querySelectorAll(":scope > tbody > tr, :scope > tfoot > tr")) {
    let column = 0;
    for (const cell of row.children) {
      const label = headers[column];
      if (label && !cell.hasAttribute("data-app-label")) cell.setAttribute("data-app-label", label);
      column += cell.colSpan || 1;
    }
  }
}

function fit(tables) {
  for (const table of tables) table.classList.remove(STACKED);
  // Measure every table first, then change them: one layout, not one per table.
  const page = document.documentElement.clientWidth;
  const wide = tables.filter((table) => (
    table.scrollWidth > table.parentElement.clientWidth || table.getBoundingClientRect().right > page
  ));
  for (const table of wide) {
    if (!table.hasAttribute("role")) {
      addRoles(table);
      addLabels(table);
    }
    table.classList.add(STACKED);
  }
}

export function initTables(scope = document) {
  const tables = () => [...scope.querySelectorAll("table.govuk-table")];
  fit(tables());
  let pending = false;
  const refit = () => {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(() => {
      pending = false;
      fit(tables());  // found again: a table a script added since fits too
    });
  };
  window.addEventListener("resize", refit);
  // A table in a closed <details> has no width to measure until it is opened ("toggle" does not
  // bubble: listen while it goes down).
  scope.addEventListener("toggle", (event) => {
    if (event.target.open && event.target.querySelector("table.govuk-table")) refit();
  }, true);
}
