"""Signed hash-list releases: the format the police publish and providers verify.

Both sides use this package. The server signs documents built by
:mod:`sentinela.services.releases`; a provider verifies them with the published public key
and applies them to a :class:`~sentinela.sharing.local_list.LocalHashList` (see
``docs/industry.md``). Nothing here touches the database, so a provider needs no Sentinela
installation beyond the package itself.
"""
