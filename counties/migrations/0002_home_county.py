"""The county every existing row belongs to: 进贤县 in 南昌市 (the apps' next migrations attach
their rows to it, then make the county required)."""

from django.db import migrations

HOME_CITY, HOME_COUNTY = "南昌市", "进贤县"


def create_home_county(apps, schema_editor):
    City = apps.get_model("counties", "City")
    County = apps.get_model("counties", "County")
    city, _created = City.objects.get_or_create(name=HOME_CITY)
    County.objects.get_or_create(city=city, name=HOME_COUNTY)


class Migration(migrations.Migration):
    dependencies = [("counties", "0001_initial")]

    operations = [migrations.RunPython(create_home_county, migrations.RunPython.noop)]
