# syntax=docker/dockerfile:1.7
# The org service (union tree) — `python -m uvicorn --factory org.main:create_app` on port 8101.
# Built from the repository root (compose does this): docker build -f deploy/docker/org.Dockerfile .
# Migrations run when the process starts; settings come from the environment (ORG_*, see .env.example).

ARG PYTHON_IMAGE=python:3.11-slim-bookworm
ARG NODE_IMAGE=node:20-bookworm-slim

# --- dependencies and code, into /app/.venv ---------------------------------------------------------
FROM ${PYTHON_IMAGE} AS builder
ARG UV_VERSION=0.13.9
# uv comes from PyPI, so a mirror (PIP_INDEX_URL / UV_INDEX_URL) is all a closed network needs.
ARG PIP_INDEX_URL=https://pypi.org/simple
RUN pip install --no-cache-dir --index-url "${PIP_INDEX_URL}" "uv==${UV_VERSION}"
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never UV_INDEX_URL=${PIP_INDEX_URL}
WORKDIR /app
# Manifests first: the dependency layer is rebuilt only when the lock or a manifest changes.
COPY pyproject.toml uv.lock ./
COPY libs/contracts/pyproject.toml libs/contracts/
COPY libs/runtime/pyproject.toml libs/runtime/
COPY services/org/pyproject.toml services/org/
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --package org --no-install-workspace
COPY libs/contracts/src libs/contracts/src
COPY libs/runtime/src libs/runtime/src
COPY services/org/src services/org/src
COPY services/org/migrations services/org/migrations
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --package org

# --- runtime: the same Python, the venv and the code, a user without privileges --------------------
FROM ${PYTHON_IMAGE} AS runtime
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin app
WORKDIR /app
# Owned by root and read-only to the service: it writes nothing but its logs (stdout) and /tmp.
COPY --from=builder /app /app
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    ORG_PORT=8101
USER 10001:10001
EXPOSE 8101
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ['ORG_PORT'] + '/healthz', timeout=2)" || exit 1
# Listening on all interfaces (python -m org binds 127.0.0.1, right for a laptop, not a container).
CMD ["sh", "-c", "exec python -m uvicorn --factory org.main:create_app --host 0.0.0.0 --port \"$ORG_PORT\" --no-server-header --timeout-graceful-shutdown 20"]
