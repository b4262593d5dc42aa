"""The citizens' pages under /cong-dan/, without signing in: the form with its offline
captcha, the tracking code, the lookup, the rate limits (429, then open again in the next
window) and the published schedule."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from captcha.models import CaptchaStore
from django.urls import reverse
from django.utils import timezone

from vanphong.orgs.models import Role
from vanphong.orgs.tests.factories import make_actor
from vanphong.petitions import submissions
from vanphong.petitions.models import PetitionSubmission, ReceptionSession

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
CONTENT = "Khiếu nại việc Ủy ban nhân dân xã thu hồi đất nông nghiệp của gia đình không bồi thường thỏa đáng."


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VANPHONG_TOTP_REQUIRED = "none"


def solve(client) -> dict[str, str]:
    """Open the form and read the captcha's answer from its store (what a person reads)."""
    html = client.get(reverse("citizens:submit")).content.decode()
    key = re.search(r'name="captcha_0" value="(\w+)"', html).group(1)
    return {"captcha_0": key, "captcha_1": CaptchaStore.objects.get(hashkey=key).response.upper()}


def letter(province, **kwargs) -> dict[str, object]:
    data = {
        "organization": province.committee.pk,
        "kind": "khieu_nai",
        "full_name": "Nguyễn Văn An",
        "address": "Thôn Đông, xã An Phú",
        "id_number": "",
        "phone": "0912345678",
        "email": "",
        "respondent": "Ủy ban nhân dân xã An Phú",
        "locality": "Xã An Phú",
        "content": CONTENT,
    }
    data.update(kwargs)
    return data


def test_pages_open_without_signing_in_and_carry_no_inline_script(client):
    for name in ("citizens:submit", "citizens:track", "citizens:schedule"):
        response = client.get(reverse(name))
        html = response.content.decode()
        assert response.status_code == 200, name
        assert "<script>" not in html and "style=" not in html and "/don-thu/" not in html
        assert "default-src 'self'" in response["Content-Security-Policy"]


def test_the_captcha_picture_is_drawn_here(client):
    data = solve(client)
    response = client.get(reverse("citizens:captcha_image", args=[data["captcha_0"]]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")
    # Valid long enough to write a letter on a phone.
    store = CaptchaStore.objects.get(hashkey=data["captcha_0"])
    assert store.expiration > timezone.now() + dt.timedelta(minutes=50)


def test_a_letter_goes_from_the_form_to_the_book_and_the_code_follows_it(client, province):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {**letter(province), **solve(client), "files": [SimpleUploadedFile("don.pdf", PDF)]}
    response = client.post(reverse("citizens:submit"), data)
    assert response.status_code == 302 and response.url == reverse("citizens:sent")
    submission = PetitionSubmission.objects.get()
    assert submission.files.count() == 1
    html = client.get(reverse("citizens:sent")).content.decode()
    assert submission.tracking_code in html and "Hãy ghi lại mã này" in html
    # Shown once: the code is not kept in a URL or shown again.
    assert client.get(reverse("citizens:sent")).status_code == 302

    html = client.post(reverse("citizens:track"), {"code": submission.tracking_code.lower()}).content.decode()
    assert "Đã nhận, chờ vào sổ." in html

    officer = client.__class__()
    officer.force_login(province.clerk.user)
    form = {
        "kind": "khieu_nai",
        "content": CONTENT,
        "respondent": "UBND xã An Phú",
        "locality": "",
        "field": "",
    }
    response = officer.post(reverse("petitions:submission_register", args=[submission.pk]), form)
    assert response.status_code == 302
    submission.refresh_from_db()
    petition = submission.petition
    html = client.post(reverse("citizens:track"), {"code": submission.tracking_code}).content.decode()
    assert f"Đã vào sổ số {petition.number}/{petition.year}, đang xử lý" in html
    assert province.clerk.full_name not in html


def test_a_wrong_captcha_is_refused_and_nothing_is_kept(client, province):
    data = {**letter(province), **solve(client)}
    data["captcha_1"] = "SAI0"
    response = client.post(reverse("citizens:submit"), data)
    assert response.status_code == 200 and "Mã kiểm tra chưa đúng" in response.content.decode()
    assert not PetitionSubmission.objects.exists()
    # What was typed stays in the form.
    assert "Thôn Đông, xã An Phú" in response.content.decode()


def test_a_new_captcha_picture_keeps_what_was_typed(client, province):
    data = {**letter(province), **solve(client), "refresh_captcha": "1"}
    response = client.post(reverse("citizens:submit"), data)
    html = response.content.decode()
    assert response.status_code == 200 and "Nguyễn Văn An" in html
    assert f'value="{data["captcha_0"]}"' not in html and 'class="form-errors"' not in html
    assert not PetitionSubmission.objects.exists()


def test_a_refused_file_type_is_said_next_to_the_files(client, province):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {**letter(province), **solve(client), "files": [SimpleUploadedFile("don.txt", b"van ban thuong")]}
    response = client.post(reverse("citizens:submit"), data)
    assert response.status_code == 200 and "Không nhận loại tệp này" in response.content.decode()
    assert not PetitionSubmission.objects.exists()


def test_the_form_is_held_back_after_the_hourly_limit_then_opens_again(
    client, province, settings, monkeypatch
):
    settings.VANPHONG_PUBLIC_PETITION_LIMITS = {"per_hour": 2}
    now = [1_800_000_000.0 + 60]  # a minute into an hour
    monkeypatch.setattr(submissions, "_clock", lambda: now[0])
    for _ in range(2):
        assert (
            client.post(reverse("citizens:submit"), {**letter(province), **solve(client)}).status_code == 302
        )
    response = client.post(reverse("citizens:submit"), {**letter(province), **solve(client)})
    assert response.status_code == 429 and int(response["Retry-After"]) == 3540
    assert "đã gửi 2 đơn trong giờ này" in response.content.decode()
    assert PetitionSubmission.objects.count() == 2
    # Another address is not held back.
    other = client.post(
        reverse("citizens:submit"), {**letter(province), **solve(client)}, REMOTE_ADDR="198.51.100.4"
    )
    assert other.status_code == 302
    now[0] += 3600
    assert client.post(reverse("citizens:submit"), {**letter(province), **solve(client)}).status_code == 302
    assert PetitionSubmission.objects.count() == 4


def test_the_organisation_cap_holds_for_everyone(province, settings):
    settings.VANPHONG_PUBLIC_PETITION_LIMITS = {"per_organization_day": 1}
    values = {k: v for k, v in letter(province).items() if k != "organization"}
    submissions.submission_create(organization=province.committee, client_address="192.0.2.1", **values)
    with pytest.raises(submissions.RateLimited) as error:
        submissions.submission_create(organization=province.committee, client_address="192.0.2.2", **values)
    assert "tạm ngừng nhận" in error.value.message
    submissions.submission_create(organization=province.commune_x, client_address="192.0.2.2", **values)


def test_guessing_codes_is_held_back(client, settings):
    settings.VANPHONG_PUBLIC_PETITION_LIMITS = {"lookups_per_hour": 3}
    for _ in range(3):
        response = client.post(reverse("citizens:track"), {"code": "DT-ABCD-EFGH"})
        assert response.status_code == 200 and "Không tìm thấy đơn có mã này" in response.content.decode()
    response = client.post(reverse("citizens:track"), {"code": "DT-ABCD-EFGH"})
    assert response.status_code == 429 and "Retry-After" in response


def test_the_public_schedule_shows_only_published_sessions_from_today(client, province):
    today = timezone.localdate()
    common = {
        "organization": province.committee,
        "leader": province.leader,
        "start": dt.time(8, 0),
        "end": dt.time(11, 0),
    }
    ReceptionSession.objects.create(
        date=today + dt.timedelta(days=3), place="Trụ sở Tiếp công dân tỉnh", **common
    )
    ReceptionSession.objects.create(date=today - dt.timedelta(days=3), place="Phòng đã qua", **common)
    ReceptionSession.objects.create(
        date=today + dt.timedelta(days=4), place="Phòng không công bố", published=False, **common
    )
    ReceptionSession.objects.create(
        date=today + dt.timedelta(days=5), place="Phòng đã hủy", cancelled=True, **common
    )
    make_actor("bithu_x", province.commune_x, Role.LANH_DAO_CAP_UY, full_name="Phạm Văn Xuân")
    html = client.get(reverse("citizens:schedule")).content.decode()
    assert "Trụ sở Tiếp công dân tỉnh" in html and province.committee.name in html
    assert "Phòng đã qua" not in html and "Phòng không công bố" not in html and "Phòng đã hủy" not in html
