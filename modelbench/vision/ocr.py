"""One OCR interface. Tesseract (through ``tesserocr``) is the default engine.

The engine is created once and reused: loading Tesseract's model costs ~0.1 s, reading a
table image about as much. Other engines can be added by implementing :class:`OcrEngine`.

Example:
    >>> from modelbench.vision.ocr import get_engine
    >>> engine = get_engine()                       # doctest: +SKIP
    >>> [w.text for w in engine.words(gray_array)]  # doctest: +SKIP
    ['Model', 'MMLU', 'GPT-4', '86.4']
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from ..errors import ExtractionError

# Tesseract's OpenMP threads make it ~8x slower on small machines (measured: 2.5 s vs 0.29 s
# for one table image on 2 cores); one thread per engine. libgomp reads OMP_THREAD_LIMIT once,
# when it loads with tesserocr, so the variable is set only around that import and then
# removed again: the process environment, and every child it starts, never sees it.
_OMP_LIMIT = ("OMP_THREAD_LIMIT", "1")
_IMPORT_LOCK = threading.Lock()

__all__ = ["OcrWord", "OcrEngine", "TesseractEngine", "RapidOcrEngine", "get_engine",
           "ocr_available", "ENGINES",
           "vote_line", "omp_thread_limit", "INSTALL_HINT"]

INSTALL_HINT = ("apt-get install tesseract-ocr tesseract-ocr-eng libtesseract-dev "
                "libleptonica-dev pkg-config && pip install 'modelbench[vision]'")


@dataclass(frozen=True)
class OcrWord:
    """A word read by OCR: text, confidence in 0..1 and pixel box ``(x0, y0, x1, y1)``."""

    text: str
    confidence: float
    box: tuple[int, int, int, int]

    @property
    def height(self) -> int:
        return self.box[3] - self.box[1]

    @property
    def cx(self) -> float:
        return (self.box[0] + self.box[2]) / 2

    @property
    def cy(self) -> float:
        return (self.box[1] + self.box[3]) / 2


class OcrEngine(Protocol):
    """What the readers need from an OCR engine. Images are ``(h, w)`` uint8, dark text on light."""

    name: str

    def words(self, gray: np.ndarray, *, sparse: bool = True) -> list[OcrWord]:
        """All words with boxes. ``sparse``: scattered text (tables, charts) vs one block."""
        ...

    def line(self, gray: np.ndarray, *, whitelist: str = "") -> OcrWord | None:
        """Read ``gray`` as one line of text (a cell crop); ``None`` when nothing is read."""
        ...


class TesseractEngine:
    """Tesseract 4/5 LSTM via tesserocr, with Debian's ``eng`` data. Thread-safe (one lock)."""

    name = "tesseract"

    def __init__(self, lang: str = "eng", tessdata: str | None = None) -> None:
        tesserocr = _import_tesserocr()
        self._tesserocr = tesserocr
        path = tessdata or os.environ.get("TESSDATA_PREFIX") or _find_tessdata(lang)
        try:
            kwargs = {"lang": lang, "path": path} if path else {"lang": lang}
            self._api = tesserocr.PyTessBaseAPI(**kwargs)
        except RuntimeError as exc:
            raise ExtractionError(f"Tesseract cannot load language data {lang!r}: {exc}",
                                  hint=INSTALL_HINT) from exc
        # Tables and charts are not dictionary prose: the dictionary "corrects" model names.
        self._api.SetVariable("load_system_dawg", "0")
        self._api.SetVariable("load_freq_dawg", "0")
        # Inverted-text detection re-reads every line: twice the time, and our readers
        # already turn light-on-dark images the right way round.
        self._api.SetVariable("tessedit_do_invert", "0")
        self._lock = threading.Lock()
        self.version = tesserocr.tesseract_version().split()[1]

    def _image(self, gray: np.ndarray):
        from PIL import Image

        return Image.fromarray(np.ascontiguousarray(gray, dtype=np.uint8))

    def words(self, gray: np.ndarray, *, sparse: bool = True) -> list[OcrWord]:
        tess = self._tesserocr
        with self._lock:
            self._api.SetPageSegMode(tess.PSM.SPARSE_TEXT if sparse else tess.PSM.SINGLE_BLOCK)
            self._api.SetVariable("tessedit_char_whitelist", "")
            self._api.SetImage(self._image(gray))
            self._api.Recognize()
            return [w for w in _iterate_words(self._api, tess.RIL.WORD) if w.text]

    def line(self, gray: np.ndarray, *, whitelist: str = "") -> OcrWord | None:
        tess = self._tesserocr
        with self._lock:
            self._api.SetPageSegMode(tess.PSM.SINGLE_LINE)
            self._api.SetVariable("tessedit_char_whitelist", whitelist)
            self._api.SetImage(self._image(gray))
            self._api.Recognize()
            found = [w for w in _iterate_words(self._api, tess.RIL.WORD) if w.text]
            self._api.SetVariable("tessedit_char_whitelist", "")
        if not found:
            return None
        text = " ".join(w.text for w in found)
        box = (min(w.box[0] for w in found), min(w.box[1] for w in found),
               max(w.box[2] for w in found), max(w.box[3] for w in found))
        return OcrWord(text, min(w.confidence for w in found), box)


@contextlib.contextmanager
def _env_while(name: str, value: str) -> Iterator[None]:
    """``name=value`` in the environment inside the block only (kept when the caller set it).

    Example:
        >>> with _env_while("MODELBENCH_DOCTEST_VAR", "1"):
        ...     os.environ["MODELBENCH_DOCTEST_VAR"]
        '1'
        >>> "MODELBENCH_DOCTEST_VAR" in os.environ
        False
    """
    if name in os.environ:
        yield
        return
    os.environ[name] = value
    try:
        yield
    finally:
        os.environ.pop(name, None)


def _import_tesserocr():
    """tesserocr, loaded with OpenMP capped at one thread for Tesseract alone (see _OMP_LIMIT)."""
    with _IMPORT_LOCK, _env_while(*_OMP_LIMIT):
        try:
            import tesserocr
        except ImportError as exc:
            raise ExtractionError("tesserocr is not installed", hint=INSTALL_HINT) from exc
    return tesserocr


def omp_thread_limit() -> int | None:
    """The thread limit of the OpenMP runtime Tesseract runs on (``None``: not loaded here).

    Example:
        >>> limit = omp_thread_limit()
        >>> limit is None or limit >= 1
        True
    """
    import ctypes

    try:
        gomp = ctypes.CDLL("libgomp.so.1", mode=getattr(os, "RTLD_NOLOAD", 0) | ctypes.RTLD_LOCAL)
    except OSError:
        return None
    return int(gomp.omp_get_thread_limit())


def _iterate_words(api, level):
    """Words with boxes; symbol boxes are used to fix one LSTM habit (see _x_height_fix)."""
    from tesserocr import RIL

    iterator = api.GetIterator()
    if iterator is None:
        return
    word: list = []  # [text, confidence, box, symbols]
    while True:
        try:
            if iterator.IsAtBeginningOf(RIL.WORD):
                if word:
                    yield _finish(word)
                text = (iterator.GetUTF8Text(RIL.WORD) or "").strip()
                word = [text, iterator.Confidence(RIL.WORD), iterator.BoundingBox(RIL.WORD), []]
            symbol = iterator.GetUTF8Text(RIL.SYMBOL)
            box = iterator.BoundingBox(RIL.SYMBOL)
        except RuntimeError:  # an empty page: tesserocr raises "No text returned"
            break
        if word and symbol and box:
            word[3].append((symbol, box))
        if not iterator.Next(RIL.SYMBOL):
            break
    if word:
        yield _finish(word)


def _finish(word: list) -> OcrWord:
    text, confidence, box, symbols = word
    text = _x_height_fix(text, symbols)
    return OcrWord(text, max(0.0, confidence) / 100.0, tuple(box) if box else (0, 0, 0, 0))


def _x_height_fix(text: str, symbols: list) -> str:
    """In a word with letters, a "0" only as tall as a lower-case letter is an "o"
    ("GPT-4o" is read "GPT-40"); digits stand as tall as capitals."""
    if "0" not in text or not any(ch.isalpha() for ch in text) or len(symbols) != len(text):
        return text
    tall = [b[3] - b[1] for ch, b in symbols if ch.isdigit() and ch != "0" or ch.isupper()]
    if not tall:
        return text
    full = max(tall)
    # x-height is 0.70-0.78 of cap height in common fonts; box rounding adds a pixel or two
    fixed = list(text)
    for index, (ch, box) in enumerate(symbols):
        before = text[index - 1] if index else ""
        after = text[index + 1] if index + 1 < len(text) else ""
        # only where "o" is usual: after a digit, ending the token or before a separator
        # ("4o", "4o-mini"), never inside a number or before a capital ("20B")
        if ch == "0" and before.isdigit() and not (after.isdigit() or after.isupper()) and \
                (box[3] - box[1]) < 0.86 * full:
            fixed[index] = "o"
    return "".join(fixed)


def _find_tessdata(lang: str) -> str | None:
    for root in ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata",
                 "/usr/share/tessdata", "/usr/local/share/tessdata"):
        if os.path.isfile(os.path.join(root, f"{lang}.traineddata")):
            return root
    return None


def vote_line(engine: OcrEngine, crop: np.ndarray, first: OcrWord | None = None,
              factors: tuple[float, ...] = (0.6, 0.8, 1.3, 1.6)) -> OcrWord | None:
    """Read ``crop`` as one line at several sizes; the reading seen most often wins.

    Tesseract's slips change with scale while its confidence does not tell them apart
    ("HumaneEval" 0.74 vs "HumanEval" 0.70), so agreement is the better judge. ``first`` is
    a reading already made (it counts as one vote, plus its confidence as tie-break).
    """
    import cv2

    votes: dict[str, float] = {}
    best: dict[str, OcrWord] = {}
    if first is not None and first.text:
        votes[first.text] = 1.0 + first.confidence
        best[first.text] = first
    paper = int(np.median(crop))
    for factor in factors:
        interpolation = cv2.INTER_AREA if factor < 1 else cv2.INTER_CUBIC
        sized = cv2.resize(crop, None, fx=factor, fy=factor, interpolation=interpolation)
        sized = cv2.copyMakeBorder(sized, 12, 12, 12, 12, cv2.BORDER_CONSTANT, value=paper)
        word = engine.line(sized)
        if word is not None and word.text:
            votes[word.text] = votes.get(word.text, 0.0) + 1.0 + word.confidence
            best.setdefault(word.text, word)
    if not votes:
        return None
    text = max(votes, key=votes.get)
    return OcrWord(text, best[text].confidence, first.box if first else best[text].box)


RAPIDOCR_HINT = "pip install 'modelbench[rapidocr]'  (PP-OCRv4 ONNX models ship in the wheel)"


class RapidOcrEngine:
    """PP-OCRv4 detection + recognition through ``rapidocr-onnxruntime`` (models inside the
    wheel, so it runs offline), on one ONNX Runtime thread.

    Measured on the 39 real fixtures (``bench_vision.py --real [--engine rapidocr]``, same
    readers, 2 shared cores): table numbers in the right cell 875/1120 vs Tesseract's
    1050/1120, row labels 112 vs 130/157, chart bars within 1 % 256 vs 318/484, confident
    wrong values 157 vs 0, median CPU 15.6 s vs 2.1 s per image; so Tesseract stays the
    default. It reads text lines, not words: words are cut at the spaces it recognises
    ("LakeShoreDr" comes whole), and its detector scales the short side up to 736 px.
    Opt-in: ``MODELBENCH_OCR_ENGINE=rapidocr`` or ``get_engine("rapidocr")``.
    """

    name = "rapidocr"

    def __init__(self) -> None:
        try:
            from rapidocr_onnxruntime import RapidOCR
        except ImportError as exc:
            raise ExtractionError("rapidocr-onnxruntime is not installed",
                                  hint=RAPIDOCR_HINT) from exc
        self._ocr = RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1)
        self._lock = threading.Lock()
        self.version = "PP-OCRv4"

    def words(self, gray: np.ndarray, *, sparse: bool = True) -> list[OcrWord]:
        rgb = np.repeat(np.ascontiguousarray(gray, dtype=np.uint8)[:, :, None], 3, axis=2)
        with self._lock:
            found, _ = self._ocr(rgb, return_word_box=True)
        out: list[OcrWord] = []
        for line in found or []:
            out.extend(_split_line(line))
        return out

    def line(self, gray: np.ndarray, *, whitelist: str = "") -> OcrWord | None:
        rgb = np.repeat(np.ascontiguousarray(gray, dtype=np.uint8)[:, :, None], 3, axis=2)
        with self._lock:
            found, _ = self._ocr(rgb, use_det=False, use_cls=False)
        if not found:
            return None
        text, score = found[0][0], float(found[0][1])
        if whitelist:  # PP-OCR cannot be restricted: drop what the caller ruled out
            text = "".join(ch for ch in text if ch in whitelist or ch == " ")
        text = text.strip()
        if not text:
            return None
        height, width = gray.shape[:2]
        return OcrWord(text, score, (0, 0, width, height))


def _split_line(line: list) -> list[OcrWord]:
    """One RapidOCR line (box, text, score, char boxes, chars, char scores) as words, cut at
    its spaces; a word's box is the union of its characters' boxes.

    >>> line = [None, "GPT-4 86.4", 0.9, [[[0, 0], [9, 0], [9, 9], [0, 9]]] * 10,
    ...         list("GPT-4 86.4"), [0.99] * 5 + [0.6] + [0.98] * 4]
    >>> [(w.text, round(w.confidence, 2)) for w in _split_line(line)]
    [('GPT-4', 0.99), ('86.4', 0.98)]
    """
    box, text, score = line[0], line[1], float(line[2])
    if len(line) < 6 or not line[4]:
        xs = [p[0] for p in box]
        ys = [p[1] for p in box]
        return [OcrWord(text, score, (int(min(xs)), int(min(ys)), int(max(xs)), int(max(ys))))]
    words, current = [], []
    for quad, ch, conf in zip(line[3], line[4], line[5], strict=False):
        if ch.isspace():
            if current:
                words.append(current)
            current = []
            continue
        current.append((quad, ch, float(conf)))
    if current:
        words.append(current)
    out = []
    for word in words:
        xs = [p[0] for quad, _, _ in word for p in quad]
        ys = [p[1] for quad, _, _ in word for p in quad]
        out.append(OcrWord("".join(ch for _, ch, _ in word), min(c for _, _, c in word),
                           (int(min(xs)), int(min(ys)), int(max(xs)), int(max(ys)))))
    return out


#: engines by name; ``MODELBENCH_OCR_ENGINE`` picks the default one
ENGINES = {"tesseract": TesseractEngine, "rapidocr": RapidOcrEngine}
_ENGINES: dict[str, OcrEngine] = {}
_ENGINE_LOCK = threading.Lock()


def get_engine(name: str | None = None) -> OcrEngine:
    """The shared engine called ``name`` (default: ``$MODELBENCH_OCR_ENGINE``, else
    Tesseract), created on first use and then reused.

    Raises:
        ConfigError: an unknown engine name.
        ExtractionError: the engine is not installed (the hint says how to install it).
    """
    from ..errors import ConfigError

    chosen = (name or os.environ.get("MODELBENCH_OCR_ENGINE") or "tesseract").lower()
    if chosen not in ENGINES:
        raise ConfigError(f"unknown OCR engine {chosen!r}",
                          hint=f"choose one of {', '.join(ENGINES)}")
    with _ENGINE_LOCK:
        if chosen not in _ENGINES:
            _ENGINES[chosen] = ENGINES[chosen]()
        return _ENGINES[chosen]


def ocr_available() -> bool:
    """Whether the default engine can start (tesserocr importable and ``eng`` data present)."""
    try:
        get_engine()
    except ExtractionError:
        return False
    return True
