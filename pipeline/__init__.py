"""kehoach: Vietnamese plan documents (KẾ HOẠCH) to clean, queryable data."""
__version__ = "0.1.0"
