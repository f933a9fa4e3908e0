/* The evidence plugin's only script: each reference's "BibTeX and RIS" on the References page.
 *
 * The page carries no entry's text: under each reference is a "BibTeX and RIS" button
 * (aria-expanded). When a reader presses one, the page's entries file (the list's data-entries,
 * one small JSON file per References page) is read once, and the entry's BibTeX and RIS are shown with "Copy"
 * buttons (Material's clipboard, data-clipboard-target) and "Download <stem>.bib / .ris" buttons,
 * which save the text shown as a file: the site needs no file per entry. Nothing runs on load
 * but one listener, so a long list costs the reader's phone nothing until an entry is opened.
 */
(function () {
  "use strict";

  var loaded = {};  // entries file URL -> promise of its data

  function entries(url) {
    if (!loaded[url]) {
      loaded[url] = fetch(url).then(function (response) {
        if (!response.ok) throw new Error(response.status + " " + url);
        return response.json();
      });
      loaded[url].catch(function () { delete loaded[url]; });  // try again on the next opening
    }
    return loaded[url];
  }

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : whole;
    });
  }

  function button(className, text) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = "md-button " + className;
    element.textContent = text;
    return element;
  }

  /* The same nodes the page used to carry: <div id="bib-stem"><pre><code>text</code></pre></div>
     and a paragraph with the Copy and Download buttons, for each format. */
  function fill(panel, stem, data) {
    var entry = data.entries[stem];
    if (!entry) return;
    var strings = data.strings;
    var fragment = document.createDocumentFragment();
    data.formats.forEach(function (spec, index) {
      var label = spec[0], extension = spec[1], target = extension + "-" + stem;
      var holder = document.createElement("div");
      holder.className = "evidence-export-text";
      holder.id = target;
      var pre = document.createElement("pre");
      var code = document.createElement("code");
      code.textContent = entry[index + 1];
      pre.appendChild(code);
      holder.appendChild(pre);
      var buttons = document.createElement("p");
      var copy = button("evidence-copy", format(strings.copy, { format: label }));
      copy.setAttribute("data-clipboard-target", "#" + target);
      copy.setAttribute("aria-label", format(strings.copy_of, { format: label, work: entry[0] }));
      var filename = stem + "." + extension;
      var save = button("evidence-download", format(strings.download, { file: filename }));
      save.setAttribute("data-download-target", target);
      save.setAttribute("data-filename", filename);
      save.setAttribute("data-type", spec[2]);
      save.setAttribute("data-newline", spec[3]);
      buttons.appendChild(copy);
      buttons.appendChild(document.createTextNode(" "));
      buttons.appendChild(save);
      fragment.appendChild(holder);
      fragment.appendChild(buttons);
    });
    panel.appendChild(fragment);
  }

  /* A reference's "BibTeX and RIS" button shows or hides the panel after it; the first press
     makes the panel from the page's entries file. */
  function toggle(control) {
    var panel = document.getElementById(control.getAttribute("aria-controls") || "");
    if (panel) {
      var open = control.getAttribute("aria-expanded") !== "true";
      panel.hidden = !open;
      control.setAttribute("aria-expanded", String(open));
      return;
    }
    if (control.hasAttribute("aria-busy")) return;
    var list = control.closest("[data-entries]");
    if (!list) return;
    control.setAttribute("aria-busy", "true");
    entries(new URL(list.getAttribute("data-entries"), document.baseURI).href).then(function (data) {
      panel = document.createElement("div");
      panel.className = "evidence-export-panel";
      panel.id = "export-" + control.getAttribute("data-entry");
      fill(panel, control.getAttribute("data-entry"), data);
      control.insertAdjacentElement("afterend", panel);
      control.setAttribute("aria-controls", panel.id);
      control.setAttribute("aria-expanded", "true");
    }, function () {
      // Not loaded (offline?): pressing again tries again.
    }).then(function () { control.removeAttribute("aria-busy"); });
  }

  document.addEventListener("click", function (event) {
    var control = event.target.closest && event.target.closest("button.evidence-export[data-entry]");
    if (control) {
      toggle(control);
      return;
    }
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
})();
