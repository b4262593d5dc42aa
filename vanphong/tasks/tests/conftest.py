from vanphong.documents.tests.conftest import books  # noqa: F401  (registers for the province)
