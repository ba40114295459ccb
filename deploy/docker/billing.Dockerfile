# syntax=docker/dockerfile:1.7
# The billing service (payables, notices, vouchers, refunds, receipts) — `python -m uvicorn --factory
# billing.main:create_app` on port 8105.
# Built from the repository root (compose does this): docker build -f deploy/docker/billing.Dockerfile .
# Migrations run when the process starts; settings come from the environment (BILLING_*, see .env.example).

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
COPY services/billing/pyproject.toml services/billing/
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --package billing --no-install-workspace
COPY libs/contracts/src libs/contracts/src
COPY libs/runtime/src libs/runtime/src
COPY services/billing/src services/billing/src
COPY services/billing/migrations services/billing/migrations
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --package billing

# --- runtime: the same Python, the venv and the code, a user without privileges --------------------
FROM ${PYTHON_IMAGE} AS runtime
# WeasyPrint renders the PDFs (notices, lists) through Pango; Chinese text needs CJK fonts.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b \
       libharfbuzz-subset0 fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin app
WORKDIR /app
# Owned by root and read-only to the service: it writes nothing but its logs (stdout) and /tmp.
COPY --from=builder /app /app
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    BILLING_PORT=8105
USER 10001:10001
EXPOSE 8105
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ['BILLING_PORT'] + '/healthz', timeout=2)" || exit 1
# Listening on all interfaces (python -m billing binds 127.0.0.1, right for a laptop, not a container).
CMD ["sh", "-c", "exec python -m uvicorn --factory billing.main:create_app --host 0.0.0.0 --port \"$BILLING_PORT\" --no-server-header --timeout-graceful-shutdown 20"]
