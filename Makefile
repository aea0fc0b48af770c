# Shortcuts for developers who have make; the README's commands are ./run.sh demo and ./run.sh test.
.PHONY: demo test lint clean

demo:
	./run.sh demo

test:
	./run.sh test

lint:
	bash scripts/bootstrap.sh
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

# Stops and deletes this checkout's local database and Prefect state (not the venv).
clean:
	bash scripts/bootstrap.sh
	.venv/bin/python -c "from smartcity.platform import local_cluster; from smartcity.platform.settings import get_settings; local_cluster.destroy(get_settings())"
	rm -rf .smartcity output
