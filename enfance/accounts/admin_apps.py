from django.contrib.admin.apps import AdminConfig


class PlatformAdminConfig(AdminConfig):
    """django.contrib.admin, its default site replaced by the one behind the platform's login
    and its second factor (admin_site.py)."""

    default_site = "enfance.accounts.admin_site.PlatformAdminSite"
