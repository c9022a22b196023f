from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0004_contact_people"),
    ]

    operations = [
        migrations.AddField(
            model_name="enterprise",
            name="scale",
            field=models.CharField(
                blank=True,
                choices=[
                    ("large", "大型"),
                    ("medium", "中型"),
                    ("small", "小型"),
                    ("micro", "微型"),
                ],
                max_length=10,
                verbose_name="企业规模",
            ),
        ),
    ]
