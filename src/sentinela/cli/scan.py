"""Provider-side commands: `sentinela hashlist sync` and `sentinela scan`.

They need no Sentinela database: only the server's URL, the provider's API key (from a file
or ``SENTINELA_PROVIDER_KEY``, never the command line) and the release public key handed over
with it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from sentinela.cli.render import print_json, print_table
from sentinela.errors import ConfigurationError, InvalidInputError
from sentinela.sharing.http_client import SentinelaApiClient
from sentinela.sharing.keys import ReleasePublicKey
from sentinela.sharing.scan import ScanReport, scan_local, scan_remote
from sentinela.sharing.sync import open_local_list, sync_list

hashlist_app = typer.Typer(
    help="Provider side: keep a verified copy of the list.", no_args_is_help=True
)
KEY_ENV = "SENTINELA_PROVIDER_KEY"
ServerOpt = Annotated[str | None, typer.Option(help="The Sentinela server URL.")]
KeyFileOpt = Annotated[
    Path | None, typer.Option(help=f"File holding the API key (default: ${KEY_ENV}).")
]
PublicKeyOpt = Annotated[
    str | None,
    typer.Option(help="The release public key, ed25519:...", envvar="SENTINELA_RELEASE_PUBLIC_KEY"),
]


def _api_key(key_file: Path | None) -> str:
    if key_file is not None:
        try:
            return key_file.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigurationError(f"cannot read API key file {key_file}: {exc}") from None
    key = os.environ.get(KEY_ENV, "").strip()
    if not key:
        raise ConfigurationError(f"give --key-file or set {KEY_ENV}")
    return key


def _public_key(text: str | None) -> ReleasePublicKey:
    if not text:
        raise ConfigurationError("give --public-key or set SENTINELA_RELEASE_PUBLIC_KEY")
    return ReleasePublicKey.from_text(text)


@hashlist_app.command("sync")
def sync(
    list_file: Annotated[Path, typer.Option("--list", help="The local copy (created if missing).")],
    server: Annotated[str, typer.Option(help="The Sentinela server URL.")],
    public_key: PublicKeyOpt = None,
    key_file: KeyFileOpt = None,
) -> None:
    """Fetch, verify and apply the changes since the local copy's version."""
    key = _public_key(public_key)
    copy = open_local_list(list_file, key)
    result = sync_list(SentinelaApiClient(server, _api_key(key_file)), copy)
    copy.save(list_file)
    typer.echo(
        f"tier {copy.tier} version {result.version}: +{result.added} -{result.removed}, "
        f"{result.entry_count} entries"
    )


def scan(
    folder: Annotated[Path, typer.Argument(help="The folder to hash (read only).")],
    list_file: Annotated[
        Path | None, typer.Option("--list", help="Check against this local copy.")
    ] = None,
    server: ServerOpt = None,
    public_key: PublicKeyOpt = None,
    key_file: KeyFileOpt = None,
    report: Annotated[bool, typer.Option(help="Send the counts of a local scan.")] = True,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Hash a folder as ingest does and print the files the police list knows.

    With --list the check is local (and only the counts are sent, if --server is given);
    without it every hash goes to the remote match API.
    """
    if not folder.is_dir():
        raise InvalidInputError(f"{folder} is not a folder")
    result: ScanReport
    if list_file is not None:
        result = scan_local(folder, open_local_list(list_file, _public_key(public_key)))
        if server and report:
            client = SentinelaApiClient(server, _api_key(key_file))
            client.report_usage(result.examined, result.matched_hashes)
    elif server:
        result = scan_remote(folder, SentinelaApiClient(server, _api_key(key_file)))
    else:
        raise InvalidInputError("give --list FILE, --server URL, or both")
    if json_:
        print_json(result)
        return
    print_table(
        "Matches",
        ["file", "hash", "category", "baseline", "distance"],
        [
            (h.path, h.hash_type, h.category, "yes" if h.baseline else "no", h.distance)
            for h in result.hits
        ],
    )
    typer.echo(
        f"{result.files} files, {result.examined} hashes examined, "
        f"{result.matched_files} files matched, {len(result.unreadable)} unreadable"
    )
