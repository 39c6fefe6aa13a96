"""Background jobs of the practices module."""

from django.db.models import Q
from django_tasks import task

from .library import index_practice
from .models import Practice


@task()
def reindex_fiches_of_option(*, option_id: int) -> int:
    """A renamed option changes the words its published fiches are found by: index them again,
    off the administrator's request (an option may be used by thousands of fiches)."""
    fiches = (
        Practice.objects.published()
        .filter(
            Q(intervention_type=option_id)
            | Q(theme=option_id)
            | Q(audience=option_id)
            | Q(relay=option_id)
        )
        .with_labels()
    )
    count = 0
    for practice in fiches.iterator(chunk_size=500):
        index_practice(practice)
        count += 1
    return count
