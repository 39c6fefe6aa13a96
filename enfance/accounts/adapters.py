from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.shortcuts import render

from enfance.core.tasks import enqueue_email


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        from allauth.core import context as allauth_context
        from django.contrib.sites.shortcuts import get_current_site

        request = allauth_context.request
        full_context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
        }
        full_context.update(context)
        enqueue_email(self.render_mail(template_prefix, email, full_context))

    def pre_login(self, request, user, **kwargs):
        if getattr(user, "is_demo", False) and not settings.DEMO_ACCOUNTS_ALLOWED:
            from allauth.account.internal.stagekit import clear_login

            clear_login(request)
            return render(request, "account/demo_refused.html", status=403)
        return super().pre_login(request, user, **kwargs)
