"""Build data/cog.tsv.gz, the bundled gazetteer of French collectivities.

Source: the Etalab dataset of the Code officiel géographique, npm package
``@etalab/decoupage-administratif`` (MIT). Rerun after a new millésime:

    python scripts/build_cog.py                # fetches the package with `npm pack`
    python scripts/build_cog.py --package DIR  # or reads an unpacked package

Current communes (``commune-actuelle``), EPCI à fiscalité propre, départements and
régions are kept, one row per body, tab-separated: kind, code, siren, name,
departement, region, epci, population, epci_type, of. Former communes that live on
inside a commune nouvelle (``commune-deleguee``, ``commune-associee``: "Oullins" in
Oullins-Pierre-Bénite) are rows of kind ``former`` whose ``of`` is the INSEE code of
the current commune; the gazetteer reads their names as names of that commune.
"""
from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "@etalab/decoupage-administratif"
OUT = Path(__file__).resolve().parent.parent / "data" / "cog.tsv.gz"
COLUMNS = ["kind", "code", "siren", "name", "departement", "region", "epci", "population", "epci_type", "of"]
FORMER = ("commune-deleguee", "commune-associee")


def fetch_package(version: str, workdir: Path) -> Path:
    """Download and unpack the npm package; return its root folder."""
    subprocess.run(["npm", "pack", f"{PACKAGE}@{version}", "--pack-destination", str(workdir)],
                   check=True, capture_output=True)
    tgz = next(workdir.glob("*.tgz"))
    with tarfile.open(tgz) as tar:
        tar.extractall(workdir, filter="data")
    return workdir / "package"


def rows(pkg: Path):
    data = {name: json.loads((pkg / "data" / f"{name}.json").read_text(encoding="utf-8"))
            for name in ("communes", "epci", "departements", "regions")}
    epci_of = {}
    for e in data["epci"]:
        for m in e["membres"]:
            epci_of[m["code"]] = e["code"]
    for r in data["regions"]:
        yield ["region", r["code"], "", r["nom"], "", "", "", "", "", ""]
    for d in data["departements"]:
        yield ["departement", d["code"], "", d["nom"], d["code"], d["region"], "", "", "", ""]
    for e in data["epci"]:
        yield ["epci", e["code"], e["code"], e["nom"], "", "", "",
               str(e.get("populationTotale", "")), e["type"], ""]
    current = {c["code"] for c in data["communes"] if c["type"] == "commune-actuelle"}
    for c in data["communes"]:
        if c["type"] == "commune-actuelle":
            yield ["commune", c["code"], c.get("siren", ""), c["nom"], c.get("departement", ""),
                   c.get("region", ""), epci_of.get(c["code"], ""), str(c.get("population", "")), "", ""]
        elif c["type"] in FORMER and c.get("chefLieu") in current:
            yield ["former", c["code"], "", c["nom"], c.get("departement", ""), c.get("region", ""),
                   "", "", "", c["chefLieu"]]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--package", type=Path, help="unpacked npm package folder")
    ap.add_argument("--version", default="6.0.0", help="package version (millésime)")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        pkg = args.package or fetch_package(args.version, Path(tmp))
        version = json.loads((pkg / "package.json").read_text())["version"]
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="\t", lineterminator="\n")
        buf.write(f"# {PACKAGE}@{version}\n")
        writer.writerow(COLUMNS)
        n = 0
        for row in rows(pkg):
            writer.writerow(row)
            n += 1
    # mtime=0 keeps the file byte-identical across rebuilds of the same input.
    with gzip.GzipFile(args.out, "wb", mtime=0) as fh:
        fh.write(buf.getvalue().encode("utf-8"))
    print(f"wrote {args.out} ({n} bodies from {PACKAGE}@{version})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
