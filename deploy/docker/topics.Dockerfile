# syntax=docker/dockerfile:1.7
# The one-shot topic job: creates (or grows) the topics of deploy/topics.yaml, then exits.
# Built from the repository root: docker build -f deploy/docker/topics.Dockerfile .
# Only runtime's dependencies from the lock (aiokafka, PyYAML), none of the services.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS builder
ARG UV_VERSION=0.13.9
ARG PIP_INDEX_URL=https://pypi.org/simple
RUN pip install --no-cache-dir --index-url "${PIP_INDEX_URL}" "uv==${UV_VERSION}"
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never UV_INDEX_URL=${PIP_INDEX_URL}
WORKDIR /app
COPY pyproject.toml uv.lock ./
COPY libs/contracts/pyproject.toml libs/contracts/
COPY libs/runtime/pyproject.toml libs/runtime/
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --package runtime --no-install-workspace

FROM ${PYTHON_IMAGE} AS runtime
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin app
WORKDIR /app
COPY --from=builder /app/.venv /app/.venv
COPY deploy/topics/create_topics.py deploy/topics.yaml /app/
ENV PATH=/app/.venv/bin:$PATH PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 TOPICS_FILE=/app/topics.yaml
USER 10001:10001
CMD ["python", "/app/create_topics.py"]
