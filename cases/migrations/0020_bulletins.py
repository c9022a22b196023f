# 奖惩 (issue 19): the office's numbered bulletins on a department — 通报表扬, 通报批评, 约谈,
# 问责建议 — with the cases they concern.

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
        migrations.CreateModel(
            name='Bulletin',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('praise', '通报表扬'), ('criticism', '通报批评'), ('interview', '约谈'), ('accountability', '问责建议')], max_length=20, verbose_name='类别')),
                ('number_year', models.PositiveSmallIntegerField(editable=False, verbose_name='文号年份')),
                ('number_serial', models.PositiveIntegerField(editable=False, verbose_name='文号序号')),
                ('title', models.CharField(max_length=200, verbose_name='标题')),
                ('text', models.TextField(verbose_name='通报内容')),
                ('issued_at', models.DateTimeField(verbose_name='发布时间')),
                ('cases', models.ManyToManyField(blank=True, related_name='bulletins', to='cases.case', verbose_name='涉及问题')),
                ('department', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='bulletins', to='enterprises.department', verbose_name='部门/单位')),
                ('issued_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='发布人')),
            ],
            options={
                'verbose_name': '奖惩通报',
                'verbose_name_plural': '奖惩通报',
                'ordering': ['-issued_at', '-id'],
                'indexes': [models.Index(fields=['department', '-issued_at'], name='bulletin_department_recent')],
                'constraints': [models.UniqueConstraint(fields=('number_year', 'number_serial'), name='bulletin_number_unique')],
            },
        ),
    ]
