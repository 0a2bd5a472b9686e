# The ScaleUp Graph API (docker-compose.yml runs it against Neo4j).
FROM python:3.12-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
RUN python -m venv /opt/scaleup && /opt/scaleup/bin/pip install .

FROM python:3.12-slim
ENV PATH=/opt/scaleup/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    SCALEUP_API_HOST=0.0.0.0 \
    SCALEUP_API_PORT=8000 \
    SCALEUP_STATE_DIR=/var/lib/scaleup
# An unprivileged user owns only the state directory; the code stays read-only to it.
RUN groupadd --system scaleup && useradd --system --gid scaleup --home-dir /var/lib/scaleup scaleup \
    && mkdir -p /var/lib/scaleup && chown scaleup:scaleup /var/lib/scaleup
COPY --from=build /opt/scaleup /opt/scaleup
USER scaleup
WORKDIR /var/lib/scaleup
EXPOSE 8000
# GET /health answers 200 while the API runs and its database answers (503 otherwise).
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=4 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4).status == 200 else 1)"]
CMD ["scaleup", "serve"]
