"""The benchmark's yardstick: a signed-in page that runs one query of its own.

Every page of the benchmark is compared with this one in the same run, so the ratio measures what
a page adds to the cost every request pays anyway (gunicorn, the middleware, the session, the
user, the template-free response), on whatever machine it runs.
"""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse
from django.views.decorators.http import require_GET


@login_required
@require_GET
def baseline(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT CURRENT_TIMESTAMP")  # PostgreSQL and SQLite alike
        (now,) = cursor.fetchone()
    return HttpResponse(f"{request.user.get_username()} {now}\n", content_type="text/plain")
