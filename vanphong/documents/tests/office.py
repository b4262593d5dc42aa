"""LibreOffice in tests: convert a generated .docx to PDF, as the person receiving it would
open it, and read its text back.

Without ``soffice`` the tests that need it are skipped on a laptop, but fail in CI (CI=true),
as the browser journeys do (tests/e2e/conftest.py): a CI run that silently skipped them
would prove nothing. Each conversion uses its own LibreOffice profile, so that parallel
runs do not clash over a shared one."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest

CONVERT_TIMEOUT = 180  # seconds; the first start of a fresh profile is the slow part


def office_binary() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def require_office() -> str:
    """The LibreOffice binary, or skip (fail in CI) when it is not installed."""
    binary = office_binary()
    if binary is None:
        message = "LibreOffice (soffice) không có trên máy này (apt-get install libreoffice-writer-nogui)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return binary


def docx_to_pdf(data: bytes, workdir: Path, stem: str = "bao-cao") -> bytes:
    """The PDF LibreOffice makes of ``data`` (a .docx), converted headless in ``workdir``."""
    binary = require_office()
    workdir.mkdir(parents=True, exist_ok=True)
    source = workdir / f"{stem}.docx"
    source.write_bytes(data)
    profile = workdir / "lo-profile"
    result = subprocess.run(  # noqa: S603 - a fixed binary and arguments, no shell
        [
            binary,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(workdir),
            str(source),
        ],
        timeout=CONVERT_TIMEOUT,
        capture_output=True,
        env={**os.environ, "HOME": str(workdir)},
        check=False,
    )
    target = workdir / f"{stem}.pdf"
    assert result.returncode == 0 and target.exists(), (
        f"LibreOffice could not convert {source.name}: {result.stdout!r} {result.stderr!r}"
    )
    return target.read_bytes()


def pdf_text(data: bytes) -> str:
    """All the text of a PDF, page after page, with runs of spaces made single."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return "\n".join(" ".join(line.split()) for line in text.splitlines())
