// Autocomplete for the search box: asks /autocomplete as the user types and offers links in a
// listbox (arrow keys move, Enter opens, Escape closes). Without JavaScript the form still
// submits to /search.
(function () {
  "use strict";
  var input = document.querySelector("input[data-autocomplete]");
  if (!input) { return; }
  var list = document.getElementById(input.getAttribute("aria-controls"));
  var endpoint = input.getAttribute("data-autocomplete");
  var timer = null, active = -1, asked = "";

  function close() {
    list.hidden = true; list.textContent = ""; active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }
  function mark(index) {
    var items = list.querySelectorAll("li");
    items.forEach(function (item, i) { item.setAttribute("aria-selected", String(i === index)); });
    active = index;
    if (index >= 0) { input.setAttribute("aria-activedescendant", items[index].id); }
  }
  function show(hits) {
    list.textContent = "";
    hits.forEach(function (hit, i) {
      var item = document.createElement("li");
      item.id = "suggestion-" + i;
      item.setAttribute("role", "option");
      var link = document.createElement("a");
      link.href = hit.url;
      link.textContent = hit.label + (hit.country ? " (" + hit.country + ")" : "");
      item.appendChild(link);
      list.appendChild(item);
    });
    list.hidden = hits.length === 0;
    input.setAttribute("aria-expanded", String(hits.length > 0));
    active = -1;
  }
  function ask() {
    var text = input.value.trim();
    if (text === asked) { return; }
    asked = text;
    if (!text) { close(); return; }
    fetch(endpoint + "?q=" + encodeURIComponent(text), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (hits) { if (input.value.trim() === text) { show(hits); } })
      .catch(close);
  }
  input.addEventListener("input", function () {
    clearTimeout(timer); timer = setTimeout(ask, 120);
  });
  input.addEventListener("keydown", function (event) {
    var items = list.querySelectorAll("li");
    if (event.key === "ArrowDown" && items.length) {
      event.preventDefault(); mark((active + 1) % items.length);
    } else if (event.key === "ArrowUp" && items.length) {
      event.preventDefault(); mark((active - 1 + items.length) % items.length);
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault(); window.location.href = items[active].querySelector("a").href;
    } else if (event.key === "Escape" && !list.hidden) {
      event.preventDefault(); close();
    }
  });
  document.addEventListener("click", function (event) {
    if (!list.contains(event.target) && event.target !== input) { close(); }
  });
})();
