"""The summary figures of the two-level model: the payload a lower instance builds from its
tasks (given through the engine) and reports, the upper instance's strict reception (a bad
payload is refused with its reasons and nothing is stored), the overview and detail pages,
and who may see them.

One database plays both instances: the test province's communes are what the lower side
reports, and the peer on the upper side is configured as hosting them."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, URLPattern, URLResolver, include, path, reverse
from django.utils import timezone

from vanphong.audit.models import AuditEvent
from vanphong.exchange.figures import (
    FIGURES_VERSION,
    MAX_ORGANIZATIONS,
    figures_payload,
    figures_receive,
    organizations_for_peer,
)
from vanphong.exchange.models import LowerFigures, Peer
from vanphong.exchange.selectors_figures import lower_figures_for
from vanphong.orgs.models import Organization
from vanphong.orgs.tests.factories import OrganizationFactory
from vanphong.reporting import services as reporting
from vanphong.reporting.tests.conftest import make_request, row
from vanphong.tasks import services as tasks
from vanphong.tasks.tests.factories import TaskFactory


def _mounted() -> bool:
    try:
        reverse("exchange:figures", urlconf="config.urls")
    except NoReverseMatch:
        return False
    return True


def __getattr__(name: str) -> Any:
    """This module is the tests' URLconf: the project's URLs, with the figures' pages mounted
    (/lien-thong/so-lieu/, namespace ``exchange``) unless the project mounts them already.
    Built when first resolved, so that collecting the tests does not import every app's URLs."""
    if name != "urlpatterns":
        raise AttributeError(name)
    from config import urls as root_urls

    patterns: list[URLPattern | URLResolver] = list(root_urls.urlpatterns)
    if not _mounted():
        patterns.insert(
            0, path("lien-thong/so-lieu/", include(("vanphong.exchange.urls_figures", "exchange")))
        )
    return patterns


pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

TODAY = timezone.localdate()
TEXT = {"Tình hình chung": "Ổn định.", "Kết quả thực hiện nhiệm vụ": "Hoàn thành các chỉ tiêu tháng."}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VANPHONG_TOTP_REQUIRED = "none"


@pytest.fixture
def peer(province) -> Peer:
    """The lower instance as the upper one knows it: it hosts the commune An Phú."""
    p = Peer.objects.create(
        name="Hệ thống Đảng ủy xã An Phú",
        code="dangbo-anphu",
        base_url="https://vp.anphu.example/",
        outbound_secret="o" * 32,
        inbound_secret="i" * 32,
    )
    p.organizations.add(province.commune_x)
    return p


def some_tasks(province: Any) -> dict[str, Any]:
    """For the commune An Phú: one open task due in 20 days, one due in 2 days (sắp đến hạn),
    one overdue, one done on time, one done late, one cancelled; for Bình Minh one open."""
    past = TODAY - dt.timedelta(days=40)
    made = {
        "open": TaskFactory(province=province, due_in=20),
        "soon": TaskFactory(province=province, due_in=1),
        "overdue": TaskFactory(province=province, assigned_on=past, due_date=past + dt.timedelta(days=5)),
        "on_time": TaskFactory(province=province, due_in=10),
        "late": TaskFactory(province=province, assigned_on=past, due_date=past + dt.timedelta(days=5)),
        "cancelled": TaskFactory(province=province, due_in=10),
        "other": TaskFactory(province=province, lead=province.commune_y, due_in=20),
    }
    clerk = province.clerk_x.user
    tasks.task_complete(actor=clerk, task=made["on_time"], text="Xong")
    tasks.task_complete(actor=clerk, task=made["late"], text="Xong muộn")
    tasks.task_cancel(actor=province.leader.user, task=made["cancelled"], reason="Không còn cần")
    return made


def entry(payload: dict[str, Any], name: str) -> dict[str, Any]:
    return next(o for o in payload["organizations"] if o["name"] == name)


# --- The payload -------------------------------------------------------------------------------


def test_the_payload_counts_the_tasks_by_the_engines_statuses(province):
    some_tasks(province)
    payload = figures_payload(organizations=[province.commune_x, province.committee], as_of=TODAY)
    assert payload["version"] == FIGURES_VERSION == 1 and payload["as_of"] == TODAY.isoformat()
    commune = entry(payload, "Đảng ủy xã An Phú")
    assert commune["key"] == "slug:anphu"
    assert commune["tasks"] == {
        "total": 5,
        "open": 3,
        "not_due": 1,
        "due_soon": 1,
        "overdue": 1,
        "in_progress": 2,
        "done_on_time": 1,
        "done_late": 1,
        "cancelled": 1,
    }
    # The Tỉnh ủy's figures cover its whole hosted subtree: both communes.
    committee = entry(payload, "Tỉnh ủy Thử nghiệm")
    assert committee["tasks"]["total"] == 6 and committee["tasks"]["open"] == 4
    # Twelve months, oldest first, the last one this month.
    months = commune["tasks_by_month"]
    assert len(months) == 12 and months[-1]["month"] == f"{TODAY:%Y-%m}"
    assert sum(m["given"] for m in months) == 5  # the cancelled one is not counted as given
    assert sum(m["done_late"] for m in months) == 1 and sum(m["overdue"] for m in months) == 1
    assert sum(m["done"] for m in months) == 2
    # Counts only: no title of any task travels.
    assert "Nhiệm vụ thử" not in str(payload)


def test_the_payload_carries_the_latest_submitted_indicators(province):
    request = make_request(province)
    for org, n in ((province.commune_x, 3), (province.commune_y, 4)):
        reporting.submission_save(
            actor=(province.clerk_x if org == province.commune_x else province.clerk_y).user,
            submission=row(request, org),
            values={"dang_vien_moi": n, "don_thu": Decimal("1.5")},
            text=TEXT,
            submit=True,
        )
    payload = figures_payload(organizations=[province.committee], as_of=TODAY)
    indicators = {i["code"]: i for i in payload["organizations"][0]["indicators"]}
    period = row(request, province.commune_x).period
    assert indicators["dang_vien_moi"] == {
        "code": "dang_vien_moi",
        "name": "Số đảng viên mới kết nạp",
        "unit": "người",
        "period": period,
        "value": 7,
        "reporters": 2,
    }
    assert indicators["don_thu"]["value"] == 3
    # The communes made no request of their own.
    assert (
        figures_payload(organizations=[province.commune_x], as_of=TODAY)["organizations"][0]["indicators"]
        == []
    )


def test_the_payload_takes_a_constant_number_of_queries(province, django_assert_max_num_queries):
    TaskFactory(province=province)
    with django_assert_max_num_queries(5):
        small = figures_payload(organizations=[province.commune_x], as_of=TODAY)
    some_tasks(province)
    for _ in range(5):
        TaskFactory(province=province, lead=province.commune_y, due_in=3)
    orgs = Organization.objects.filter(
        pk__in=[province.commune_x.pk, province.commune_y.pk, province.committee.pk]
    )
    with django_assert_max_num_queries(6):  # one more: the organisations themselves
        big = figures_payload(organizations=orgs, as_of=TODAY)
    assert small["organizations"][0]["tasks"]["total"] == 1
    assert entry(big, "Đảng ủy xã Bình Minh")["tasks"]["total"] == 6


def test_what_is_reported_to_an_upper_peer(province, peer):
    assert list(organizations_for_peer(peer)) == []  # not configured as our upper level
    upper = Peer.objects.create(
        name="Hệ thống Trung ương",
        code="trung-uong",
        base_url="https://tw.example/",
        outbound_secret="o",
        inbound_secret="i",
        sends_figures=True,
    )
    # None configured: the hosted committees at the top of what is hosted here.
    assert list(organizations_for_peer(upper)) == [province.committee]
    upper.organizations.add(province.centre)
    assert list(organizations_for_peer(upper)) == [province.committee]
    upper.organizations.set([province.committee])  # as if the Tỉnh ủy ran elsewhere
    assert set(organizations_for_peer(upper)) == {province.commune_x, province.commune_y}
    upper.active = False
    upper.save()
    assert list(organizations_for_peer(upper)) == []


# --- Receiving ---------------------------------------------------------------------------------


def test_received_figures_are_stored_tied_to_our_row_and_audited(province, peer):
    some_tasks(province)
    payload = figures_payload(organizations=[province.commune_x, province.commune_y], as_of=TODAY)
    saved = figures_receive(peer=peer, payload=payload)
    by_key = {f.organization_key: f for f in saved}
    assert by_key["slug:anphu"].organization == province.commune_x
    # Bình Minh is not among the organisations this peer hosts: kept, tied to nothing.
    assert by_key["slug:binhminh"].organization is None
    assert by_key["slug:anphu"].figures["tasks"]["overdue"] == 1
    event = AuditEvent.objects.get(action="exchange.figures_receive")
    assert event.actor is None and event.actor_username == "peer:dangbo-anphu"
    assert event.after["unmatched"] == ["slug:binhminh"]
    # The same day again replaces; another day adds a row.
    figures_receive(peer=peer, payload=payload)
    assert LowerFigures.objects.count() == 2
    later = {**payload, "as_of": (TODAY + dt.timedelta(days=1)).isoformat()}
    figures_receive(peer=peer, payload=later)
    assert LowerFigures.objects.count() == 4


def test_an_electronic_identifier_names_our_row(province, peer):
    province.commune_x.electronic_id = "000.00.31.H53"
    province.commune_x.save()
    payload = figures_payload(organizations=[province.commune_x], as_of=TODAY)
    assert payload["organizations"][0]["key"] == "000.00.31.H53"
    [saved] = figures_receive(peer=peer, payload=payload)
    assert saved.organization == province.commune_x


def _valid(province: Any) -> dict[str, Any]:
    return figures_payload(organizations=[province.commune_x], as_of=TODAY)


def _set(path: str, value: Any) -> Any:
    def change(payload: dict[str, Any]) -> dict[str, Any]:
        payload = copy.deepcopy(payload)
        target: Any = payload
        keys: list[Any] = [int(k) if k.isdigit() else k for k in path.split(".")]
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value
        return payload

    return change


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (_set("version", 2), "Phiên bản số liệu tổng hợp 2 không được hỗ trợ"),
        (_set("version", True), "không được hỗ trợ"),
        (_set("as_of", "07/12/2026"), "phải là ngày dạng NNNN-TT-NN"),
        (_set("as_of", "2026-02-30"), "không có thật"),
        (_set("as_of", (TODAY + dt.timedelta(days=5)).isoformat()), "ở tương lai"),
        (_set("organizations", []), "từ 1 đến"),
        (_set("organizations.0.tasks.overdue", -1), "tasks.overdue: phải là số nguyên không âm"),
        (_set("organizations.0.tasks.total", True), "tasks.total: phải là số nguyên không âm"),
        (_set("organizations.0.tasks.open", 1.5), "phải là số nguyên không âm"),
        (_set("organizations.0.tasks.done_late", "3"), "phải là số nguyên không âm"),
        (_set("organizations.0.tasks_by_month.0.month", "2026-13"), "tháng phải có dạng NNNN-TT"),
        (_set("organizations.0.key", "khoảng trắng và dấu"), "mã cơ quan (key) không hợp lệ"),
        (_set("organizations.0.name", ""), "không được để trống"),
        (_set("organizations.0.title", "Nhiệm vụ mật"), "có trường không biết: title"),
        (_set("organizations.0.indicators", [{"code": "x", "name": "X", "value": "abc"}]), "phải là một số"),
        (_set("organizations.0.indicators", [{"code": "x", "name": "X", "value": 1e300}]), "số quá lớn"),
    ],
)
def test_an_invalid_payload_is_refused_with_its_reason_and_nothing_is_stored(province, peer, change, reason):
    with pytest.raises(ValidationError) as caught:
        figures_receive(peer=peer, payload=change(_valid(province)))
    assert reason in " ".join(caught.value.messages)
    assert not LowerFigures.objects.exists()
    assert not AuditEvent.objects.filter(action="exchange.figures_receive").exists()


def test_a_payload_that_is_not_one_or_too_big_is_refused(province, peer):
    one = _valid(province)["organizations"][0]
    many = [{**one, "key": f"slug:o{i}"} for i in range(MAX_ORGANIZATIONS + 1)]
    duplicated = [one, {**one}]
    for payload, reason in (
        ([1, 2], "phải là một đối tượng JSON"),
        ({**_valid(province), "organizations": many}, f"từ 1 đến {MAX_ORGANIZATIONS}"),
        ({**_valid(province), "organizations": duplicated}, "mã cơ quan slug:anphu lặp lại"),
        ({**_valid(province), "extra": 1}, "có trường không biết: extra"),
    ):
        with pytest.raises(ValidationError) as caught:
            figures_receive(peer=peer, payload=payload)
        assert reason in " ".join(caught.value.messages)
    assert not LowerFigures.objects.exists()


def test_an_inactive_peer_is_refused(province, peer):
    peer.active = False
    peer.save()
    with pytest.raises(ValidationError, match="ngừng kết nối"):
        figures_receive(peer=peer, payload=_valid(province))


# --- Pages and access --------------------------------------------------------------------------


def test_round_trip_payload_received_shows_on_the_pages(province, peer, client):
    some_tasks(province)
    yesterday = TODAY - dt.timedelta(days=1)
    figures_receive(peer=peer, payload=figures_payload(organizations=[province.commune_x], as_of=yesterday))
    [latest] = figures_receive(
        peer=peer, payload=figures_payload(organizations=[province.commune_x], as_of=TODAY)
    )
    client.force_login(province.leader.user)
    page = client.get(reverse("exchange:figures"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Số liệu cấp dưới" in html and "Đảng ủy xã An Phú" in html
    assert html.count('data-figures="slug:anphu"') == 1  # the latest day only
    assert reverse("exchange:figures_detail", args=[latest.pk]) in html
    assert "50,0%" in html or "50.0%" in html  # one of the two done was late
    detail = client.get(reverse("exchange:figures_detail", args=[latest.pk]))
    assert detail.status_code == 200
    html = detail.content.decode()
    assert "<svg" in html and 'style="' not in html and "<script" not in html.split("</header>")[1]
    assert 'data-stat="overdue">1<' in html
    assert yesterday.strftime("%d/%m/%Y") in html  # the history


def test_the_indicators_show_on_the_detail_page(province, peer, client):
    request = make_request(province)
    reporting.submission_save(
        actor=province.clerk_x.user,
        submission=row(request, province.commune_x),
        values={"dang_vien_moi": 12, "don_thu": Decimal("2.25")},
        text=TEXT,
        submit=True,
    )
    peer.organizations.add(province.committee)  # as if the Tỉnh ủy ran on the lower instance
    figures_receive(peer=peer, payload=figures_payload(organizations=[province.committee], as_of=TODAY))
    figures = LowerFigures.objects.get(organization=province.committee)
    client.force_login(province.chief.user)
    html = client.get(reverse("exchange:figures_detail", args=[figures.pk])).content.decode()
    assert "Số đảng viên mới kết nạp" in html and ">12<" in html and "2,25" in html


def test_who_sees_the_figures(province, peer, client):
    figures_receive(peer=peer, payload=_valid(province))
    [figures] = LowerFigures.objects.all()
    # The committee's leader (its subtree), the office (it follows up for the committee) see them.
    for person in (province.leader, province.chief, province.specialist, province.clerk):
        assert list(lower_figures_for(person.user)) == [figures], person
    # Another organisation's people see nothing, and the detail is a 404.
    assert list(lower_figures_for(province.clerk_y.user)) == []
    client.force_login(province.clerk_y.user)
    assert "Đảng ủy xã An Phú" not in client.get(reverse("exchange:figures")).content.decode()
    assert client.get(reverse("exchange:figures_detail", args=[figures.pk])).status_code == 404


def test_figures_tied_to_no_organisation_are_for_superusers_only(province, peer, django_user_model):
    payload = _valid(province)
    payload["organizations"][0]["key"] = "slug:khong-ro"
    figures_receive(peer=peer, payload=payload)
    assert list(lower_figures_for(province.leader.user)) == []
    root = django_user_model.objects.create_superuser("root", "root@example.vn", "x")
    assert [f.organization_key for f in lower_figures_for(root)] == ["slug:khong-ro"]


def test_a_peer_cannot_file_figures_under_an_organisation_it_does_not_host(province, peer):
    other = OrganizationFactory(name="Đảng ủy Khối", parent=province.committee, hosted=False, slug="khoi")
    payload = _valid(province)
    payload["organizations"][0]["key"] = "slug:khoi"
    [saved] = figures_receive(peer=peer, payload=payload)
    assert saved.organization is None and other.pk is not None
