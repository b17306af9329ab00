"""Where the data lives and under which base IRI: defaults → environment → flags."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from .mapping import DEFAULT_BASE

ENV_DATA_DIR = "PUBLIK_KG_DATA_DIR"
# A remote SPARQL server as the store (see remote.py); flags --store-url… override these.
ENV_STORE = {"query_url": "PUBLIK_KG_STORE_URL", "update_url": "PUBLIK_KG_STORE_UPDATE_URL",
             "gsp_url": "PUBLIK_KG_STORE_GSP_URL", "user": "PUBLIK_KG_STORE_USER",
             "password_file": "PUBLIK_KG_STORE_PASSWORD_FILE"}
ENV_BASE_URI = "PUBLIK_KG_BASE_URI"
SETTINGS_FILE = "settings.json"


def default_data_dir() -> Path:
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "publik-kg"


@dataclass
class Settings:
    data_dir: Path
    base_uri: str
    explicit: bool          # the data dir was chosen by a flag or the environment

    @property
    def store_dir(self) -> Path:
        return self.data_dir / "oxigraph"


def resolve(data_dir: str | None = None, base_uri: str | None = None) -> Settings:
    """Settings from flags, else environment, else defaults. The base IRI a data dir
    was created with is kept in it, since its IRIs were minted under it."""
    explicit = bool(data_dir or os.environ.get(ENV_DATA_DIR))
    path = Path(data_dir or os.environ.get(ENV_DATA_DIR) or default_data_dir()).expanduser()
    stored = path / SETTINGS_FILE
    saved = json.loads(stored.read_text()) if stored.is_file() else {}
    base = saved.get("base_uri") or base_uri or os.environ.get(ENV_BASE_URI) or DEFAULT_BASE
    return Settings(path, base, explicit)


def save(settings: Settings) -> None:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    target = settings.data_dir / SETTINGS_FILE
    if not target.exists():
        tmp = target.with_suffix(".tmp")
        tmp.write_text(json.dumps({"base_uri": settings.base_uri}, indent=2) + "\n")
        tmp.replace(target)


def remote_config(**flags):
    """The remote store's configuration from flags, else the environment; None when no
    query URL is given (the embedded store is used)."""
    from .remote import RemoteConfig
    from .store import StoreError
    values = {k: flags.get(k) or os.environ.get(env, "") for k, env in ENV_STORE.items()}
    if not values["query_url"]:
        return None
    password = ""
    if values["password_file"]:
        try:
            password = Path(values["password_file"]).read_text(encoding="utf-8").strip()
        except OSError as e:
            raise StoreError(f"{values['password_file']}: cannot read the password ({e.strerror})") from None
    return RemoteConfig(values["query_url"], values["update_url"], values["gsp_url"], values["user"], password)


def open_store(settings: Settings, remote=None):
    """The remote store when configured, else the data dir's embedded Oxigraph store."""
    if remote is not None:
        from .remote import RemoteStore
        return RemoteStore(remote)
    from .store import OxigraphStore
    return OxigraphStore(settings.store_dir)
