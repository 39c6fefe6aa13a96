"""Authentication backends without Django's model permissions.

What a person may do is decided by their roles (django-rules predicates, `enfance.*.perms`),
and the technical admin is for superusers only (admin_site.py), whom `User.has_perm` grants
everything before any backend is asked. Django's table of model permissions therefore grants
nothing here, yet `ModelBackend` read it (two queries) on every page that asks `perms.*` for a
button a person does not have. These backends keep their way of signing in and grant no model
permission.
"""

from allauth.account import auth_backends
from django.contrib.auth import backends


class _NoModelPermissions:
    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()


class ModelBackend(_NoModelPermissions, backends.ModelBackend):
    """Sign-in by e-mail and password as Django's (tests, `manage.py` tools)."""


class AuthenticationBackend(_NoModelPermissions, auth_backends.AuthenticationBackend):
    """Sign-in as allauth's (the login form, its throttle and its methods)."""
