"""The option lists of seed 004's form, as first loaded into ``ReferenceOption``.

Administrators edit the lists afterwards (admin, or the management page): fiches point to options
by id, so a renamed label shows everywhere at once and no fiche breaks.

Seed 004 was extracted from a screenshot of the France Enfance Protégée form and some labels came
out garbled. Every category is kept; where the garbling is obvious the plausible real label of the
child-protection field is restored. The mapping (seed label → label used here):

Type d'intervention
- "IBD" → "Aide éducative à domicile (AED)": the administrative home measure, listed in the seed
  between the diagnosis and the day care, as in the usual order of measures.
- "BSI" → "Action éducative en milieu ouvert (AEMO)": the judicial home measure, the other
  open-environment measure that the list otherwise lacks, placed before the placements.
- "Accueil garderie-ventrille" → "Accueil mère-enfant (centre parental ou maternel)".
- "Ciel-Ciel-école" → "Accompagnement de la scolarité": "Ciel" is the same garbling as in
  "Ciel numérique"; seed 004 names the schooling of protected children as an ONPE theme.
- "Accueil temporaire au domicile" → "Placement éducatif à domicile (PEAD)".
- "Accueil par des tiers" → "Accueil par un tiers digne de confiance" (the legal term).

Thématique
- "Détenus" → "Parents détenus" (it follows the maintenance of parent–child ties).
- "Distanciation et maintien parents/enfants" → "Séparation et maintien des liens parents-enfants".
- "Ciel numérique" → "Numérique (usages et risques)".

Public visé
- "Enfants non accompagnés" → "Mineurs non accompagnés" (the legal term, MNA).
- "Enfants en situation multiple" → "Enfants aux besoins multiples (situations complexes)".
- "Enfants" (between two more precise entries, with "Tous publics" after it) → "Parents et
  familles": the one public of the field the list otherwise misses.

Labels that were not garbled are kept as written. "Autre" asks the declarant for a precision.
"""

from .enums import ReferenceList

OTHER = "Autre"

SEED_OPTIONS: dict[str, list[str]] = {
    ReferenceList.INTERVENTION_TYPE: [
        "Diagnostic de situation",
        "Aide éducative à domicile (AED)",
        "Accueil de jour",
        "Accueil d'urgence",
        "Action éducative en milieu ouvert (AEMO)",
        "Placement en établissement",
        "Placement familial",
        "Placement éducatif à domicile (PEAD)",
        "Accueil mère-enfant (centre parental ou maternel)",
        "Accompagnement de la scolarité",
        "Accueil par un tiers digne de confiance",
        OTHER,
    ],
    ReferenceList.THEME: [
        "Éducation",
        "Violences conjugales",
        "Violences sexuelles",
        "Harcèlement",
        "Santé mentale",
        "Séparation et maintien des liens parents-enfants",
        "Parents détenus",
        "Numérique (usages et risques)",
        "Modalités d'organisation interne",
        OTHER,
    ],
    ReferenceList.AUDIENCE: [
        "0 à 4 ans",
        "4 à 12 ans",
        "Adolescents",
        "Jeunes majeurs",
        "Mineurs non accompagnés",
        "Enfants aux besoins multiples (situations complexes)",
        "Parents et familles",
        "Tous publics",
        OTHER,
    ],
    ReferenceList.RELAY: [
        "Association",
        "Département",
        OTHER,
    ],
}


def ensure_reference_options(option_model) -> int:
    """Create the seed options that are missing; returns how many were created.

    Idempotent and respectful of the administrators' edits: an existing label is left as it is.
    Takes the model as an argument so that the data migration can pass its historical model.
    """
    created = 0
    for list_name, labels in SEED_OPTIONS.items():
        existing = set(option_model.objects.filter(list=list_name).values_list("label", flat=True))
        if existing:
            # A list an administrator already manages is not refilled behind their back.
            continue
        option_model.objects.bulk_create(
            option_model(
                list=list_name,
                label=label,
                position=position,
                asks_precision=label == OTHER,
            )
            for position, label in enumerate(labels, start=1)
        )
        created += len(labels)
    return created
