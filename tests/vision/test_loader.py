"""The image loader: format from content, mode conversion, and clear errors on bad input."""

from __future__ import annotations

import io
import struct
import time
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from modelbench.errors import ExtractionError
from modelbench.vision import MAX_PIXELS, load_image


def _png_header_only(width: int, height: int) -> bytes:
    """A valid PNG header declaring ``width``×``height`` with a tiny (truncated) body."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 100)) + chunk(b"IEND", b""))


def test_empty_file_is_a_clear_error(tmp_path):
    path = tmp_path / "empty.png"
    path.write_bytes(b"")
    with pytest.raises(ExtractionError, match="empty") as info:
        load_image(path)
    assert info.value.hint


def test_corrupt_file_is_a_clear_error(tmp_path):
    path = tmp_path / "table.png"
    path.write_bytes(b"this is not an image at all" * 20)
    with pytest.raises(ExtractionError, match="not a readable image"):
        load_image(path)


def test_truncated_png_is_a_clear_error(tmp_path):
    buffer = io.BytesIO()
    Image.fromarray(np.random.default_rng(0).integers(0, 255, (200, 300, 3), np.uint8)).save(
        buffer, format="PNG")
    path = tmp_path / "cut.png"
    path.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    with pytest.raises(ExtractionError, match="could not be decoded|not a readable"):
        load_image(path)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ExtractionError, match="no such image"):
        load_image(tmp_path / "nope.png")


def test_decompression_bomb_is_refused_from_the_header_without_decoding(tmp_path):
    path = tmp_path / "bomb.png"
    path.write_bytes(_png_header_only(20000, 20000))
    assert path.stat().st_size < 1000
    started = time.perf_counter()
    with pytest.raises(ExtractionError, match="too large|20000x20000") as info:
        load_image(path)
    assert time.perf_counter() - started < 5  # refused, not decoded (a hang would time out)
    assert "decompression" in info.value.hint
    assert 20000 * 20000 > MAX_PIXELS


def test_format_comes_from_content_not_extension(images_dir):
    image = load_image(images_dir / "hpt_leaderboard-1.5-edge.png")
    assert image.format == "JPEG"
    assert image.rgb.shape == (1096, 1760, 3)


def test_palette_png_becomes_rgb(images_dir):
    image = load_image(images_dir / "memu_benchmark.png")
    assert image.original_mode == "P"
    assert image.rgb.shape == (2160, 3840, 3) and image.rgb.dtype == np.uint8


def test_rgba_is_composited_on_white(tmp_path):
    rgba = np.zeros((20, 30, 4), np.uint8)
    rgba[..., 3] = 0  # fully transparent
    rgba[5:10, 5:10] = (255, 0, 0, 255)
    buffer = io.BytesIO()
    Image.fromarray(rgba, "RGBA").save(buffer, format="PNG")
    image = load_image(buffer.getvalue())
    assert tuple(image.rgb[0, 0]) == (255, 255, 255)
    assert tuple(image.rgb[7, 7]) == (255, 0, 0)


def test_image_over_the_limit_but_under_pillows_is_refused_with_its_size(tmp_path):
    path = tmp_path / "big.png"
    path.write_bytes(_png_header_only(8000, 6000))  # 48 M pixels: over ours, under Pillow's
    with pytest.raises(ExtractionError, match="8000x6000"):
        load_image(path)


def test_light_ink_on_transparency_is_drawn_on_a_dark_page(ocr, tmp_path):
    """A dark-mode README asset: white text on a transparent page (made here from a real
    table's ink). Composited on white, its text vanished and nothing was read."""
    from modelbench.vision import read_table

    real = Path(__file__).parent / "fixtures" / "real" / "flashfftconv_benchmark.png"
    gray = np.asarray(Image.open(real).convert("L"), dtype=np.uint8)
    rgba = np.zeros(gray.shape + (4,), np.uint8)
    rgba[..., :3] = 255
    rgba[..., 3] = 255 - gray  # ink opaque white, paper transparent
    path = tmp_path / "dark_mode.png"
    Image.fromarray(rgba, "RGBA").save(path)
    loaded = load_image(path)
    assert np.median(loaded.gray) < 60  # a dark page, not a blank white one
    table = read_table(loaded, engine=ocr)
    assert table.texts()[0][:3] == ["PyTorch", "0.62", "2.30"]
