"""kehoach."""
