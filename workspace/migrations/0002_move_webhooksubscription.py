# WebhookSubscription now belongs to notifications (notifications 0007, which took it over with its
# table): drop it from workspace's state only. No SQL: the table and its rows stay.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("workspace", "0001_initial"),
        ("notifications", "0007_webhooksubscription"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="WebhookSubscription")],
            database_operations=[],
        ),
    ]
