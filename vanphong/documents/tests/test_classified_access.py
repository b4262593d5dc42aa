"""Who sees a document, by classification and by being assigned or granted, checked three
ways: the access functions, the document page, and the file API — and ``readers_of`` agrees
with them for every classified case.

Province (root conftest): the Tỉnh ủy holds every document below in its books.
leader  — Lãnh đạo cấp ủy of the Tỉnh ủy (subtree), cleared Tuyệt mật
admin   — Quản trị of the Tỉnh ủy (subtree), no clearance
chief   — Lãnh đạo Văn phòng, role in the Văn phòng only, cleared Tối mật: the office works
          for the Tỉnh ủy, so its leader reads the Tỉnh ủy's books as their keepers do
specialist — Chuyên viên of the Văn phòng, no clearance
clerk   — Văn thư of the Tỉnh ủy, cleared Mật
clerk_x — Văn thư of Đảng ủy xã An Phú, no clearance
keeper_y — Văn thư of Đảng ủy xã Bình Minh, cleared Mật (added here)
"""

import pytest
from django.urls import resolve, reverse
from django.urls.exceptions import Resolver404

from vanphong.api.tests.helpers import bearer
from vanphong.documents import readers
from vanphong.documents.access import get_document_for_user
from vanphong.documents.models import (
    Assignment,
    AssignmentRole,
    Direction,
    DocumentFile,
    ReaderGrant,
)
from vanphong.documents.tests.factories import registered_entry
from vanphong.documents.tests.test_registers_pages import sign_in
from vanphong.orgs.models import Classification, Role
from vanphong.orgs.tests.factories import make_actor

N, M, TM, TUM = (
    Classification.NONE,
    Classification.MAT,
    Classification.TOI_MAT,
    Classification.TUYET_MAT,
)
ACTORS = ("leader", "admin", "chief", "specialist", "clerk", "clerk_x", "keeper_y")

# (case, situation, classification, who sees it). Everyone in ACTORS not named is refused.
MATRIX = [
    ("held-none", "held", N, {"leader", "admin", "clerk", "chief"}),
    ("held-mat", "held", M, {"leader", "clerk", "chief"}),
    ("held-toi-mat", "held", TM, {"leader", "chief"}),
    ("held-tuyet-mat", "held", TUM, {"leader"}),
    ("chief-assigned-none", "assign_chief", N, {"leader", "admin", "clerk", "chief"}),
    ("chief-assigned-mat", "assign_chief", M, {"leader", "clerk", "chief"}),
    ("chief-assigned-toi-mat", "assign_chief", TM, {"leader", "chief"}),
    ("chief-assigned-above-clearance", "assign_chief", TUM, {"leader"}),
    ("specialist-assigned-none", "assign_specialist", N, {"leader", "admin", "clerk", "chief", "specialist"}),
    ("specialist-assigned-mat-uncleared", "assign_specialist", M, {"leader", "clerk", "chief"}),
    ("chief-granted-mat", "grant_chief", M, {"leader", "clerk", "chief"}),
    ("chief-granted-toi-mat", "grant_chief", TM, {"leader", "chief"}),
    ("chief-granted-above-clearance", "grant_chief", TUM, {"leader"}),
    ("specialist-granted-mat-uncleared", "grant_specialist", M, {"leader", "clerk", "chief"}),
    ("commune-assigned-none", "assign_commune_y", N, {"leader", "admin", "clerk", "chief", "keeper_y"}),
    ("commune-assigned-mat", "assign_commune_y", M, {"leader", "clerk", "chief", "keeper_y"}),
    ("commune-assigned-toi-mat", "assign_commune_y", TM, {"leader", "chief"}),
    ("other-commune-assigned-mat", "assign_commune_x", M, {"leader", "clerk", "chief"}),
]


@pytest.fixture
def people(province):
    keeper_y = make_actor("keeper_y", province.commune_y, Role.VAN_THU, clearance=Classification.MAT)
    found = {name: getattr(province, name) for name in ACTORS if name != "keeper_y"}
    found["keeper_y"] = keeper_y
    return found


def _document(province, people, situation, classification):
    entry = registered_entry(
        actor=province.clerk.user,
        organization=province.committee,
        doc_type="CV",
        symbol="77-CV/TW",
        subject="về công tác bảo vệ bí mật nhà nước",
        classification=classification,
    )
    doc = entry.document
    direction = Direction.objects.create(entry=entry, author=province.leader, text="Giao xử lý.")
    target = {
        "assign_chief": {"person": people["chief"]},
        "assign_specialist": {"person": people["specialist"]},
        "assign_commune_y": {"organization": province.commune_y},
        "assign_commune_x": {"organization": province.commune_x},
    }.get(situation)
    if target:
        Assignment.objects.create(direction=direction, entry=entry, role=AssignmentRole.LEAD, **target)
    if situation.startswith("grant_"):
        # Written directly: a grant made before the person's clearance was lowered, say.
        person = people[situation.removeprefix("grant_")]
        ReaderGrant.objects.create(document=doc, person=person, granted_by=province.clerk)
    return doc


def _sees(person, doc):
    try:
        get_document_for_user(person.user, doc.pk)
    except Exception:  # Http404
        return False
    return True


@pytest.mark.parametrize(
    ("situation", "classification", "expected"), [m[1:] for m in MATRIX], ids=[m[0] for m in MATRIX]
)
def test_access_functions_follow_the_matrix(province, books, people, situation, classification, expected):
    doc = _document(province, people, situation, classification)
    seen = {name for name, person in people.items() if _sees(person, doc)}
    assert seen == expected


@pytest.mark.parametrize(
    ("situation", "classification", "expected"),
    [m[1:] for m in MATRIX if m[2] > N],
    ids=[m[0] for m in MATRIX if m[2] > N],
)
def test_readers_list_agrees_with_the_access_functions(
    province, books, people, situation, classification, expected
):
    doc = _document(province, people, situation, classification)
    listed = {p.user.username for p in readers.readers_of(doc)}
    assert listed == expected  # nobody else in the province can see it either


HTTP_CASES = [
    m for m in MATRIX if m[0] in {"held-mat", "held-toi-mat", "chief-granted-mat", "commune-assigned-mat"}
]


@pytest.mark.parametrize(
    ("situation", "classification", "expected"), [m[1:] for m in HTTP_CASES], ids=[m[0] for m in HTTP_CASES]
)
def test_document_page_answers_404_outside_the_matrix(
    client, province, books, people, situation, classification, expected
):
    doc = _document(province, people, situation, classification)
    url = reverse("documents:document_detail", args=[doc.pk])
    for name, person in people.items():
        client.logout()
        sign_in(client, person)
        status = client.get(url).status_code
        assert status == (200 if name in expected else 404), name


def _file_url(pk):
    url = f"/api/v1/files/{pk}/"
    try:
        match = resolve(url)
    except Resolver404:
        match = None
    if match is None or match.url_name == "not_found":
        pytest.skip("The file API (/api/v1/files/<id>/) is not mounted yet")
    return url


@pytest.mark.parametrize(
    ("situation", "classification", "expected"), [m[1:] for m in HTTP_CASES], ids=[m[0] for m in HTTP_CASES]
)
def test_file_api_answers_404_to_readers_without_clearance_or_need(
    client, province, books, people, settings, tmp_path, situation, classification, expected
):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    doc = _document(province, people, situation, classification)
    content = b"%PDF-1.4 mat"
    import hashlib

    f = DocumentFile(
        document=doc,
        original_name="mat.pdf",
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    f.file.save("mat.pdf", ContentFile(content), save=True)
    url = _file_url(f.pk)
    for name, person in people.items():
        response = client.get(url, **bearer(person.user))
        assert response.status_code == (200 if name in expected else 404), name
        if name in expected:
            assert b"".join(response.streaming_content) == content


# The same documents once the Văn phòng has appointed a classified-documents clerk
# (secret_clerk, Văn thư mật, cleared Tuyệt mật): the classified books are theirs, and the
# Tỉnh ủy's ordinary văn thư (clerk) no longer sees what is classified.
CLERK_MATRIX = [
    ("appointed-none", "held", N, {"leader", "admin", "clerk", "chief", "secret_clerk"}),
    ("appointed-mat", "held", M, {"leader", "chief", "secret_clerk"}),
    ("appointed-toi-mat", "held", TM, {"leader", "chief", "secret_clerk"}),
    ("appointed-tuyet-mat", "held", TUM, {"leader", "secret_clerk"}),
    (
        "appointed-commune-assigned-mat",
        "assign_commune_y",
        M,
        {"leader", "chief", "secret_clerk", "keeper_y"},
    ),
    ("appointed-chief-granted-mat", "grant_chief", M, {"leader", "chief", "secret_clerk"}),
]


@pytest.mark.parametrize(
    ("situation", "classification", "expected"),
    [m[1:] for m in CLERK_MATRIX],
    ids=[m[0] for m in CLERK_MATRIX],
)
def test_an_appointed_classified_clerk_takes_the_classified_books(
    province, books, people, situation, classification, expected
):
    doc = _document(province, people, situation, classification)  # registered before the appointment
    people = {
        **people,
        "secret_clerk": make_actor(
            "secret_clerk", province.office, Role.VAN_THU_MAT, clearance=Classification.TUYET_MAT
        ),
    }
    seen = {name for name, person in people.items() if _sees(person, doc)}
    assert seen == expected
    if classification > N:
        assert {p.user.username for p in readers.readers_of(doc)} == expected
