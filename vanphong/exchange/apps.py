from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "vanphong.exchange"
    label = "exchange"
    verbose_name = "Liên thông văn bản, chữ ký số"

    def ready(self) -> None:
        # What the exchange does when a document is issued or a received one moves on; this
        # app's audit actions; the document page's panels; the home page's pending group.
        from vanphong.exchange import (  # noqa: F401
            audit_actions,
            audit_actions_signing,
            panels,
            panels_exchange,
            pending,
            receivers,
        )
