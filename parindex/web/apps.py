from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "parindex.web"
    label = "web"
    verbose_name = _("Giao diện")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from parindex.core.models import ResultSet
        from parindex.web import jobs, signals  # noqa: F401  (job runners; security log receivers)
        from parindex.web.caching import forget_published_state

        for signal in (post_save, post_delete):
            signal.connect(forget_published_state, sender=ResultSet, dispatch_uid="published-state")
