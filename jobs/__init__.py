"""RQ job functions: thin wrappers that open the app, set the tenant and call one service."""
