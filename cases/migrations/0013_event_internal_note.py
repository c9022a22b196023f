# The internal remark of an event (issue 17): the office's 交办意见 and its remarks on an extension
# or a suspension it decided were written in the note of a public event, so the enterprise read
# them. They move to internal_note, which no public surface reads.

from django.db import migrations, models
from django.db.models import F, Q

# The events whose note was an internal remark (cases.workflow writes them to internal_note now).
REMARKS = Q(kind__in=["assigned", "extension_decided", "suspension_decided"])


def move_remarks(apps, schema_editor):
    CaseEvent = apps.get_model("cases", "CaseEvent")
    CaseEvent.objects.filter(REMARKS).exclude(note="").update(internal_note=F("note"), note="")


def restore_remarks(apps, schema_editor):
    CaseEvent = apps.get_model("cases", "CaseEvent")
    CaseEvent.objects.filter(REMARKS, note="").exclude(internal_note="").update(
        note=F("internal_note"), internal_note=""
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0012_urge"),
    ]

    operations = [
        migrations.AddField(
            model_name="caseevent",
            name="internal_note",
            field=models.TextField(blank=True, default="", verbose_name="内部意见"),
        ),
        migrations.RunPython(move_remarks, restore_remarks),
    ]
