from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "parindex.web"
    label = "web"
    verbose_name = "Giao diện"

    def ready(self):
        from parindex.web import signals  # noqa: F401  (connects the security log receivers)
