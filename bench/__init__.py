"""Side-by-side benchmarks; run each as ``python -m bench.<name>``."""
