# The application image for docker-compose.yml: web (gunicorn), worker and beat share it.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, so a code change does not reinstall them. The Chinese font labels the Word
# reports' charts (analysis.drawing); without it they are printed as tables.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-wqy-microhei \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.lock ./
RUN pip install -r requirements.lock

RUN useradd --system --uid 1000 --home-dir /app app \
    && mkdir -p /app/var /data/media \
    && chown app:app /app /app/var /data/media
COPY --chown=app:app . .
USER app

# Static files are collected into the image (whitenoise serves them, hashed and compressed).
# The key below exists only for this build step; the container refuses to start without its own.
RUN DEBUG=0 \
    SECRET_KEY=collectstatic-only-build-time-key-never-used-to-serve-requests \
    ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput

EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind=0.0.0.0:8000", "--workers=3", "--access-logfile=-"]
