"""Visual links: local features of image regions, matched across the national store.

:mod:`.features` extracts ORB keypoints (OpenCV) from a decoded image or a selected region,
:mod:`.geometry` verifies candidate matches with a RANSAC similarity fit, :mod:`.region_index`
is the fast path (a faiss binary inverted-file index over every descriptor), and
:mod:`.region_brute` is the brute-force reference the tests and the benchmark compare it with.
"""

from __future__ import annotations
