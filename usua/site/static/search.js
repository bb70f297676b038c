// Search over names and titles. The index is split into small files by word prefix (see
// usua/site/build.py); a query loads the file of its longest word, following splits, with <script>
// tags so that it also works when the pages are opened from the disk.
(function () {
  "use strict";
  var params = new URLSearchParams(window.location.search);
  var q = (params.get("q") || "").trim();
  var input = document.getElementById("q");
  var status = document.getElementById("status");
  var list = document.getElementById("results");
  if (input) input.value = q;
  function norm(s) { return s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }
  var words = (norm(q).match(/[a-z0-9]+/g) || []).filter(function (w) { return w.length >= 2; });
  if (!words.length) { if (q) status.textContent = "Type at least two letters."; return; }
  var longest = words.slice().sort(function (a, b) { return b.length - a.length; })[0];
  var pending = 0, seen = {}, hits = [];
  function load(key) {
    pending += 1;
    var script = document.createElement("script");
    script.src = "search/" + key + ".js";
    script.onerror = function () { done(); };
    document.body.appendChild(script);
  }
  function done() {
    pending -= 1;
    if (pending > 0) return;
    status.textContent = hits.length + " result" + (hits.length === 1 ? "" : "s") + " for “" + q + "”" + (hits.length > 200 ? " (first 200 shown)" : "");
    hits.slice(0, 200).forEach(function (r) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = r[2]; a.textContent = r[0];
      var kind = document.createElement("span");
      kind.className = "kind"; kind.textContent = r[1];
      li.appendChild(a); li.appendChild(kind); list.appendChild(li);
    });
  }
  window.usuaShard = function (key, data) {
    if (Array.isArray(data)) {
      data.forEach(function (r) {
        if (seen[r[2]]) return;
        var label = " " + norm(r[0]).replace(/[^a-z0-9]+/g, " ");
        if (words.every(function (w) { return label.indexOf(" " + w) >= 0; })) { seen[r[2]] = 1; hits.push(r); }
      });
    } else if (longest.length > key.length) {
      var next = longest.slice(0, key.length + 1);
      if (data.split.indexOf(next) >= 0) load(next);
    } else {
      data.split.forEach(load);
    }
    done();
  };
  load(longest.slice(0, 3));
})();
