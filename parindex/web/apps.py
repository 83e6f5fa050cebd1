from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "parindex.web"
    label = "web"
    verbose_name = "Giao diện"

    def ready(self):
        from parindex.web import jobs, signals  # noqa: F401  (job runners; security log receivers)
