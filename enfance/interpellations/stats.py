"""Response rates and delays by institution, computed by the database.

Averages and counts are aggregates; the median uses window functions (ROW_NUMBER and COUNT over
a partition), which PostgreSQL and SQLite both run: one query for a whole page of institutions.
"""

from datetime import date

from django.db import connection
from django.db.models import Avg, Count, Q, QuerySet

from .enums import SENT_STATES, State
from .models import Institution, Interpellation


def _sent_aggregates(prefix: str, today: date) -> dict:
    def q(**lookups) -> Q:
        return Q(**{f"{prefix}{key}": value for key, value in lookups.items()})

    return {
        "sent_count": Count(f"{prefix}pk", filter=q(state__in=SENT_STATES)),
        "answered_count": Count(f"{prefix}pk", filter=q(state=State.ANSWERED)),
        "answered_in_time": Count(
            f"{prefix}pk", filter=q(state=State.ANSWERED, answered_late=False)
        ),
        "overdue_count": Count(
            f"{prefix}pk",
            filter=q(state=State.OVERDUE) | q(state=State.SENT, answer_due_on__lt=today),
        ),
        "average_delay": Avg(f"{prefix}answer_delay_days", filter=q(state=State.ANSWERED)),
    }


def institutions_with_stats(today: date) -> QuerySet:
    """Institutions that received at least one interpellation, most questioned first."""
    return (
        Institution.objects.annotate(**_sent_aggregates("interpellations__", today))
        .filter(sent_count__gt=0)
        .order_by("-sent_count", "name", "pk")
    )


def stats_for(institution: Institution, today: date) -> dict:
    row = Interpellation.objects.filter(institution=institution).aggregate(
        **_sent_aggregates("", today)
    )
    row["median_delay"] = median_delays([institution.pk]).get(institution.pk)
    return with_rates(row)


def by_kind(today: date) -> list[dict]:
    """The same figures for each type of institution (ASE, justice, …), one grouped query."""
    rows = (
        Interpellation.objects.filter(state__in=SENT_STATES)
        .values("institution__kind")
        .annotate(**_sent_aggregates("", today))
        .order_by("institution__kind")
    )
    return [with_rates(dict(row)) for row in rows]


def with_rates(row: dict) -> dict:
    sent = row.get("sent_count") or 0
    row["response_rate"] = round(100 * row["answered_count"] / sent) if sent else None
    row["in_time_rate"] = round(100 * row["answered_in_time"] / sent) if sent else None
    return row


MEDIAN_SQL = """
SELECT institution_id, AVG(answer_delay_days)
FROM (
    SELECT institution_id, answer_delay_days,
           ROW_NUMBER() OVER (PARTITION BY institution_id ORDER BY answer_delay_days) AS position,
           COUNT(*) OVER (PARTITION BY institution_id) AS total
    FROM {table}
    WHERE state = %s AND institution_id IN ({ids})
) ranked
WHERE position IN ((total + 1) / 2, (total + 2) / 2)
GROUP BY institution_id
"""


def median_delays(institution_ids: list[int]) -> dict[int, float]:
    """The median answer delay (days) of each institution, in one query."""
    if not institution_ids:
        return {}
    sql = MEDIAN_SQL.format(
        table=connection.ops.quote_name(Interpellation._meta.db_table),
        ids=", ".join(["%s"] * len(institution_ids)),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [State.ANSWERED, *institution_ids])
        return {pk: float(value) for pk, value in cursor.fetchall()}
