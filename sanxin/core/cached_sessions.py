"""Database sessions read through the cache (Django's `cached_db`), with the same refusal of a
malformed session key as `sanxin.core.sessions`. Settings choose this engine only when the cache
is shared by every process (SANXIN_SHARED_CACHE): a sign-out must reach every worker."""
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDatabaseSessionStore

from .sessions import ValidKeyMixin


class SessionStore(ValidKeyMixin, CachedDatabaseSessionStore):
    pass
