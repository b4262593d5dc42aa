"""LibreOffice in tests: convert a generated .docx to PDF, as the person receiving it would
open it, and read its text back: all of it (``pdf_text``), line by line with the place of each
line (``pdf_lines``, poppler's ``pdftotext -bbox-layout``), and the horizontal lines drawn on a
page (``pdf_rules``, from the page rasterised by ``pdftoppm``).

Without ``soffice`` the tests that need it are skipped on a laptop, but fail in CI (CI=true),
as the browser journeys do (tests/e2e/conftest.py): a CI run that silently skipped them
would prove nothing. Each conversion uses its own LibreOffice profile, so that parallel
runs do not clash over a shared one."""

from __future__ import annotations

import io
import math
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Line:
    """One line of text as poppler lays a PDF page out, in points from the page's top left."""

    text: str
    x0: float
    x1: float
    y: float  # top
    bottom: float
    page: int  # from 1
    page_width: float

    @property
    def middle(self) -> float:
        return (self.x0 + self.x1) / 2


def _poppler(tool: str) -> str:
    binary = shutil.which(tool)
    if binary is None:
        message = f"{tool} không có trên máy này (apt-get install poppler-utils)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return binary


def pdf_lines(data: bytes) -> list[Line]:
    """Every line of a PDF with its place (``pdftotext -bbox-layout``), page after page, top to
    bottom; a line is the words poppler reads as one line of one block, so the two columns of
    a table give two lines at the same height."""
    from lxml import etree

    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "in.pdf", Path(folder) / "out.html"
        source.write_bytes(data)
        subprocess.run(  # noqa: S603 - a fixed binary and arguments, no shell
            [_poppler("pdftotext"), "-bbox-layout", str(source), str(target)], check=True, timeout=60
        )
        tree = etree.parse(str(target), etree.HTMLParser(encoding="utf-8"))
    lines: list[Line] = []
    for number, page in enumerate(tree.iter("page"), start=1):
        width = float(page.get("width"))
        for line in page.iter("line"):
            words = [word.text or "" for word in line.iter("word")]
            lines.append(
                Line(
                    text=" ".join(words),
                    x0=float(line.get("xmin")),
                    x1=float(line.get("xmax")),
                    y=float(line.get("ymin")),
                    bottom=float(line.get("ymax")),
                    page=number,
                    page_width=width,
                )
            )
    return sorted(lines, key=lambda item: (item.page, round(item.y), item.x0))


@dataclass(frozen=True)
class Rule:
    """A horizontal line drawn on a page (a border, an underline), in points."""

    x0: float
    x1: float
    y: float


def pdf_rules(data: bytes, page: int = 1, dpi: int = 144, min_length_pt: float = 12) -> list[Rule]:
    """The horizontal lines on a page of a PDF: rows of dark pixels at least ``min_length_pt``
    long in the page rasterised by ``pdftoppm`` (a thick line gives one rule per pixel row)."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.pdf"
        source.write_bytes(data)
        subprocess.run(  # noqa: S603 - a fixed binary and arguments, no shell
            [
                _poppler("pdftoppm"),
                "-gray",
                "-r",
                str(dpi),
                "-f",
                str(page),
                "-l",
                str(page),
                str(source),
                f"{folder}/p",
            ],
            check=True,
            timeout=60,
        )
        (image,) = Path(folder).glob("p*.pgm")
        raw = image.read_bytes()
    # A binary PGM: "P5", width, height, maximum, one whitespace, then the pixels.
    fields = raw.split(maxsplit=3)
    width, height = int(fields[1]), int(fields[2])
    dark = raw[-width * height :].translate(_DARK)
    scale = 72 / dpi
    run = re.compile(rb"1{%d,}" % math.ceil(min_length_pt / scale))
    rules: list[Rule] = []
    for row in range(height):
        for found in run.finditer(dark, row * width, (row + 1) * width):
            start, end = found.start() - row * width, found.end() - row * width
            rules.append(Rule(start * scale, end * scale, row * scale))
    return rules


_DARK = bytes(ord("1") if value < 128 else ord("0") for value in range(256))
