# Production image: Django behind gunicorn with WhiteNoise; the same image runs the Celery worker and beat.
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY static ./static
RUN npm run build

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=send_portal.settings.production \
    MEDIA_ROOT=/data/media VAR_DIR=/data/var
# WeasyPrint's libraries and Arial-compatible fonts (Liberation Sans); poppler for PDF checks.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
      fontconfig fonts-liberation2 poppler-utils \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.lock scripts/install-locked.sh ./
# A C compiler only while the Argon2 binding is compiled for the processor the image is built on, where it runs
# x86-64-v3 code (scripts/install-locked.sh): build the image on, or for, the hosts that run it. The server checks at
# start that the binding runs on the processor it is started on (gunicorn.conf.py on_starting).
RUN apt-get update \
 && apt-get install -y --no-install-recommends gcc libc6-dev \
 && pip install --no-cache-dir uv==0.13.9 && ./install-locked.sh uv --system --no-cache -r requirements.lock \
 && rm install-locked.sh && apt-get purge -y --auto-remove gcc libc6-dev && rm -rf /var/lib/apt/lists/*
COPY . .
COPY --from=assets /build/static/dist ./static/dist
RUN SECRET_KEY=collectstatic-only DATABASE_URL=sqlite:////tmp/build.sqlite3 ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput -v0 \
 && useradd --create-home --uid 1000 portal && mkdir -p /data/media /data/var && chown -R portal /data
USER portal
EXPOSE 8000
# Worker class and counts come from gunicorn.conf.py in the working directory.
CMD ["gunicorn", "send_portal.wsgi:application", "--bind", "0.0.0.0:8000"]
