"""What a production server needs before it serves a page: its collected static files.

Without them every page answered 500 (the manifest names each file by its hash); the server now
refuses to start (config/wsgi.py) and `check --deploy` says it, with what to run.
"""

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

MISSING_STATIC = (
    "Les fichiers statiques ne sont pas collectés ({manifest} manque) : sans eux, chaque page "
    "répondrait par une erreur. Lancez « manage.py collectstatic --noinput » avec les mêmes "
    "réglages, puis redémarrez le serveur."
)


def missing_static_manifest() -> str | None:
    """The manifest's path when the static storage needs one and it is not there."""
    manifest_name = getattr(staticfiles_storage, "manifest_name", None)
    if manifest_name is None or staticfiles_storage.manifest_storage.exists(manifest_name):
        return None
    return staticfiles_storage.manifest_storage.path(manifest_name)


@register(Tags.staticfiles, deploy=True)
def static_files_collected(app_configs=None, **kwargs):
    manifest = missing_static_manifest()
    if manifest is None:
        return []
    return [Error(MISSING_STATIC.format(manifest=manifest), id="enfance.E001")]


def refuse_to_serve_without_static() -> None:
    """Called when the WSGI application is built: a server that would answer 500 to every page
    does not start. With DEBUG the files are served from their sources and need no manifest."""
    manifest = None if settings.DEBUG else missing_static_manifest()
    if manifest is not None:
        raise ImproperlyConfigured(MISSING_STATIC.format(manifest=manifest))
