"""Read the sections → articles → paragraphs outline of an iteration body.

Articles are numbered continuously through the whole text (Article 1 … Article N), paragraphs
(alinéas) within their article. The same outline is used to freeze a text into Paragraph rows,
to check that a frozen text has not changed, and to render a draft.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from charte.texts.richtext import clean_html, plain_text


def normalize_text(text: str) -> str:
    """Line endings and trailing spaces are not part of the text."""
    lines = str(text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


@dataclass(frozen=True)
class OutlineParagraph:
    key: str
    position: int
    number: int  # alinéa number within its article
    text: str
    section_key: str
    section_title: str
    article_key: str
    article_number: int
    article_title: str
    html: str = ""  # the allow-listed markup of the paragraph (its text is ``text``)


@dataclass
class OutlineArticle:
    key: str
    number: int
    title: str
    paragraphs: list = field(default_factory=list)


@dataclass
class OutlineSection:
    key: str
    number: int
    title: str
    articles: list = field(default_factory=list)


def body_outline(body) -> list[OutlineSection]:
    """The outline of a StreamField value of :class:`charte.texts.blocks.CharterBodyBlock`."""
    sections: list[OutlineSection] = []
    article_number = 0
    position = 0
    for section_child in body or []:
        section_value = section_child.value
        section = OutlineSection(
            key=section_child.id or "",
            number=len(sections) + 1,
            title=normalize_text(section_value.get("title")),
        )
        sections.append(section)
        for article_child in section_value.get("articles") or []:
            article_number += 1
            article_value = article_child.value
            article = OutlineArticle(
                key=article_child.id or "",
                number=article_number,
                title=normalize_text(article_value.get("title")),
            )
            section.articles.append(article)
            for paragraph_child in article_value.get("paragraphs") or []:
                position += 1
                article.paragraphs.append(
                    OutlineParagraph(
                        key=paragraph_child.id or "",
                        position=position,
                        number=len(article.paragraphs) + 1,
                        text=normalize_text(plain_text(paragraph_child.value)),
                        html=clean_html(paragraph_child.value),
                        section_key=section.key,
                        section_title=section.title,
                        article_key=article.key,
                        article_number=article.number,
                        article_title=article.title,
                    )
                )
    return sections


def outline_paragraphs(sections: list[OutlineSection]) -> list[OutlineParagraph]:
    return [p for section in sections for article in section.articles for p in article.paragraphs]


def rows_outline(rows) -> list[OutlineSection]:
    """Rebuild the outline from frozen Paragraph rows (ordered by position)."""
    sections: list[OutlineSection] = []
    by_section: dict[str, OutlineSection] = {}
    by_article: dict[str, OutlineArticle] = {}
    for row in rows:
        section = by_section.get(row.section_key)
        if section is None:
            section = OutlineSection(
                key=row.section_key, number=len(sections) + 1, title=row.section_title
            )
            by_section[row.section_key] = section
            sections.append(section)
        article = by_article.get(row.article_key)
        if article is None:
            article = OutlineArticle(
                key=row.article_key, number=row.article_number, title=row.article_title
            )
            by_article[row.article_key] = article
            section.articles.append(article)
        article.paragraphs.append(row)
    return sections


def fingerprint(paragraphs) -> list[tuple]:
    """What must stay identical once a text is frozen: keys, order, titles and wording
    (its words and its emphasis, links and lists)."""
    return [
        (p.section_key, p.section_title, p.article_key, p.article_title, p.key, p.text, p.html)
        for p in paragraphs
    ]
