// Poll running generation jobs and update their progress; reload when one finishes.
(function () {
  var jobs = document.querySelectorAll(".job[data-state='queued'], .job[data-state='running']");
  if (!jobs.length) return;
  function poll() {
    var pending = 0;
    var requests = Array.prototype.map.call(jobs, function (article) {
      return fetch(article.dataset.statusUrl, { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (job) {
          var bar = article.querySelector("progress"), stage = article.querySelector(".stage");
          if (bar) bar.value = job.progress;
          if (stage) stage.textContent = job.stage + (job.eta_seconds ? " · about " + Math.ceil(job.eta_seconds) + " s left" : "");
          if (["succeeded", "failed", "cancelled"].indexOf(job.state) >= 0) { window.location.reload(); }
          else pending += 1;
        });
    });
    Promise.all(requests).then(function () { if (pending) setTimeout(poll, 1500); });
  }
  setTimeout(poll, 1000);
})();
