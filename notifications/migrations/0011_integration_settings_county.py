"""Integration settings per county: the one row the office had (pk 1) becomes the first county's
(进贤县, counties.0002); every other county gets its own on first use
(notifications.integrations.county_settings)."""

import django.db.models.deletion
from django.db import migrations, models


def to_first_county(apps, schema_editor):
    IntegrationSettings = apps.get_model("notifications", "IntegrationSettings")
    County = apps.get_model("counties", "County")
    rows = list(IntegrationSettings.objects.order_by("pk"))
    if not rows:
        return
    first = County.objects.order_by("pk").first()
    if first is None:
        City = apps.get_model("counties", "City")
        city, _created = City.objects.get_or_create(name="南昌市")
        first = County.objects.create(city=city, name="进贤县")
    kept, *extra = rows
    kept.county = first
    kept.save(update_fields=["county"])
    IntegrationSettings.objects.filter(pk__in=[row.pk for row in extra]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("counties", "0003_city_escalation"),
        ("notifications", "0010_integrations_vendor_identities_robots"),
    ]

    operations = [
        migrations.AddField(
            model_name="integrationsettings",
            name="county",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="integration_settings",
                to="counties.county",
                verbose_name="县（区）",
            ),
        ),
        migrations.RunPython(to_first_county, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="integrationsettings",
            name="county",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="integration_settings",
                to="counties.county",
                verbose_name="县（区）",
            ),
        ),
    ]
