"""What the benchmarks set up before measuring: an open iteration and some citizens. Every name
is unique, so that a scratch database can be reused from one run to the next."""

import time


def open_iteration(paragraphs: int, *, opened: bool = True):
    """A charter with one iteration of ``paragraphs`` paragraphs, opened for consultation;
    returns the iteration and its frozen Paragraph rows (in order)."""
    from charte.models import Paragraph
    from charte.texts import services
    from tests import factories

    stamp = time.time_ns()
    editor = factories.editor(f"bench-editor-{stamp}")
    charter = factories.make_charter(slug=f"charte-bench-{stamp}", user=editor)
    iteration = factories.make_iteration(charter, factories.body_with(paragraphs), user=editor)
    if not opened:
        return iteration, []
    services.iteration_open(iteration=iteration, by=editor)
    return iteration, list(Paragraph.objects.filter(iteration=iteration).order_by("position"))


def citizens(count: int) -> list:
    """``count`` citizens with a verified e-mail address, allowed to contribute."""
    from allauth.account.models import EmailAddress

    from tests import factories

    people = []
    for n in range(count):
        stamp = time.time_ns()
        user = factories.UserFactory(username=f"bench-{n}-{stamp}", pseudonym=f"B{n}-{stamp}")
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        people.append(user)
    return people
