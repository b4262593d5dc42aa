"""The storage of static files: WhiteNoise's compressed, hashed copies made by
``collectstatic``, and the plain names until then.

Django's manifest storage raises "Missing staticfiles manifest entry" for every
``{% static %}`` of a file that was not collected, so every page answered 500 on a fresh
install until ``vanphong collectstatic`` ran. Here such a file is linked by its plain name
(logged once); WhiteNoise serves it from the source folders (``WHITENOISE_USE_FINDERS``).
``vanphong serve`` collects the files itself when the manifest is missing."""

from __future__ import annotations

import logging

from whitenoise.storage import CompressedManifestStaticFilesStorage

logger = logging.getLogger(__name__)

_warned: set[str] = set()


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def stored_name(self, name: str) -> str:
        try:
            return super().stored_name(name)
        except ValueError:  # not in the manifest (or no manifest): not collected yet
            if name not in _warned:
                _warned.add(name)
                logger.warning(
                    "static file %s is not collected (run `vanphong collectstatic`): linked unhashed", name
                )
            return name
