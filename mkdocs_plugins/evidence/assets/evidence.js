/* The evidence plugin's only script: "Download <key>.bib / .ris" under each reference.
 *
 * The entry's text is already on the page (the <pre> the copy button copies), so the file is
 * made in the browser from that text: the site needs no file per entry (at 10,000 entries that
 * would be 20,000 files to write on every build), and it works offline and from file://.
 * Without JavaScript the buttons stay hidden; the text and the whole-library files remain.
 */
(function () {
  "use strict";

  function reveal() {
    var buttons = document.querySelectorAll("button.evidence-download[hidden]");
    for (var i = 0; i < buttons.length; i++) buttons[i].hidden = false;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.evidence-download");
    if (!button) return;
    var source = document.getElementById(button.getAttribute("data-download-target"));
    if (!source) return;
    var text = source.textContent.replace(/\s*$/, "\n");
    // RIS readers (EndNote) expect CRLF line ends, as in references.ris.
    if (button.getAttribute("data-newline") === "crlf") text = text.replace(/\r?\n/g, "\r\n");
    var url = URL.createObjectURL(new Blob([text], { type: button.getAttribute("data-type") || "text/plain" }));
    var link = document.createElement("a");
    link.href = url;
    link.download = button.getAttribute("data-filename");
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 0);
  });

  if (window.document$ && window.document$.subscribe) window.document$.subscribe(reveal);  // Material's instant navigation
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", reveal);
  else reveal();
})();
