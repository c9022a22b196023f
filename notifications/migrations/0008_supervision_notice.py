# 督办单 (issue 19): a new kind of notification, the department told of a supervision notice.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0007_webhooksubscription'),
    ]

    operations = [
        migrations.AlterField(
            model_name='notification',
            name='kind',
            field=models.CharField(choices=[('reminder', '督办提醒'), ('assigned', '新交办'), ('replied', '办理结果反馈'), ('reopened', '重新办理'), ('extension_decided', '延期审批结果'), ('contacted', '部门已对接'), ('instruction', '领导批示'), ('urged', '催办'), ('supervised', '督办单'), ('digest', '每日调度'), ('new_case', '新问题'), ('breakdown', '责任清单任务'), ('rated', '企业评价'), ('closed', '销号')], max_length=20, verbose_name='类型'),
        ),
    ]
