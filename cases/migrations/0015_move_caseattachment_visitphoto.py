# CaseAttachment (from portal) and VisitPhoto (from fieldwork) move into cases: they are a case's
# and a visit's files, and the rules that read them (cases.attachments, cases.selectors) live here.
# State only: the tables portal 0001 and fieldwork 0001 created stay as they are, rows and all,
# under their old names (Meta.db_table); portal 0003 and fieldwork 0002 then drop the models from
# those apps' state. The content types move too, so the admin's history and any granted
# permissions follow the models.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import cases.models.attachments
import cases.models.visits
import cases.storage

MOVED = {"caseattachment": "portal", "visitphoto": "fieldwork"}


def move_content_types(apps, schema_editor, back=False):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model, page_app in MOVED.items():
        old, new = ("cases", page_app) if back else (page_app, "cases")
        if ContentType.objects.using(db).filter(app_label=new, model=model).exists():
            continue
        ContentType.objects.using(db).filter(app_label=old, model=model).update(app_label=new)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, back=True)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0014_event_attachments"),
        ("portal", "0002_attachment_content_type_fits_office_types"),
        ("fieldwork", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CaseAttachment",
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
                            "file",
                            models.FileField(
                                storage=cases.storage.attachment_storage,
                                upload_to=cases.models.attachments._case_attachment_path,
                                verbose_name="文件",
                            ),
                        ),
                        (
                            "original_name",
                            models.CharField(max_length=200, verbose_name="原文件名"),
                        ),
                        (
                            "content_type",
                            models.CharField(max_length=100, verbose_name="文件类型"),
                        ),
                        ("size", models.PositiveIntegerField(verbose_name="大小（字节）")),
                        (
                            "uploaded_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="上传时间"),
                        ),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="attachments",
                                to="cases.case",
                                verbose_name="问题",
                            ),
                        ),
                        (
                            "uploaded_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="上传人",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "问题附件",
                        "verbose_name_plural": "问题附件",
                        "db_table": "portal_caseattachment",
                        "ordering": ["uploaded_at", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="VisitPhoto",
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
                            "image",
                            models.FileField(
                                storage=cases.storage.photo_storage,
                                upload_to=cases.models.visits._visit_photo_path,
                                verbose_name="照片",
                            ),
                        ),
                        (
                            "thumbnail",
                            models.FileField(
                                blank=True,
                                storage=cases.storage.photo_storage,
                                upload_to=cases.models.visits._visit_photo_path,
                                verbose_name="缩略图",
                            ),
                        ),
                        (
                            "content_type",
                            models.CharField(max_length=30, verbose_name="文件类型"),
                        ),
                        (
                            "size",
                            models.PositiveIntegerField(verbose_name="文件大小（字节）"),
                        ),
                        ("width", models.PositiveIntegerField(verbose_name="宽")),
                        ("height", models.PositiveIntegerField(verbose_name="高")),
                        (
                            "original_name",
                            models.CharField(blank=True, max_length=200, verbose_name="原文件名"),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="上传时间"),
                        ),
                        (
                            "uploaded_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="上传人",
                            ),
                        ),
                        (
                            "visit",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="photos",
                                to="cases.visit",
                                verbose_name="走访",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "走访照片",
                        "verbose_name_plural": "走访照片",
                        "db_table": "fieldwork_visitphoto",
                        "ordering": ["visit", "id"],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back, elidable=True),
    ]
