"""Safe image decoding and PDQ hashing.

Which pixels are hashed
    The **stored orientation**: the pixel grid as written in the file, with the EXIF
    ``Orientation`` tag *not* applied. This is what python-threatexchange (``pdq_from_file``),
    the PDQ reference hashers and the hash sets other agencies and industry share are computed
    on, so a Sentinela PDQ is comparable with theirs. A photo rotated by EXIF only still matches
    its rotated copies through the dihedral variants at match time, not here. HEIC/HEIF is the
    exception the format imposes: its rotation and mirroring are container properties
    (``irot``/``imir``) that every decoder must apply, so libheif applies them, and pillow-heif
    resets the EXIF orientation to 1 (the original value is kept in the metadata).

Draft policy (speed)
    JPEGs are decoded in Pillow draft mode: libjpeg scales by 1/2, 1/4 or 1/8 during the
    inverse DCT, so most of the work of a full decode is never done. :data:`DRAFT_TARGET` is the
    shorter side the drafted image must keep at least; the largest power-of-two scale that
    keeps it is used. The drafted pixels are hashed as they are (by
    :mod:`sentinela.hashing.pdq_sampled`, which gives ``pdqhash``'s result while blurring only
    the pixels PDQ samples): resampling them again (to 512 or 64 pixels) would add far more
    drift than the DCT scaling does. The target was
    chosen by ``python -m bench.hashing --sweep`` (``docs/hashing.md`` records the measured
    drift). Other formats are decoded at full resolution. :func:`pdq_full` always decodes at
    full resolution and hashes with the reference ``pdqhash``; matching uses it to confirm a
    candidate.

Safety
    Only the formats in :data:`DECODABLE_FORMATS` are parsed (no EPS/Ghostscript, no exotic
    plugins). The declared width x height is checked against :attr:`ImageLimits.max_pixels`
    *before* any pixel is decoded. Truncated files are refused rather than padded with grey:
    Pillow's ``LOAD_TRUNCATED_IMAGES`` must stay False, and decoding refuses to run if
    something in the process set it. PNG chunk CRCs (Pillow does not check IDAT's) are
    verified before decoding. Damage in the middle of JPEG entropy data that libjpeg can
    resynchronise past is decoded as any viewer would show it; it cannot be told from content.

Threads
    Decoding silences some Pillow warnings with ``warnings.catch_warnings``, which changes
    process-wide state in Python 3.11: hash from one thread per process (ingest uses processes).
"""

from __future__ import annotations

import functools
import io
import struct
import warnings
import zlib
from dataclasses import dataclass
from typing import Final

import numpy as np
import pdqhash
from numpy.typing import NDArray
from PIL import Image, ImageFile, UnidentifiedImageError

from sentinela.errors import (
    ConfigurationError,
    DecompressionBombError,
    InvalidInputError,
    UnsupportedMediaError,
)
from sentinela.hashing.pdq_sampled import pdq_bits
from sentinela.hashing.png_integrity import PNG_MAGIC, verify_png_crcs

#: Declared pixels above which an image is refused (Pillow's own hard limit).
DEFAULT_MAX_PIXELS: Final = 178_956_970
#: Image files larger than this are not held in memory for PDQ (they are still hashed).
DEFAULT_MAX_IN_MEMORY_BYTES: Final = 512 * 1024 * 1024
#: Shorter side a JPEG draft keeps at least (see the module docstring and docs/hashing.md).
DRAFT_TARGET: Final = 512

#: Pillow format names Sentinela decodes (JPEG includes the multi-picture ``MPO`` variant);
#: HEIF is added once pillow-heif is registered, for ISO base media files only.
DECODABLE_FORMATS: Final = ("JPEG", "PNG", "GIF", "BMP", "DIB", "WEBP", "TIFF", "AVIF")
_HEIF_FORMATS: Final = ("HEIF", "AVIF")
_DRAFTABLE: Final = frozenset({"JPEG", "MPO"})

# What Pillow and its plugins raise on malformed input. Pillow has no single base class.
_DECODE_ERRORS: Final = (
    OSError,
    SyntaxError,
    ValueError,
    TypeError,
    EOFError,
    IndexError,
    KeyError,
    RuntimeError,
    struct.error,
    zlib.error,
)


@dataclass(frozen=True, slots=True)
class ImageLimits:
    """Resource limits for decoding untrusted images.

    Attributes:
        max_pixels: declared width x height above which an image is refused. Pillow refuses
            anything above 2 x ``Image.MAX_IMAGE_PIXELS`` by itself, so a larger value here has
            no effect beyond that.
        max_in_memory_bytes: image files larger than this are not decoded (no PDQ).
        draft_target: shorter side a JPEG draft keeps at least, in pixels.
    """

    max_pixels: int = DEFAULT_MAX_PIXELS
    max_in_memory_bytes: int = DEFAULT_MAX_IN_MEMORY_BYTES
    draft_target: int = DRAFT_TARGET

    def __post_init__(self) -> None:
        for field in ("max_pixels", "max_in_memory_bytes", "draft_target"):
            if getattr(self, field) < 1:
                raise InvalidInputError(f"ImageLimits.{field} must be positive")


@dataclass(frozen=True, slots=True)
class PdqResult:
    """A PDQ hash with its quality and the original image size.

    Attributes:
        hash: 64 lower-case hex characters; bit 0 of ``pdqhash.compute()`` is the most
            significant bit of the first character (python-threatexchange's convention).
        quality: PDQ's own 0-100 quality score; below about 50 the hash is unreliable.
        width: declared width of the image, before any draft scaling.
        height: declared height of the image.
        method: how the pixels were decoded: ``full``, or ``draft_1_2``/``_1_4``/``_1_8`` for a
            JPEG decoded at that scale. Stored with the hash, so a drafted PDQ can be told
            from a full-resolution one.
    """

    hash: str
    quality: int
    width: int
    height: int
    method: str = "full"


@dataclass(frozen=True)
class DecodedImage:
    """One decode of an image, shared by PDQ, metadata and the thumbnail.

    Attributes:
        source: the opened file: format, EXIF and other header information.
        pixels: the decoded pixels in stored orientation, mode ``RGB`` or ``L``, possibly at
            a JPEG draft scale.
        width: declared width (before drafting).
        height: declared height.
    """

    source: Image.Image
    pixels: Image.Image
    width: int
    height: int

    @property
    def drafted(self) -> bool:
        """Whether the pixels are a reduced-scale JPEG decode."""
        return self.pixels.size != (self.width, self.height)

    @property
    def method(self) -> str:
        """``full``, or ``draft_1_N`` for a JPEG decoded at scale 1/N."""
        if not self.drafted:
            return "full"
        return f"draft_1_{round(self.width / self.pixels.size[0])}"


@functools.cache
def register_heif_opener() -> None:
    """Teach Pillow to open HEIC/HEIF through pillow-heif (once per process).

    Done on first use rather than at import so importing Sentinela changes no global state.
    One decode thread: ingest already runs one worker process per core.
    """
    import pillow_heif  # deferred on purpose, see above

    pillow_heif.register_heif_opener(
        thumbnails=False, depth_images=False, aux_images=False, decode_threads=1
    )


def open_image(data: bytes, *, limits: ImageLimits | None = None) -> Image.Image:
    """Parse an image's header and check it is safe to decode. No pixel is decoded.

    Raises:
        DecompressionBombError: the declared size exceeds ``limits.max_pixels``.
        UnsupportedMediaError: not a decodable image, or a PNG with a bad chunk CRC.
    """
    limits = limits or ImageLimits()
    if data.startswith(PNG_MAGIC):
        verify_png_crcs(data)
    formats: tuple[str, ...] = DECODABLE_FORMATS
    if data[4:8] == b"ftyp":
        register_heif_opener()
        formats = _HEIF_FORMATS
    try:
        with warnings.catch_warnings():
            # Our own limit applies below; Pillow's corrupt-metadata warnings are expected
            # on seized material and carry nothing the caller can act on.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            warnings.simplefilter("ignore", UserWarning)
            image = Image.open(io.BytesIO(data), formats=formats)
    except Image.DecompressionBombError as exc:
        raise DecompressionBombError(f"decompression bomb refused: {exc}") from exc
    except UnidentifiedImageError as exc:
        raise UnsupportedMediaError(
            f"no decoder for {', '.join(formats)} accepts this content"
        ) from exc
    except _DECODE_ERRORS as exc:
        raise UnsupportedMediaError(f"cannot open image: {_message(exc)}") from exc
    width, height = image.size
    if width * height > limits.max_pixels:
        raise DecompressionBombError(
            f"image declares {width}x{height} = {width * height} pixels, above the limit of "
            f"{limits.max_pixels}; refused before decoding"
        )
    return image


def load_pixels(image: Image.Image, *, draft_target: int | None) -> Image.Image:
    """Decode an opened image's (first frame's) pixels as ``RGB`` or ``L``.

    Args:
        image: from :func:`open_image`, not yet loaded.
        draft_target: for JPEG, decode at the largest reduction (1/2, 1/4 or 1/8) that keeps
            both sides at least this many pixels; None decodes at full resolution.

    Raises:
        UnsupportedMediaError: the pixel data is truncated or corrupt.
        ConfigurationError: Pillow's ``LOAD_TRUNCATED_IMAGES`` was switched on.
    """
    if ImageFile.LOAD_TRUNCATED_IMAGES:
        raise ConfigurationError(
            "PIL.ImageFile.LOAD_TRUNCATED_IMAGES is set: truncated evidence would be hashed "
            "as if complete; Sentinela refuses to decode images in this process"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            if draft_target is not None and image.format in _DRAFTABLE:
                image.draft("RGB", (draft_target, draft_target))
            image.load()
            if image.mode in ("RGB", "L"):
                return image
            return image.convert("RGB")
    except Image.DecompressionBombError as exc:
        raise DecompressionBombError(f"decompression bomb refused: {exc}") from exc
    except _DECODE_ERRORS as exc:
        raise UnsupportedMediaError(
            f"corrupt or truncated {image.format} image: {_message(exc)}"
        ) from exc


def decode_image(
    data: bytes,
    *,
    limits: ImageLimits | None = None,
    draft: bool = True,
    opened: Image.Image | None = None,
) -> DecodedImage:
    """Open, check and decode an image held in memory.

    Args:
        data: the whole image file.
        limits: resource limits; defaults apply when None.
        draft: decode JPEGs at a reduced scale (see the module docstring).
        opened: the result of :func:`open_image` on ``data`` when the caller already has it
            (to read EXIF before decoding); it must not have been loaded yet.

    Raises:
        DecompressionBombError: the declared size exceeds the limit.
        UnsupportedMediaError: not a decodable image, truncated or corrupt.
    """
    limits = limits or ImageLimits()
    source = opened if opened is not None else open_image(data, limits=limits)
    width, height = source.size
    pixels = load_pixels(source, draft_target=limits.draft_target if draft else None)
    return DecodedImage(source=source, pixels=pixels, width=width, height=height)


def pdq_hex(bits: NDArray[np.integer]) -> str:
    """Hex form of ``pdqhash.compute()``'s 256 bits, first bit most significant."""
    return np.packbits(bits.astype(np.uint8)).tobytes().hex()


def pdq_from_decoded(decoded: DecodedImage, *, reference: bool = False) -> PdqResult:
    """PDQ of already decoded pixels, without any resampling.

    Args:
        decoded: the pixels (possibly drafted).
        reference: hash with ``pdqhash`` (Meta's reference code) instead of
            :mod:`sentinela.hashing.pdq_sampled`, which computes the same hash several times
            faster by blurring only the pixels PDQ samples (see that module for how the two
            are kept equal).
    """
    pixels = decoded.pixels
    array = np.asarray(pixels)
    if not reference:
        bits, quality = pdq_bits(array)
    else:
        if pixels.mode == "L":
            # Same luma as RGB with R = G = B, without building a 3-channel copy.
            array = np.broadcast_to(array[:, :, np.newaxis], (*array.shape, 3))
        bits, quality = pdqhash.compute(array)
    return PdqResult(pdq_hex(bits), int(quality), decoded.width, decoded.height, decoded.method)


def pdq_fast(data: bytes, *, limits: ImageLimits | None = None) -> PdqResult:
    """PDQ as ingest computes it: JPEGs decoded in draft mode, hashed by
    :mod:`sentinela.hashing.pdq_sampled`.

    Raises:
        DecompressionBombError: the declared size exceeds the limit.
        UnsupportedMediaError: not a decodable image, truncated or corrupt.
    """
    return pdq_from_decoded(decode_image(data, limits=limits, draft=True))


def pdq_full(data: bytes, *, limits: ImageLimits | None = None) -> PdqResult:
    """PDQ of the full-resolution decode by the reference code, for confirming a match.

    Raises:
        DecompressionBombError: the declared size exceeds the limit.
        UnsupportedMediaError: not a decodable image, truncated or corrupt.
    """
    return pdq_from_decoded(decode_image(data, limits=limits, draft=False), reference=True)


def _message(exc: BaseException) -> str:
    """One clean line from a decoder's exception (libheif ends its messages with newlines)."""
    return " ".join(str(exc).split()) or type(exc).__name__
