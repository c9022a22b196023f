# VisitPhoto now belongs to cases (cases 0015, which took it over with its table): drop it from
# fieldwork's state only. No SQL: the table and its rows stay.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("fieldwork", "0001_initial"),
        ("cases", "0015_move_caseattachment_visitphoto"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="VisitPhoto")],
            database_operations=[],
        ),
    ]
