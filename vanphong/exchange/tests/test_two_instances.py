"""Two instances on loopback, each with its own database and files, exchanging over HTTPS: the
province (Tỉnh ủy) issues a signed Nghị quyết to a subordinate Đảng ủy that runs its own
server. The Đảng ủy finds it in its queue with every field filled and the signature verified,
registers it in one step, and the province sees "đã đến" and "đã tiếp nhận" come back. The
same delivery again changes nothing; a package altered in transit is refused and kept.

Each instance is a real gunicorn serving HTTPS with a certificate of a CA made here, on a
database of its own (a copy of one migrated SQLite file); the outbox is sent by the operator's
command (``exchange_deliver``), as a worker would."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from vanphong.core.signatures.testing import TestCA, make_ca, make_leaf
from vanphong.exchange import transport
from vanphong.exchange.tests.instance import PARTY_ID, PASSWORD

PYTHON = sys.executable
BIN = Path(PYTHON).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _server_cert(ca: TestCA, folder: Path) -> tuple[Path, Path]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(ca.key, hashes.SHA256())
    )
    cert_path, key_path = folder / "server.pem", folder / "server.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


@dataclass
class Instance:
    name: str
    folder: Path
    port: int
    env: dict[str, str]
    process: subprocess.Popen[bytes] | None = None
    token: str = ""
    setup: dict[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}/"

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [str(BIN / "vanphong"), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def api(self, method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path.lstrip("/"), data=data, method=method)
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, context=self.context, timeout=60) as response:
                raw = response.read()
                status = response.status
        except urllib.error.HTTPError as exc:
            raw, status = exc.read(), exc.code
        try:
            return status, json.loads(raw)
        except ValueError:
            return status, raw

    context: ssl.SSLContext = field(default_factory=ssl.create_default_context)


def _environment(folder: Path, code: str, ca_file: Path) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "REDIS_URL", "VANPHONG_"))
    }
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
            "VANPHONG_DATA_DIR": str(folder / "data"),
            "VANPHONG_INSTANCE_CODE": code,
            "VANPHONG_EXCHANGE_CA_FILE": str(ca_file),
            "VANPHONG_SIGNATURE_TRUST_ROOTS": str(ca_file),
            "VANPHONG_TOTP_REQUIRED": "none",
            "VANPHONG_JOBS_EAGER": "1",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "VANPHONG_DEBUG": "0",
        }
    )
    return env


def _wait(instance: Instance) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert instance.process is not None
        if instance.process.poll() is not None:
            raise AssertionError(f"{instance.name} stopped: {instance.process.stderr.read()[-3000:]!r}")  # type: ignore[union-attr]
        try:
            status, _body = instance.api("GET", "api/v1/exchange/packages/")
            if status in (200, 401, 403):
                return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    raise AssertionError(f"{instance.name} did not answer")


@pytest.fixture(scope="module")
def instances(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Instance, Instance]]:
    root = tmp_path_factory.mktemp("two-instances")
    ca = make_ca("CA Liên thông thử nghiệm")
    ca_file = root / "ca.pem"
    ca_file.write_bytes(ca.pem)
    cert, key = _server_cert(ca, root)
    p12 = root / "bithu.p12"
    template = root / "template"
    template.mkdir()
    province = Instance("province", root / "province", _free_port(), {})
    party = Instance("party", root / "party", _free_port(), {})
    province.env = _environment(province.folder, "tinhuy", ca_file)
    party.env = _environment(party.folder, "dukhoi", ca_file)
    context = ssl.create_default_context(cafile=str(ca_file))
    province.context = party.context = context
    # One migration, copied: each instance then lives in its own file.
    template_env = _environment(template, "template", ca_file)
    Instance("template", template, 0, template_env).manage("migrate", "--no-input", "-v", "0")
    secrets = {
        "secret_to_party": "bi-mat-gui-dang-uy-" + "x" * 20,
        "secret_to_province": "bi-mat-gui-tinh-uy-" + "y" * 20,
    }
    for instance, other in ((province, party), (party, province)):
        instance.folder.mkdir()
        (instance.folder / "data").mkdir()
        shutil.copy(template / "db.sqlite3", instance.folder / "db.sqlite3")
        leaf = make_leaf(ca, "Nguyễn Văn Bí", organization="Tỉnh ủy Liên Thông", passphrase="mk")
        p12.write_bytes(leaf)
        config = instance.folder / "config.json"
        config.write_text(json.dumps({**secrets, "peer_url": other.url, "p12": str(p12), "passphrase": "mk"}))
        done = subprocess.run(
            [PYTHON, "-m", "vanphong.exchange.tests.instance", instance.name, str(config)],
            env=instance.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        instance.setup = json.loads(done.stdout.strip().splitlines()[-1])
    for instance in (province, party):
        instance.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{instance.port}",
                "--certfile",
                str(cert),
                "--keyfile",
                str(key),
                "--workers",
                "1",
                "--threads",
                "4",
                "--timeout",
                "120",
            ],
            env=instance.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
    try:
        for instance in (province, party):
            _wait(instance)
            status, body = instance.api(
                "POST", "api/v1/auth/token/", {"username": "vanthu", "password": PASSWORD}
            )
            assert status == 201, body
            instance.token = body["token"]
        yield province, party
    finally:
        for instance in (province, party):
            if instance.process is not None:
                instance.process.terminate()
                try:
                    instance.process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    instance.process.kill()


def _post_to_inbox(party: Instance, data: bytes, *, secret: str, alter: bool = False) -> tuple[int, Any]:
    """Deliver ``data`` to the party's inbox as the province would (optionally altered after
    signing, as by someone on the way)."""
    timestamp = str(int(time.time()))
    signature = transport.signature(
        secret, instance="tinhuy", timestamp=timestamp, kind="edxml", organization=PARTY_ID, data=data
    )
    if alter:
        middle = len(data) // 2
        data = data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1 :]
    body, content_type = transport._multipart(
        {"organization": PARTY_ID, "kind": "edxml"}, "goi-tin.edxml", data, "application/xml"
    )
    request = urllib.request.Request(party.url + transport.INBOX_PATH, data=body, method="POST")
    request.add_header("Content-Type", content_type)
    request.add_header(transport.HEADER_INSTANCE, "tinhuy")
    request.add_header(transport.HEADER_TIMESTAMP, timestamp)
    request.add_header(transport.HEADER_SIGNATURE, signature)
    try:
        with urllib.request.urlopen(request, context=party.context, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_a_signed_document_travels_registers_once_and_reports_back(
    instances: tuple[Instance, Instance],
) -> None:
    province, party = instances
    document = province.setup["document"]

    # The province's văn thư issues the approved Nghị quyết: its number, and a delivery queued
    # for the Đảng ủy, which runs the other instance.
    status, issued = province.api("POST", f"api/v1/outgoing/{document}/issue/")
    assert status in (200, 201), issued
    status, sent = province.api("GET", f"api/v1/outgoing/{document}/exchange/")
    assert status == 200 and [d["state"] for d in sent["deliveries"]] in (["pending"], ["delivered"]), sent

    # The outbox delivers over HTTPS (jobs run inline on the web; the command covers a lost job).
    province.manage("exchange_deliver", "--all")
    status, sent = province.api("GET", f"api/v1/outgoing/{document}/exchange/")
    assert [d["state"] for d in sent["deliveries"]] == ["delivered"], sent

    # The Đảng ủy finds it waiting with every field filled ...
    status, packages = party.api("GET", "api/v1/exchange/packages/?direction=in")
    assert status == 200 and packages["count"] == 1, packages
    received = packages["results"][0]
    assert received["state"] == "accepted" and received["queue"] == "waiting"
    assert received["details"]["subject"].startswith("Nghị quyết về chuyển đổi số")
    assert received["details"]["code"].endswith("NQ/TU")

    # ... registers it in one step, and the signature is verified against its trust roots.
    status, entry = party.api("POST", f"api/v1/exchange/packages/{received['id']}/register/")
    assert status == 201, entry
    status, incoming = party.api("GET", f"api/v1/incoming/{entry['entry']}/")
    assert status == 200, incoming
    assert incoming["symbol"] == issued["symbol"]
    assert incoming["subject"] == "Nghị quyết về chuyển đổi số trong các cơ quan đảng của tỉnh"
    assert incoming["issued_date"] == issued["issued_date"]
    files = incoming["files"]
    assert files, incoming
    status, checks = party.api("GET", f"api/v1/files/{files[0]['id']}/signatures/")
    assert status == 200 and len(checks) == 1, checks
    assert checks[0]["intact"] and checks[0]["trusted"] and checks[0]["valid"], checks
    assert "Nguyễn Văn Bí" in checks[0]["signer"] or checks[0]["signer"], checks

    # The statuses travel back: 01 (đã đến) and 03 (đã tiếp nhận) at the sender, per recipient.
    party.manage("exchange_deliver", "--all")
    status, sent = province.api("GET", f"api/v1/outgoing/{document}/exchange/")
    assert status == 200
    assert [s["code"] for s in sent["statuses"]] == ["03"], sent
    status, packages = province.api("GET", "api/v1/exchange/packages/?direction=in&kind=status")
    assert sorted(p["status_code"] for p in packages["results"]) == ["01", "03"], packages

    # The Đảng ủy's Bí thư directs it: a task here, "phân công" (04) at the sender.
    leader = Instance("party-leader", party.folder, party.port, party.env, context=party.context)
    status, body = leader.api("POST", "api/v1/auth/token/", {"username": "bithu", "password": PASSWORD})
    leader.token = body["token"]
    due = (dt.date.today() + dt.timedelta(days=20)).isoformat()
    status, direction = leader.api(
        "POST",
        f"api/v1/incoming/{entry['entry']}/directions/",
        {
            "text": "Giao Văn phòng Đảng ủy tham mưu triển khai.",
            "assignments": [{"organization": party.setup["party"], "role": "lead", "due_date": due}],
        },
    )
    assert status == 201, direction
    party.manage("exchange_deliver", "--all")
    status, sent = province.api("GET", f"api/v1/outgoing/{document}/exchange/")
    assert [s["code"] for s in sent["statuses"]] == ["04"], sent

    # Two-level: the Đảng ủy's summary figures go up through the same exchange, and the
    # province reads them without reaching into the Đảng ủy's database.
    party.manage("exchange_figures")
    party.manage("exchange_deliver", "--all")
    status, figures = province.api("GET", "api/v1/exchange/figures/")
    assert status == 200 and figures["count"] == 1, figures
    row = figures["results"][0]
    assert row["organization_key"] == PARTY_ID and row["organization"] is not None
    assert row["figures"]["tasks"]["total"] == 1 and row["figures"]["tasks"]["open"] == 1, row

    # A second delivery of the same package changes nothing.
    raw = _package_bytes(province, document)
    status, again = _post_to_inbox(party, raw, secret="bi-mat-gui-dang-uy-" + "x" * 20)
    assert status == 200 and again["id"] == received["id"] and again["created"] is False, again
    status, packages = party.api("GET", "api/v1/exchange/packages/?direction=in")
    assert packages["count"] == 1
    status, book = party.api("GET", "api/v1/incoming/")
    assert book["count"] == 1, book

    # A package altered on the way is refused, and kept for inspection; nothing registered.
    status, refused = _post_to_inbox(party, raw, secret="bi-mat-gui-dang-uy-" + "x" * 20, alter=True)
    assert status == 400 and refused["status"] == "refused", refused
    assert "thay đổi trên đường truyền" in refused["error"]["message"], refused
    status, book = party.api("GET", "api/v1/incoming/")
    assert book["count"] == 1


def _package_bytes(province: Instance, document: int) -> bytes:
    request = urllib.request.Request(province.url + f"api/v1/outgoing/{document}/edxml/")
    request.add_header("Authorization", f"Bearer {province.token}")
    with urllib.request.urlopen(request, context=province.context, timeout=60) as response:
        return bytes(response.read())
