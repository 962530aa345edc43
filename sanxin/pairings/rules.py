"""Rules of pairings and brands, one named function or constant each."""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTO_PIXELS = 40_000_000
PHOTO_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}


def validate_photo(upload) -> tuple[int, int]:
    """A brand photo must be a real JPEG/PNG/GIF/WebP image of at most 5 MB; returns its size.

    The file's content is decoded by Pillow; its name and declared content type prove nothing.
    """
    from PIL import Image, UnidentifiedImageError

    if upload is None:
        raise ValidationError({"image": _("Choose a photo to upload.")})
    if upload.size > MAX_PHOTO_BYTES:
        raise ValidationError({"image": _("The photo is larger than %(mb)d MB.")
                               % {"mb": MAX_PHOTO_BYTES // (1024 * 1024)}})
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            fmt = image.format
            width, height = image.size
            if width * height > MAX_PHOTO_PIXELS:
                raise ValidationError({"image": _("The photo has too many pixels.")})
            image.verify()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError) as exc:
        raise ValidationError({"image": _("This file is not an image (JPEG, PNG, GIF or WebP).")}) \
            from exc
    finally:
        upload.seek(0)
    if fmt not in PHOTO_FORMATS:
        raise ValidationError({"image": _("Only JPEG, PNG, GIF or WebP photos are accepted.")})
    return width, height
