# The two entry points (see README): `make demo` builds the bundled samples, `make test` runs the tests.
# Both set up everything first (apt packages when root, .venv, the package), so they work on a fresh machine.
.PHONY: setup demo test lint bench wheel-check

setup:
	bash scripts/setup.sh dev,ray   # ray: the --executor ray tests (tests/test_executor_ray.py)

demo: setup
	.venv/bin/manim-dataset build --out dist

test: setup
	.venv/bin/python -m pytest -q
	bash scripts/check_wheel.sh

lint: setup
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

bench: setup
	.venv/bin/python benchmarks/bench_build.py

wheel-check: setup
	bash scripts/check_wheel.sh
