"""Text and value normalisation (text, layout, offsets, dates, numbers, names, agencies, components, places); imports models and catalogs."""
