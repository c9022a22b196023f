# 催办 (urge): a new kind of event on the timeline.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0011_merges_to_joint"),
    ]

    operations = [
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
                    ("deadlines_recounted", "期限按工作日历重算"),
                ],
                max_length=30,
                verbose_name="类型",
            ),
        ),
    ]
