"""Problem reports stored before masking (docs/operations.md, Imports) may echo raw ID numbers and
phones: mask them as new reports are. Column labels are stored translated, hence both languages."""
from django.db import migrations

ID_COLUMNS = {"resident ID number", "身份证号", "居民身份证号"}
PHONE_COLUMNS = {"phone", "contact phone", "电话", "联系电话"}


def mask_stored(apps, schema_editor):
    from sanxin.core.masking import mask_id_number, mask_personal_text, mask_phone

    ImportIssue = apps.get_model("imports", "ImportIssue")
    changed = []
    for issue in ImportIssue.objects.only("pk", "column", "value", "message").iterator(chunk_size=2000):
        value = (mask_id_number(issue.value) if issue.column in ID_COLUMNS and "*" not in issue.value
                 else mask_phone(issue.value) if issue.column in PHONE_COLUMNS and "*" not in issue.value
                 else mask_personal_text(issue.value))
        message = mask_personal_text(issue.message)
        if (value, message) != (issue.value, issue.message):
            issue.value, issue.message = value, message
            changed.append(issue)
    ImportIssue.objects.bulk_update(changed, ["value", "message"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("imports", "0001_initial")]
    operations = [migrations.RunPython(mask_stored, migrations.RunPython.noop)]
