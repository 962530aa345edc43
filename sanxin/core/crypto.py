"""Encryption at rest of personal identifiers (resident ID numbers).

Fernet (AES-128-CBC + HMAC-SHA256, from the `cryptography` package) under the keys of
`SANXIN_ID_ENCRYPTION_KEYS`: a comma-separated list, newest first. The newest key encrypts, every
key decrypts, so a key can be rotated without downtime (docs/operations.md): put the new key first,
run `python manage.py rotate_id_key`, then drop the old one. Without the variable (development,
tests) one key is derived from SECRET_KEY; `check --deploy` warns about that.

Ciphertext is randomized: equal numbers encrypt differently, so the database cannot be searched by
ID number. Exact lookups go through the keyed digest (`sanxin.party.identity.id_digest`).
"""
import base64
import hashlib
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import models

# Every Fernet token starts with the version byte 0x80, "gAAAAA" in URL-safe base64.
TOKEN_PREFIX = "gAAAAA"


def _configured_keys() -> list[str]:
    keys = getattr(settings, "SANXIN_ID_ENCRYPTION_KEYS", None) or []
    if isinstance(keys, str):
        keys = keys.split(",")
    return [k.strip() for k in keys if k.strip()]


def _derived_key() -> bytes:
    digest = hashlib.sha256(("sanxin-id-encryption:" + settings.SECRET_KEY).encode()).digest()
    return base64.urlsafe_b64encode(digest)


@lru_cache(maxsize=1)
def _fernets() -> tuple[Fernet, ...]:
    keys = _configured_keys() or [_derived_key().decode()]
    try:
        return tuple(Fernet(key.encode()) for key in keys)
    except ValueError as exc:
        raise ImproperlyConfigured(
            "SANXIN_ID_ENCRYPTION_KEYS: each key must be 32 URL-safe base64-encoded bytes "
            "(Fernet.generate_key())") from exc


@lru_cache(maxsize=1)
def _cipher() -> MultiFernet:
    return MultiFernet(list(_fernets()))


def _reset(**kwargs) -> None:
    if kwargs.get("setting") in ("SANXIN_ID_ENCRYPTION_KEYS", "SECRET_KEY"):
        _fernets.cache_clear()
        _cipher.cache_clear()


setting_changed.connect(_reset, dispatch_uid="sanxin-crypto-reset")


def encrypt(value: str) -> str:
    """Plain text → a Fernet token under the newest key; "" stays "" (nothing to hide)."""
    if not value:
        return value
    return _cipher().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return token
    try:
        return _cipher().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "An encrypted value cannot be decrypted with any key of SANXIN_ID_ENCRYPTION_KEYS: "
            "was a key dropped before `manage.py rotate_id_key` ran?") from exc


def rotate(token: str) -> str:
    """Re-encrypt under the newest key (MultiFernet.rotate); "" stays ""."""
    if not token:
        return token
    return _cipher().rotate(token.encode()).decode()


def under_newest_key(token: str) -> bool:
    try:
        _fernets()[0].decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def is_encrypted(value: str | None) -> bool:
    return bool(value) and value.startswith(TOKEN_PREFIX)


class EncryptedTextField(models.Field):
    """A text column holding ciphertext; Python code reads and writes plain text.

    Deliberately not a CharField subclass: the import pipeline's COPY path prepares every value
    of a field that is not a plain CharField/TextField through `get_db_prep_save`, so imported
    rows are encrypted too. Lookups compare ciphertext and so never match a plain value: look up
    through a digest column instead.
    """

    description = "Text encrypted at rest"

    def __init__(self, *args, plain_max_length: int | None = None, **kwargs):
        self.plain_max_length = plain_max_length
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.plain_max_length is not None:
            kwargs["plain_max_length"] = self.plain_max_length
        return name, path, args, kwargs

    def get_internal_type(self) -> str:
        return "TextField"

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def to_python(self, value):
        return value if value is None or isinstance(value, str) else str(value)

    def get_prep_value(self, value):
        value = self.to_python(super().get_prep_value(value))
        return encrypt(value) if value else value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": forms.CharField,
                                    "max_length": self.plain_max_length, **kwargs})


@checks.register(checks.Tags.security, deploy=True)
def check_encryption_keys(app_configs, **kwargs) -> list[checks.CheckMessage]:
    if _configured_keys():
        try:
            _reset(setting="SANXIN_ID_ENCRYPTION_KEYS")
            _cipher()
        except ImproperlyConfigured as exc:
            return [checks.Error(str(exc), id="sanxin.E001")]
        return []
    return [checks.Warning(
        "SANXIN_ID_ENCRYPTION_KEYS is not set: ID numbers are encrypted under a key derived from "
        "SECRET_KEY, so changing SECRET_KEY would make them unreadable.",
        hint="Set SANXIN_ID_ENCRYPTION_KEYS (docs/operations.md).", id="sanxin.W001")]
