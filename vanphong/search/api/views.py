"""API: ``GET /api/v1/search/`` and ``POST /api/v1/references/parse`` (API.md, "Documents")."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from vanphong.core.api.schema import error_responses
from vanphong.core.dbrouter import reading_from_replica
from vanphong.documents.models import DocumentState, EntryStatus
from vanphong.documents.services.links import MAX_PARSE_CHARS, references_parse
from vanphong.orgs.access import scope_for
from vanphong.orgs.models import CLASSIFICATION_BY_CODE, CLASSIFICATION_CODES
from vanphong.search.models import ResultKind
from vanphong.search.selectors import MAX_PAGE_SIZE, Filters, search

# Past the last page the answer is an empty page (a page past the count cap may still hold
# results); a page number beyond this is refused.
MAX_PAGE = 1_000_000


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        trim_whitespace=False,
        help_text="Từ khóa, có dấu hay không dấu; từ cuối được khớp cả như phần đầu của một từ.",
    )
    doc_type = serializers.CharField(
        required=False, max_length=12, help_text="Mã loại văn bản: NQ, KH, CV ..."
    )
    issuer = serializers.IntegerField(required=False, min_value=1, help_text="Id cơ quan ban hành.")
    year = serializers.IntegerField(required=False, min_value=1900, max_value=2100, help_text="Năm văn bản.")
    state = serializers.ChoiceField(
        required=False, choices=DocumentState.choices, help_text="Trạng thái văn bản."
    )
    status = serializers.ChoiceField(
        required=False,
        choices=EntryStatus.choices,
        help_text="Tình trạng xử lý của văn bản trong một sổ mà người gọi được xem.",
    )
    classification = serializers.ChoiceField(
        required=False, choices=list(CLASSIFICATION_BY_CODE), help_text="Độ mật."
    )
    organization = serializers.IntegerField(
        required=False, min_value=1, help_text="Id cơ quan quản lý văn bản."
    )
    kind = serializers.ChoiceField(
        required=False, choices=ResultKind.choices, help_text="Văn bản đến, đi, bản sao."
    )
    # Bounded so that the offset fits a database integer: a huge ?page= is a 400, not a 500.
    page = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_PAGE, default=1, help_text="Số trang, bắt đầu từ 1."
    )
    page_size = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_PAGE_SIZE,
        default=20,
        help_text="Số mục mỗi trang (≤ 200).",
    )


class SearchResultSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Id văn bản.")
    kind = serializers.ChoiceField(choices=ResultKind.choices)
    symbol = serializers.CharField()
    subject = serializers.CharField()
    issued_date = serializers.DateField(allow_null=True)
    snippet = serializers.CharField(
        help_text="Đoạn trích từ văn bản gốc (HTML: ký tự đặc biệt đã được mã hóa, từ khớp nằm trong <mark>)."
    )
    doc_type = serializers.CharField()
    issuer_name = serializers.CharField()
    classification = serializers.SerializerMethodField()
    urgency = serializers.CharField()
    state = serializers.CharField()

    def get_classification(self, obj: Any) -> str:
        return CLASSIFICATION_CODES[obj.classification]


class SearchPageSerializer(serializers.Serializer):
    count = serializers.IntegerField(
        help_text="Số kết quả; khi count_capped là true, việc đếm dừng ở con số này và thực tế còn nhiều hơn."
    )
    count_capped = serializers.BooleanField(
        help_text="true khi có hơn count kết quả (mặc định đếm tối đa 1.000); next vẫn dẫn tới trang sau."
    )
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = SearchResultSerializer(many=True)


class SearchView(APIView):
    @extend_schema(
        operation_id="search",
        summary="Tra cứu toàn văn văn bản",
        description=(
            "Tìm trong số, ký hiệu, trích yếu, cơ quan ban hành, người ký và nội dung trích xuất của các văn "
            "bản người gọi được xem, có dấu hay không dấu (“nghi quyet” khớp “Nghị quyết”, “dang uy” khớp "
            "“Đảng ủy”), xếp theo mức độ phù hợp. Không có q: các văn bản thỏa điều kiện lọc, mới nhất "
            "trước. Khi có hơn 1.000 kết quả, count dừng ở 1.000 và count_capped là true."
        ),
        parameters=[SearchQuerySerializer],
        responses={200: SearchPageSerializer, **error_responses(400, 401)},
        tags=["documents"],
    )
    def get(self, request: Request) -> Response:
        params = SearchQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        filters = Filters(
            doc_type=data.get("doc_type") or None,
            issuer=data.get("issuer"),
            year=data.get("year"),
            state=data.get("state") or None,
            status=data.get("status") or None,
            classification=CLASSIFICATION_BY_CODE[data["classification"]]
            if "classification" in data
            else None,
            organization=data.get("organization"),
            kind=data.get("kind") or None,
        )
        scope_for(request.user)  # the access rules from the primary (memoised), then the search
        q, number, size = data.get("q", ""), data["page"], data["page_size"]
        with reading_from_replica():
            page = search(request.user, q, filters=filters, page=number, page_size=size)
        return Response(
            {
                "count": page.count,
                "count_capped": page.count_capped,
                "next": self._link(request, page.page + 1) if page.has_next else None,
                "previous": self._link(request, page.page - 1) if page.has_previous else None,
                "results": SearchResultSerializer(page.results, many=True).data,
            }
        )

    @staticmethod
    def _link(request: Request, number: int) -> str:
        query = request.query_params.copy()
        query["page"] = str(number)
        return request.build_absolute_uri(request.path) + "?" + urlencode(query, doseq=True)


class ReferencesParseRequestSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=MAX_PARSE_CHARS, trim_whitespace=False, allow_blank=True)


class ReferenceSerializer(serializers.Serializer):
    doc_type = serializers.CharField(allow_null=True)
    number = serializers.IntegerField()
    symbol = serializers.CharField()
    issuer_abbreviation = serializers.CharField(allow_null=True)
    date = serializers.DateField(allow_null=True)
    start = serializers.IntegerField(help_text="Vị trí bắt đầu trong text (tính theo ký tự).")
    end = serializers.IntegerField()
    document = serializers.IntegerField(
        allow_null=True, help_text="Id văn bản đã vào sổ mà người gọi được xem, hoặc null."
    )


class ReferencesParseResponseSerializer(serializers.Serializer):
    references = ReferenceSerializer(many=True)


class ReferencesParseView(APIView):
    @extend_schema(
        operation_id="references_parse",
        summary="Tìm các văn bản được dẫn chiếu trong một đoạn văn",
        description=(
            "Mọi dẫn chiếu văn bản trong text (“Nghị quyết số 08-NQ/TU ngày 30-7-2021”), kèm id văn bản đã "
            "vào sổ tương ứng khi người gọi được xem văn bản đó."
        ),
        request=ReferencesParseRequestSerializer,
        responses={200: ReferencesParseResponseSerializer, **error_responses(400, 401)},
        tags=["documents"],
    )
    def post(self, request: Request) -> Response:
        data = ReferencesParseRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            references = references_parse(user=request.user, text=data.validated_data["text"])
        except DjangoValidationError as exc:
            raise ValidationError({"text": exc.messages}) from exc
        return Response({"references": references})
