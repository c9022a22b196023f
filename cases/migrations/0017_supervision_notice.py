# 督办单 (issue 19): the office's numbered supervision notice to a department, answered in writing
# by a reply-by day; and the case event that records it on each case's timeline.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0016_document_sequence'),
        ('enterprises', '0005_enterprise_scale'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='caseevent',
            name='kind',
            field=models.CharField(choices=[('created', '登记'), ('assigned', '交办'), ('returned', '退回'), ('return_refused', '驳回退回（指定办理）'), ('accepted', '签收并对接'), ('progress', '办理进展'), ('breakdown', '分解任务'), ('breakdown_done', '任务完成'), ('commitment', '亮诺'), ('commitment_kept', '践诺'), ('extension_requested', '申请延期'), ('extension_decided', '延期审批'), ('suspension_requested', '申请挂起'), ('suspension_decided', '挂起审批'), ('resumed', '恢复办理'), ('replied', '反馈'), ('rated', '评价'), ('reopened', '重办'), ('appealed', '评价申诉'), ('appeal_decided', '申诉裁定'), ('closed', '销号'), ('merged', '合并'), ('joined', '并案办理'), ('joint_left', '退出并案'), ('instruction', '批示'), ('instruction_ack', '签收批示'), ('reminder', '督办提醒'), ('urged', '催办'), ('supervised', '督办单'), ('deadlines_recounted', '期限按工作日历重算')], max_length=30, verbose_name='类型'),
        ),
        migrations.CreateModel(
            name='SupervisionNotice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('supervision', '督办单'), ('assignment', '交办函'), ('bulletin', '通报')], default='supervision', editable=False, max_length=20, verbose_name='文种')),
                ('year', models.PositiveSmallIntegerField(verbose_name='年份')),
                ('serial', models.PositiveIntegerField(verbose_name='序号')),
                ('text', models.TextField(verbose_name='督办事项')),
                ('reply_working_days', models.PositiveSmallIntegerField(verbose_name='回复期限（工作日）')),
                ('reply_by', models.DateField(verbose_name='回复期限')),
                ('issued_at', models.DateTimeField(verbose_name='开具时间')),
                ('answer', models.TextField(blank=True, verbose_name='书面回复')),
                ('answered_at', models.DateTimeField(blank=True, null=True, verbose_name='回复时间')),
                ('answered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='回复人')),
                ('cases', models.ManyToManyField(related_name='supervision_notices', to='cases.case', verbose_name='督办的问题')),
                ('department', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='supervision_notices', to='enterprises.department', verbose_name='督办单位')),
                ('issued_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='开具人')),
            ],
            options={
                'verbose_name': '督办单',
                'verbose_name_plural': '督办单',
                'ordering': ['-issued_at', '-id'],
                'indexes': [models.Index(fields=['department', '-issued_at'], name='supervision_notice_dept')],
                'constraints': [models.UniqueConstraint(fields=('kind', 'year', 'serial'), name='supervision_notice_number')],
            },
        ),
    ]
