// The upload's progress while htmx sends a file (the server's check follows; the indicator says so).
(function () {
  window.htmx.on("htmx:xhr:progress", function (event) {
    var bar = document.getElementById("import-progress");
    if (bar && event.detail.lengthComputable) {
      var percent = Math.round((event.detail.loaded / event.detail.total) * 100);
      bar.value = percent;
      bar.textContent = percent + "%";
    }
  });
  window.htmx.on("htmx:beforeRequest", function () {
    var bar = document.getElementById("import-progress");
    if (bar) { bar.value = 0; }
  });
})();
