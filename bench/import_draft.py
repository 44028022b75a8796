"""Time the import of a Word draft of 1,000 paragraphs in 150 articles: reading the DOCX,
arranging it into sections and articles, and matching it against the text it replaces (a
re-import with 5 % of the paragraphs reworded). Prints the median of each step.

Usage: ``.venv/bin/python bench/import_draft.py [--runs 9] [--paragraphs 1000 --articles 150]``.
Touches no database but a throw-away SQLite file (or DATABASE_URL's, which it migrates).
"""

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from render_iterations import setup_django  # noqa: E402

NBSP, NNBSP = "\u00a0", "\u202f"


def charter_docx(paragraphs, articles, reword=0):
    import docx

    document = docx.Document()
    document.add_heading("Charte de la participation citoyenne", 0)
    base, extra = divmod(paragraphs, articles)
    n = 0
    for article in range(1, articles + 1):
        if (article - 1) % 15 == 0:
            document.add_heading(f"Titre {(article - 1) // 15 + 1} – Dispositions", 1)
        document.add_heading(f"Article {article} – Objet {article}", 2)
        for _ in range(base + (1 if article <= extra else 0)):
            n += 1
            text = (
                f"Alinéa {n} de l’article {article}{NNBSP}: la commune s’engage à «{NBSP}répondre"
                f"{NBSP}» à chacun dans un délai d’un mois, par écrit et en ligne."
            )
            if reword and n % reword == 0:
                text = text.replace("d’un mois", "de deux mois")
            document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--paragraphs", type=int, default=1000)
    parser.add_argument("--articles", type=int, default=150)
    args = parser.parse_args()
    setup_django()

    from wagtail.blocks import StreamValue

    from charte.texts import drafts, importing
    from charte.texts.blocks import CharterBodyBlock

    first = charter_docx(args.paragraphs, args.articles)
    revised = charter_docx(args.paragraphs, args.articles, reword=20)
    body = StreamValue(
        CharterBodyBlock(),
        drafts.structure(importing.read(first)[1], kind="docx").raw_body(),
        is_lazy=True,
    )
    steps = {"read": [], "structure": [], "identities": [], "total": []}
    for _ in range(args.runs):
        start = time.perf_counter()
        kind, blocks = importing.read(revised, "charte.docx")
        read = time.perf_counter()
        draft = drafts.structure(blocks, kind=kind)
        arranged = time.perf_counter()
        drafts.keep_identities(draft, body)
        matched = time.perf_counter()
        steps["read"].append(read - start)
        steps["structure"].append(arranged - read)
        steps["identities"].append(matched - arranged)
        steps["total"].append(matched - start)
    counts = draft.counts()
    print(
        f"{len(first) // 1024} KiB DOCX, {counts['articles']} articles, "
        f"{counts['paragraphs']} paragraphs: {counts['kept']} kept, {counts['changed']} changed"
    )
    for step, values in steps.items():
        print(f"{step:>10}: median {statistics.median(values) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
