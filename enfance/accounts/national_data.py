"""Generator step: 1,000,000 accounts (see enfance.core.national_data)."""

import random
import time
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import CommandError
from django.db import connection, transaction

from enfance.core.national_data import (
    GENERATED_EMAIL_DOMAIN,
    format_count,
    format_seconds,
    step,
)
from enfance.territories.models import Commune

USERS_CHUNK = 50_000  # users per transaction: the unit of resumption
# Accounts created over the two years before this fixed date (not "now": reproducible).
DATE_JOINED_END = datetime(2025, 1, 1, tzinfo=UTC)
DATE_JOINED_SPAN_SECONDS = 2 * 365 * 24 * 3600


def _name_list(text: str) -> list[str]:
    """A comma-separated list of names, over several lines."""
    return [name.strip() for name in text.split(",") if name.strip()]


FIRST_NAMES = _name_list(
    """
Adam, Adèle, Adrien, Agathe, Agnès, Alain, Albert, Alexandre, Alexis, Alice, Aline, Amandine,
Ambre, Amélie, Anaïs, André, Angèle, Anne, Annie, Antoine, Arthur, Aurélie, Axel, Baptiste,
Benoît, Bernard, Bertrand, Brigitte, Camille, Capucine, Carole, Caroline, Catherine, Céline,
Chantal, Charles, Charlotte, Chloé, Christian, Christine, Christophe, Claire, Claude, Clément,
Clémence, Colette, Corinne, Damien, Daniel, David, Delphine, Denis, Didier, Dominique, Dylan,
Éléonore, Élise, Élodie, Éloïse, Emma, Emmanuel, Enzo, Éric, Estelle, Étienne, Eugénie, Évelyne,
Fabien, Fabienne, Florence, Florian, François, Françoise, Frédéric, Gabriel, Gaëlle, Georges,
Gérard, Germaine, Gilles, Guillaume, Hélène, Henri, Hugo, Inès, Irène, Isabelle, Jacqueline,
Jacques, Jade, Jean, Jeanne, Jérôme, Joël, Josiane, Julie, Julien, Juliette, Karine, Laetitia,
Laura, Laurence, Laurent, Léa, Léo, Léon, Léonie, Line, Lina, Lou, Louis, Louise, Luc, Lucas,
Lucie, Madeleine, Manon, Marc, Margaux, Marie, Marine, Martine, Mathilde, Mathis, Maxime, Mélanie,
Michel, Michèle, Monique, Nadia, Nathalie, Nicolas, Noah, Noémie, Océane, Olivier, Pascal,
Patricia, Patrick, Paul, Pauline, Philippe, Pierre, Quentin, Raphaël, Rémi, Renée, Robert, Romain,
Rose, Sabine, Samuel, Sandrine, Sarah, Sébastien, Simone, Sophie, Stéphane, Suzanne, Sylvie, Théo,
Thierry, Thomas, Valérie, Véronique, Victor, Vincent, Virginie, Yann, Yves, Yvette, Zoé
"""
)

# Some names have two words ("Le Gall", "Da Silva").
LAST_NAMES = _name_list(
    """
Martin, Bernard, Thomas, Petit, Robert, Richard, Durand, Dubois, Moreau, Laurent, Simon, Michel,
Lefèvre, Leroy, Roux, David, Bertrand, Morel, Fournier, Girard, Bonnet, Dupont, Lambert, Fontaine,
Rousseau, Vincent, Muller, Faure, André, Mercier, Blanc, Guérin, Boyer, Garnier, Chevalier,
François, Legrand, Gauthier, Garcia, Perrin, Robin, Clément, Morin, Nicolas, Henry, Roussel,
Mathieu, Gautier, Masson, Marchand, Duval, Denis, Dumont, Marie, Lemaire, Noël, Meyer, Dufour,
Meunier, Brun, Blanchard, Giraud, Joly, Rivière, Lucas, Brunet, Gaillard, Barbier, Arnaud,
Martinez, Gérard, Roche, Renard, Schmitt, Roy, Leroux, Colin, Vidal, Caron, Picard, Roger, Fabre,
Aubert, Lemoine, Renaud, Dumas, Lacroix, Olivier, Philippe, Bourgeois, Pierre, Benoît, Rey,
Leclerc, Payet, Rolland, Leclercq, Guillaume, Lecomte, Lopez, Jean, Dupuy, Guillot, Hubert,
Berger, Carpentier, Sanchez, Dupuis, Moulin, Louis, Deschamps, Huet, Vasseur, Perez, Boucher,
Fleury, Royer, Klein, Jacquet, Adam, Paris, Poirier, Marty, Aubry, Guyot, Carré, Charles, Renault,
Charpentier, Ménard, Maillard, Baron, Bertin, Bailly, Hervé, Schneider, Fernandez, Le Gall,
Collet, Léger, Bouvier, Julien, Prévost, Millet, Perrot, Daniel, Le Roux, Cousin, Germain, Breton,
Besson, Langlois, Rémy, Le Goff, Pelletier, Lévêque, Perrier, Leblanc, Barré, Lebrun, Marchal,
Weber, Mallet, Hamon, Boulanger, Jacob, Monnier, Michaud, Rodriguez, Guichard, Gillet, Étienne,
Grondin, Poulain, Tessier, Chevallier, Collin, Chauvin, Da Silva, Bouchet, Gay, Lemaître, Bénard,
Maréchal, Humbert, Reynaud, Antoine, Hoarau, Perret, Barthélemy, Cordier, Pichon, Lejeune,
Gilbert, Lamy, Delaunay, Pasquier, Carlier, Laporte
"""
)


def _ascii_slug(value: str) -> str:
    """ "Élodie" -> "elodie", "Le Gall" -> "legall": the local part of a generated address."""
    decomposed = unicodedata.normalize("NFKD", value)
    kept = "".join(c for c in decomposed if c.isascii() and c.isalpha())
    return kept.lower()


def _ascii_slug(value: str) -> str:
    """ "Élodie" -> "elodie", "Le Gall" -> "legall": the local part of a generated address."""
    decomposed = unicodedata.normalize("NFKD", value)
    kept = "".join(c for c in decomposed if c.isascii() and c.isalpha())
    return kept.lower()


@dataclass
class UserSource:
    """What every generated user is drawn from, prepared once."""

    first_names: list[str]
    first_slugs: list[str]
    last_names: list[str]
    last_slugs: list[str]
    commune_ids: list[int]
    commune_cum_weights: list[int]
    password_hash: str
    # Values of the fields this generator does not choose (defaults of later fields too).
    constant_fields: dict


def _user_source(password: str) -> UserSource:
    # Communes in INSEE code order, weighted by population: people live where people live, and
    # the same seed picks the same communes on any database whatever their primary keys.
    communes = list(Commune.objects.order_by("code").values_list("id", "population"))
    if not communes:
        raise CommandError("Aucune commune en base : les utilisateurs ne peuvent être rattachés.")
    cum_weights, total = [], 0
    for _, population in communes:
        total += max(population or 0, 1)
        cum_weights.append(total)
    User = get_user_model()
    chosen = {
        "id",
        "password",
        "email",
        "first_name",
        "last_name",
        "commune",
        "date_joined",
    }
    constant_fields = {
        field.attname: field.get_default()
        for field in User._meta.concrete_fields
        if field.name not in chosen
    }
    return UserSource(
        first_names=FIRST_NAMES,
        first_slugs=[_ascii_slug(n) for n in FIRST_NAMES],
        last_names=LAST_NAMES,
        last_slugs=[_ascii_slug(n) for n in LAST_NAMES],
        commune_ids=[pk for pk, _ in communes],
        commune_cum_weights=cum_weights,
        password_hash=make_password(password),
        constant_fields=constant_fields,
    )


def _user_rows(source: UserSource, seed: int, chunk: int, start: int, stop: int):
    """Users number `start` to `stop - 1` as dicts of attnames; chunk-seeded, so a user's data
    depends on the seed and its number only, which makes resuming exact."""
    rng = random.Random(f"{seed}:utilisateurs:{chunk}")
    # The whole chunk is always drawn, whatever `start` and `stop`: same seed, same users.
    first_index = chunk * USERS_CHUNK
    size = USERS_CHUNK
    firsts = rng.choices(range(len(source.first_names)), k=size)
    lasts = rng.choices(range(len(source.last_names)), k=size)
    communes = rng.choices(source.commune_ids, cum_weights=source.commune_cum_weights, k=size)
    joined = [rng.randrange(DATE_JOINED_SPAN_SECONDS) for _ in range(size)]
    start_date = DATE_JOINED_END - timedelta(seconds=DATE_JOINED_SPAN_SECONDS)
    for number in range(start, stop):
        i = number - first_index
        f, la = firsts[i], lasts[i]
        yield {
            **source.constant_fields,
            "password": source.password_hash,
            "email": (
                f"{source.first_slugs[f]}.{source.last_slugs[la]}.{number}@{GENERATED_EMAIL_DOMAIN}"
            ),
            "first_name": source.first_names[f],
            "last_name": source.last_names[la],
            "commune_id": communes[i],
            "date_joined": start_date + timedelta(seconds=joined[i]),
        }


def _insert_users_copy(rows: list[dict]) -> None:
    """PostgreSQL: one COPY, the fastest way in (≈ 10× bulk_create)."""
    User = get_user_model()
    fields = [f for f in User._meta.concrete_fields if f.attname in rows[0]]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(User._meta.db_table)
    attnames = [f.attname for f in fields]
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[name] for name in attnames])


def _insert_users_bulk(rows: list[dict]) -> None:
    User = get_user_model()
    User.objects.bulk_create((User(**row) for row in rows), batch_size=2_000)


def generated_users():
    return get_user_model().objects.filter(email__endswith=f"@{GENERATED_EMAIL_DOMAIN}")


@step("utilisateurs", "Comptes utilisateurs")
def generate_users(rng: random.Random, options: dict) -> None:
    log = options["log"]
    target = options["users"]
    existing = generated_users().count()
    if existing >= target:
        log(f"  {format_count(existing)} comptes générés déjà présents : rien à faire")
        return
    if existing:
        log(f"  reprise : {format_count(existing)} comptes déjà présents")
    source = _user_source(options["password"])
    use_copy = connection.vendor == "postgresql"
    insert = _insert_users_copy if use_copy else _insert_users_bulk
    log(f"  insertion par {'COPY' if use_copy else 'bulk_create'}, lots de {USERS_CHUNK}")
    started = time.monotonic()
    done = existing
    while done < target:
        chunk = done // USERS_CHUNK
        stop = min((chunk + 1) * USERS_CHUNK, target)
        rows = list(_user_rows(source, options["seed"], chunk, done, stop))
        with transaction.atomic():
            insert(rows)
        done = stop
        elapsed = time.monotonic() - started
        rate = (done - existing) / elapsed if elapsed else 0
        log(
            f"  {format_count(done)} / {format_count(target)} comptes"
            f" ({format_seconds(elapsed)}, {format_count(rate)} par seconde)"
        )
    if use_copy:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(get_user_model()._meta.db_table)}")
