# CaseAttachment now belongs to cases (cases 0015, which took it over with its table): drop it from
# portal's state only. No SQL: the table and its rows stay.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0002_attachment_content_type_fits_office_types"),
        ("cases", "0015_move_caseattachment_visitphoto"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="CaseAttachment")],
            database_operations=[],
        ),
    ]
