# Issue 22: cases (their enterprise's county, copied), meetings and document numbers belong to a
# county, the existing ones to 进贤县; a calendar day may be one county's own.

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Q

from counties.migration_steps import attach_to_home_county


def county(related_name, null, *, default=True, delete=django.db.models.deletion.PROTECT):
    return models.ForeignKey(
        null=null,
        blank=not null and default,
        on_delete=delete,
        related_name=related_name,
        to="counties.county",
        verbose_name="所属县（区）",
    )


def copy_case_county(apps, schema_editor):
    """A case's county is its enterprise's."""
    Case = apps.get_model("cases", "Case")
    Enterprise = apps.get_model("enterprises", "Enterprise")
    Case.objects.update(
        county_id=models.Subquery(
            Enterprise.objects.filter(pk=models.OuterRef("enterprise_id")).values("county_id")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("counties", "0002_home_county"),
        ("enterprises", "0007_county"),
        ("cases", "0025_case_search_sample_ascii"),
    ]

    operations = [
        migrations.AddField("case", "county", county("cases", True)),
        migrations.AddField("meeting", "county", county("+", True)),
        migrations.AddField(
            "documentsequence",
            "county",
            county("+", True, delete=django.db.models.deletion.CASCADE),
        ),
        migrations.RunPython(copy_case_county, migrations.RunPython.noop),
        attach_to_home_county("cases", "Meeting", "DocumentSequence"),
        migrations.AlterField("case", "county", county("cases", False)),
        migrations.AlterField("meeting", "county", county("+", False)),
        migrations.AlterField(
            "documentsequence",
            "county",
            models.ForeignKey(
                blank=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="counties.county",
                verbose_name="县（区）",
            ),
        ),
        migrations.RemoveConstraint("documentsequence", "document_sequence_kind_year"),
        migrations.AddConstraint(
            "documentsequence",
            models.UniqueConstraint(
                fields=("county", "kind", "year"), name="document_sequence_county_kind_year"
            ),
        ),
        migrations.AddIndex(
            "case",
            models.Index(fields=["county", "-created_at", "-id"], name="case_county_recent"),
        ),
        migrations.AddField(
            "calendaroverride",
            "county",
            models.ForeignKey(
                blank=True,
                null=True,
                help_text="留空则全市各县（区）通用。",
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="counties.county",
                verbose_name="适用县（区）",
            ),
        ),
        migrations.AlterField("calendaroverride", "date", models.DateField(verbose_name="日期")),
        migrations.AddConstraint(
            "calendaroverride",
            models.UniqueConstraint(
                condition=Q(county__isnull=True), fields=("date",), name="calendar_date_once"
            ),
        ),
        migrations.AddConstraint(
            "calendaroverride",
            models.UniqueConstraint(
                fields=("county", "date"), name="calendar_date_once_per_county"
            ),
        ),
    ]
