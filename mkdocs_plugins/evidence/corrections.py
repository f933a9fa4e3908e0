""""Suggest a correction" links: a GitHub issue form, prefilled with what the reader was looking at.

GitHub fills an issue form's fields from the query string of `<repo>/issues/new?template=<form>`:
`title`, and each field by its `id`. The form must have the fields `page` (the page's address)
and `concerns` (the endnote or reference); any other field is the reader's to fill in.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode, urljoin

from .render import esc

# Ids of the issue form's fields this module fills.
FIELDS = ("page", "concerns")


def form_address(repo_url: str | None, form: str | None) -> str | None:
    """`https://github.com/o/r/issues/new?template=correction.yml`, or None without both parts."""
    if not repo_url or not form:
        return None
    return f"{repo_url.rstrip('/')}/issues/new?" + urlencode({"template": form}, quote_via=quote)


class CorrectionLinks:
    """The links of one page: the page as a whole, each endnote, each reference."""

    def __init__(self, form: str, strings: dict[str, str], *, page_title: str, page_url: str,
                 site_url: str | None = None):
        self.form = form
        self.strings = strings
        self.page_title = page_title
        self.address = urljoin(site_url, page_url) if site_url else (page_url or "/")

    def url(self, subject: str | None = None, concerns: str | None = None) -> str:
        """The form, titled with the page (and `subject`), its `page` and `concerns` fields filled."""
        fields = {"title": f"Correction: {self.page_title}" + (f", {subject}" if subject else ""),
                  "page": self.address}
        if concerns:
            fields["concerns"] = concerns
        return self.form + "&" + urlencode(fields, quote_via=quote)

    def _link(self, url: str, label: str) -> str:
        text = self.strings["suggest_correction"]
        aria = f' aria-label="{esc(label)}"' if label != text else ""
        return f'<a class="evidence-correction" href="{esc(url)}"{aria}>{esc(text)}</a>'

    def page(self) -> str:
        """A paragraph for the end of the page."""
        return f'<p class="evidence-correction-page">{self._link(self.url(), self.strings["suggest_correction"])}</p>'

    def note(self, numeral: str, keys: list[str]) -> str:
        """After the note's back-link: `Endnote xiv (abbott2005a, abbott2005b)` in the form."""
        concerns = f"Endnote {numeral}" + (f" ({', '.join(keys)})" if keys else "")
        label = self.strings["suggest_correction_note"].format(numeral=numeral)
        return " " + self._link(self.url(f"endnote {numeral}", concerns), label)

    def reference(self, key: str, work_text: str) -> str:
        """A line under the reference: `Reference abbott2005a: Abbott et al., 2005a` in the form."""
        url = self.url(f"reference {work_text}", f"Reference {key}: {work_text}")
        link = self._link(url, self.strings["suggest_correction_reference"].format(work=work_text))
        return f'<p class="evidence-correction-line">{link}</p>'
