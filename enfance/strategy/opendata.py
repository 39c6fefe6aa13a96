"""The strategy's public datasets (core.opendata): its measures, their targets, the contracts,
the official indicators."""

from enfance.core.opendata import Dataset, Field, register

from .contracts import progress, with_progress
from .models import DepartementFact, IndicatorValue, Measure, Target

register(
    Dataset(
        slug="strategie-2020-2022-mesures",
        title="Stratégie nationale 2020-2022 : les mesures",
        description="Chaque mesure de la stratégie nationale de prévention et de protection de "
        "l'enfance 2020-2022, numérotée dans l'ordre du document, avec son engagement, son "
        "intitulé et son calendrier.",
        module="Stratégie",
        frequency="fixe (texte de 2019)",
        fields=(
            Field("numero", "string", "Numéro", "« 2.3 » : la 3e mesure de l'engagement 2."),
            Field("engagement", "integer", "Engagement"),
            Field("intitule", "string", "Intitulé"),
            Field("objectifs", "integer", "Nombre d'objectifs annoncés"),
            Field("calendrier", "string", "Calendrier", "Vide quand la stratégie n'en donne pas."),
        ),
        rows=lambda: (
            {
                "numero": m.number,
                "engagement": m.engagement.number,
                "intitule": m.title,
                "objectifs": len(m.objectives),
                "calendrier": " ; ".join(m.calendar),
            }
            for m in Measure.objects.select_related("engagement")
        ),
    )
)

register(
    Dataset(
        slug="strategie-2020-2022-cibles",
        title="Stratégie nationale 2020-2022 : les cibles chiffrées",
        description="Les objectifs chiffrés des mesures, avec leur valeur, leur unité, leur "
        "échéance et la phrase de la stratégie dont ils viennent.",
        module="Stratégie",
        frequency="fixe (texte de 2019)",
        fields=(
            Field("mesure", "string", "Numéro de la mesure"),
            Field("objectif", "string", "Objectif"),
            Field("valeur", "number", "Valeur visée"),
            Field("unite", "string", "Unité"),
            Field("echeance", "year", "Échéance", "Vide quand la stratégie n'en donne pas."),
            Field("citation", "string", "La phrase de la stratégie"),
        ),
        rows=lambda: (
            {
                "mesure": t.measure.number,
                "objectif": t.label,
                "valeur": t.value,
                "unite": t.unit,
                "echeance": t.by_year,
                "citation": t.quote,
            }
            for t in Target.objects.select_related("measure").order_by(
                "measure__engagement__number", "measure__position", "pk"
            )
        ),
    )
)

register(
    Dataset(
        slug="contrats-etat-departements",
        title="Contrats entre l'État et les départements",
        description="Un contrat par département et par année : sa vague, son état, les critères "
        "préalables remplis et la part de ses objectifs atteints d'après la dernière valeur "
        "connue.",
        module="Stratégie",
        frequency="à chaque enregistrement",
        fields=(
            Field("departement", "string", "Code du département"),
            Field("annee", "year", "Année"),
            Field("vague", "integer", "Vague de contractualisation"),
            Field("etat", "string", "État"),
            Field("signe_le", "date", "Signé le"),
            Field("criteres_remplis", "integer", "Critères préalables remplis (sur 7)"),
            Field("objectifs", "integer", "Objectifs"),
            Field("objectifs_atteints", "integer", "Objectifs atteints"),
        ),
        date_field="signe_le",
        rows=lambda: (
            {
                "departement": c.departement.code,
                "annee": c.year,
                "vague": c.wave,
                "etat": c.get_status_display(),
                "signe_le": c.signed_on,
                "criteres_remplis": (p := progress(c))["criteria_met"],
                "objectifs": p["objectives"],
                "objectifs_atteints": p["reached"],
            }
            for c in with_progress().order_by("departement__code", "year")
        ),
    )
)

register(
    Dataset(
        slug="indicateurs-officiels",
        title="Indicateurs officiels de la protection de l'enfance",
        description="Les chiffres officiels qui aident à lire les mesures de la stratégie "
        "nationale (mesures d'aide sociale à l'enfance, taux pour 1 000 jeunes de moins de 21 "
        "ans, part des mesures d'accueil, dépenses des départements), pour la France entière ou "
        "par département, chacun avec son année et sa source.",
        module="Stratégie",
        frequency="à chaque nouvelle publication",
        fields=(
            Field("departement", "string", "Code du département", "Vide pour la France entière."),
            Field("indicateur", "string", "Indicateur", "Sa clé (« taux-ase »)."),
            Field("annee", "year", "Année"),
            Field("valeur", "number", "Valeur"),
            Field("unite", "string", "Unité"),
            Field("source", "string", "Source"),
            Field(
                "source_url", "string", "Adresse de la source", "Vide quand elle n'est pas connue."
            ),
        ),
        rows=lambda: (
            {
                "departement": v.departement.code if v.departement_id else "",
                "indicateur": v.indicator.key,
                "annee": v.year,
                "valeur": v.value,
                "unite": v.indicator.unit,
                "source": v.source,
                "source_url": v.source_url,
            }
            for v in IndicatorValue.objects.select_related("indicator", "departement")
        ),
    )
)

register(
    Dataset(
        slug="dispositifs-par-departement",
        title="Dispositifs attendus dans chaque département d'ici 2022",
        description="Pour chaque département, chaque état constaté des quatre dispositifs que "
        "la stratégie nationale vise partout d'ici 2022 (ODPE avec une personne nommée pour "
        "l'animer, centre parental, équipe mobile, instance quadripartite), daté et sourcé : "
        "l'historique entier, le plus récent d'abord.",
        module="Stratégie",
        frequency="à chaque enregistrement",
        fields=(
            Field("departement", "string", "Code du département"),
            Field("dispositif", "string", "Dispositif", "Sa clé (« centre_parental »)."),
            Field("en_place", "boolean", "En place"),
            Field("constate_le", "date", "Constaté le"),
            Field("source", "string", "Source"),
            Field(
                "source_url", "string", "Adresse de la source", "Vide quand elle n'est pas connue."
            ),
        ),
        date_field="constate_le",
        rows=lambda: (
            {
                "departement": f.departement.code,
                "dispositif": f.kind,
                "en_place": f.present,
                "constate_le": f.observed_on,
                "source": f.source,
                "source_url": f.source_url,
            }
            for f in DepartementFact.objects.select_related("departement").order_by(
                "departement__code", "kind", "-observed_on"
            )
        ),
    )
)
