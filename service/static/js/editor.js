// Turns the query textarea into a CodeMirror editor with SPARQL highlighting; Ctrl+Enter (or
// Cmd+Enter) runs the query. The form works the same without JavaScript.
(function () {
  "use strict";
  var textarea = document.getElementById("query");
  if (!textarea || typeof CodeMirror === "undefined") { return; }
  var form = document.getElementById("query-form");
  var editor = CodeMirror.fromTextArea(textarea, {
    mode: "application/sparql-query", lineNumbers: true, indentUnit: 2, viewportMargin: Infinity,
    extraKeys: {
      "Ctrl-Enter": function () { editor.save(); form.submit(); },
      "Cmd-Enter": function () { editor.save(); form.submit(); },
      "Tab": false, "Shift-Tab": false
    }
  });
  editor.getWrapperElement().setAttribute("data-editor", "codemirror");
  var share = document.getElementById("share");
  if (share) { share.addEventListener("focus", function () { share.select(); }); }
})();
