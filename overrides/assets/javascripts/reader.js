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

  /* hreflang links in <head> (the page in English, Welsh, x-default): Material fetches
   * "sitemap.xml" beside the href of every link[rel=alternate] once the DOM is loaded, for its
   * own language selector, which expects links to language roots (mkdocs-material #6582). Ours
   * name pages, so that would be two requests per page for files that do not exist. This runs
   * before DOMContentLoaded: the rel value gets a trailing space, the same token list for every
   * reader of rel, but no longer an exact match for Material's selector. The HTML as served is
   * unchanged. */
  var twins = document.querySelectorAll('head link[rel="alternate"][hreflang]');
  for (var i = 0; i < twins.length; i++) twins[i].setAttribute("rel", "alternate ");

  /* A page served without Material's script (the print view, overrides/print-view.html) keeps
   * Material's `no-js` class. Its colour scheme: the one the reader chose on another page
   * (Material's inline script has applied it), else the device's, as Material's script picks it
   * from the palette's media queries. */
  if (document.documentElement.classList.contains("no-js") && !(window.__md_get && __md_get("__palette"))) {
    var schemes = document.querySelectorAll("[data-md-color-media]");
    for (var j = 0; j < schemes.length; j++) {
      if (!matchMedia(schemes[j].getAttribute("data-md-color-media")).matches) continue;
      ["media", "scheme", "primary", "accent"].forEach(function (key) {
        document.body.setAttribute("data-md-color-" + key, schemes[j].getAttribute("data-md-color-" + key));
      });
      break;
    }
  }

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
