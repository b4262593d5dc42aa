from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "vanphong.exchange"
    label = "exchange"
    verbose_name = "Liên thông văn bản, chữ ký số"

    def ready(self) -> None:
        # What the exchange does when a document is issued or a received one moves on; this
        # app's audit actions; the document page's signing panel.
        from vanphong.exchange import audit_actions, audit_actions_signing, panels, receivers  # noqa: F401
