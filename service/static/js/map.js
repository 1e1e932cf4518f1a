// Draws a page's map with Leaflet: the connections of a page (data-lines), or the points of a
// page of figures (data-points: regions of a register, units of a NUTS region), each with the
// radius, tone and sentence the server chose; the legend is the page's HTML. Offline by default:
// the base layer is the Natural Earth country outlines of the world-atlas package; a tile server
// is used only when the TILE_URL setting gives one (data-tiles). Lines and points come from
// JSON data blocks (not scripts: the Content-Security-Policy forbids inline scripts).
(function () {
  "use strict";
  var element = document.getElementById("map");
  if (!element || typeof L === "undefined") { return; }
  function dataOf(attribute) {
    var block = document.getElementById(element.getAttribute(attribute) || "");
    return block ? JSON.parse(block.textContent) : [];
  }
  var lines = dataOf("data-lines");
  var figures = dataOf("data-points");
  var map = L.map(element, { worldCopyJump: true, scrollWheelZoom: false });
  map.attributionControl.setPrefix("");
  var tiles = element.getAttribute("data-tiles");
  if (tiles) {
    L.tileLayer(tiles, { maxZoom: 18, attribution: "Map tiles" }).addTo(map);
  } else {
    fetch(element.getAttribute("data-outlines"))
      .then(function (response) { return response.json(); })
      .then(function (world) {
        var countries = topojson.feature(world, world.objects.countries);
        L.geoJSON(countries, {
          style: { color: "#8a99ad", weight: 0.6, fillColor: "#f7f4ea", fillOpacity: 1 },
          interactive: false
        }).addTo(map).bringToBack();
        element.setAttribute("data-outlines-drawn", String(countries.features.length));
      })
      .catch(function () { element.setAttribute("data-outlines-drawn", "0"); });
    map.attributionControl.addAttribution("Natural Earth");
  }

  // An element showing text (a link when href is given); the text is never read as HTML.
  function textElement(tag, text, href) {
    var element = document.createElement(tag);
    if (tag === "a") { element.href = href; }
    element.textContent = text;
    return element;
  }
  // A page of this site or an http(s) address: the server sends no other, and this checks it.
  function ownOrWebLink(href) {
    return typeof href === "string" && /^(\/(?![\/\\])|https?:\/\/)/i.test(href);
  }

  var points = {};
  var bounds = [];
  // The page's own authority (the start of every line, on authority and Find-a-partner pages)
  // is a larger filled marker, so the reader sees where the lines come from.
  var starts = {};
  lines.forEach(function (line) { starts[line.from.iri] = (starts[line.from.iri] || 0) + 1; });
  var hub = lines.length > 1 && Object.keys(starts).length === 1 ? Object.keys(starts)[0] : null;
  function point(place) {
    if (place.lat === null || place.long === null) { return null; }
    var latlng = [place.lat, place.long];
    if (!points[place.iri]) {
      var home = place.iri === hub;
      var marker = L.circleMarker(latlng, { radius: home ? 8 : 5, color: "#0b4f8a", weight: 2,
                                            fillColor: home ? "#0b4f8a" : "#fff",
                                            fillOpacity: 1, className: home ? "map-home" : "" });
      // Names come from Wikidata and from CSV files people send: Leaflet writes a string
      // content as HTML, so popups and tooltips get elements whose text is set, never strings.
      var label = place.name + (place.country ? " (" + place.country + ")" : "");
      marker.bindPopup(textElement(ownOrWebLink(place.page) ? "a" : "span", label,
                                   place.page));
      marker.bindTooltip(textElement("span", label));
      points[place.iri] = marker;
      bounds.push(latlng);
    }
    return latlng;
  }
  var drawn = 0;
  lines.forEach(function (line) {
    var a = point(line.from), b = point(line.to);
    if (a && b) {
      L.polyline([a, b], { className: "map-line", color: "#c2410c", weight: 1.6, opacity: 0.75,
                           interactive: false }).addTo(map);
      drawn += 1;
    }
  });
  Object.keys(points).forEach(function (key) { points[key].addTo(map); });

  // Points of figures, in the server's order (the ones meant to stay on top come last). The
  // tone is a class the page's CSS colours, as it colours the legend's swatches.
  var tones = /^[a-z0-9-]+$/;
  var pointsDrawn = 0;
  figures.forEach(function (figure) {
    if (typeof figure.lat !== "number" || typeof figure.long !== "number") { return; }
    var latlng = [figure.lat, figure.long];
    var tone = tones.test(String(figure.tone)) ? String(figure.tone) : "none";
    var marker = L.circleMarker(latlng, { radius: Number(figure.radius) || 5,
                                          className: "map-point tone-" + tone });
    var label = String(figure.label || figure.name);
    marker.bindPopup(textElement(ownOrWebLink(figure.page) ? "a" : "span", label,
                                 figure.page));
    marker.bindTooltip(textElement("span", label));
    marker.addTo(map);
    bounds.push(latlng);
    pointsDrawn += 1;
  });

  if (bounds.length > 1) {
    map.fitBounds(bounds, { padding: [24, 24], maxZoom: figures.length ? 10 : 8 });
  } else if (bounds.length === 1) {
    map.setView(bounds[0], figures.length ? 9 : 6);
  } else {
    map.setView([51, 15], 4);
  }
  element.setAttribute("data-lines-drawn", String(drawn));
  if (figures.length) { element.setAttribute("data-points-drawn", String(pointsDrawn)); }
})();
