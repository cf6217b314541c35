"""python-threatexchange extension: follow a Sentinela hash list with the ``threatexchange`` CLI.

Install the optional extra (``pip install 'sentinela[threatexchange]'``), then::

    threatexchange config extensions add sentinela.integrations.threatexchange
    threatexchange config collab edit sentinela my_police --create \\
        --server-url https://sentinela.example --public-key ed25519:...
    TX_SENTINELA_API_KEY=snt_... threatexchange fetch
    threatexchange match photo picture.jpg

It provides the ``sentinela`` exchange (checkpointed, signed deltas, deletions included) and
the ``photo_md5``, ``photo_sha1`` and ``photo_sha256`` signal types. ``TX_MANIFEST`` is a
declaration python-threatexchange reads when the extension is loaded; importing this package
registers nothing anywhere.
"""

from __future__ import annotations

from threatexchange.extensions.manifest import ThreatExchangeExtensionManifest

from sentinela.integrations.threatexchange.exchange import (
    SentinelaCheckpoint,
    SentinelaCollabConfig,
    SentinelaCredentials,
    SentinelaSignalExchangeAPI,
    SentinelaSignalMetadata,
)
from sentinela.integrations.threatexchange.signals import (
    PhotoMD5Signal,
    PhotoSHA1Signal,
    PhotoSHA256Signal,
)

TX_MANIFEST = ThreatExchangeExtensionManifest(
    signal_types=(PhotoMD5Signal, PhotoSHA1Signal, PhotoSHA256Signal),
    apis=(SentinelaSignalExchangeAPI,),
)

__all__ = [
    "TX_MANIFEST",
    "PhotoMD5Signal",
    "PhotoSHA1Signal",
    "PhotoSHA256Signal",
    "SentinelaCheckpoint",
    "SentinelaCollabConfig",
    "SentinelaCredentials",
    "SentinelaSignalExchangeAPI",
    "SentinelaSignalMetadata",
]
