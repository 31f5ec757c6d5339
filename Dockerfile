# Production image of perfmgmt: gunicorn serving Django, static files by WhiteNoise.
# The same image runs migrations, the Celery worker and beat (see docker-compose.yml).
# gunicorn's worker count comes from WEB_CONCURRENCY.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=perfmgmt.settings.production \
    WEB_CONCURRENCY=3

WORKDIR /app

# WeasyPrint (the PDFs of reviews and improvement plans) needs Pango and HarfBuzz at run time.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
        libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# Pinned runtime dependencies, every file checked against its hash.
COPY requirements/base.txt requirements/base.txt
RUN pip install --require-hashes --no-deps -r requirements/base.txt

COPY . .

# Static files are collected (and compressed/fingerprinted) at build time; the secret and
# hosts here only let the settings load and are never used at run time.
RUN SECRET_KEY=collectstatic-only-not-a-secret ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app
USER app

EXPOSE 8000
CMD ["gunicorn", "perfmgmt.wsgi:application", "--bind", "0.0.0.0:8000"]
