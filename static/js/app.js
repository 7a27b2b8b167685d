// Initialise NHS.UK frontend once per swapped piece of page: htmx.onLoad runs for the first page load
// and again for every element htmx swaps in.
import { initAll } from "../vendor/nhsuk-frontend/nhsuk-frontend.min.js";

document.body.classList.add("nhsuk-frontend-supported");

window.htmx.onLoad((element) => {
  initAll({ scope: element });
});
