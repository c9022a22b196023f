# 考核规则 (issue 19): the office's rules of the evaluation, one row per version, never edited.

import django.core.validators
import django.db.models.deletion
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('analysis', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='EvaluationRules',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('effective_from', models.DateField(verbose_name='施行日期')),
                ('weight_contact', models.PositiveSmallIntegerField(default=20, verbose_name='响应率权重')),
                ('weight_reply', models.PositiveSmallIntegerField(default=25, verbose_name='办结率权重')),
                ('weight_resolve', models.PositiveSmallIntegerField(default=20, verbose_name='解决率权重')),
                ('weight_satisfaction', models.PositiveSmallIntegerField(default=25, verbose_name='满意率权重')),
                ('weight_commitment', models.PositiveSmallIntegerField(default=10, verbose_name='践诺率权重')),
                ('unrated', models.CharField(choices=[('left_out', '不计入满意率'), ('satisfied', '超过规定工作日视为满意')], default='left_out', max_length=12, verbose_name='未评价的处理')),
                ('unrated_days', models.PositiveSmallIntegerField(default=10, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(60)], verbose_name='视为满意前等待的工作日数')),
                ('deduction_return', models.DecimalField(decimal_places=1, default=Decimal('1.0'), max_digits=4, validators=[django.core.validators.MinValueValidator(0)], verbose_name='每次退回扣分')),
                ('deduction_reopen', models.DecimalField(decimal_places=1, default=Decimal('2.0'), max_digits=4, validators=[django.core.validators.MinValueValidator(0)], verbose_name='每次重办扣分')),
                ('points_praise', models.DecimalField(decimal_places=1, default=Decimal('2.0'), max_digits=4, verbose_name='通报表扬加减分')),
                ('points_criticism', models.DecimalField(decimal_places=1, default=Decimal('-2.0'), max_digits=4, verbose_name='通报批评加减分')),
                ('points_interview', models.DecimalField(decimal_places=1, default=Decimal('-3.0'), max_digits=4, verbose_name='约谈加减分')),
                ('points_accountability', models.DecimalField(decimal_places=1, default=Decimal('-5.0'), max_digits=4, verbose_name='问责建议加减分')),
                ('min_ranked', models.PositiveSmallIntegerField(default=5, validators=[django.core.validators.MaxValueValidator(1000)], verbose_name='参与排名的最少交办件数')),
                ('note', models.CharField(blank=True, max_length=200, verbose_name='修订说明')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='保存时间')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='制定人')),
            ],
            options={
                'verbose_name': '考核规则',
                'verbose_name_plural': '考核规则',
                'ordering': ['-effective_from', '-id'],
            },
        ),
    ]
