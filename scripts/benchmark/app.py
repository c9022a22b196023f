"""How the app runs for the benchmark: its environment (production mode, with the bench app
enabled by BENCHMARK=1), manage.py against a database, and the cache emptied between sizes."""

from __future__ import annotations

import os
import subprocess

from benchmark import options
from benchmark.options import HOST, PYTHON, ROOT, RUN_VAR, SECRET_KEY, log

# The cache the server and children use; "" once flush_redis found no Redis server.
redis_url = options.REDIS_URL


def app_env(db_url: str) -> dict[str, str]:
    """Production mode; no broker is needed (nothing is published from a
    GET, and the sweep's publish waits for a commit that never comes), so Celery gets memory://."""
    return {
        **os.environ,
        "DATABASE_URL": db_url,
        "DEBUG": "0",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "DB_CONN_MAX_AGE": "60",
        "API_THROTTLE_USER": "off",
        "API_THROTTLE_IP": "off",
        "LOG_LEVEL": "WARNING",
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": "memory://",
        "VAR_DIR": str(RUN_VAR),
        "PYTHONUNBUFFERED": "1",
        "BENCHMARK": "1",  # installs and routes the bench app: /bench/baseline/, generate_load
    }


def manage(db_url: str, *args: str, production: bool = False, check: bool = True) -> int:
    """manage.py against db_url: in production mode, or in the embedded mode generate_load wants."""
    if production:
        env = app_env(db_url)
    else:
        env = {
            **os.environ,
            "DATABASE_URL": db_url,
            "DEBUG": "1",
            "CELERY_BROKER_URL": "memory://",
            "BENCHMARK": "1",
        }
    command = [PYTHON, "manage.py", *args]
    return subprocess.run(command, cwd=ROOT, env=env, check=check).returncode


def flush_redis() -> None:
    """Nothing cached at one size may answer for another. Without a Redis server the app runs on
    its local-memory cache (one per gunicorn worker), as it would in production without Redis."""
    global redis_url
    import redis

    if redis_url:
        try:
            redis.Redis.from_url(redis_url, socket_connect_timeout=2).ping()
        except redis.RedisError as error:
            log(f"no Redis at {redis_url} ({error}): the cache is each worker's local memory")
            redis_url = ""
    if not redis_url:
        return
    if not options.FLUSH_REDIS:
        log(f"not emptying REDIS_URL={redis_url} (set BENCH_REDIS_URL to a database of its own)")
        return
    redis.Redis.from_url(redis_url).flushdb()
