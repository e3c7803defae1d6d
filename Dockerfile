# syntax=docker/dockerfile:1
# Reflective supervision bot: one HTTP server for Slack (/slack/events) and Teams (/api/messages).
#   docker build -t reflect-bot .
#   docker run --env-file .env -p 3978:3978 reflect-bot
# or, with PostgreSQL:  docker compose up --build
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore

WORKDIR /app

RUN groupadd --system --gid 10001 reflect \
    && useradd --system --uid 10001 --gid reflect --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin reflect

# DejaVu Sans, which PDF exports are set in and embed (else Typst's own bundled fonts):
# its regular and bold faces are in -core, the oblique ones in -extra.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-dejavu-core fonts-dejavu-extra \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first, in their own layer, so code changes do not reinstall them.
COPY pyproject.toml README.md ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# The package itself. Installed in place (editable) so that data beside the packages, such as
# prompts/, is found exactly as in a checkout.
COPY . .
RUN pip install --no-deps -e . \
    && mkdir -p /app/data \
    && chown reflect:reflect /app/data \
    && chmod 700 /app/data

USER 10001:10001

EXPOSE 3978

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:3978/healthz', timeout=4).status == 200 else 1)"]

# Apply migrations, then serve. exec replaces the shell, so the server itself is PID 1 and
# receives SIGTERM from `docker stop`.
CMD ["sh", "-c", "reflect db upgrade && exec reflect serve --host 0.0.0.0 --port 3978"]
