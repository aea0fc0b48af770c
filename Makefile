# The two commands of the README. Each installs what is missing first (scripts/bootstrap.sh).
#   make demo   run the pipeline on the bundled demo data (starts a local PostGIS when none is configured)
#   make test   run the test suite against a real, throwaway PostGIS
.PHONY: demo test bootstrap lint clean

demo: bootstrap
	.venv/bin/smartcity run

test: bootstrap
	.venv/bin/python -m pytest

bootstrap:
	@bash scripts/bootstrap.sh

lint: bootstrap
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

# Stops and deletes the local database and Prefect state of this checkout (not the venv).
clean: bootstrap
	.venv/bin/python -c "from smartcity import localpg; from smartcity.settings import get_settings; localpg.destroy(get_settings())"
	rm -rf .smartcity output
