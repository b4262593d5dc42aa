import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


def install_full_text(apps, schema_editor):
    from vanphong.search.backends import backend_for

    backend_for(schema_editor.connection).install(schema_editor.connection)


def uninstall_full_text(apps, schema_editor):
    from vanphong.search.backends import backend_for

    with schema_editor.connection.cursor() as cursor:
        for statement in backend_for(schema_editor.connection).uninstall_statements():
            cursor.execute(statement)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("documents", "0001_initial"),
        ("orgs", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[("incoming", "Văn bản đến"), ("outgoing", "Văn bản đi"), ("copy", "Bản sao")],
                        max_length=10,
                        verbose_name="loại",
                    ),
                ),
                (
                    "classification",
                    models.PositiveSmallIntegerField(
                        choices=[(0, "Thường"), (1, "Mật"), (2, "Tối mật"), (3, "Tuyệt mật")],
                        default=0,
                        verbose_name="độ mật",
                    ),
                ),
                ("doc_type", models.CharField(blank=True, max_length=12, verbose_name="loại văn bản")),
                ("year", models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="năm")),
                ("state", models.CharField(max_length=12, verbose_name="trạng thái")),
                ("issued_date", models.DateField(blank=True, null=True, verbose_name="ngày văn bản")),
                (
                    "head",
                    models.TextField(verbose_name="số ký hiệu, trích yếu, cơ quan ban hành, người ký (đã bỏ dấu)"),
                ),
                ("body", models.TextField(blank=True, verbose_name="nội dung trích xuất (đã bỏ dấu)")),
                ("indexed_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="lập chỉ mục lúc")),
                (
                    "document",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="search_entry",
                        to="documents.document",
                        verbose_name="văn bản",
                    ),
                ),
                (
                    "issuer",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="orgs.organization",
                        verbose_name="cơ quan ban hành",
                    ),
                ),
                (
                    "organization",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="orgs.organization",
                        verbose_name="cơ quan quản lý",
                    ),
                ),
            ],
            options={
                "verbose_name": "mục chỉ mục tra cứu",
                "verbose_name_plural": "chỉ mục tra cứu",
                "indexes": [
                    models.Index(fields=["organization", "year"], name="search_entry_org_year"),
                    models.Index(fields=["doc_type", "year"], name="search_entry_type_year"),
                    models.Index(fields=["-issued_date"], name="search_entry_date"),
                ],
            },
        ),
        migrations.RunPython(install_full_text, uninstall_full_text),
    ]
