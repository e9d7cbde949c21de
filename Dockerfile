# syntax=docker/dockerfile:1
# Runs the same server as `make run`: uvicorn app.web.main:app.

FROM python:3.11-slim-bookworm AS build
WORKDIR /src
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
COPY pyproject.toml README.md ./
COPY app ./app
RUN python -m venv /opt/venv \
 && /opt/venv/bin/pip install --upgrade pip \
 && /opt/venv/bin/pip install .

FROM python:3.11-slim-bookworm AS runtime
# X-Forwarded-* (the client's address, which the API's limits count by, and https for links)
# is trusted only from the addresses in FORWARDED_ALLOW_IPS (read by uvicorn): loopback by
# default; set the TLS-terminating proxy's address there. Never "*" where clients can reach
# the container directly: each could then choose its own address and its own rate limit.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    CSMB_REFERENCE_DATA_DIR=/app/reference_data \
    FORWARDED_ALLOW_IPS=127.0.0.1,::1
RUN useradd --create-home --uid 10001 app
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY --chown=app:app reference_data ./reference_data
USER app
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status == 200 else 1)"
CMD ["uvicorn", "app.web.main:app", "--host", "0.0.0.0", "--port", "8000", "--proxy-headers"]
