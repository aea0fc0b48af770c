# Image of the pipeline for docker-compose.yml: the project installed as a wheel, serving its
# scheduled Prefect deployment. PostGIS and the Prefect server are separate services.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY smartcity smartcity
COPY flows flows
COPY tasks tasks
COPY maps maps
COPY sql sql
COPY geodata geodata
COPY prefect.yaml ./
RUN pip install --no-cache-dir . && useradd --create-home smartcity \
    && mkdir -p /state /data /output && chown smartcity /state /data /output
USER smartcity
CMD ["smartcity", "serve"]
