"""The modules' declarations of what they hold about a person (core.privacy): every model of
every application that points at an account or names a person is declared by a module, so that
a new model or field cannot be left out of the download, the deletion and the retention table."""

from enfance.core import privacy
from tests.testapp.models import VotingBody

# The tests' own application stands for any context of ballots; it is not part of the platform.
TEST_APP = "testapp."


def test_every_model_that_points_at_a_person_is_declared_by_a_module():
    missing = [name for name in privacy.undeclared() if not name.startswith(TEST_APP)]
    assert not missing, (
        "Ces champs désignent une personne et aucun module ne les déclare : ajoutez-les à un "
        f"Holding du personal_data.py de leur application (core.privacy) : {missing}"
    )


def test_the_walk_finds_links_and_identities():
    """What the test above relies on: a model's links to accounts and its personal fields."""
    assert privacy.person_fields(VotingBody) == {"manager", "members"}
    assert {"testapp.VotingBody.manager", "testapp.VotingBody.members"} <= set(privacy.undeclared())
    assert {"first_name", "last_name", "email", "email_normalized", "identity_digest"} - (
        privacy.person_fields(privacy.apps.get_model("petitions.Signature"))
    ) == {"identity_digest"}


def test_no_declaration_names_a_field_that_is_gone():
    assert privacy.stale() == []


def test_every_holding_says_what_becomes_of_it_and_why():
    keys = []
    for holding in privacy.holdings():
        assert holding.what and holding.retention, holding
        if holding.fate != privacy.Fate.ERASED:
            assert holding.why, f"{holding.model} : dites pourquoi ce n'est pas effacé"
        if holding.exported:
            keys.append(holding.key)
    assert len(keys) == len(set(keys))


def test_every_module_with_a_declaration_has_its_processing_in_the_register():
    for declaration in privacy.declarations():
        processing = declaration.processing
        assert all(
            (
                processing.name,
                processing.purpose,
                processing.legal_basis,
                processing.data,
                processing.people,
                processing.recipients,
                processing.retention,
            )
        ), declaration.app_label
