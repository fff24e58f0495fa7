"""The review page of a plan (output, not a stage of the pipeline): ``page`` renders it with the
templates beside it."""
from kehoach.pipeline.review.page import highlight_counts, render, render_index

__all__ = ["highlight_counts", "render", "render_index"]
