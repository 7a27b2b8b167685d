// Draws every plotly figure a page (or an htmx swap) brings: <div data-figure="{plotly figure as JSON}">.
(function () {
  function draw(root) {
    var plots = root.matches && root.matches("[data-figure]") ? [root] : root.querySelectorAll("[data-figure]");
    plots.forEach(function (plot) {
      var figure = JSON.parse(plot.dataset.figure);
      window.Plotly.react(plot, figure.data, figure.layout, { displaylogo: false, responsive: true, displayModeBar: false });
    });
  }
  window.htmx.onLoad(draw);
})();
