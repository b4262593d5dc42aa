"""The chain head carries a keyed MAC, and the database lets it only move forward: no
DELETE while entries exist, no UPDATE that does not raise ``last_seq``."""

import hashlib
import hmac

from django.conf import settings
from django.db import migrations, models

SQLITE_UP = [
    """CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_auditchainhead
       WHEN NEW.last_seq <= OLD.last_seq OR NEW.id <> OLD.id
       BEGIN SELECT RAISE(ABORT, 'audit_auditchainhead only moves forward'); END""",
    """CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_auditchainhead
       WHEN EXISTS (SELECT 1 FROM audit_auditevent)
       BEGIN SELECT RAISE(ABORT, 'audit_auditchainhead only moves forward'); END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS audit_head_forward_only",
    "DROP TRIGGER IF EXISTS audit_head_no_delete",
]

POSTGRES_UP = [
    """CREATE OR REPLACE FUNCTION audit_head_forward_only() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'DELETE' THEN
           IF EXISTS (SELECT 1 FROM audit_auditevent) THEN
             RAISE EXCEPTION 'audit_auditchainhead only moves forward';
           END IF;
           RETURN OLD;
         END IF;
         IF NEW.last_seq <= OLD.last_seq OR NEW.id <> OLD.id THEN
           RAISE EXCEPTION 'audit_auditchainhead only moves forward';
         END IF;
         RETURN NEW;
       END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_head_forward_only BEFORE UPDATE OR DELETE ON audit_auditchainhead
       FOR EACH ROW EXECUTE FUNCTION audit_head_forward_only()""",
    # Like the entries: TRUNCATE is refused only while entries exist (Django's flush).
    """CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_auditchainhead
       FOR EACH STATEMENT EXECUTE FUNCTION audit_event_no_truncate()""",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS audit_head_forward_only ON audit_auditchainhead",
    "DROP TRIGGER IF EXISTS audit_head_no_truncate ON audit_auditchainhead",
    "DROP FUNCTION IF EXISTS audit_head_forward_only()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


def sign_existing_head(apps, schema_editor):
    """The MAC of a head written before this migration (same formula as ``head_mac``)."""
    head_model = apps.get_model("audit", "AuditChainHead")
    key = settings.VANPHONG_AUDIT_KEY.encode("utf-8")
    for head in head_model.objects.using(schema_editor.connection.alias).all():
        head.mac = hmac.new(
            key, f"head:{head.last_seq}:{head.last_hash}".encode(), hashlib.sha256
        ).hexdigest()
        head.save(update_fields=["mac"])


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]

    operations = [
        migrations.AddField(
            model_name="auditchainhead",
            name="mac",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.RunPython(sign_existing_head, migrations.RunPython.noop),
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        ),
    ]
