"""Set up one instance of the two-instance exchange test (``test_two_instances.py``), in its
own database: ``python -m vanphong.exchange.tests.instance <province|party> <config.json>``.
Prints a JSON object of what the test needs (ids). Not a test module: run in a subprocess
with the instance's own environment (DATABASE_URL, VANPHONG_DATA_DIR ...)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any


def _setup() -> None:
    import django

    django.setup()


PASSWORD = "Lien-thong@2026"
PROVINCE_ID = "000.00.00.H99"
PARTY_ID = "001.00.00.H99"


def _orgs(hosted_province: bool) -> dict[str, Any]:
    from vanphong.orgs.models import Organization, OrgKind, OrgLevel

    tinh, _ = OrgLevel.objects.get_or_create(code="tinh", defaults={"name": "Cấp tỉnh", "rank": 10})
    co_so, _ = OrgLevel.objects.get_or_create(code="co-so", defaults={"name": "Cấp cơ sở", "rank": 20})
    province = Organization.objects.create(
        name="Tỉnh ủy Liên Thông",
        short_name="Tỉnh ủy",
        abbreviation="TU",
        level=tinh,
        hosted=hosted_province,
        slug="tinhuy",
        electronic_id=PROVINCE_ID,
        place_name="Liên Thông",
    )
    office = None
    if hosted_province:
        office = Organization.objects.create(
            name="Văn phòng Tỉnh ủy",
            short_name="Văn phòng",
            abbreviation="VPTU",
            kind=OrgKind.AGENCY,
            level=tinh,
            parent=province,
            is_office=True,
            slug="vptu",
        )
    party = Organization.objects.create(
        name="Đảng ủy Khối Cơ quan tỉnh",
        short_name="ĐU Khối",
        abbreviation="ĐUK",
        level=co_so,
        parent=province,
        hosted=not hosted_province,
        slug="dukhoi",
        electronic_id=PARTY_ID,
        place_name="Liên Thông",
    )
    return {"province": province, "office": office, "party": party}


def _person(
    username: str, organization: Any, role: str, *, title: str = "", works_in: Any = None, full_name: str = ""
) -> Any:
    from django.contrib.auth import get_user_model

    from vanphong.orgs.models import Classification, Person, RoleAssignment

    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    person = Person.objects.create(
        full_name=full_name or {"chanhvp": "Trần Chánh", "chuyenvien": "Lê Soạn"}.get(username, username),
        organization=works_in or organization,
        user=user,
        clearance=Classification.TOI_MAT,
    )
    RoleAssignment.objects.create(person=person, organization=organization, role=role, title=title)
    return person


def _signed_pdf(config: dict[str, Any]) -> tuple[bytes, str]:
    """A real document of the demo rendered to PDF, signed by its signer with the test CA's
    certificate (PAdES, a visible box above the printed name)."""
    from vanphong.core.signatures.placement import placement_for_signer
    from vanphong.core.signatures.signing import Pkcs12Signer, sign_pdf
    from vanphong.demo import documents_files as demo_files

    demo = demo_files.demo_documents()[0]
    signer_name = demo.signer[2]
    data = demo_files.render_pdf(demo)
    signer = Pkcs12Signer.load(Path(config["p12"]).read_bytes(), config["passphrase"])
    signed = sign_pdf(
        data, signer=signer, placement=placement_for_signer(data, signer_name), reason="Ký ban hành"
    )
    return signed, signer_name


def province(config: dict[str, Any]) -> dict[str, Any]:
    from vanphong.documents.models import (
        Document,
        DocumentState,
        FileKind,
        Recipient,
        ReviewDecision,
        ReviewKind,
        Style,
    )
    from vanphong.documents.services.files import file_attach
    from vanphong.documents.services.outgoing import outgoing_review_decide, outgoing_submit
    from vanphong.documents.services.registering import registers_provision_defaults
    from vanphong.exchange.models import Peer
    from vanphong.orgs.models import Role

    orgs = _orgs(hosted_province=True)
    committee, office, party = orgs["province"], orgs["office"], orgs["party"]
    registers_provision_defaults(organization=committee, style=Style.PARTY, term_start=dt.date(2025, 10, 1))
    signed, signer_name = _signed_pdf(config)
    leader = _person("bithu", committee, Role.LANH_DAO_CAP_UY, title="Bí thư", full_name=signer_name)
    chief = _person("chanhvp", office, Role.LANH_DAO_VAN_PHONG, title="Chánh Văn phòng")
    drafter = _person("chuyenvien", committee, Role.CHUYEN_VIEN, works_in=office)
    _person("vanthu", committee, Role.VAN_THU, works_in=office)
    document = Document.objects.create(
        organization=committee,
        state=DocumentState.DRAFT,
        style=Style.PARTY,
        doc_type="NQ",
        subject="Nghị quyết về chuyển đổi số trong các cơ quan đảng của tỉnh",
        signer=leader,
        signer_position="Bí thư",
        signing_authority="TM",
        created_by=drafter,
    )
    Recipient.objects.create(document=document, organization=party, purpose="để thực hiện")
    file_attach(
        actor=drafter.user,
        document=document,
        upload=("nghi-quyet.pdf", signed),
        kind=FileKind.ORIGINAL,
    )
    steps = outgoing_submit(
        actor=drafter.user,
        document=document,
        steps=[
            {"stage": 1, "kind": ReviewKind.APPRAISAL_CONTENT, "reviewer": chief},
            {"stage": 2, "kind": ReviewKind.SIGN, "reviewer": leader},
        ],
    )
    for step in steps:
        outgoing_review_decide(actor=step.reviewer.user, step=step, decision=ReviewDecision.APPROVED)
    peer = Peer.objects.create(
        name="Hệ thống Đảng ủy Khối",
        code="dukhoi",
        base_url=config["peer_url"],
        outbound_secret=config["secret_to_party"],
        inbound_secret=config["secret_to_province"],
    )
    peer.organizations.set([party])
    return {"document": document.pk, "committee": committee.pk}


def party(config: dict[str, Any]) -> dict[str, Any]:
    from vanphong.documents.models import Style
    from vanphong.documents.services.registering import registers_provision_defaults
    from vanphong.exchange.models import Peer
    from vanphong.orgs.models import Role

    orgs = _orgs(hosted_province=False)
    committee, party_org = orgs["province"], orgs["party"]
    registers_provision_defaults(organization=party_org, style=Style.PARTY, term_start=dt.date(2025, 8, 1))
    _person("vanthu", party_org, Role.VAN_THU)
    _person("bithu", party_org, Role.LANH_DAO_CAP_UY, title="Bí thư")
    peer = Peer.objects.create(
        name="Hệ thống Văn phòng Tỉnh ủy",
        code="tinhuy",
        base_url=config["peer_url"],
        outbound_secret=config["secret_to_province"],
        inbound_secret=config["secret_to_party"],
        sends_figures=True,
    )
    peer.organizations.set([committee])
    return {"party": party_org.pk}


if __name__ == "__main__":
    _setup()
    role, config_path = sys.argv[1], sys.argv[2]
    config = json.loads(Path(config_path).read_text())
    result = {"province": province, "party": party}[role](config)
    print(json.dumps(result))
