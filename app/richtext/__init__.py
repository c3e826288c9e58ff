"""Rich text: sanitised, block-structured, diffable content with server-rendered math (see services.py)."""
