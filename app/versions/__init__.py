"""Version history for every kind of versioned content (units, lessons, templates, and later questions).

A platform package: it stores snapshots and knows nothing of what they describe. The owning domain decides who
may see or restore an item and what its snapshot holds; it calls these services after its own checks.
"""
