"""How audit entries are named on screen: target types and fields in Vietnamese. The labels
of actions are declared with the actions, in ``vanphong.audit.actions``."""

from __future__ import annotations

from functools import lru_cache

from django.apps import apps


@lru_cache(maxsize=256)
def target_type_label(target_type: str) -> str:
    """``orgs.person`` → "Cán bộ": the model's own name, when the type names a model."""
    if not target_type:
        return ""
    try:
        model = apps.get_model(target_type)
    except (LookupError, ValueError):
        return target_type
    return str(model._meta.verbose_name).capitalize()


def field_label(target_type: str, key: str) -> str:
    """The verbose name of a field in a snapshot (``organization_id`` → "Cơ quan")."""
    try:
        model = apps.get_model(target_type)
    except (LookupError, ValueError):
        return key
    for f in model._meta.concrete_fields + model._meta.many_to_many:
        if key in (f.name, f.attname):
            return str(f.verbose_name).capitalize()
    return key
