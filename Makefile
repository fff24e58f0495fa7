# The two commands of the README. Both set up what is missing first (scripts/bootstrap.sh).
.PHONY: sample test setup bench

setup:
	@scripts/bootstrap.sh

# The main job: the nightly ingestion flow, run once over a copy of the bundled sample documents
# (fixtures/) as its inbox, into the SQLite store ./kehoach.db; then the rows per table.
sample: setup
	@rm -rf out/inbox && mkdir -p out/inbox
	@cp fixtures/seeds/*.txt fixtures/pdf/*.pdf fixtures/scan/*.pdf fixtures/docx/*.docx fixtures/html/*.html out/inbox/
	@.venv/bin/kehoach ingest out/inbox --archive out/archive --quarantine out/quarantine --settle-seconds 0; \
	  status=$$?; [ $$status -le 1 ]
	@.venv/bin/kehoach db stats

test: setup
	@.venv/bin/python -m pytest -q

bench: setup
	@.venv/bin/python benchmarks/extract_speed.py
	@.venv/bin/python benchmarks/store_speed.py
	@.venv/bin/python benchmarks/flow_speed.py
	@.venv/bin/python benchmarks/ocr_speed.py
