"""Load an image from a path or bytes, safely: format from content, RGB out, bomb guard.

Example:
    >>> from modelbench.vision.loader import load_image
    >>> image = load_image("results.png")          # doctest: +SKIP
    >>> image.rgb.shape, image.format               # doctest: +SKIP
    ((786, 2000, 3), 'PNG')
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import ExtractionError

__all__ = ["LoadedImage", "load_image", "clutter", "MAX_PIXELS"]

#: Largest image accepted (pixels). A 3840x2160 screenshot is 8.3 M; 40 M leaves room for
#: large renders while refusing decompression bombs before any pixel is decoded.
MAX_PIXELS = 40_000_000
_BOMB_HINT = ("downscale the image first; images this large are refused as possible "
              "decompression bombs")


@dataclass
class LoadedImage:
    """Decoded image: ``rgb`` is an ``(h, w, 3)`` uint8 array; ``format`` as detected."""

    rgb: np.ndarray
    format: str
    source: str
    original_mode: str

    @property
    def gray(self) -> np.ndarray:
        """Luminance as ``(h, w)`` uint8."""
        import cv2

        return cv2.cvtColor(self.rgb, cv2.COLOR_RGB2GRAY)


def _open(source: str | Path | bytes):
    from PIL import Image, UnidentifiedImageError

    if isinstance(source, bytes):
        data, name = source, "<bytes>"
    else:
        path = Path(source)
        name = str(path)
        if not path.is_file():
            raise ExtractionError(f"no such image file: {name}",
                                  hint="check the path; pass a PNG, JPEG, GIF, BMP, TIFF or WebP")
        data = path.read_bytes()
    if not data:
        raise ExtractionError(f"{name} is empty (0 bytes)", hint="pass a non-empty image file")
    try:
        # Pillow decides the format from the file's magic bytes, never from the extension.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            return Image.open(io.BytesIO(data)), name
    except Image.DecompressionBombError as exc:
        raise ExtractionError(f"{name} is too large to decode safely: {exc}",
                              hint=_BOMB_HINT) from None
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ExtractionError(f"{name} is not a readable image ({exc.__class__.__name__})",
                              hint="pass a PNG, JPEG, GIF, BMP, TIFF or WebP file") from None


def load_image(source: str | Path | bytes, *, max_pixels: int = MAX_PIXELS) -> LoadedImage:
    """Decode ``source`` into RGB. Palette, grey, 16-bit and RGBA images are converted
    (transparency composited on white, or on a dark page when the ink is light: a dark-mode
    asset's white text would vanish on white).

    Example:
        >>> load_image("results.png").rgb.shape                # doctest: +SKIP
        (786, 2000, 3)
        >>> try:
        ...     load_image(b"")
        ... except Exception as exc:
        ...     print(exc.message)
        <bytes> is empty (0 bytes)

    Raises:
        ExtractionError: missing, empty, corrupt or truncated file, or more than ``max_pixels``
        pixels (checked from the header, before decoding).
    """
    from PIL import Image

    image, name = _open(source)
    width, height = image.size
    if width * height > max_pixels or width < 1 or height < 1:
        raise ExtractionError(
            f"{name} is {width}x{height} pixels, more than the {max_pixels:,} allowed",
            hint=_BOMB_HINT)
    detected, mode = image.format or "unknown", image.mode
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.load()
            rgb = _to_rgb(image)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombWarning) as exc:
        raise ExtractionError(f"{name} could not be decoded: {exc}",
                              hint="the file may be truncated or corrupt; re-export it") from None
    return LoadedImage(rgb=np.asarray(rgb, dtype=np.uint8).copy(), format=detected,
                       source=name, original_mode=mode)


def _to_rgb(image):
    from PIL import Image

    if image.mode in ("I;16", "I;16B", "I", "F"):
        array = np.asarray(image, dtype=np.float64)
        top = array.max() or 1.0
        image = Image.fromarray((array / top * 255).astype(np.uint8))
    if image.mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "PA"):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, _paper_for(rgba))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return image.convert("RGB")


#: GitHub's dark page colour: what a dark-mode asset (light ink, transparent paper) is drawn on
_DARK_PAPER = (13, 17, 23, 255)
#: a dark-mode asset's drawn pixels are nearly all light: under this share dark (a transparent
#: chart of light gridlines and pale bars has 28-48 % dark ink, its labels and bars; a table
#: of black text on an opaque white box 5 %)
_DARK_INK_SHARE = 0.2


def _paper_for(rgba) -> tuple[int, int, int, int]:
    """White, unless what is drawn is light ink on transparency (a dark-mode README asset):
    composited on white its white text would vanish, so it goes on a dark page instead.
    Light drawing with dark ink among it (a chart's black labels between light gridlines and
    pale bars, transparent around them) stays on white: on the dark page that ink vanished.

    >>> from PIL import Image
    >>> page = np.zeros((40, 40, 4), np.uint8); page[::4, :] = (235, 235, 235, 255)
    >>> _paper_for(Image.fromarray(page, "RGBA"))[0]  # light gridlines only
    13
    >>> page[20:30, 5:35] = (0, 0, 0, 255)  # and black labels
    >>> _paper_for(Image.fromarray(page, "RGBA"))[0]
    255
    """
    array = np.asarray(rgba, dtype=np.uint8)
    alpha = array[..., 3]
    visible = alpha > 128
    if visible.mean() > 0.9 or not visible.any():
        return (255, 255, 255, 255)
    luma = array[..., :3][visible] @ np.array([0.299, 0.587, 0.114])
    light = float(np.median(luma)) > 170
    return _DARK_PAPER if light and float(np.mean(luma < 128)) < _DARK_INK_SHARE \
        else (255, 255, 255, 255)


def clutter(image: LoadedImage) -> tuple[float, float]:
    """(share of dark pixels, share of edge pixels) at half size, the page made light.

    Screenshots of tables and charts: under 0.2 and 0.3; photos and noise: about 0.5 and
    above 0.35. Used to refuse non-documents before a slow OCR pass.
    """
    import cv2

    gray = image.gray
    if min(gray.shape) > 400:
        gray = cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    if np.median(gray) < 110:
        gray = 255 - gray
    threshold, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    ink = float((gray < min(threshold, 200)).mean())
    busy = float((cv2.Canny(gray, 80, 160) > 0).mean())
    return ink, busy
