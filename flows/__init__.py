"""Prefect flows over the pipeline: nightly_ingest and extract_folder; import pipeline and everything below it."""
