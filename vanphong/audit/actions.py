"""The names of audit actions: each declared once, by the app that writes it, with the
Vietnamese label the audit pages show.

An app lists its actions in its own ``audit_actions.py``, which its ``AppConfig.ready()``
imports::

    register_actions({"task.create": _("Giao nhiệm vụ"), ...})

``audit_record`` refuses a name no app declared (``ValueError``): a misspelt action is a
programming error for the tests to catch, not an entry nobody finds when filtering the trail.
The audit app imports no other app: the registry is filled from above, at start-up.

An action stays declared after the code stops writing it, as long as the trail may hold
entries under that name: the label is how the old entries are read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.utils.functional import Promise

# A stable dotted name in lower case: ``document.file_download``, ``auth.login_failed``.
ACTION_NAME = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")
MAX_LENGTH = 60  # AuditEvent.action

_labels: dict[str, str | Promise] = {}


def register_actions(actions: Mapping[str, str | Promise]) -> None:
    """Declare ``actions`` (name → Vietnamese label). Declaring a name again with the same
    label is harmless; with another label it is refused, as is a malformed name."""
    for name, label in actions.items():
        if not isinstance(name, str) or len(name) > MAX_LENGTH or not ACTION_NAME.fullmatch(name):
            raise ValueError(
                f"Audit action name {name!r} is not a lower-case dotted name "
                f"of at most {MAX_LENGTH} characters."
            )
        # Lazy labels are compared only when a name comes twice: no translation at start-up.
        if not isinstance(label, Promise) and not str(label).strip():
            raise ValueError(f"Audit action {name!r} needs a label.")
        known = _labels.get(name)
        if known is not None and known is not label and str(known) != str(label):
            raise ValueError(f"Audit action {name!r} is already declared with the label {str(known)!r}.")
    _labels.update(actions)


def check_action(name: str) -> None:
    """Raise ``ValueError`` unless ``name`` was declared."""
    if name not in _labels:
        raise ValueError(
            f"Unknown audit action {name!r}: declare it with register_actions() in the "
            "audit_actions.py of the app that writes it."
        )


def is_registered(name: str) -> bool:
    return name in _labels


def registered_actions() -> dict[str, str | Promise]:
    """Every declared action and its label, by name."""
    return dict(sorted(_labels.items()))


def action_title(name: str) -> str:
    """The Vietnamese label of ``name``; the name itself for an entry written under a name
    no app declares any more."""
    label = _labels.get(name)
    return str(label) if label is not None else name


def action_label(name: str) -> str:
    """The label followed by the stable name, as the audit pages show it:
    "Đăng nhập (auth.login)"."""
    label = _labels.get(name)
    return f"{label} ({name})" if label is not None else name
