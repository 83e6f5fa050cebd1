from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "parindex.web"
    label = "web"
    verbose_name = _("Giao diện")

    def ready(self):
        from parindex.web import jobs, signals  # noqa: F401  (job runners; security log receivers)
