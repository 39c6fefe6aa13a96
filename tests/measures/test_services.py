"""Recording and importing measures: the hash, the bounds, the constraints, the upsert and every
refusal of a file, in French with its line."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.utils import timezone

from enfance.core.eventlog import verify_chain
from enfance.core.models import LogEntry
from enfance.measures import services
from enfance.measures.models import Measure, MeasureImport

from .conftest import HEADER, add_measure, csv_bytes

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


# --- The reference's hash ---------------------------------------------------------------------


def test_the_reference_is_kept_only_as_a_keyed_hash(rhone, agent):
    done = services.record_measure(
        rhone, by=agent, reference=" ASE-2026-0001 ", kind="aemo", age_band="6-10",
        ordered_on=_today() - timedelta(days=40),
    )  # fmt: skip
    stored = Measure.objects.get()
    assert done.created and stored.reference_hash == services.reference_hash("69", "ASE-2026-0001")
    assert len(stored.reference_hash) == 64 and "ASE" not in stored.reference_hash
    values = Measure.objects.values().get()
    assert not any("ASE-2026-0001" in str(value) for value in values.values())
    # Another département's same reference is another hash; so is another key.
    assert services.reference_hash("33", "ASE-2026-0001") != stored.reference_hash
    with override_settings(MEASURES_REFERENCE_KEY="une-autre-cle"):
        assert services.reference_hash("69", "ASE-2026-0001") != stored.reference_hash


# --- One measure --------------------------------------------------------------------------------


def test_recording_the_same_reference_updates_the_measure(rhone, agent):
    ordered = _today() - timedelta(days=50)
    services.record_measure(
        rhone, by=agent, reference="R1", kind="placement", age_band="0-2", ordered_on=ordered
    )
    again = services.record_measure(
        rhone, by=agent, reference="R1", kind="placement", age_band="0-2", ordered_on=ordered
    )
    assert not again.created and not again.changed
    started = services.record_measure(
        rhone, by=agent, reference="R1", kind="placement", age_band="0-2", ordered_on=ordered,
        started_on=ordered + timedelta(days=12),
    )  # fmt: skip
    assert started.changed and Measure.objects.get().delay_days == 12
    assert LogEntry.objects.filter(action="measures.record").count() == 2
    assert verify_chain().intact


def test_only_the_departements_own_services_record(
    rhone, gironde, agent, magistrate, gironde_agent
):
    for person in (magistrate, gironde_agent):
        with pytest.raises(PermissionDenied):
            services.record_measure(
                rhone, by=person, reference="R1", kind="aed", age_band="3-5",
                ordered_on=_today(),
            )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.import_measures(gironde, by=agent, data=csv_bytes(HEADER))
    assert not Measure.objects.exists()


@pytest.mark.parametrize(
    ("ordered_on", "started_on", "field", "words"),
    [
        (date(1999, 12, 31), None, "ordered_on", "avant le 1er janvier 2000"),
        ("tomorrow", None, "ordered_on", "futur"),
        ("today", "tomorrow", "started_on", "futur"),
        ("today", "yesterday", "started_on", "avant la date de la décision"),
    ],
)
def test_a_measure_out_of_bounds_is_refused(rhone, agent, ordered_on, started_on, field, words):
    days = {"today": 0, "tomorrow": 1, "yesterday": -1}

    def day(value):
        return _today() + timedelta(days=days[value]) if isinstance(value, str) else value

    with pytest.raises(ValidationError) as refused:
        services.record_measure(
            rhone, by=agent, reference="R1", kind="aed", age_band="3-5",
            ordered_on=day(ordered_on), started_on=day(started_on) if started_on else None,
        )  # fmt: skip
    assert words in " ".join(refused.value.message_dict[field])
    assert not Measure.objects.exists()


def test_the_database_refuses_what_the_services_refuse(rhone):
    add_measure(rhone, "R1", ordered_on=date(2026, 1, 10))
    cases = [
        {"reference_hash": services.reference_hash("69", "R1")},  # the same reference
        {"ordered_on": date(1999, 12, 31)},
        {"ordered_on": date(2026, 1, 10), "started_on": date(2026, 1, 9), "delay_days": 0},
        {"started_on": date(2026, 2, 1)},  # a start without its delay
        {"kind": "inconnu"},
        {"age_band": "18-20"},
        {"reference_hash": "ASE-2026-0001"},  # not a hash
    ]
    for case in cases:
        values = {
            "departement": rhone,
            "reference_hash": services.reference_hash("69", "R2"),
            "kind": "aemo",
            "age_band": "6-10",
            "ordered_on": date(2026, 1, 10),
            **case,
        }
        with pytest.raises(IntegrityError), transaction.atomic():
            Measure.objects.create(**values)
    assert Measure.objects.count() == 1


# --- A file ------------------------------------------------------------------------------------


def _file(today):
    ordered = (today - timedelta(days=60)).strftime("%d/%m/%Y")
    started = (today - timedelta(days=20)).isoformat()
    return csv_bytes(
        HEADER,
        f"A-1;AEMO;6-10;{ordered};{started}",
        f"A-2;AEMO renforcée;0-2;{ordered};",
        f"A-3;placement;15-17;{(today - timedelta(days=5)).isoformat()};",
        f"A-4;MJIE;11-14;{ordered};{ordered}",
        bom=True,
    )


def test_an_import_upserts_by_reference_and_a_second_import_changes_nothing(rhone, agent):
    today = _today()
    first = services.import_measures(rhone, by=agent, data=_file(today))
    assert (first.created, first.changed, first.unchanged, first.refused) == (4, 0, 0, 0)
    second = services.import_measures(rhone, by=agent, data=_file(today))
    assert (second.created, second.changed, second.unchanged, second.refused) == (0, 0, 4, 0)
    ordered = (today - timedelta(days=60)).strftime("%d/%m/%Y")
    third = services.import_measures(
        rhone, by=agent,
        data=csv_bytes(HEADER, f"A-2;AEMO renforcée;0-2;{ordered};{today:%d/%m/%Y}", "A-9;AED;3-5;"
                       f"{ordered};"),
    )  # fmt: skip
    assert (third.created, third.changed, third.unchanged) == (1, 1, 0)
    assert Measure.objects.count() == 5
    assert Measure.objects.get(reference_hash=services.reference_hash("69", "A-2")).delay_days == 60
    imports = list(
        MeasureImport.objects.order_by("pk").values_list("created", "changed", "unchanged")
    )
    assert imports == [(4, 0, 0), (0, 0, 4), (1, 1, 0)]
    assert MeasureImport.objects.filter(imported_by=agent).count() == 3
    assert LogEntry.objects.filter(action="measures.import").count() == 3
    assert verify_chain().intact


def _refusal(rhone, agent, data) -> str:
    with pytest.raises(ValidationError) as refused:
        services.import_measures(rhone, by=agent, data=data)
    assert not Measure.objects.exists() and not MeasureImport.objects.exists()
    return " ".join(refused.value.messages)


def test_a_file_with_commas_or_tabs_is_refused_saying_the_expected_separator(rhone, agent):
    commas = _refusal(
        rhone, agent, csv_bytes(HEADER.replace(";", ","), "A-1,AEMO,6-10,01/02/2026,")
    )
    assert "virgules" in commas and "point-virgule (;)" in commas
    tabs = _refusal(rhone, agent, csv_bytes(HEADER.replace(";", "\t"), "A-1\tAEMO"))
    assert "tabulations" in tabs and "point-virgule (;)" in tabs


def test_a_file_not_in_utf8_is_refused(rhone, agent):
    message = _refusal(rhone, agent, csv_bytes(HEADER, "A-1;AEMO renforcée;6-10;01/02/2026;",
                                               encoding="cp1252"))  # fmt: skip
    assert "UTF-8" in message


def test_a_file_without_a_column_names_it(rhone, agent):
    message = _refusal(rhone, agent, csv_bytes("reference;type;ordonnee_le;debutee_le", "A;AED;;"))
    assert "tranche_age" in message and "Il manque la colonne" in message
    assert "vide" in _refusal(rhone, agent, b"\xef\xbb\xbf \n")


def test_each_invalid_row_is_reported_with_its_line_and_the_valid_ones_are_kept(rhone, agent):
    today = _today()
    ordered = (today - timedelta(days=30)).strftime("%d/%m/%Y")
    tomorrow = (today + timedelta(days=1)).strftime("%d/%m/%Y")
    report = services.import_measures(
        rhone,
        by=agent,
        data=csv_bytes(
            HEADER,
            f"OK-1;AED;3-5;{ordered};",  # 2
            f"OK-1;AED;3-5;{ordered};",  # 3: duplicated reference
            f"B-1;AED;3-5;{ordered};{(today - timedelta(days=31)):%d/%m/%Y}",  # 4: start before
            f"B-2;AED;3-5;{tomorrow};",  # 5: future
            "B-3;AED;3-5;31/02/2026;",  # 6: no such day
            "B-4;AED;3-5;2026/02/01;",  # 7: malformed
            f"B-5;tutelle;3-5;{ordered};",  # 8: unknown type
            f"B-6;AED;18-20;{ordered};",  # 9: unknown age band
            f";AED;3-5;{ordered};",  # 10: no reference
            "B-7;AED;3-5;15/06/1999;",  # 11: before 2000
            "B-8;AED",  # 12: too few cells
            "",  # blank lines are skipped
            f"OK-2;Placement;0-2;{today.isoformat()};{today.isoformat()}",  # 14
        ),
    )
    assert (report.created, report.refused) == (2, 10)
    reasons = {refusal.line: refusal.message for refusal in report.refusals}
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
    assert "apparaît déjà ligne 2" in reasons[3]
    assert "avant d'être ordonnée" in reasons[4]
    assert "futur" in reasons[5]
    assert "n'existe pas" in reasons[6]
    assert "JJ/MM/AAAA" in reasons[7]
    assert "tutelle" in reasons[8] and "n'est pas connu" in reasons[8]
    assert "18-20" in reasons[9]
    assert "référence est vide" in reasons[10]
    assert "1er janvier 2000" in reasons[11]
    assert "colonnes au lieu de 5" in reasons[12]
    assert Measure.objects.count() == 2
    assert MeasureImport.objects.get().refused == 10


def test_a_changed_measure_keeps_its_id_and_creation_date(rhone, agent):
    today = _today()
    services.import_measures(
        rhone, by=agent, data=csv_bytes(HEADER, f"A-1;AED;3-5;{today:%d/%m/%Y};")
    )
    before = Measure.objects.get()
    report = services.import_measures(
        rhone, by=agent, data=csv_bytes(HEADER, f"A-1;AED;3-5;{today:%d/%m/%Y};{today:%d/%m/%Y}")
    )
    after = Measure.objects.get()
    assert report.changed == 1 and after.started_on == today and after.delay_days == 0
    assert (after.pk, after.created_at) == (before.pk, before.created_at)
    assert after.updated_at > before.updated_at


def test_an_import_reads_the_existing_measures_once_and_writes_in_batches(
    rhone, agent, django_assert_max_num_queries
):
    """What keeps 100,000 rows within the minute: one read of the existing hashes and writes by
    batches (2,000 rows, or as many as SQLite takes in one statement: about 110), never a query
    per row."""
    ordered = (_today() - timedelta(days=10)).strftime("%d/%m/%Y")
    lines = [f"N-{n};AED;3-5;{ordered};" for n in range(5_000)]
    with django_assert_max_num_queries(100):
        report = services.import_measures(rhone, by=agent, data=csv_bytes(HEADER, *lines))
    assert report.created == 5_000
    lines[:2_500] = [f"N-{n};AED;3-5;{ordered};{ordered}" for n in range(2_500)]
    with django_assert_max_num_queries(100):
        report = services.import_measures(rhone, by=agent, data=csv_bytes(HEADER, *lines))
    assert (report.changed, report.unchanged) == (2_500, 2_500)
    assert Measure.objects.started().count() == 2_500
