"""Helpers for API tests (shared with the apps' test_api_*.py modules)."""

from __future__ import annotations

from typing import Any

from vanphong.accounts.services import api_token_issue


def bearer(user: Any) -> dict[str, str]:
    """Headers for the test client carrying a fresh token of ``user``, issued as after a
    complete sign-in (with the second factor where the account needs one)."""
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_issue(user=user, name='test', second_factor=True)}"}


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    """The response is an error in the API's one format, with this status and code and a
    non-empty message; returns the error object."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"code", "message", "fields"}
    assert error["code"] == code, error
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["fields"], dict)
    return error
