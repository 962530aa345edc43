"""ID numbers: normalized, and a keyed digest for exact lookup.

The digest (HMAC-SHA256 under `SANXIN_ID_DIGEST_KEY`, falling back to SECRET_KEY) lets the system
find a person by full ID number and enforce "one member record per person" without reading the
number itself. This is what makes encryption at rest (issue 10) a change of one column: the
plain `id_number` can be replaced by ciphertext while lookups and the unique constraint keep using
the digest. Rotating the key means recomputing the digests (`Member.refresh_id_digest`).
"""
import hashlib
import hmac

from django.conf import settings

from sanxin.core.validators import normalize_code


def _key() -> bytes:
    key = getattr(settings, "SANXIN_ID_DIGEST_KEY", "") or settings.SECRET_KEY
    return ("sanxin-id-digest:" + key).encode()


def normalize_id_number(value: str | None) -> str:
    return normalize_code(value)


def id_digest(value: str | None) -> str | None:
    number = normalize_id_number(value)
    if not number:
        return None
    return hmac.new(_key(), number.encode(), hashlib.sha256).hexdigest()
