// Draws every plotly figure that a page (or an htmx swap) brings: <div data-figure="ID"> + <script id="ID" type="application/json">.
(function () {
  function draw(root) {
    root.querySelectorAll("[data-figure]").forEach(function (plot) {
      var source = document.getElementById(plot.dataset.figure);
      if (!source) { return; }
      var figure = JSON.parse(source.textContent);
      window.Plotly.react(plot, figure.data, figure.layout, { displaylogo: false, responsive: true, displayModeBar: false });
    });
  }
  window.htmx.onLoad(draw);
})();
