"""API of the leaders' weekly calendar (see /work/shared/API.md, "Work programmes, calendar,
meetings"): the events one sees over a period, the caller's iCalendar subscription links,
and the weeks as the Văn phòng composes, approves and publishes them. Every rule lives in
``services.calendar`` and ``selectors.calendar``; the feed itself is a page
(``/lich-tuan/ical/<token>.ics``), not an API view."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404
from django.urls import path, reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import generics, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from vanphong.core.api.errors import ApiError
from vanphong.core.api.schema import error_responses
from vanphong.documents.access import one_or_404
from vanphong.orgs.actors import person_of
from vanphong.orgs.models import Organization, Person
from vanphong.programs import selectors, services
from vanphong.programs.api.views import _parse_datetime
from vanphong.programs.models import CalendarEvent, CalendarState, CalendarWeek, MeetingKind
from vanphong.tasks.api.serializers import CodeField

MAX_DAYS = 400  # the longest period one list answers
MAX_ID = 2**63

# --- Shapes ----------------------------------------------------------------------------------------


class LeaderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="full_name")


class CalendarEventSerializer(serializers.ModelSerializer):
    week = serializers.IntegerField(source="week_id", read_only=True)
    organization = serializers.IntegerField(source="week.organization_id", read_only=True)
    kind = CodeField(MeetingKind, "MeetingKindEnum")
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    meeting = serializers.IntegerField(source="meeting_id", allow_null=True, read_only=True)
    program_item = serializers.IntegerField(source="program_item_id", allow_null=True, read_only=True)
    leaders = LeaderSerializer(many=True, read_only=True, help_text="Lãnh đạo dự.")
    preparing_organization = serializers.IntegerField(
        source="preparing_organization_id", allow_null=True, read_only=True
    )
    preparing_organization_name = serializers.CharField(
        source="preparing_organization.name", allow_null=True, read_only=True, default=None
    )
    published = serializers.SerializerMethodField()

    class Meta:
        model = CalendarEvent
        fields = [
            "id",
            "week",
            "organization",
            "title",
            "start",
            "end",
            "place",
            "kind",
            "kind_label",
            "meeting",
            "program_item",
            "leaders",
            "participants",
            "preparing_organization",
            "preparing_organization_name",
            "cancelled",
            "changed_after_publication",
            "change_note",
            "sequence",
            "published",
        ]

    @extend_schema_field(serializers.BooleanField())
    def get_published(self, obj: CalendarEvent) -> bool:
        return obj.week.state == CalendarState.PUBLISHED


class CalendarWeekSerializer(serializers.ModelSerializer):
    organization = serializers.IntegerField(source="organization_id", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    week_end = serializers.SerializerMethodField()
    state = CodeField(CalendarState, "CalendarWeekStateEnum")
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    approved_by = serializers.IntegerField(source="approved_by_id", allow_null=True, read_only=True)

    class Meta:
        model = CalendarWeek
        fields = [
            "id",
            "organization",
            "organization_name",
            "week_start",
            "week_end",
            "state",
            "state_label",
            "approved_by",
            "approved_at",
            "published_at",
        ]

    @extend_schema_field(serializers.DateField())
    def get_week_end(self, obj: CalendarWeek) -> dt.date:
        return obj.week_start + dt.timedelta(days=6)


class CalendarWeekDetailSerializer(CalendarWeekSerializer):
    events = serializers.SerializerMethodField()
    added = serializers.SerializerMethodField()

    class Meta(CalendarWeekSerializer.Meta):
        fields = [*CalendarWeekSerializer.Meta.fields, "events", "added"]

    @extend_schema_field(CalendarEventSerializer(many=True))
    def get_events(self, obj: CalendarWeek) -> list[Any]:
        return list(CalendarEventSerializer(self.context.get("events", []), many=True).data)

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_added(self, obj: CalendarWeek) -> list[int]:
        """Ids of the events the call added (compose); empty otherwise."""
        return list(self.context.get("added", []))


class WeekCreateSerializer(serializers.Serializer):
    organization = serializers.IntegerField(min_value=1, max_value=MAX_ID - 1, help_text="Id cơ quan.")
    week_start = serializers.DateField(help_text="Ngày thứ Hai đầu tuần (YYYY-MM-DD).")


class EventInputSerializer(serializers.Serializer):
    start = serializers.DateTimeField(help_text="Bắt đầu (ISO 8601), trong tuần của lịch.")
    end = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text="Kết thúc (ISO 8601), sau thời gian bắt đầu."
    )
    title = serializers.CharField(max_length=500, help_text="Nội dung.")
    kind = serializers.ChoiceField(
        choices=MeetingKind.choices, required=False, default=MeetingKind.KHAC, help_text="Loại sự kiện."
    )
    leaders = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID - 1),
        required=False,
        default=list,
        max_length=50,
        help_text="Id các đồng chí lãnh đạo dự.",
    )
    participants = serializers.CharField(
        max_length=1000, required=False, allow_blank=True, default="", help_text="Thành phần."
    )
    place = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default="", help_text="Địa điểm."
    )
    preparing_organization = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID - 1,
        required=False,
        allow_null=True,
        default=None,
        help_text="Id cơ quan chuẩn bị.",
    )

    def validate_leaders(self, value: list[int]) -> list[Person]:
        found = {p.pk: p for p in Person.objects.filter(pk__in=value)}
        missing = [str(i) for i in value if i not in found]
        if missing:
            raise serializers.ValidationError(f"Không tìm thấy cán bộ: {', '.join(missing)}.")
        return [found[i] for i in dict.fromkeys(value)]

    def validate_preparing_organization(self, value: int | None) -> Organization | None:
        if value is None:
            return None
        found = Organization.objects.filter(pk=value).first()
        if found is None:
            raise serializers.ValidationError("Không tìm thấy cơ quan.")
        return found


class EventUpdateSerializer(EventInputSerializer):
    note = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text="Ghi chú thay đổi (lịch đã công bố); để trống thì hệ thống tự ghi điều đã đổi.",
    )


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=490, help_text="Lý do hủy.")


class RevokeSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=[("person", "Lịch của tôi"), ("organization", "Lịch của cơ quan")],
        help_text="Đường dẫn nào thu hồi.",
    )


FeedsSerializer = inline_serializer(
    name="CalendarFeeds",
    fields={
        "person": serializers.URLField(help_text="Lịch của người gọi (iCalendar)."),
        "organization": serializers.URLField(allow_null=True, help_text="Lịch công tác tuần của cơ quan."),
    },
)

# --- Views -----------------------------------------------------------------------------------------


def _id(raw: str | None, name: str) -> int | None:
    if raw is None or raw == "":
        return None
    if not (raw.isascii() and raw.isdigit()) or not 0 < int(raw) < MAX_ID:
        raise ApiError(
            status_code=400,
            code="invalid",
            message="Mã không hợp lệ.",
            fields={name: ["Phải là một số nguyên dương."]},
        )
    return int(raw)


def _bound(raw: str | None, name: str, default: dt.datetime) -> dt.datetime:
    value = _parse_datetime(raw, name)
    return value if value is not None else default


class CalendarEventsView(generics.GenericAPIView):
    queryset = CalendarEvent.objects.none()  # for the schema; requests use the selectors
    serializer_class = CalendarEventSerializer

    @extend_schema(
        summary="Các sự kiện lịch công tác trong một khoảng thời gian",
        description=(
            "Sự kiện người gọi được xem: lịch đang soạn, đã duyệt chỉ người soạn và người duyệt thấy; "
            "lịch đã công bố: người xem được hồ sơ của cơ quan, lãnh đạo dự và người dự cuộc họp. "
            "Mặc định là tuần này. "
            "person: sự kiện của một cán bộ (lãnh đạo dự hoặc dự họp); organization: của một cơ quan."
        ),
        tags=["calendar"],
        parameters=[
            OpenApiParameter(
                "from", OpenApiTypes.DATETIME, description="Từ (ngày hoặc thời điểm, ISO 8601)."
            ),
            OpenApiParameter("to", OpenApiTypes.DATETIME, description="Đến (ngày hoặc thời điểm, ISO 8601)."),
            OpenApiParameter("person", OpenApiTypes.INT, description="Id cán bộ."),
            OpenApiParameter("organization", OpenApiTypes.INT, description="Id cơ quan."),
        ],
        responses={200: CalendarEventSerializer(many=True), **error_responses(400, 401)},
    )
    def get(self, request: Request) -> Response:
        today = timezone.localdate()
        monday = today - dt.timedelta(days=today.weekday())
        start_default = dt.datetime.combine(monday, dt.time.min, tzinfo=timezone.get_current_timezone())
        start = _bound(request.query_params.get("from"), "from", start_default)
        end = _bound(request.query_params.get("to"), "to", start + dt.timedelta(days=7))
        if end <= start:
            raise ApiError(
                status_code=400,
                code="invalid",
                message="Khoảng thời gian không hợp lệ.",
                fields={"to": ["Thời điểm kết thúc phải sau thời điểm bắt đầu."]},
            )
        if end - start > dt.timedelta(days=MAX_DAYS):
            raise ApiError(
                status_code=400,
                code="invalid",
                message="Khoảng thời gian quá dài.",
                fields={"to": [f"Mỗi lần xem tối đa {MAX_DAYS} ngày."]},
            )
        person_id = _id(request.query_params.get("person"), "person")
        organization_id = _id(request.query_params.get("organization"), "organization")
        person = Person.objects.filter(pk=person_id).first() if person_id else None
        organization = Organization.objects.filter(pk=organization_id).first() if organization_id else None
        if person_id and person is None:
            raise ApiError(
                status_code=400,
                code="invalid",
                message="Không tìm thấy cán bộ.",
                fields={"person": ["Không tìm thấy cán bộ."]},
            )
        if organization_id and organization is None:
            raise ApiError(
                status_code=400,
                code="invalid",
                message="Không tìm thấy cơ quan.",
                fields={"organization": ["Không tìm thấy cơ quan."]},
            )
        qs = selectors.calendar_events(request.user, start, end, person=person, organization=organization)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(CalendarEventSerializer(page, many=True).data)


def _feed_url(request: Request, token: str) -> str:
    return request.build_absolute_uri(reverse("programs:calendar_feed", args=[token]))


class CalendarFeedsView(APIView):
    @extend_schema(
        summary="Đường dẫn đăng ký lịch (iCalendar) của người gọi",
        description=(
            "Hai đường dẫn bí mật, tạo ở lần gọi đầu: lịch của người gọi và lịch công tác tuần của "
            "cấp ủy người gọi xem được. Đường dẫn không cần đăng nhập, trả về text/calendar (RFC 5545), "
            "chỉ có lịch đã công "
            "bố; thu hồi bằng POST /api/v1/calendar/feeds/revoke/."
        ),
        tags=["calendar"],
        responses={200: FeedsSerializer, **error_responses(401, 403)},
    )
    def get(self, request: Request) -> Response:
        person = person_of(request.user)
        if person is None:
            raise ApiError(
                status_code=403, code="permission_denied", message="Tài khoản chưa gắn với cán bộ nào."
            )
        _feed, token = services.feed_for(actor=request.user, person=person)
        links: dict[str, str | None] = {"person": _feed_url(request, token), "organization": None}
        organization = selectors.home_organization(request.user)
        if organization is not None:
            _feed, token = services.feed_for(actor=request.user, organization=organization)
            links["organization"] = _feed_url(request, token)
        return Response(links)


class CalendarFeedRevokeView(APIView):
    @extend_schema(
        summary="Thu hồi một đường dẫn đăng ký lịch",
        description="Đường dẫn cũ trả 404 từ đó; lần GET /api/v1/calendar/feeds/ sau sẽ tạo đường dẫn mới.",
        tags=["calendar"],
        request=RevokeSerializer,
        responses={204: None, **error_responses(400, 401)},
    )
    def post(self, request: Request) -> Response:
        serializer = RevokeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        feeds = selectors.live_feeds(request.user)
        if serializer.validated_data["kind"] == "person":
            feeds = feeds.filter(person__isnull=False)
        else:
            feeds = feeds.filter(organization__isnull=False)
        for feed in feeds:
            services.feed_revoke(actor=request.user, feed=feed)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _week_response(
    request: Request, week: CalendarWeek, *, status_code: int = 200, added: Any = ()
) -> Response:
    week = one_or_404(selectors.weeks_visible_to(request.user), week.pk)
    events = selectors.week_events(request.user, week)
    data = CalendarWeekDetailSerializer(week, context={"events": events, "added": [e.pk for e in added]}).data
    return Response(data, status=status_code)


class CalendarWeekViewSet(viewsets.GenericViewSet):
    queryset = CalendarWeek.objects.none()  # for the schema; requests use the selectors
    serializer_class = CalendarWeekSerializer

    def _get(self, pk: Any) -> CalendarWeek:
        return one_or_404(selectors.weeks_visible_to(self.request.user), pk)

    @extend_schema(
        summary="Danh sách lịch tuần",
        description="Lịch tuần người gọi được xem (đang soạn, đã duyệt: người soạn, người duyệt).",
        tags=["calendar"],
        parameters=[
            OpenApiParameter("organization", OpenApiTypes.INT, description="Id cơ quan."),
            OpenApiParameter("from", OpenApiTypes.DATE, description="Tuần bắt đầu từ ngày (YYYY-MM-DD)."),
        ],
        responses={200: CalendarWeekSerializer(many=True), **error_responses(400, 401)},
    )
    def list(self, request: Request) -> Response:
        qs = selectors.weeks_visible_to(request.user)
        organization = _id(request.query_params.get("organization"), "organization")
        if organization:
            qs = qs.filter(organization_id=organization)
        since = _parse_datetime(request.query_params.get("from"), "from")
        if since is not None:
            qs = qs.filter(week_start__gte=timezone.localtime(since).date() - dt.timedelta(days=6))
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(CalendarWeekSerializer(page, many=True).data)

    @extend_schema(
        summary="Lập (hoặc mở) lịch tuần của một cơ quan",
        description=(
            "week_start phải là thứ Hai. Người soạn: người có quyền soạn thảo ở cơ quan (Văn phòng cấp ủy). "
            "Lịch đã có: trả lịch đó (200); lịch mới: 201."
        ),
        tags=["calendar"],
        request=WeekCreateSerializer,
        responses={
            200: CalendarWeekDetailSerializer,
            201: CalendarWeekDetailSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def create(self, request: Request) -> Response:
        serializer = WeekCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organization = (
            selectors.calendar_organizations(request.user)
            .filter(pk=serializer.validated_data["organization"])
            .first()
        )
        if organization is None:
            raise Http404
        existed = CalendarWeek.objects.filter(
            organization=organization, week_start=serializer.validated_data["week_start"]
        ).exists()
        week = services.week_get_or_create(
            actor=request.user, organization=organization, week_start=serializer.validated_data["week_start"]
        )
        return _week_response(request, week, status_code=200 if existed else 201)

    @extend_schema(
        summary="Một lịch tuần với các sự kiện",
        tags=["calendar"],
        responses={200: CalendarWeekDetailSerializer, **error_responses(401, 404)},
    )
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return _week_response(request, self._get(pk))

    @extend_schema(
        summary="Lấy từ chương trình công tác và lịch họp",
        description=(
            "Thêm các cuộc họp của cơ quan trong tuần (chưa hủy) và các nội dung chương trình "
            "công tác dự kiến "
            "trong tuần; không thêm trùng. added: id các sự kiện vừa thêm."
        ),
        tags=["calendar"],
        request=None,
        responses={200: CalendarWeekDetailSerializer, **error_responses(401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def compose(self, request: Request, pk: Any = None) -> Response:
        week = self._get(pk)
        added = services.week_compose(actor=request.user, week=week)
        return _week_response(request, week, added=added)

    @extend_schema(
        summary="Duyệt lịch tuần",
        description="Lãnh đạo cấp ủy hoặc Chánh Văn phòng duyệt lịch đang soạn.",
        tags=["calendar"],
        request=None,
        responses={200: CalendarWeekDetailSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: Any = None) -> Response:
        week = services.week_approve(actor=request.user, week=self._get(pk))
        return _week_response(request, week)

    @extend_schema(
        summary="Công bố lịch tuần",
        description="Lịch phải được duyệt trước; các đồng chí lãnh đạo có tên trong lịch được báo.",
        tags=["calendar"],
        request=None,
        responses={200: CalendarWeekDetailSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: Any = None) -> Response:
        week = services.week_publish(actor=request.user, week=self._get(pk))
        return _week_response(request, week)

    @extend_schema(
        summary="Thêm sự kiện vào lịch tuần (theo đề nghị)",
        description=(
            "Thêm sau khi lịch đã công bố: sự kiện được đánh dấu thay đổi và báo cho người liên quan."
        ),
        tags=["calendar"],
        request=EventInputSerializer,
        responses={201: CalendarEventSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def events(self, request: Request, pk: Any = None) -> Response:
        week = self._get(pk)
        serializer = EventInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        event = services.event_add(actor=request.user, week=week, **serializer.validated_data)
        event = one_or_404(selectors.events_visible_to(request.user), event.pk)
        return Response(CalendarEventSerializer(event).data, status=status.HTTP_201_CREATED)


class CalendarEventViewSet(viewsets.GenericViewSet):
    queryset = CalendarEvent.objects.none()  # for the schema; requests use the selectors
    serializer_class = CalendarEventSerializer

    def _get(self, pk: Any) -> CalendarEvent:
        return one_or_404(selectors.events_visible_to(self.request.user), pk)

    @extend_schema(
        summary="Một sự kiện lịch tuần",
        tags=["calendar"],
        responses={200: CalendarEventSerializer, **error_responses(401, 404)},
    )
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(CalendarEventSerializer(self._get(pk)).data)

    @extend_schema(
        summary="Sửa sự kiện lịch tuần",
        description=(
            "Chỉ gửi các trường cần đổi. Lịch đã công bố: sự kiện được đánh dấu thay đổi (change_note "
            "ghi điều "
            "đã đổi hoặc note), SEQUENCE tăng, người liên quan được báo."
        ),
        tags=["calendar"],
        request=EventUpdateSerializer,
        responses={200: CalendarEventSerializer, **error_responses(400, 401, 403, 404)},
    )
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        event = self._get(pk)
        serializer = EventUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        note = changes.pop("note", "")
        services.event_update(actor=request.user, event=event, note=note, **changes)
        return Response(CalendarEventSerializer(self._get(pk)).data)

    @extend_schema(
        summary="Hủy sự kiện lịch tuần",
        description=(
            "Sự kiện vẫn hiện trên lịch (gạch bỏ), kèm lý do; lịch đã công bố thì người liên quan được báo."
        ),
        tags=["calendar"],
        request=CancelSerializer,
        responses={200: CalendarEventSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: Any = None) -> Response:
        event = self._get(pk)
        serializer = CancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.event_cancel(actor=request.user, event=event, reason=serializer.validated_data["reason"])
        return Response(CalendarEventSerializer(self._get(pk)).data)


router = SimpleRouter()
router.register("calendar/weeks", CalendarWeekViewSet, basename="calendar-week")
router.register("calendar/events", CalendarEventViewSet, basename="calendar-event")

urlpatterns: list = [
    path("calendar/", CalendarEventsView.as_view(), name="calendar-events"),
    path("calendar/feeds/", CalendarFeedsView.as_view(), name="calendar-feeds"),
    path("calendar/feeds/revoke/", CalendarFeedRevokeView.as_view(), name="calendar-feeds-revoke"),
    *router.urls,
]
