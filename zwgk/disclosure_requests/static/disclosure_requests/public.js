// Move focus to the error summary after a failed submission, so that it is read first.
(function () {
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
})();
