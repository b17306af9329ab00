"""publik-kg: a knowledge graph of the Club des utilisateurs Publik's meetings."""
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("publik-kg")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"
