/* Reader-facing behaviour on top of Material, served from this site (no third-party script).
 *
 * Note previews (content.footnote.tooltips): Material shows the note while the marker is
 * hovered or focused, and keeps it while the preview itself is hovered. WCAG 1.4.13 also asks
 * that it can be dismissed without moving pointer or focus: Escape hides it until the pointer
 * or the focus moves to another marker, or the preview closes.
 */
(function () {
  "use strict";
  var DISMISSED = "reader-tooltips-dismissed";

  function active() {
    return document.querySelector(".md-tooltip2--active, .md-tooltip2");
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !active()) return;
    document.body.classList.add(DISMISSED);
  }, true);

  function reopen(event) {
    var target = event.target;
    if (target && target.closest && target.closest(".footnote-ref") && target.closest(".footnote-ref") !== reopen.last) {
      document.body.classList.remove(DISMISSED);
    }
    if (target && target.closest) reopen.last = target.closest(".footnote-ref");
  }
  document.addEventListener("focusin", reopen);
  document.addEventListener("mouseover", reopen);

  // When Material removes the preview, the next one shows normally.
  new MutationObserver(function () {
    if (!active()) document.body.classList.remove(DISMISSED);
  }).observe(document.body, { childList: true });
})();
