"""The ingest pipeline: walk an exhibit, hash every file in workers, write in batches.

Workers only hash and extract (and store the encrypted bytes in the content-addressed
vault, which is idempotent); the driver alone writes to the database, in batches, each
batch with its audit event. A job row records progress; an interrupted job resumes by
skipping every path already recorded for the exhibit.
"""
