# 交办函 (cases.models.letters.AssignmentLetter): one per 交办会 and lead department, with its 文号
# and the 回执 the department signs back.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0016_document_sequence'),
        ('enterprises', '0004_contact_people'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AssignmentLetter',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='文号年份')),
                ('serial', models.PositiveIntegerField(verbose_name='文号序号')),
                ('number', models.CharField(max_length=40, unique=True, verbose_name='文号')),
                ('contact_name', models.CharField(max_length=50, verbose_name='联系人')),
                ('contact_phone', models.CharField(blank=True, max_length=30, verbose_name='联系电话')),
                ('issued_at', models.DateTimeField(verbose_name='出具时间')),
                ('signed_at', models.DateTimeField(blank=True, null=True, verbose_name='回执签收时间')),
                ('receipt_note', models.TextField(blank=True, verbose_name='回执说明')),
                ('department', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assignment_letters', to='enterprises.department', verbose_name='牵头部门')),
                ('issued_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='出具人')),
                ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='letters', to='cases.meeting', verbose_name='会议')),
                ('signed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='回执签收人')),
            ],
            options={
                'verbose_name': '交办函',
                'verbose_name_plural': '交办函',
                'ordering': ['-issued_at', '-id'],
                'indexes': [models.Index(fields=['department', 'signed_at'], name='letter_dept_signed')],
                'constraints': [models.UniqueConstraint(fields=('meeting', 'department'), name='assignment_letter_meeting_department'), models.UniqueConstraint(fields=('year', 'serial'), name='assignment_letter_number'), models.CheckConstraint(condition=models.Q(models.Q(('signed_at__isnull', True), ('signed_by__isnull', True)), models.Q(('signed_at__isnull', False), ('signed_by__isnull', False)), _connector='OR'), name='assignment_letter_signed_by_and_at')],
            },
        ),
    ]
