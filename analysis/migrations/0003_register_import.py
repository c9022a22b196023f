from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("analysis", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="importjob",
            name="kind",
            field=models.CharField(
                choices=[("problems", "问题"), ("register", "企业名录")],
                default="problems",
                max_length=10,
                verbose_name="类型",
            ),
        ),
        migrations.AddField(
            model_name="importjob",
            name="updated_count",
            field=models.PositiveIntegerField(default=0, verbose_name="更新企业数"),
        ),
    ]
