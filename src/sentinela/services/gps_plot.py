"""GPS points drawn on the server as an SVG scatter plot, with no map and no network.

Why no map tiles: fetching tiles would tell a tile server where the camera has been, and the
workspace has no outbound network anyway. The plot is plain axes in degrees, with the
longitude axis scaled by the cosine of the mean latitude so that distances look right, a
grid, and the item being examined drawn apart from the others. It is made with matplotlib's
object API (no ``pyplot`` global state) in memory; nothing is written to disk.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

#: Half-width, in degrees, of the view around a single point.
MIN_SPAN = 0.01


@dataclass(frozen=True)
class GpsPoint:
    """One point: where a media item was taken."""

    media_id: int
    lat: float
    lon: float
    is_query: bool = False


def _limits(values: list[float], floor: float) -> tuple[float, float]:
    lo, hi = min(values), max(values)
    pad = max((hi - lo) * 0.1, floor)
    return lo - pad, hi + pad


def render_gps_svg(points: Sequence[GpsPoint], *, title: str = "") -> bytes:
    """The points as an SVG document (UTF-8 bytes).

    Points outside valid latitude/longitude ranges are left out. With no point at all, the
    plot says so instead of drawing empty axes.
    """
    import matplotlib  # imported on use: slow to import, rarely needed
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    valid = [p for p in points if -90 <= p.lat <= 90 and -180 <= p.lon <= 180]
    with matplotlib.rc_context({"svg.hashsalt": "sentinela", "svg.fonttype": "none"}):
        fig = Figure(figsize=(6.4, 4.8), dpi=100)
        FigureCanvasSVG(fig)
        ax = fig.add_subplot()
        if not valid:
            ax.text(0.5, 0.5, "No GPS position recorded", ha="center", va="center")
            ax.set_axis_off()
        else:
            others = [p for p in valid if not p.is_query]
            query = [p for p in valid if p.is_query]
            if others:
                ax.scatter(
                    [p.lon for p in others],
                    [p.lat for p in others],
                    s=28,
                    c="#1f5f8b",
                    label="linked items",
                )
            if query:
                ax.scatter(
                    [p.lon for p in query],
                    [p.lat for p in query],
                    s=90,
                    marker="*",
                    c="#8b1f1f",
                    label="this item",
                )
            mean_lat = sum(p.lat for p in valid) / len(valid)
            ax.set_aspect(1 / max(math.cos(math.radians(mean_lat)), 0.05))
            ax.set_xlim(*_limits([p.lon for p in valid], MIN_SPAN))
            ax.set_ylim(*_limits([p.lat for p in valid], MIN_SPAN))
            ax.set_xlabel("longitude (°)")
            ax.set_ylabel("latitude (°)")
            ax.grid(True, linewidth=0.5, alpha=0.5)
            ax.legend(loc="best", fontsize="small")
        if title:
            ax.set_title(title, fontsize="medium")
        out = io.BytesIO()
        fig.savefig(out, format="svg", metadata={"Date": None}, bbox_inches="tight")
    return out.getvalue()
