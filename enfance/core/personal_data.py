"""What the shared kernel holds about a person (core.privacy): the event log, and the e-mails
waiting in the queue of background jobs."""

from django_tasks_db.models import DBTaskResult

from .models import LogEntry
from .privacy import Fate, Holding, Processing, declare
from .tasks import send_email

FINISHED_TASK_STATUSES = ("SUCCESSFUL", "FAILED")


def _actions(user) -> list[dict]:
    return [
        {"le": e.occurred_at, "action": e.action, "resume": e.summary, "public": e.public}
        for e in LogEntry.objects.filter(actor=user).order_by("id")
    ]


def _erase_sent_emails(user) -> None:
    DBTaskResult.objects.filter(
        task_path=send_email.module_path,
        status__in=FINISHED_TASK_STATUSES,
        args_kwargs__kwargs__to__icontains=user.email,
    ).delete()


declare(
    "core",
    Processing(
        name="Journal des événements",
        purpose="Garder une trace infalsifiable des décisions et des actions importantes "
        "(votes ouverts et clos, mandats, publications, modération), pour que chacun puisse "
        "vérifier comment une décision publique a été prise.",
        legal_basis="Intérêt légitime de l'initiative à prouver ses décisions (article 6-1-f "
        "du RGPD).",
        data="Date, action, résumé sans nom, et une référence numérique de la personne qui a "
        "agi (« user:12 »).",
        people="Les personnes qui agissent sur la plateforme.",
        recipients="Les administrateurs nationaux ; les entrées publiques (décisions des "
        "instances) sont visibles de tous, sans nom.",
        retention="Pour la durée du service : chaque entrée est chaînée à la précédente, en "
        "retirer une casserait la preuve de toutes les suivantes.",
        security="Chaîne d'empreintes SHA-256 vérifiée par une commande ; la base refuse toute "
        "modification ou suppression d'une entrée.",
    ),
    Holding(
        "core.LogEntry",
        "Vos actions inscrites au journal des événements (date, action, résumé)",
        Fate.KEPT,
        "Pour la durée du service.",
        "Le journal est chaîné : une entrée retirée casserait la preuve de toutes les suivantes. "
        "Il ne garde qu'une référence numérique (« user:12 ») et aucun nom ; le lien vers le "
        "compte est coupé à la suppression, et plus rien ne relie ce numéro à vous.",
        links=("actor",),
        key="journal_des_evenements",
        export=_actions,
    ),
    Holding(
        "django_tasks_database.DBTaskResult",
        "Les courriels que la plateforme vous a envoyés (adresse, objet, texte), dans sa file "
        "d'envoi",
        Fate.ERASED,
        "Jusqu'à leur envoi, puis jusqu'à la purge des tâches terminées ; effacés avec votre "
        "compte.",
        erase=_erase_sent_emails,
    ),
)
