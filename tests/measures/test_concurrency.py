"""Two imports of the same file at once, as when a person clicks twice: the second waits for
the first (services._one_writer_at_a_time) and finds every measure there, instead of failing on
the unique reference."""

import threading
from datetime import timedelta

from django.db import connections
from django.utils import timezone

from enfance.measures import services
from enfance.measures.models import Measure, MeasureImport

from .conftest import HEADER, csv_bytes


def test_concurrent_imports_of_the_same_file_add_each_measure_once(colleges, rhone, agent):
    ordered = (timezone.localdate() - timedelta(days=20)).strftime("%d/%m/%Y")
    data = csv_bytes(HEADER, *(f"C-{n};AED;3-5;{ordered};" for n in range(300)))
    barrier = threading.Barrier(4)
    errors = []

    def run():
        try:
            barrier.wait()
            services.import_measures(rhone, by=agent, data=data)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Measure.objects.count() == 300
    reports = sorted(MeasureImport.objects.values_list("created", "unchanged"))
    assert reports == [(0, 300), (0, 300), (0, 300), (300, 0)]
