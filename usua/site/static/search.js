// Search over names and titles: loads only the index file of the query's longest word (by its
// first two letters) with a <script> tag, which also works when pages are opened from the disk.
(function () {
  "use strict";
  var params = new URLSearchParams(window.location.search);
  var q = (params.get("q") || "").trim();
  var input = document.getElementById("q");
  var status = document.getElementById("status");
  var list = document.getElementById("results");
  if (input) input.value = q;
  function norm(s) { return s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }
  var words = norm(q).match(/[a-z0-9]+/g) || [];
  words = words.filter(function (w) { return w.length >= 2; });
  if (!words.length) { if (q) status.textContent = "Type at least two letters."; return; }
  var longest = words.slice().sort(function (a, b) { return b.length - a.length; })[0];
  window.usuaShard = function (key, rows) {
    var hits = rows.filter(function (r) {
      var label = " " + norm(r[0]).replace(/[^a-z0-9]+/g, " ");
      return words.every(function (w) { return label.indexOf(" " + w) >= 0; });
    });
    status.textContent = hits.length + " result" + (hits.length === 1 ? "" : "s") + " for “" + q + "”" + (hits.length > 200 ? " (first 200 shown)" : "");
    hits.slice(0, 200).forEach(function (r) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = r[2]; a.textContent = r[0];
      var kind = document.createElement("span");
      kind.className = "kind"; kind.textContent = r[1];
      li.appendChild(a); li.appendChild(kind); list.appendChild(li);
    });
  };
  var script = document.createElement("script");
  script.src = "search/" + longest.slice(0, 2) + ".js";
  script.onerror = function () { status.textContent = "No results for “" + q + "”."; };
  document.body.appendChild(script);
})();
