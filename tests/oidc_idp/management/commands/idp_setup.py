"""`manage.py idp_setup < json`: the clients and people of the test provider, as
{"clients": [{"id", "secret", "redirect_uris", "post_logout_redirect_uris"}],
 "users": [{"email", "password", "first_name", "last_name", "verified"}]}."""

import json
import sys

from allauth.account.models import EmailAddress
from allauth.idp.oidc.models import Client
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from tests.oidc_idp.adapter import SCOPES


class Command(BaseCommand):
    help = "Crée les clients et les personnes du fournisseur d'identité de test."

    def handle(self, *args, **options):
        data = json.load(sys.stdin)
        with transaction.atomic():
            for entry in data.get("clients", []):
                client, _ = Client.objects.update_or_create(
                    id=entry["id"],
                    defaults={"name": entry["id"], "skip_consent": True},
                )
                client.set_secret(entry["secret"])
                client.set_scopes(list(SCOPES))
                client.set_redirect_uris(entry["redirect_uris"])
                client.set_post_logout_redirect_uris(entry.get("post_logout_redirect_uris", []))
                client.save()
            for entry in data.get("users", []):
                user, _ = get_user_model().objects.update_or_create(
                    username=entry["email"],
                    defaults={
                        "email": entry["email"],
                        "first_name": entry.get("first_name", ""),
                        "last_name": entry.get("last_name", ""),
                    },
                )
                user.set_password(entry["password"])
                user.save()
                EmailAddress.objects.update_or_create(
                    user=user,
                    email=entry["email"],
                    defaults={"verified": entry.get("verified", True), "primary": True},
                )
