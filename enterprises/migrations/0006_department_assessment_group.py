# 考核类别 (issue 19): the group a unit is ranked in; blank follows its kind.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('enterprises', '0005_enterprise_scale'),
    ]

    operations = [
        migrations.AddField(
            model_name='department',
            name='assessment_group',
            field=models.CharField(blank=True, choices=[('township', '乡镇（园区）'), ('county', '县直部门'), ('vertical', '垂管单位')], help_text='留空则按类型：乡镇、园区为乡镇（园区），公用事业单位为垂管单位，其余为县直部门。', max_length=20, verbose_name='考核类别'),
        ),
    ]
