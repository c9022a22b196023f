# workspace keeps no model of its own: its WebhookSubscription is notifications.models'
# (notifications 0007, workspace 0002 moved it with its table).
