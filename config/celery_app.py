import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# Publishing happens after commit, often inside a web request: fail fast when the broker is gone
# (one reconnect for a stale pooled connection). The outbox's re-send, or the job's own "not
# started" message, covers the rest. Every apply_async from a request uses this.
PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}

app = Celery("sijisiwen")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
