"""Standards: frameworks imported from CASE 1.0 packages or CSV, browsing and search, the picker."""
