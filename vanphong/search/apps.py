from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SearchConfig(AppConfig):
    name = "vanphong.search"
    verbose_name = "Tra cứu"

    def ready(self) -> None:
        from vanphong.search import receivers  # noqa: F401  (the index follows the documents)
        from vanphong.search.backends import install_after_migrate

        # The full-text structures (an FTS5 table on SQLite, a tsvector column on PostgreSQL)
        # are created by this app's migration; a database built without migrations (the test
        # suite's --no-migrations) gets them here. Idempotent.
        post_migrate.connect(install_after_migrate, sender=self)
