"""What the charter's pages show of its follow-up once it is adopted: the count and overall
progress of its commitments, and the number under each article of the adopted text."""

from django import template

register = template.Library()


@register.simple_tag
def follow_up_summary(charter):
    """The published commitments of ``charter`` (a charter page in any language): total, done
    and mean progress (one query)."""
    from django.db.models import Avg, Count, Q

    from charte.follow_up.models import Commitment, CommitmentStatus

    figures = (
        Commitment.objects.of_charter(charter)
        .published()
        .aggregate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status=CommitmentStatus.DONE)),
            progress=Avg("progress"),
        )
    )
    figures["progress"] = round(figures["progress"] or 0)
    return figures


@register.simple_tag
def commitment_counts(iteration):
    """The number of published commitments under each article of ``iteration`` (a version page
    in any language), when it is the adopted one; ``{}`` otherwise, without a query."""
    from charte.follow_up.queries import commitment_counts as counts
    from charte.texts.pages import IterationState

    if iteration.source.state != IterationState.ADOPTED:
        return {}
    return counts(iteration)


@register.filter
def count_for(counts, number):
    return counts.get(number, 0) if counts else 0
