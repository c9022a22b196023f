# Whom an enterprise calls about its case: the handling unit's contact person and office phone.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0002_webhook_url_vetted"),
    ]

    operations = [
        migrations.AddField(
            model_name="department",
            name="contact_name",
            field=models.CharField(blank=True, max_length=50, verbose_name="对外联系人"),
        ),
        migrations.AddField(
            model_name="department",
            name="phone",
            field=models.CharField(blank=True, max_length=30, verbose_name="办公电话"),
        ),
    ]
