"""The registry of audit actions: every name the code writes is declared by its app, and a
name nobody declared is refused before anything is written."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.urls import reverse

import vanphong
from vanphong.audit import actions
from vanphong.audit.actions import action_label, action_title, register_actions, registered_actions
from vanphong.audit.models import AuditEvent
from vanphong.audit.services import audit_record

ROOT = Path(vanphong.__file__).parent


# --- Every action written in the code is declared ----------------------------------------------


def _modules() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts:
            continue
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _strings(node: ast.expr) -> set[str] | None:
    """The string values ``node`` may have when it is made of literals only, else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        body, orelse = _strings(node.body), _strings(node.orelse)
        return body | orelse if body is not None and orelse is not None else None
    return None


def _assigned(function: ast.AST, name: str) -> set[str]:
    """The literals assigned to ``name`` in ``function`` (``a, name = x, "..."`` included)."""
    found: set[str] = set()
    for node in ast.walk(function):
        if not isinstance(node, ast.Assign):
            continue
        for target in node.targets:
            pairs = [(target, node.value)]
            if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                pairs = list(zip(target.elts, node.value.elts, strict=False))
            for left, right in pairs:
                if isinstance(left, ast.Name) and left.id == name:
                    found |= _strings(right) or set()
    return found


def _calls(tree: ast.Module) -> Iterator[tuple[ast.Call, ast.FunctionDef | ast.AsyncFunctionDef | None]]:
    """Every call in ``tree`` with the function it is written in."""

    def walk(node: ast.AST, function: ast.FunctionDef | ast.AsyncFunctionDef | None) -> Iterator:
        for child in ast.iter_child_nodes(node):
            inner = child if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else function
            if isinstance(child, ast.Call):
                yield child, function
            yield from walk(child, inner)

    yield from walk(tree, None)


def _callee(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def actions_written_in_code() -> tuple[set[str], list[str]]:
    """The action names the code passes to ``audit_record``, directly or through a helper
    that hands its own argument on (``_audit(actor, "task.create", ...)``), and the places
    where the name could not be read from literals."""
    modules = list(_modules())
    # function name -> (position of the parameter among positional arguments, its name)
    writers: dict[str, tuple[int | None, str]] = {"audit_record": (None, "action")}
    found: set[str] = set()
    unresolved: list[str] = []
    done = 0
    while done != len(writers):
        done = len(writers)
        found, unresolved = set(), []
        for path, tree in modules:
            for call, function in _calls(tree):
                writer = writers.get(_callee(call))
                if writer is None:
                    continue
                position, keyword = writer
                expr = next((k.value for k in call.keywords if k.arg == keyword), None)
                if expr is None and position is not None and len(call.args) > position:
                    expr = call.args[position]
                where = f"{path.relative_to(ROOT.parent)}:{call.lineno}"
                if expr is None:
                    unresolved.append(where)
                    continue
                literal = _strings(expr)
                if literal is not None:
                    found |= literal
                    continue
                if isinstance(expr, ast.Name) and function is not None:
                    assigned = _assigned(function, expr.id)
                    params = function.args.posonlyargs + function.args.args
                    names = [a.arg for a in params]
                    if expr.id in names:
                        writers.setdefault(function.name, (names.index(expr.id), expr.id))
                    elif expr.id in [a.arg for a in function.args.kwonlyargs]:
                        writers.setdefault(function.name, (None, expr.id))
                    elif assigned:
                        found |= assigned
                    else:
                        unresolved.append(where)
                    continue
                unresolved.append(where)
    return found, unresolved


def test_every_action_written_in_the_code_is_declared():
    written, unresolved = actions_written_in_code()
    assert not unresolved, f"audit actions not written as literals: {unresolved}"
    # The scan sees the direct calls, the task engine's helper and the admin's computed names.
    assert {"person.create", "task.create", "auth.login_failed", "admin.create", "admin.change"} <= written
    assert {"account.activate", "account.deactivate", "demo.seed"} <= written
    undeclared = sorted(written - set(registered_actions()))
    assert not undeclared, f"declare these in the app's audit_actions.py: {undeclared}"


def test_every_declared_action_has_a_vietnamese_label():
    for name, label in registered_actions().items():
        if name.startswith("test."):
            continue
        assert str(label).strip() and str(label) != name, name


# --- An undeclared action is refused -----------------------------------------------------------


def test_an_undeclared_action_is_refused_and_nothing_is_written(db):
    with pytest.raises(ValueError, match=r"'task\.crate'"):
        audit_record(actor=None, actor_username="ai_do", action="task.crate")
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("name", ["Task.Create", "task", "task create", "task.", ".create", "t." + "x" * 60])
def test_a_malformed_name_cannot_be_declared(name):
    with pytest.raises(ValueError):
        register_actions({name: "Nhãn"})
    assert name not in registered_actions()


def test_a_name_declared_twice_keeps_one_label(monkeypatch):
    monkeypatch.setattr(actions, "_labels", dict(actions._labels))
    register_actions({"task.create": "Giao nhiệm vụ"})  # the same label again: harmless
    with pytest.raises(ValueError, match="task.create"):
        register_actions({"task.create": "Tạo việc"})
    assert action_title("task.create") == "Giao nhiệm vụ"


# --- The audit pages read the labels from the registry ----------------------------------------


def test_labels_come_from_the_declaring_app():
    assert action_label("task.file_download") == "Tải tệp minh chứng của nhiệm vụ mật (task.file_download)"
    assert action_label("auth.login") == "Đăng nhập (auth.login)"
    assert action_title("document.view") == "Xem văn bản mật"
    # An entry written under a name no app declares any more reads as its name.
    assert action_label("old.gone") == action_title("old.gone") == "old.gone"


def test_the_trail_page_shows_the_declared_label(client, province, settings):
    settings.VANPHONG_TOTP_REQUIRED = "none"
    audit_record(actor=province.admin.user, action="delegation.create", target=province.chief)
    client.force_login(province.admin.user)
    response = client.get(reverse("audit:list"))
    assert response.status_code == 200
    assert "Ủy quyền (delegation.create)" in response.content.decode()
