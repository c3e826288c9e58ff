"""The version diff engine: structured diffs of snapshots and rich-text Documents (see services.py)."""
