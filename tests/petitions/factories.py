from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from enfance.petitions.models import Petition, Signature
from enfance.petitions.normalization import normalise_email
from tests.factories import CommuneFactory


class PetitionFactory(DjangoModelFactory):
    class Meta:
        model = Petition

    title = "Pour l'adoption du ministère"
    slug = factory.Sequence(lambda n: f"petition-{n}")
    summary = "Adoptons le ministère."
    text = "Le texte de la pétition."
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))


class SignatureFactory(DjangoModelFactory):
    class Meta:
        model = Signature

    petition = factory.SubFactory(PetitionFactory)
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Signataire{n}")
    email = factory.Sequence(lambda n: f"signataire{n}@exemple.fr")
    email_normalized = factory.LazyAttribute(lambda o: normalise_email(o.email))
    commune = factory.SubFactory(CommuneFactory)
    departement = factory.LazyAttribute(lambda o: o.commune.departement)
    email_pending = False
