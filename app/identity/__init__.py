"""Who is acting: the Actor that services receive, its roles per school, and the one permission check.

A platform package: every domain and platform package may import it; it imports none of them. The accounts
domain builds Actors (sign-in, the session check, jobs); everything else only reads them.
"""
