"""Token strings: `sx_<8 hex>_<43 url-safe chars>` (256 random bits); only the sha256 is stored."""
import hashlib
import secrets

TOKEN_PREFIX = "sx_"


def new_token() -> tuple[str, str]:
    """(the token to show once, its display prefix)."""
    prefix = TOKEN_PREFIX + secrets.token_hex(4)
    return f"{prefix}_{secrets.token_urlsafe(32)}", prefix


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()
