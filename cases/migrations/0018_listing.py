# 挂牌督办 as the office's decision (issue 19): when and by whom a case was listed, and why;
# the events that list and delist it; the county's leadership as the unit of a 批示.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0016_document_sequence"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="listed_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="挂牌时间"
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="listed_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="挂牌人",
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="listing_reason",
            field=models.TextField(blank=True, editable=False, verbose_name="挂牌理由"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("listed_at__isnull", False)),
                fields=["-listed_at"],
                name="case_listed",
            ),
        ),
        migrations.AlterField(
            model_name="caseevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("created", "登记"),
                    ("assigned", "交办"),
                    ("returned", "退回"),
                    ("return_refused", "驳回退回（指定办理）"),
                    ("accepted", "签收并对接"),
                    ("progress", "办理进展"),
                    ("breakdown", "分解任务"),
                    ("breakdown_done", "任务完成"),
                    ("commitment", "亮诺"),
                    ("commitment_kept", "践诺"),
                    ("extension_requested", "申请延期"),
                    ("extension_decided", "延期审批"),
                    ("suspension_requested", "申请挂起"),
                    ("suspension_decided", "挂起审批"),
                    ("resumed", "恢复办理"),
                    ("replied", "反馈"),
                    ("rated", "评价"),
                    ("reopened", "重办"),
                    ("appealed", "评价申诉"),
                    ("appeal_decided", "申诉裁定"),
                    ("closed", "销号"),
                    ("merged", "合并"),
                    ("joined", "并案办理"),
                    ("joint_left", "退出并案"),
                    ("instruction", "批示"),
                    ("instruction_ack", "签收批示"),
                    ("reminder", "督办提醒"),
                    ("urged", "催办"),
                    ("listed", "挂牌督办"),
                    ("delisted", "摘牌"),
                    ("supervised", "督办单"),
                    ("deadlines_recounted", "期限按工作日历重算"),
                ],
                max_length=30,
                verbose_name="类型",
            ),
        ),
        migrations.AlterField(
            model_name="caseevent",
            name="unit_kind",
            field=models.CharField(
                blank=True,
                choices=[
                    ("office", "县委办"),
                    ("department", "部门"),
                    ("enterprise", "企业"),
                    ("taskforce", "专班"),
                    ("leadership", "县领导"),
                    ("system", "系统"),
                ],
                default="",
                max_length=12,
                verbose_name="操作单位类型",
            ),
        ),
    ]
