// Print-run page: poll the run's JSON status and move the progress bar between the page's
// own refreshes; reload once the run has finished. The page works without this script.
(function () {
  "use strict";
  var box = document.querySelector(".run-progress[data-status-url]");
  if (!box || !window.fetch) { return; }
  var bar = box.querySelector("progress");
  var text = box.querySelector(".run-progress-text");
  function poll() {
    fetch(box.getAttribute("data-status-url"), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (run) {
        if (!run) { return; }
        if (run.finished) { window.location.reload(); return; }
        bar.max = run.total;
        bar.value = run.done;
        text.textContent = run.done.toLocaleString() + " / " + run.total.toLocaleString() + " (" + run.percent + "%)";
        window.setTimeout(poll, 1500);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1500);
}());
