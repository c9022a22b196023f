"""A 企业微信 / 钉钉 identity is of a county (the county whose corp or org the userid is in): unique
per (county, vendor, userid) instead of per (vendor, userid). Each existing identity takes its
user's county (counties.membership.county_of, over the historical models), else the first county
— every identity was bound through the one corp there was."""

import django.db.models.deletion
from django.db import migrations, models


def to_users_county(apps, schema_editor):
    VendorIdentity = apps.get_model("notifications", "VendorIdentity")
    placed(apps, VendorIdentity.objects.filter(county__isnull=True))


def placed(apps, identities) -> None:
    """Give each identity its user's county (the first county for a user of none)."""
    from counties.membership import county_of

    County = apps.get_model("counties", "County")
    rows = list(identities)
    if not rows:
        return
    first = County.objects.order_by("pk").values_list("pk", flat=True).first()
    if first is None:
        City = apps.get_model("counties", "City")
        city, _created = City.objects.get_or_create(name="南昌市")
        first = County.objects.create(city=city, name="进贤县").pk
    for row in rows:
        row.county_id = county_of(row.user_id, registry=apps) or first
        row.save(update_fields=["county"])


class Migration(migrations.Migration):
    dependencies = [
        ("counties", "0003_city_escalation"),
        ("enterprises", "0007_county"),
        ("taskforces", "0004_county"),
        ("notifications", "0012_reminder_city_deadlines"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="vendoridentity", name="vendor_userid_once"),
        migrations.RemoveConstraint(model_name="vendoridentity", name="vendor_identity_per_user"),
        migrations.AddField(
            model_name="vendoridentity",
            name="county",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="vendor_identities",
                to="counties.county",
                verbose_name="县（区）",
            ),
        ),
        migrations.RunPython(to_users_county, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="vendoridentity",
            name="county",
            field=models.ForeignKey(
                blank=True,
                help_text="该账号所在的企业微信企业/钉钉组织由哪个县（区）配置；留空则为用户所属的县（区）。",
                on_delete=django.db.models.deletion.CASCADE,
                related_name="vendor_identities",
                to="counties.county",
                verbose_name="县（区）",
            ),
        ),
        migrations.AddConstraint(
            model_name="vendoridentity",
            constraint=models.UniqueConstraint(
                fields=("county", "vendor", "vendor_userid"), name="vendor_userid_once_per_county"
            ),
        ),
        migrations.AddConstraint(
            model_name="vendoridentity",
            constraint=models.UniqueConstraint(
                fields=("user", "county", "vendor"), name="vendor_identity_per_user_per_county"
            ),
        ),
    ]
