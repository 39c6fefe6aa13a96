"""One signature per person: the normalised address and the database constraint behind it."""

import threading

import pytest
from django.db import IntegrityError, connections, transaction
from hypothesis import given
from hypothesis import strategies as st

from enfance.petitions import services
from enfance.petitions.models import Signature
from enfance.petitions.normalization import normalise_email
from tests.factories import CommuneFactory

from .factories import PetitionFactory, SignatureFactory


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("Camille.Dupont@Exemple.FR", "camille.dupont@exemple.fr"),
        ("  camille.dupont@exemple.fr ", "camille.dupont@exemple.fr"),
        ("camille.dupont+petition@exemple.fr", "camille.dupont@exemple.fr"),
        ("Camille.Dupont+a+b@exemple.fr", "camille.dupont@exemple.fr"),
        ("camille.dupont@gmail.com", "camilledupont@gmail.com"),
        ("C.a.m.i.l.l.e+x@GoogleMail.com", "camille@gmail.com"),
        # Dots matter elsewhere: two people.
        ("camille.dupont@orange.fr", "camille.dupont@orange.fr"),
        ("+camille@exemple.fr", "+camille@exemple.fr"),
    ],
)
def test_normalisation(typed, key):
    assert normalise_email(typed) == key


local_part = st.from_regex(r"[a-z][a-z0-9]{0,10}(\.[a-z0-9]{1,5}){0,2}", fullmatch=True)
domain = st.sampled_from(["exemple.fr", "gmail.com", "googlemail.com", "orange.fr"])
tag = st.from_regex(r"[a-z0-9]{0,8}", fullmatch=True)


@given(local_part, domain, tag, st.booleans())
def test_every_variant_of_an_address_has_the_same_key(local, host, label, upper):
    address = f"{local}@{host}"
    variant = f"{local}+{label}@{host}"
    if upper:
        variant = variant.upper()
    if host in {"gmail.com", "googlemail.com"}:
        variant = variant.replace(".", "", 1) if "." in variant.split("@")[0] else variant
    assert normalise_email(variant) == normalise_email(address)
    assert normalise_email(normalise_email(address)) == normalise_email(address)


@given(local_part, local_part, st.sampled_from(["exemple.fr", "orange.fr"]))
def test_different_mailboxes_keep_different_keys(first, second, host):
    if first != second:
        assert normalise_email(f"{first}@{host}") != normalise_email(f"{second}@{host}")


@pytest.mark.django_db
def test_the_database_refuses_a_second_signature_for_one_address():
    first = SignatureFactory(email="camille@gmail.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        SignatureFactory(petition=first.petition, email="c.a.m.i.l.l.e+2@googlemail.com")
    # Another petition, or an erased (anonymised) row, is not a duplicate.
    SignatureFactory(email="camille@gmail.com")
    Signature.objects.filter(pk=first.pk).update(email_normalized=None)
    Signature.objects.create(
        petition=first.petition,
        first_name="",
        last_name="",
        email="",
        email_normalized=None,
        departement=first.departement,
    )


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_submits_make_one_signature():
    petition = PetitionFactory()
    commune = CommuneFactory()
    variants = [
        "Camille.Dupont@exemple.fr",
        "camille.dupont@exemple.fr",
        "camille.dupont+1@exemple.fr",
        "CAMILLE.DUPONT+2@EXEMPLE.FR",
    ] * 3
    barrier = threading.Barrier(len(variants))
    errors = []

    def sign(address):
        try:
            barrier.wait()
            services.sign(
                petition, first_name="Camille", last_name="Dupont", email=address, commune=commune
            )
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign, args=(a,)) for a in variants]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Signature.objects.filter(petition=petition).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_confirmations_count_once_and_every_one():
    petition = PetitionFactory()
    signatures = SignatureFactory.create_batch(6, petition=petition)
    # Each signature confirmed twice at the same time: six counted, none twice.
    work = [s for s in signatures for _ in range(2)]
    barrier = threading.Barrier(len(work))
    errors = []

    def confirm(signature):
        try:
            barrier.wait()
            services.confirm(Signature.objects.select_related("petition").get(pk=signature.pk))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm, args=(s,)) for s in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert services.counts(petition).online == 6
    assert Signature.objects.confirmed().count() == 6
