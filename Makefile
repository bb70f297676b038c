# The two set-up commands of the README, plus the reproducibility check CI runs.
# Each target installs what it needs: a pinned uv in .tools/, then the locked environment (uv.lock).
UV_VERSION := 0.13.8
UV := .tools/bin/uv

.PHONY: release test check bench bench-full fuzz docs browser clean-tools

$(UV):
	python3 -m venv .tools
	.tools/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

.venv/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --locked --quiet
	touch $@

## Build the release from the sources (dataset/releases/<version>/; the wheel bundles it).
release: .venv/.synced
	$(UV) run --locked --no-sync usua build

## Run the tests (the explorer's tests drive Debian's headless Chromium: installed here when missing).
test: .venv/.synced browser
	$(UV) run --locked --no-sync pytest

## Headless Chromium from the distribution's packages, once (needs root and apt-get; else those tests skip).
browser:
	@command -v chromium >/dev/null 2>&1 || { command -v apt-get >/dev/null 2>&1 \
		&& apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
		|| echo "chromium could not be installed: the browser tests will skip"

## Redraw the README's pictures and refresh the bundled redistributable texts from the release.
docs: .venv/.synced
	$(UV) run --locked --no-sync python docs/generate.py

## Lint and type-check the package, then rebuild in a temporary folder and fail if the committed release, schema or release registry differ.
check: .venv/.synced
	$(UV) run --locked --no-sync ruff check usua builders benchmarks tests docs hatch_build.py
	$(UV) run --locked --no-sync ruff format --check usua builders benchmarks tests docs hatch_build.py
	$(UV) run --locked --no-sync mypy
	$(UV) run --locked --no-sync usua build --check

## Fuzz the validator for longer than CI does, with fresh random inputs (prints how many it tried).
FUZZ_SCALE ?= 20
fuzz: .venv/.synced
	USUA_FUZZ_SCALE=$(FUZZ_SCALE) $(UV) run --locked --no-sync pytest tests/test_fuzz.py -q

## Print the benchmark figures, quick (builds of 10k documents against their floor, min of 3; see benchmarks/README.md).
bench: .venv/.synced
	$(UV) run --locked --no-sync python benchmarks/run_all.py --quick

## The same at full size: 1M records to validate, builds of 1k, 10k and 100k documents (hours).
bench-full: .venv/.synced
	$(UV) run --locked --no-sync python benchmarks/run_all.py

clean-tools:
	rm -rf .tools .venv
