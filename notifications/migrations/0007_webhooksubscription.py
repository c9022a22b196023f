# WebhookSubscription moves from workspace to notifications, which reads it (notifications.webhooks).
# State only: the table workspace 0001 created stays as it is, rows and all, under its old name
# (Meta.db_table); workspace 0002 then drops the model from workspace's state. The content type
# moves too, so the admin's history and any granted permissions follow the model.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor, old="workspace", new="notifications"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if ContentType.objects.using(db).filter(app_label=new, model="webhooksubscription").exists():
        return
    ContentType.objects.using(db).filter(app_label=old, model="webhooksubscription").update(
        app_label=new
    )


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, old="notifications", new="workspace")


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0006_day_one_audiences"),
        ("workspace", "0001_initial"),
        ("enterprises", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="WebhookSubscription",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "event_kinds",
                            models.JSONField(
                                blank=True, default=list, verbose_name="推送的消息类型"
                            ),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(auto_now=True, verbose_name="修改时间"),
                        ),
                        (
                            "department",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="webhook_subscription",
                                to="enterprises.department",
                                verbose_name="部门/单位",
                            ),
                        ),
                        (
                            "updated_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="修改人",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "群机器人推送设置",
                        "verbose_name_plural": "群机器人推送设置",
                        "db_table": "workspace_webhooksubscription",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back, elidable=True),
    ]
