"""What the HTML parser would break apart or a screen reader get wrong in a page: a block
inside an element that may only hold phrasing content (a list of rules inside a <span> inside a
<p>), a link inside a link, and an id used twice (labels and aria-describedby then point at the
wrong element)."""

from html.parser import HTMLParser

BLOCKS = {
    "article", "aside", "blockquote", "details", "div", "dl", "fieldset", "footer", "form",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "main", "nav", "ol", "p", "pre",
    "section", "table", "ul",
}  # fmt: skip
PHRASING_ONLY = {"p", "span", "a", "button", "label", "strong", "em", "h1", "h2", "h3", "h4"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _Structure(HTMLParser):
    def __init__(self):
        super().__init__()
        self.open, self.ids, self.problems = [], set(), []

    def handle_starttag(self, tag, attrs):
        element_id = dict(attrs).get("id")
        if element_id:
            if element_id in self.ids:
                self.problems.append(f'id "{element_id}" used twice')
            self.ids.add(element_id)
        if tag in BLOCKS and self.open and self.open[-1] in PHRASING_ONLY:
            self.problems.append(f"<{tag}> inside <{self.open[-1]}>")
        if tag == "a" and "a" in self.open:
            self.problems.append("<a> inside <a>")
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        if tag in self.open:
            while self.open.pop() != tag:
                pass


def structure_problems(html: str) -> list[str]:
    parser = _Structure()
    parser.feed(html)
    return parser.problems
