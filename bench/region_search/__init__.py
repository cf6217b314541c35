"""Region-search benchmark: the faiss inverted-file index against brute-force matching."""
