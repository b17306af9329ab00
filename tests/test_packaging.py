"""Every data file the code reads is declared as package data, so a non-editable
install (the README's main command) carries it."""
import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_package_data_covers_every_resource():
    conf = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    dirs, data = conf["package-dir"], conf["package-data"]
    missing = []
    for package, folder in dirs.items():
        patterns = data.get(package, [])
        for f in (ROOT / folder).rglob("*"):
            rel = f.relative_to(ROOT / folder)
            if f.is_dir() or f.suffix in (".py", ".pyc") or "__pycache__" in rel.parts:
                continue
            owner = next((p for p, d in dirs.items() if p != package and (ROOT / d) in f.parents
                          and len(d) > len(folder)), None)
            if owner:
                continue
            if not any(fnmatch.fnmatch(str(rel), pat) for pat in patterns):
                missing.append(f"{folder}/{rel}")
    assert missing == []
