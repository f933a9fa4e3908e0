# Every target creates .venv on first use and installs the project into it.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: serve site test clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

serve: $(STAMP)
	$(VENV)/bin/mkdocs serve

site: $(STAMP)
	$(VENV)/bin/mkdocs build --strict --site-dir site

test: $(STAMP)
	$(PY) -m pytest

clean:
	rm -rf site $(VENV) .pytest_cache
