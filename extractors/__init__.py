"""The extractors, one per kind of item, sharing a per-document context; import normalizers, models and catalogs."""
