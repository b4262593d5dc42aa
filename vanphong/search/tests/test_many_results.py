"""Queries matching many documents: the count stops at a cap, pages go on past it, and every
way the page can be taken (all visible matches known; the best-ranked window; every match;
a narrow reader's matches intersected with what they could reach) gives the same page,
with access decided in SQL. The cap, the window and the narrow limit are settings, set
small here so that a dozen documents exercise each path."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache

from vanphong.api.tests.helpers import bearer
from vanphong.documents.access import documents_visible_to, entries_visible_to, entry_reach
from vanphong.documents.models import (
    Assignment,
    AssignmentRole,
    Direction,
    Document,
    DocumentState,
    ReaderGrant,
    RegisterEntry,
    ReviewKind,
    ReviewStep,
)
from vanphong.documents.selectors.incoming import incoming_counts, incoming_list
from vanphong.documents.services.indexing import document_metadata_changed
from vanphong.orgs.models import Classification, Person, Role
from vanphong.orgs.tests.factories import UnitFactory, make_actor
from vanphong.search.models import SearchEntry
from vanphong.search.selectors import Filters, _reach, search
from vanphong.search.tests.test_page import signed_in

QUERY = "chuyen doi so"
ALWAYS_NARROW = 10**9
NEVER_NARROW = 0


@pytest.fixture
def many(province, make_document):
    """Twelve documents about digital transformation, reached in every way the access rule
    knows: owned by the Tỉnh ủy or a commune, classified, assigned to a commune or a person,
    granted by name, under review, a draft by its author."""
    p = province
    reader = make_actor("reader", p.commune_y, Role.CHUYEN_VIEN, clearance=Classification.MAT)
    docs: dict[str, Document] = {}
    for n in range(5):  # ranks differ: the words in the subject once, twice, or in the text
        docs[f"committee{n}"] = make_document(
            f"Kế hoạch chuyển đổi số năm {2020 + n}" + (" và chuyển đổi số cơ sở" if n % 2 else ""),
            symbol=f"{n + 1:02d}-KH/TU",
            doc_type="KH",
            issued_date=dt.date(2026, 1, n + 1),
            text="Triển khai chuyển đổi số trong các cơ quan đảng. " * (n + 1),
        )
    docs["commune_x0"] = make_document("Báo cáo chuyển đổi số xã An Phú", organization=p.commune_x)
    docs["commune_x1"] = make_document("Tờ trình về chuyển đổi số", organization=p.commune_x, doc_type="TTr")
    docs["commune_y"] = make_document("Công văn về chuyển đổi số", organization=p.commune_y)
    docs["secret"] = make_document("Đề án chuyển đổi số an ninh", classification=Classification.MAT)
    ReaderGrant.objects.create(document=docs["secret"], person=reader, granted_by=p.leader)

    entry = RegisterEntry.objects.get(document=docs["committee0"])
    direction = Direction.objects.create(entry=entry, author=p.leader, text="Giao xã Bình Minh.")
    Assignment.objects.create(
        direction=direction, entry=entry, role=AssignmentRole.LEAD, organization=p.commune_y
    )
    entry = RegisterEntry.objects.get(document=docs["committee1"])
    direction = Direction.objects.create(entry=entry, author=p.leader, text="Giao đồng chí chuyên viên.")
    Assignment.objects.create(direction=direction, entry=entry, role=AssignmentRole.LEAD, person=p.specialist)

    # Assigned to a unit (phòng): of a commune the reader reads, and the unit a person works in.
    unit_y = UnitFactory(organization=p.commune_y, name="Phòng Tổng hợp")
    unit_x = UnitFactory(organization=p.commune_x, name="Văn phòng Đảng ủy")
    member = make_actor("member", p.commune_x, Role.CHUYEN_VIEN)
    Person.objects.filter(pk=member.pk).update(unit=unit_x)
    for n, unit in ((2, unit_y), (3, unit_x)):
        entry = RegisterEntry.objects.get(document=docs[f"committee{n}"])
        direction = Direction.objects.create(entry=entry, author=p.leader, text="Giao phòng.")
        Assignment.objects.create(direction=direction, entry=entry, role=AssignmentRole.LEAD, unit=unit)

    draft = Document.objects.create(
        organization=p.committee,
        state=DocumentState.IN_REVIEW,
        doc_type="TTr",
        subject="Tờ trình đề án chuyển đổi số",
        created_by=p.specialist,
    )
    ReviewStep.objects.create(document=draft, stage=1, kind=ReviewKind.APPRAISAL_CONTENT, reviewer=p.chief)
    document_metadata_changed(draft)
    docs["draft"] = draft
    return docs


def readers(province):
    reader = Person.objects.get(user__username="reader")
    return {
        "leader": province.leader,
        "clerk": province.clerk,
        "chief": province.chief,
        "specialist": province.specialist,
        "clerk_x": province.clerk_x,
        "clerk_y": province.clerk_y,
        "reader": reader,
        "member": Person.objects.get(user__username="member"),
    }


def all_pages(user, *, page_size: int, cap: int | None = None, q: str = QUERY, filters=None):
    """Every page, followed the way a reader would (``has_next``), joined."""
    ids, page, first = [], 1, None
    while True:
        result = search(user, q, page=page, page_size=page_size, cap=cap, filters=filters, snippets=False)
        first = first or result
        ids += [r.id for r in result.results]
        if not result.has_next:
            return first, ids
        page += 1
        assert page < 100


def test_every_way_to_take_the_page_gives_the_same_pages(settings, province, many):
    for name, person in readers(province).items():
        user = person.user
        settings.VANPHONG_SEARCH_NARROW_LIMIT = NEVER_NARROW
        reference = search(user, QUERY, page_size=100, snippets=False)
        expected = [r.id for r in reference.results]
        # The reference itself: exactly the matching documents the access rule lets through.
        matching = documents_visible_to(user).filter(pk__in=[d.pk for d in many.values()])
        visible = set(matching.values_list("pk", flat=True))
        assert set(expected) == visible, name
        assert reference.count == len(expected) and not reference.count_capped

        for narrow in (NEVER_NARROW, ALWAYS_NARROW):
            settings.VANPHONG_SEARCH_NARROW_LIMIT = narrow
            for window in (1, 3, 1000):
                settings.VANPHONG_SEARCH_RANK_WINDOW = window
                for cap, page_size in ((1000, 100), (1000, 2), (2, 2), (3, 1), (1, 4)):
                    first, ids = all_pages(user, page_size=page_size, cap=cap)
                    assert ids == expected, (name, narrow, window, cap, page_size)
                    assert first.count == min(len(expected), cap)
                    assert first.count_capped == (len(expected) > cap)


def test_the_count_stops_at_the_cap_and_the_pages_go_on_past_it(province, many):
    user = province.leader.user
    everything = search(user, QUERY, page_size=100)
    assert everything.count == 10 and not everything.count_capped  # nine registered + the draft

    page = search(user, QUERY, page=1, page_size=3, cap=4)
    assert (page.count, page.count_capped, page.num_pages, page.has_next) == (4, True, 2, True)
    # Page 3 lies past the capped count: it is still the right page, and says there is more.
    page = search(user, QUERY, page=3, page_size=3, cap=4)
    assert [r.id for r in page.results] == [r.id for r in everything.results][6:9]
    assert page.has_next and page.has_previous
    last = search(user, QUERY, page=4, page_size=3, cap=4)
    assert [r.id for r in last.results] == [r.id for r in everything.results][9:] and not last.has_next
    beyond = search(user, QUERY, page=5, page_size=3, cap=4)
    assert beyond.results == [] and not beyond.has_next


def test_filters_without_a_query_are_capped_too(settings, province, many):
    user = province.leader.user
    newest_first, ids = all_pages(user, q="", filters=Filters(doc_type="KH"), page_size=2, cap=3)
    assert newest_first.count == 3 and newest_first.count_capped
    assert ids == [many[f"committee{n}"].pk for n in (4, 3, 2, 1, 0)]
    # Narrow readers are listed through their reach; the list is the same.
    everything = Filters(year=2026)
    for name, person in readers(province).items():
        settings.VANPHONG_SEARCH_NARROW_LIMIT = NEVER_NARROW
        _first, expected = all_pages(person.user, q="", filters=everything, page_size=100)
        assert expected, name
        settings.VANPHONG_SEARCH_NARROW_LIMIT = ALWAYS_NARROW
        for cap, page_size in ((1000, 100), (2, 3)):
            _first, ids = all_pages(person.user, q="", filters=everything, page_size=page_size, cap=cap)
            assert ids == expected, name


def test_the_reach_holds_everything_the_access_rule_lets_through(province, many):
    """``_reach`` is only ever a necessary condition; if it ever missed a document the rule
    allows, a narrow reader would lose it. Checked for every kind of reach above."""
    for name, person in readers(province).items():
        user = person.user
        reach = set(SearchEntry.objects.filter(pk__in=_reach(user)).values_list("document_id", flat=True))
        visible = set(documents_visible_to(user).values_list("pk", flat=True))
        assert visible and visible <= reach, name


def test_the_entry_reach_holds_every_entry_the_access_rule_lets_through(settings, province, many):
    """``entry_reach`` narrows a commune reader's lists; if it ever missed an entry the
    rule allows, that reader would lose it from the inbox."""
    settings.VANPHONG_ENTRY_NARROW_LIMIT = ALWAYS_NARROW
    narrow = 0
    for name, person in readers(province).items():
        user = person.user
        reach = entry_reach(user)
        if reach is None:  # a reader of a whole subtree: never narrowed
            continue
        narrow += 1
        reached = set(RegisterEntry.objects.filter(pk__in=reach).values_list("pk", flat=True))
        visible = set(entries_visible_to(user).values_list("pk", flat=True))
        assert visible and visible <= reached, name
    assert narrow >= 4


def test_a_narrow_readers_inbox_is_the_same_either_way(settings, province, many):
    for name, person in readers(province).items():
        shown = {}
        for narrow in (NEVER_NARROW, ALWAYS_NARROW):
            settings.VANPHONG_ENTRY_NARROW_LIMIT = narrow
            cache.clear()  # the narrow/broad choice is remembered
            rows = list(incoming_list(user=person.user).values_list("pk", flat=True))
            shown[narrow] = (rows, incoming_counts(user=person.user))
        assert shown[NEVER_NARROW] == shown[ALWAYS_NARROW], name


def test_the_api_says_when_the_count_is_capped(client, settings, province, many):
    settings.VANPHONG_SEARCH_COUNT_CAP = 4
    headers = bearer(province.leader.user)
    body = client.get("/api/v1/search/", {"q": QUERY, "page_size": 3}, **headers).json()
    assert body["count"] == 4 and body["count_capped"] is True and len(body["results"]) == 3
    assert "page=2" in body["next"]
    body = client.get("/api/v1/search/", {"q": QUERY, "page_size": 3, "page": 4}, **headers).json()
    assert body["count"] == 4 and body["count_capped"] is True
    assert len(body["results"]) == 1 and body["next"] is None and "page=3" in body["previous"]
    body = client.get("/api/v1/search/", {"q": "xa An Phu"}, **headers).json()
    assert body["count"] == 1 and body["count_capped"] is False


def test_the_page_says_more_than_the_cap(client, settings, province, many):
    settings.VANPHONG_SEARCH_COUNT_CAP = 4
    html = signed_in(client, province.leader).get("/tra-cuu/", {"q": QUERY}).content.decode()
    assert "Tìm thấy hơn 4 văn bản · trang 1" in html
    assert 'rel="next"' not in html  # the ten results fit on one page of 20
    settings.VANPHONG_SEARCH_COUNT_CAP = 1000
    html = signed_in(client, province.leader).get("/tra-cuu/", {"q": QUERY}).content.decode()
    assert "Tìm thấy 10 văn bản" in html
