# briefbot: build a virtualenv in one stage, run it as a non-root user in a slim image.
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY facts ./facts
COPY bot ./bot
COPY adapters ./adapters
RUN python -m venv /opt/briefbot \
    && /opt/briefbot/bin/pip install --no-cache-dir .

FROM python:3.11-slim
LABEL org.opencontainers.image.title="briefbot" \
      org.opencontainers.image.description="Slack and Discord briefing bot"
# XDG_DATA_HOME puts the embedded SQLite store (the default without BRIEFBOT_DATABASE_URL) on the volume.
ENV PATH=/opt/briefbot/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    XDG_DATA_HOME=/data \
    BRIEFBOT_HTTP_PORT=3000
RUN groupadd --system --gid 10001 briefbot \
    && useradd --system --uid 10001 --gid briefbot --home-dir /data --shell /usr/sbin/nologin briefbot \
    && mkdir -p /data \
    && chown briefbot:briefbot /data
COPY --from=build /opt/briefbot /opt/briefbot
USER 10001:10001
WORKDIR /data
VOLUME ["/data"]
EXPOSE 3000
# The slim image has no curl: Python's urllib asks /healthz (503 -> HTTPError -> unhealthy).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('BRIEFBOT_HTTP_PORT', '3000') + '/healthz', timeout=4)"]
STOPSIGNAL SIGTERM
CMD ["briefbot", "run"]
