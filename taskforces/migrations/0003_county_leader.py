import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("taskforces", "0002_reviews_and_account_changes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CountyLeader",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "title",
                    models.CharField(
                        choices=[
                            ("secretary", "县委书记"),
                            ("magistrate", "县长"),
                            ("deputy", "分管县领导"),
                        ],
                        max_length=20,
                        verbose_name="职务",
                    ),
                ),
                (
                    "portfolio",
                    models.CharField(
                        blank=True,
                        help_text="分管县领导填写，如“工业、招商”。",
                        max_length=100,
                        verbose_name="分管领域",
                    ),
                ),
                ("active", models.BooleanField(default=True, verbose_name="在任")),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="county_leader",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="用户",
                    ),
                ),
            ],
            options={"verbose_name": "县领导", "verbose_name_plural": "县领导"},
        ),
    ]
