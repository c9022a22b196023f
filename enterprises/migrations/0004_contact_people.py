# The enterprise's phone book: a contact's position, and people without a login (a 对接人 typed in
# on acceptance joins them).

import django.db.models.deletion
import django.utils.timezone
import enterprises.validators
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0003_department_phone"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="enterprisecontact",
            name="position",
            field=models.CharField(blank=True, max_length=50, verbose_name="职务"),
        ),
        migrations.CreateModel(
            name="ContactPerson",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=50, verbose_name="姓名")),
                ("position", models.CharField(blank=True, max_length=50, verbose_name="职务")),
                (
                    "mobile",
                    models.CharField(
                        max_length=11,
                        validators=[enterprises.validators.validate_mainland_mobile],
                        verbose_name="手机号码",
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="添加时间"
                    ),
                ),
                (
                    "added_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="添加人",
                    ),
                ),
                (
                    "enterprise",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="people",
                        to="enterprises.enterprise",
                        verbose_name="企业",
                    ),
                ),
            ],
            options={
                "verbose_name": "企业联系人（无账号）",
                "verbose_name_plural": "企业联系人（无账号）",
                "ordering": ["created_at", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("enterprise", "mobile"), name="contact_person_mobile_once"
                    )
                ],
            },
        ),
    ]
