"""How many registration fields capture reads right on the demo set (vanphong.demo.documents_files).

    DJANGO_SETTINGS_MODULE=config.settings .venv/bin/python benchmarks/capture_accuracy.py [--ocr N]

Three sources of the same 36 first pages: the DOCX, the text PDF, and — when Tesseract
with Vietnamese data and pdftoppm are installed — a 300 dpi rendering of the PDF read by
OCR (``--ocr N`` limits OCR to the first N documents, ``--ocr 0`` skips it). A field is
right when it equals the known value exactly (a null where a value exists is wrong; a
null for an absent stamp is right). ``run()`` returns the figures for ``vanphong bench``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

if __name__ == "__main__":  # runnable as a script from the repository root
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()

from vanphong.demo import documents_files as demo_files  # noqa: E402
from vanphong.documents import capture, extraction

FIELDS = capture.FIELDS


def _score(results: list[tuple[dict[str, Any], dict[str, Any]]]) -> dict[str, Any]:
    per_field = {}
    for name in FIELDS:
        right = sum(1 for expected, got in results if (got.get(name) or None) == expected[name])
        per_field[name] = round(right / len(results), 3) if results else None
    total = len(results) * len(FIELDS)
    right_all = sum(
        1 for expected, got in results for name in FIELDS if (got.get(name) or None) == expected[name]
    )
    wrong = [
        {"document": expected["key"], "field": name, "expected": expected[name], "got": got.get(name)}
        for expected, got in results
        for name in FIELDS
        if (got.get(name) or None) != expected[name]
    ]
    return {
        "documents": len(results),
        "overall": round(right_all / total, 3) if total else None,
        "fields": per_field,
        "wrong": wrong,
    }


def _rasterise(pdf: Path, workdir: Path) -> Path:
    prefix = workdir / pdf.stem
    subprocess.run(  # noqa: S603 - fixed arguments
        ["pdftoppm", "-r", "300", "-f", "1", "-l", "1", "-png", str(pdf), str(prefix)],  # noqa: S607
        check=True,
        capture_output=True,
        timeout=120,
    )
    return next(workdir.glob(f"{pdf.stem}*.png"))


def run(*, ocr_documents: int | None = None, workers: int = 2) -> dict[str, Any]:
    """Per-field and overall accuracy for DOCX, text PDF and (when possible) OCR."""
    documents = demo_files.demo_documents()
    workdir = Path(tempfile.mkdtemp(prefix="vanphong-capture-bench-"))
    report: dict[str, Any] = {}
    try:
        sources: dict[str, list[tuple[dict[str, Any], Path, str]]] = {"docx": [], "pdf": []}
        for doc in documents:
            expected = {"key": doc.key, **doc.expected()}
            docx = workdir / f"{doc.key}.docx"
            docx.write_bytes(demo_files.render_docx(doc))
            pdf = workdir / f"{doc.key}.pdf"
            pdf.write_bytes(demo_files.render_pdf(doc))
            sources["docx"].append((expected, docx, extraction.DOCX))
            sources["pdf"].append((expected, pdf, extraction.PDF))
        ocr_ready = extraction.ocr_available() and shutil.which("pdftoppm") is not None
        if ocr_ready and ocr_documents != 0:
            chosen = sources["pdf"][: ocr_documents or None]
            sources["ocr"] = [(e, _rasterise(p, workdir), extraction.PNG) for e, p, _t in chosen]
        else:
            report["ocr"] = {"skipped": "Tesseract (vie) hoặc pdftoppm chưa được cài."}
        for kind, items in sources.items():
            started = time.monotonic()
            with ThreadPoolExecutor(max_workers=workers if kind == "ocr" else 1) as pool:
                got = list(
                    pool.map(lambda item: capture.capture_path(item[1], item[2], time_limit=600), items)
                )
            scored = _score([(expected, g) for (expected, _p, _t), g in zip(items, got, strict=True)])
            scored["seconds"] = round(time.monotonic() - started, 1)
            report[kind] = scored
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ocr", type=int, default=None, help="OCR only the first N documents (0: none)")
    parser.add_argument("--wrong", action="store_true", help="list every wrong field")
    args = parser.parse_args()
    report = run(ocr_documents=args.ocr)
    for kind, figures in report.items():
        if "skipped" in figures:
            print(f"{kind}: skipped ({figures['skipped']})")
            continue
        fields = ", ".join(f"{k} {v:.0%}" for k, v in figures["fields"].items())
        print(
            f"{kind}: {figures['documents']} documents, overall {figures['overall']:.1%} "
            f"in {figures['seconds']} s — {fields}"
        )
        if args.wrong:
            for item in figures["wrong"]:
                print("   ", json.dumps(item, ensure_ascii=False))


if __name__ == "__main__":
    main()
