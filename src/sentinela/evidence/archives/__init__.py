"""Archives inside exhibits: recognising them by content, listing members safely, expanding.

:func:`sentinela.evidence.archives.expand.expand_archives` is applied to the output of every
evidence source, so an archive found anywhere (in a folder, on a disk image, inside another
archive) is read recursively, within :class:`~sentinela.evidence.entries.SourceLimits`.
"""
