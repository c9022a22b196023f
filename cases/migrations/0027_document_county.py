# Issue 22: each county numbers its own documents; the existing ones are 进贤县's.

import django.db.models.deletion
from django.db import migrations, models

from counties.migration_steps import attach_to_home_county


def county(null):
    return models.ForeignKey(
        null=null,
        blank=not null,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="counties.county",
        verbose_name="所属县（区）",
    )


MODELS = ("supervisionnotice", "assignmentletter", "bulletin")


class Migration(migrations.Migration):
    dependencies = [("cases", "0026_county")]

    operations = [
        *[migrations.AddField(model, "county", county(True)) for model in MODELS],
        attach_to_home_county("cases", "SupervisionNotice", "AssignmentLetter", "Bulletin"),
        *[migrations.AlterField(model, "county", county(False)) for model in MODELS],
        migrations.RemoveConstraint("supervisionnotice", "supervision_notice_number"),
        migrations.AddConstraint(
            "supervisionnotice",
            models.UniqueConstraint(
                fields=("county", "kind", "year", "serial"), name="supervision_notice_number"
            ),
        ),
        migrations.RemoveConstraint("assignmentletter", "assignment_letter_number"),
        migrations.AddConstraint(
            "assignmentletter",
            models.UniqueConstraint(
                fields=("county", "year", "serial"), name="assignment_letter_number"
            ),
        ),
        migrations.RemoveConstraint("bulletin", "bulletin_number_unique"),
        migrations.AddConstraint(
            "bulletin",
            models.UniqueConstraint(
                fields=("county", "number_year", "number_serial"), name="bulletin_number_unique"
            ),
        ),
    ]
