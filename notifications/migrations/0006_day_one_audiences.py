# Who else is told (issue 17): new kinds of notification, and a user's choice to read new problems
# in the daily digest rather than at once.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0005_urge"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="notification",
            name="kind",
            field=models.CharField(
                choices=[
                    ("reminder", "督办提醒"),
                    ("assigned", "新交办"),
                    ("replied", "办理结果反馈"),
                    ("reopened", "重新办理"),
                    ("extension_decided", "延期审批结果"),
                    ("contacted", "部门已对接"),
                    ("instruction", "领导批示"),
                    ("urged", "催办"),
                    ("digest", "每日调度"),
                    ("new_case", "新问题"),
                    ("breakdown", "责任清单任务"),
                    ("rated", "企业评价"),
                    ("closed", "销号"),
                ],
                max_length=20,
                verbose_name="类型",
            ),
        ),
        migrations.CreateModel(
            name="NotificationPreference",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "new_cases",
                    models.CharField(
                        choices=[
                            ("instant", "每个新问题即时提醒"),
                            ("digest", "只在每日调度中汇总"),
                        ],
                        default="instant",
                        max_length=10,
                        verbose_name="新问题提醒",
                    ),
                ),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notification_preference",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="用户",
                    ),
                ),
            ],
            options={
                "verbose_name": "通知设置",
                "verbose_name_plural": "通知设置",
            },
        ),
    ]
