"""The OCR engine behind one small interface, so that engines can be compared and swapped.

An engine turns a picture (a numpy array: grey ``H×W`` or colour ``H×W×3`` in BGR order, as
OpenCV reads it) into text boxes. Everything above this module (the table reader, the
arithmetic, the provenance) only sees ``TextBox``es, so another engine is plugged in by
writing a class with the two methods of ``OcrEngine`` and registering it::

    from gongkai.core.report.parsing.ocr.engine import register_engine
    register_engine("tesseract", TesseractEngine)      # a factory: () -> OcrEngine
    get_engine("tesseract").recognise(image)

The default engine is RapidOCR (``rapidocr-onnxruntime``): PaddleOCR's PP-OCR detection and
recognition models, shipped inside the wheel and run by onnxruntime on the CPU. Nothing is
downloaded: the models are files of the installed package, and no engine here opens a socket
(a test forbids it).
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field
from typing import Callable, Protocol, Sequence

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in pixels of the image given


@dataclass(frozen=True, slots=True)
class CharBox:
    """One recognised character with its own box and confidence (when the engine gives them)."""

    text: str
    box: Box
    confidence: float
    # The recogniser's probabilities of the ten digits at this character, renormalised among
    # the digits, most likely first (only those of at least ``DIGIT_ODDS_FLOOR``); empty when
    # the engine does not give them. In a cell that holds a number only digits can be printed,
    # so a "0" whose doubt was the letter "o" is sure among the digits, and a doubtful "8" says
    # which digits it may be (a 3, not any digit).
    digits: tuple[tuple[str, float], ...] = ()

    def digit_confidence(self) -> float | None:
        """The probability, among the digits, of the digit read (None without the odds)."""
        for digit, p in self.digits:
            if digit == self.text:
                return p
        return 0.0 if self.digits and self.text.isdigit() else None


DIGIT_ODDS_FLOOR = 0.001


@dataclass(frozen=True, slots=True)
class TextBox:
    """A run of text found on the picture: its text, its box (axis-aligned), its confidence
    (0–1, the engine's own score for the whole run) and, when the engine gives them, the
    characters with their own boxes and confidences."""

    text: str
    box: Box
    confidence: float
    chars: tuple[CharBox, ...] = field(default=())

    @property
    def centre(self) -> tuple[float, float]:
        return ((self.box[0] + self.box[2]) / 2, (self.box[1] + self.box[3]) / 2)

    @property
    def height(self) -> float:
        return self.box[3] - self.box[1]


class OcrEngine(Protocol):
    """What the table reader needs from an OCR engine."""

    name: str

    def recognise(self, image) -> list[TextBox]:
        """Find and read every run of text on the picture (detection + recognition)."""

    def read_lines(self, crops: Sequence) -> list[TextBox]:
        """Read pictures that each hold one line of text (a table cell), without detection.
        One TextBox per crop, in order; its box is the whole crop; text "" when nothing read."""


def _axis_box(points) -> Box:
    xs = [float(p[0]) for p in points]
    ys = [float(p[1]) for p in points]
    return (min(xs), min(ys), max(xs), max(ys))


class RapidOcrEngine:
    """RapidOCR (PP-OCR models on onnxruntime), one CPU thread per session by default."""

    name = "rapidocr"

    def __init__(self, threads: int = 1) -> None:
        from rapidocr_onnxruntime import RapidOCR  # imported here: loading the models takes ~1 s

        params = {
            "use_cls": False,  # table text is upright; the angle classifier only costs time
            "intra_op_num_threads": threads,
            "inter_op_num_threads": 1,
            "print_verbose": False,
        }
        try:
            self._ocr = RapidOCR(**params)
        except TypeError:  # an older RapidOCR without keyword configuration
            self._ocr = RapidOCR()
        rec = getattr(self._ocr, "text_rec", None)
        if rec is not None and hasattr(rec, "rec_image_shape"):
            # Pad each batch only to its widest line, not to 320 pixels: a table cell's number
            # is a short line, and the padding was most of the work. Lines are sorted by width
            # before batching, so a batch holds lines of similar width. (``read_lines`` batches
            # its lines itself, see ``_recognise_lines``; this is for ``recognise``.)
            shape = list(rec.rec_image_shape)
            rec.rec_image_shape = [shape[0], shape[1], shape[1] // 3]
            rec.rec_batch_num = BATCH
            decoder = getattr(rec, "postprocess_op", None)
            if decoder is not None and all(str(d) in (getattr(decoder, "character", None) or ()) for d in range(10)):
                rec.postprocess_op = _DigitOdds(decoder)
        self._lock = threading.Lock()  # one onnxruntime session is not used by two threads at once

    def recognise(self, image) -> list[TextBox]:
        with self._lock:
            result, _ = self._ocr(image, use_cls=False, return_word_box=True)
        boxes: list[TextBox] = []
        for item in result or ():
            points, text, score = item[0], item[1], float(item[2])
            chars: tuple[CharBox, ...] = ()
            if len(item) >= 6 and item[4] and len(item[4]) == len(item[3]) == len(item[5]):
                chars = tuple(
                    CharBox(str(t), _axis_box(b), float(s)) for b, t, s in zip(item[3], item[4], item[5])
                )
            boxes.append(TextBox(str(text), _axis_box(points), score, chars))
        return boxes

    def read_lines(self, crops: Sequence) -> list[TextBox]:
        if not crops:
            return []
        decoder = getattr(getattr(self._ocr, "text_rec", None), "postprocess_op", None)
        with self._lock:
            if isinstance(decoder, _DigitOdds):
                decoder.enabled = True
            try:
                results = _recognise_lines(self._ocr.text_rec, list(crops))
            finally:
                if isinstance(decoder, _DigitOdds):
                    decoder.enabled = False
        out: list[TextBox] = []
        for crop, item in zip(crops, results):
            h, w = crop.shape[:2]
            text, score = str(item[0]), float(item[1])
            chars: tuple[CharBox, ...] = ()
            if len(item) >= 3 and item[2]:
                chars = _line_chars(item[2], text, w, h, item[3] if len(item) >= 4 else None)
            out.append(TextBox(text, (0.0, 0.0, float(w), float(h)), score if text else 0.0, chars))
        return out


# How lines are given to the recogniser. PP-OCR's recogniser reads a line scaled to 48 pixels
# high and padded on the right; its work grows with the padded width, and its confidence in a
# short line depends on the padding (a lone small "0": 0.88 padded to 96 pixels, 0.98 to 320),
# which the thresholds of ``settle`` and ``verify`` were set on. So the short lines (numbers,
# short words) are read as RapidOCR reads them: sorted by width, sixteen at a time, each batch
# padded to its widest line. The long lines (a row label of eight characters or more: three
# quarters of the work on a table-3 picture) are read padded each to its own width, rounded up
# to 8 pixels, lines of the same width in one call: RapidOCR padded sixteen of them to the
# widest, a third more work for the same text.
LINE_HEIGHT = 48
BATCH = 16
MIN_RATIO = 1 / 3  # width / height: no line is padded to less
LONG_RATIO = 5.0  # a batch whose narrowest line is at least this wide holds long lines only
LINE_STEP = 8
LINE_EXTRA = 0.3  # and a margin of 30 %: a noisy label read without one loses characters


def _recognise_lines(rec, crops: list) -> list:
    """RapidOCR's recogniser on the crops: (text, score, word information) for each."""
    import numpy as np

    ratios = [crop.shape[1] / float(max(crop.shape[0], 1)) for crop in crops]
    order = [int(i) for i in np.argsort(np.array(ratios))]
    results: list = [("", 0.0)] * len(crops)

    def run(members: list[int], ratio: float) -> None:
        batch = np.stack([rec.resize_norm_img(crops[i], ratio) for i in members]).astype(np.float32, copy=False)
        preds = rec.session(batch)[0]
        decoded = rec.postprocess_op(preds, True, wh_ratio_list=[ratios[i] for i in members], max_wh_ratio=ratio)
        for i, item in zip(members, decoded):
            results[i] = item

    start = 0
    while start < len(order) and ratios[order[start]] < LONG_RATIO:
        members = order[start : start + BATCH]
        run(members, max(MIN_RATIO, max(ratios[i] for i in members)))
        start += BATCH
    widths: dict[int, list[int]] = {}
    for i in order[start:]:
        scaled = math.ceil(LINE_HEIGHT * ratios[i] * (1 + LINE_EXTRA))
        widths.setdefault(-(-scaled // LINE_STEP) * LINE_STEP, []).append(i)
    for width, members in sorted(widths.items()):
        for first in range(0, len(members), BATCH):
            run(members[first : first + BATCH], width / LINE_HEIGHT)
    return results


class _DigitOdds:
    """RapidOCR's CTC decoder, wrapped: when ``enabled`` (``read_lines`` only), each result
    also carries, per character, the ten digits' probabilities at the character's step of the
    model's output, renormalised among the digits (``CharBox.digits``). The detection path
    (``recognise``) gets the decoder's results unchanged."""

    def __init__(self, decode) -> None:
        self._decode = decode
        self.character = decode.character
        import numpy as np

        self._digit_index = np.array([decode.character.index(str(d)) for d in range(10)])
        self.enabled = False

    def __getattr__(self, name):
        return getattr(self._decode, name)

    def __call__(self, preds, return_word_box: bool = False, **kwargs):
        out = self._decode(preds, return_word_box, **kwargs)
        if not (self.enabled and return_word_box):
            return out
        result = []
        for b, item in enumerate(out):
            odds: list[tuple[tuple[str, float], ...]] = []
            try:
                steps = [c for group in item[2][2] for c in group]
            except (TypeError, IndexError):
                steps = []
            for step in steps:
                p = preds[b, step, self._digit_index].astype("float64")
                total = float(p.sum())
                if total <= 0:
                    odds.append(())
                    continue
                ranked = sorted(((str(d), float(p[d]) / total) for d in range(10)), key=lambda x: -x[1])
                odds.append(tuple((d, q) for d, q in ranked if q >= DIGIT_ODDS_FLOOR))
            result.append((*item, odds))
        return result


def _line_chars(word_info, text: str, width: int, height: int, odds=None) -> tuple[CharBox, ...]:
    """Characters of a recognised line from RapidOCR's word information: the line's length on
    the model's time axis, each character's column on it, and each character's score."""
    try:
        steps = float(word_info[0])
        chars = [c for group in word_info[1] for c in group]
        cols = [c for group in word_info[2] for c in group]
        confs = [float(c) for c in word_info[4]]
    except (TypeError, IndexError, ValueError):
        return ()
    if not (len(chars) == len(cols) == len(confs)) or "".join(chars) != text or steps <= 0:
        return ()
    scale = width / steps
    half = scale * 1.5
    if odds is None or len(odds) != len(chars):
        odds = [()] * len(chars)
    return tuple(
        CharBox(ch, (max(0.0, col * scale - half), 0.0, min(float(width), col * scale + half), float(height)), conf, tuple(o))
        for ch, col, conf, o in zip(chars, cols, confs, odds)
    )


_FACTORIES: dict[str, Callable[[], OcrEngine]] = {"rapidocr": RapidOcrEngine}
_ENGINES: dict[str, OcrEngine] = {}
_ENGINES_LOCK = threading.Lock()
DEFAULT_ENGINE = "rapidocr"


def register_engine(name: str, factory: Callable[[], OcrEngine]) -> None:
    """Make an engine available under ``name`` (a factory called once, when first needed)."""
    _FACTORIES[name] = factory
    _ENGINES.pop(name, None)


def engine_names() -> list[str]:
    return sorted(_FACTORIES)


def get_engine(name: str | None = None) -> OcrEngine:
    """The engine called ``name`` (default RapidOCR), loaded once per process."""
    name = name or DEFAULT_ENGINE
    with _ENGINES_LOCK:
        engine = _ENGINES.get(name)
        if engine is None:
            if name not in _FACTORIES:
                raise KeyError(f"unknown OCR engine {name!r}; known: {', '.join(engine_names())}")
            engine = _ENGINES[name] = _FACTORIES[name]()
        return engine


__all__ = [
    "Box",
    "CharBox",
    "TextBox",
    "OcrEngine",
    "RapidOcrEngine",
    "register_engine",
    "get_engine",
    "engine_names",
    "DEFAULT_ENGINE",
]
