# Image of the pipeline for docker-compose.yml: the project installed as a wheel, serving its
# scheduled Prefect deployment. PostGIS and the Prefect server are separate services.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml uv.lock README.md ./
COPY smartcity smartcity
COPY flows flows
COPY tasks tasks
COPY maps maps
COPY sql sql
COPY geodata geodata
COPY prefect.yaml ./
# exactly the versions of uv.lock (as scripts/bootstrap.sh installs them), then the project itself
RUN pip install --no-cache-dir "uv==0.13.9" \
    && uv export --locked --no-emit-project --format requirements-txt -o /tmp/requirements.txt \
    && pip install --no-cache-dir -r /tmp/requirements.txt && pip install --no-cache-dir --no-deps . \
    && rm /tmp/requirements.txt \
    && python -m compileall -q -j 0 /usr/local/lib/python3.11/site-packages >/dev/null \
    && useradd --create-home smartcity \
    && mkdir -p /state /data /output && chown smartcity /state /data /output
USER smartcity
CMD ["smartcity", "serve"]
