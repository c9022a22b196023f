"""Steps the apps' migrations share: attaching the rows that existed before counties."""

from django.db import migrations


def attach_to_home_county(app_label: str, *model_names: str):
    """A RunPython step setting the county of every row of these models to the first county."""

    def attach(apps, schema_editor):
        County = apps.get_model("counties", "County")
        home = County.objects.order_by("pk").values_list("pk", flat=True).first()
        for name in model_names:
            apps.get_model(app_label, name).objects.filter(county__isnull=True).update(
                county_id=home
            )

    return migrations.RunPython(attach, migrations.RunPython.noop)
