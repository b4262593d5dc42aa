"""The exchange: peers (the other instances this one exchanges with), the packages sent and
received (edXML per QCVN 102:2016, status messages, and the summary figures of the two-level
model), the outbox that delivers them, the status each recipient reported back, and the
signing credentials (PKCS#12 for now) of people and of an organisation's seal."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanphong.documents.models import Arrival, Document, DocumentFile
from vanphong.orgs.models import Organization, Person


class Peer(models.Model):
    """Another instance this one exchanges with (the centre above, a province, a large Đảng ủy
    running its own server): where it answers, which of our organisation rows it hosts, and
    the shared secrets that authenticate each direction (HMAC-SHA256 of the body)."""

    name = models.CharField(_("tên"), max_length=200)
    code = models.SlugField(
        _("mã"),
        max_length=60,
        unique=True,
        help_text=_("Mã ngắn hai bên cùng dùng để nhận ra nhau, ví dụ: dangbo-khoi-cq."),
    )
    base_url = models.URLField(
        _("địa chỉ"),
        max_length=300,
        help_text=_("Địa chỉ HTTPS của hệ thống bên kia, ví dụ https://vp.tinhuy.vn/"),
    )
    organizations = models.ManyToManyField(
        Organization,
        related_name="exchange_peers",
        blank=True,
        verbose_name=_("cơ quan dùng hệ thống bên kia"),
    )
    outbound_secret = models.CharField(
        _("khóa gửi đi"), max_length=200, help_text=_("Khóa bên kia cấp cho hệ thống này để gửi gói tin.")
    )
    inbound_secret = models.CharField(
        _("khóa nhận về"),
        max_length=200,
        help_text=_("Khóa hệ thống này cấp cho bên kia để gửi gói tin đến."),
    )
    sends_figures = models.BooleanField(
        _("gửi số liệu tổng hợp lên"),
        default=False,
        help_text=_("Hệ thống bên kia là cấp trên: định kỳ gửi số liệu tổng hợp của các cơ quan ở đây lên."),
    )
    active = models.BooleanField(_("đang kết nối"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("hệ thống liên thông")
        verbose_name_plural = _("hệ thống liên thông")

    def __str__(self) -> str:
        return self.name


class Direction(models.TextChoices):
    IN = "in", _("Nhận")
    OUT = "out", _("Gửi")


class PackageKind(models.TextChoices):
    NEW = "new", _("Văn bản mới")
    RECALL = "recall", _("Thu hồi")
    UPDATE = "update", _("Cập nhật")
    REPLACE = "replace", _("Thay thế")
    STATUS = "status", _("Trạng thái xử lý")
    FIGURES = "figures", _("Số liệu tổng hợp")


class PackageState(models.TextChoices):
    ACCEPTED = "accepted", _("Đã nhận")
    REFUSED = "refused", _("Bị từ chối")
    BUILT = "built", _("Đã lập")


def package_path(instance: Package, filename: str) -> str:
    now = timezone.now()
    return f"exchange/{instance.direction}/{now:%Y/%m}/{instance.sha256[:2]}/{instance.sha256}.{filename}"


class Package(models.Model):
    """One package as its exact bytes, received or sent. A refused one is kept, with its
    reason, for inspection; an accepted one points at what it made or acted on."""

    direction = models.CharField(_("chiều"), max_length=3, choices=Direction.choices)
    kind = models.CharField(_("loại gói tin"), max_length=8, choices=PackageKind.choices)
    state = models.CharField(_("tình trạng"), max_length=8, choices=PackageState.choices)
    reason = models.TextField(_("lý do từ chối"), blank=True)
    peer = models.ForeignKey(
        Peer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="packages",
        verbose_name=_("hệ thống"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exchange_packages",
        verbose_name=_("cơ quan"),
        help_text=_("Cơ quan nhận (gói nhận về) hoặc cơ quan gửi (gói gửi đi)."),
    )
    sender_id = models.CharField(_("mã định danh nơi gửi"), max_length=40, blank=True)
    sender_name = models.CharField(_("nơi gửi"), max_length=255, blank=True)
    document_key = models.CharField(
        _("mã văn bản liên thông"),
        max_length=200,
        blank=True,
        db_index=True,
        help_text=_("DocumentId của gói tin: mã định danh, ngày, số/ký hiệu."),
    )
    status_code = models.CharField(_("mã trạng thái"), max_length=4, blank=True)
    document = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exchange_packages",
        verbose_name=_("văn bản"),
    )
    arrival = models.ForeignKey(
        Arrival,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hàng chờ"),
    )
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("dung lượng"), default=0)
    file = models.FileField(_("tệp gói tin"), upload_to=package_path, max_length=300)
    details = models.JSONField(_("thông tin đọc được"), default=dict, blank=True)
    created_by = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người thực hiện"),
    )
    created_at = models.DateTimeField(_("lúc"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("gói tin liên thông")
        verbose_name_plural = _("gói tin liên thông")
        indexes = [
            models.Index(fields=["direction", "organization", "sha256"], name="exchange_pkg_identity"),
            models.Index(fields=["direction", "state", "-created_at"], name="exchange_pkg_state"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.document_key or self.sha256[:12]}"


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Đang chờ gửi")
    DELIVERED = "delivered", _("Đã chuyển")
    FAILED = "failed", _("Gửi không được")


class Delivery(models.Model):
    """The outbox: one package to one peer for one recipient organisation, retried with
    back-off until delivered or given up (``failed``, then sent again by hand)."""

    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="deliveries")
    peer = models.ForeignKey(
        Peer, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("hệ thống")
    )
    recipient = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nơi nhận"),
    )
    state = models.CharField(
        _("tình trạng"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    next_attempt_at = models.DateTimeField(_("gửi lại lúc"), default=timezone.now)
    last_error = models.TextField(_("lỗi lần gửi cuối"), blank=True)
    remote_id = models.CharField(_("mã bên nhận"), max_length=60, blank=True)
    delivered_at = models.DateTimeField(_("đã chuyển lúc"), null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("lượt gửi liên thông")
        verbose_name_plural = _("lượt gửi liên thông")
        constraints = [
            models.UniqueConstraint(fields=["package", "peer", "recipient"], name="exchange_delivery_unique"),
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="exchange_delivery_due")]

    def __str__(self) -> str:
        return f"{self.package} → {self.peer}"


class StatusCode(models.TextChoices):
    """QCVN 102:2016 status codes (FACTS §5.3)."""

    ARRIVED = "01", _("Đã đến")
    REFUSED = "02", _("Từ chối tiếp nhận")
    ACCEPTED = "03", _("Đã tiếp nhận")
    ASSIGNED = "04", _("Phân công")
    IN_PROGRESS = "05", _("Đang xử lý")
    COMPLETED = "06", _("Hoàn thành")
    RECALL = "13", _("Lấy lại")
    AGREED = "15", _("Đồng ý")
    DECLINED = "16", _("Từ chối")


class RecipientStatus(models.Model):
    """A status a recipient reported back on one of our documents (one row per message; the
    latest per recipient is the document's current status there)."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="exchange_statuses", verbose_name=_("văn bản")
    )
    recipient = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nơi nhận"),
    )
    recipient_id_text = models.CharField(_("mã định danh nơi nhận"), max_length=40, blank=True)
    code = models.CharField(_("trạng thái"), max_length=4, choices=StatusCode.choices)
    description = models.TextField(_("nội dung"), blank=True)
    staff = models.CharField(_("người xử lý"), max_length=200, blank=True)
    reported_at = models.DateTimeField(_("thời điểm báo"))
    package = models.ForeignKey(Package, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    received_at = models.DateTimeField(_("nhận lúc"), default=timezone.now)

    class Meta:
        ordering = ["document", "recipient", "-reported_at", "-id"]
        verbose_name = _("trạng thái xử lý ở nơi nhận")
        verbose_name_plural = _("trạng thái xử lý ở nơi nhận")

    def __str__(self) -> str:
        return f"{self.document_id} {self.code}"


class LowerFigures(models.Model):
    """The summary figures a lower instance sent up for one of its organisations (two-level
    model): task statistics and the latest reporting indicators, as of a day. The upper level
    reads these, never the lower level's database."""

    peer = models.ForeignKey(
        Peer, on_delete=models.CASCADE, related_name="figures", verbose_name=_("hệ thống")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cơ quan"),
    )
    organization_key = models.CharField(_("mã cơ quan bên gửi"), max_length=60)
    organization_name = models.CharField(_("tên cơ quan"), max_length=255)
    as_of = models.DateField(_("số liệu đến ngày"))
    figures = models.JSONField(_("số liệu"), default=dict)
    received_at = models.DateTimeField(_("nhận lúc"), default=timezone.now)

    class Meta:
        ordering = ["organization_name", "-as_of"]
        verbose_name = _("số liệu cấp dưới")
        verbose_name_plural = _("số liệu cấp dưới")
        constraints = [
            models.UniqueConstraint(
                fields=["peer", "organization_key", "as_of"], name="exchange_figures_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization_name} {self.as_of}"


class CredentialKind(models.TextChoices):
    PERSONAL = "personal", _("Chữ ký số cá nhân")
    SEAL = "seal", _("Chữ ký số cơ quan (con dấu)")


def credential_path(instance: SigningCredential, filename: str) -> str:
    return f"credentials/{instance.kind}/{timezone.now():%Y%m%d%H%M%S}-{filename}"


class SigningCredential(models.Model):
    """A signing key and its certificate chain in a PKCS#12 file: a person's, or an
    organisation's seal (kept and applied by its văn thư only). The passphrase is never
    stored: it is typed at each signature. A USB token (PKCS#11) can take this place later
    behind the same signer interface (``vanphong.core.signatures``)."""

    kind = models.CharField(_("loại"), max_length=10, choices=CredentialKind.choices)
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("người ký")
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", verbose_name=_("cơ quan")
    )
    file = models.FileField(_("tệp PKCS#12"), upload_to=credential_path, max_length=300)
    subject = models.CharField(_("chủ thể chứng thư"), max_length=300)
    issuer = models.CharField(_("nơi cấp"), max_length=300)
    serial = models.CharField(_("số hiệu"), max_length=80)
    not_before = models.DateTimeField(_("hiệu lực từ"))
    not_after = models.DateTimeField(_("hiệu lực đến"))
    active = models.BooleanField(_("đang dùng"), default=True)
    created_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("người nạp")
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["organization", "kind", "-created_at"]
        verbose_name = _("chứng thư ký số")
        verbose_name_plural = _("chứng thư ký số")

    def __str__(self) -> str:
        return self.subject


class SignedFile(models.Model):
    """That a file of ours was signed here: which file was signed, with which credential,
    giving which new file (the signed bytes are a new file, the unsigned one stays)."""

    source = models.ForeignKey(DocumentFile, on_delete=models.CASCADE, related_name="+")
    result = models.OneToOneField(DocumentFile, on_delete=models.CASCADE, related_name="signing")
    credential = models.ForeignKey(SigningCredential, on_delete=models.PROTECT, related_name="+")
    signed_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("lần ký số")
        verbose_name_plural = _("lần ký số")

    def __str__(self) -> str:
        return f"{self.source_id} → {self.result_id}"
