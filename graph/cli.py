"""The ``publik-kg`` command line (argument parsing and output only)."""
from __future__ import annotations

import argparse
import re
import sys
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path

from rdflib import Graph

from . import __version__, namedqueries, rdfio, results, settings as settings_mod
from .dataset import Dataset, IngestError
from .reading import ReadError, collect, read_report
from .store import QuerySyntaxError, StoreError
from .vocab import CLUB, TOOL, TOPIC

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_INVALID = 0, 1, 2, 3
EXPORT_FORMATS = ["turtle", "ntriples", "jsonld", "trig", "nquads"]
RDF_SUFFIX = {".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".trig": "trig", ".jsonld": "json-ld",
              ".json": "json-ld", ".rdf": "xml", ".owl": "xml", ".xml": "xml", ".n3": "n3"}


class CliError(Exception):
    def __init__(self, message: str, code: int = EXIT_ERROR):
        super().__init__(message)
        self.code = code


def err(msg: str) -> None:
    print(f"publik-kg: {msg}", file=sys.stderr)


def bundled_corpus() -> list[Path]:
    return [Path(str(f)) for f in files("publik_kg.data.corpus").iterdir() if f.name.endswith(".md")]


def load_dataset(args, bootstrap: bool = True) -> Dataset:
    """Open the data dir's store; a default data dir is built from the bundled corpus.
    The caller closes ``ds.store``."""
    conf = settings_mod.resolve(args.data_dir, getattr(args, "base_uri", None))
    settings_mod.save(conf)
    try:
        remote = settings_mod.remote_config(**{k: getattr(args, f"store_{k}", None) for k in settings_mod.ENV_STORE})
    except StoreError as e:
        raise CliError(str(e)) from e
    try:
        store = settings_mod.open_store(conf, remote)
    except StoreError as e:
        raise CliError(str(e) if remote else f"{e} (is another publik-kg process using {conf.data_dir}?)") from e
    try:
        ds = Dataset(store, conf.base_uri)
        if bootstrap and not conf.explicit:
            # built on first use; read again when this version extracts differently
            fresh = not ds.asserted_graphs()
            if fresh:
                print(f"building the default dataset in {conf.data_dir} from the bundled report(s)…", file=sys.stderr)
            done = ds.ingest([read_report(p) for p in bundled_corpus()], on_error=lambda e: err(str(e)))
            if not fresh and any(s.status != "unchanged" for s in done):
                print(f"updated the default dataset in {conf.data_dir}: bundled report(s) read again", file=sys.stderr)
    except BaseException:
        store.close()
        raise
    return ds


@contextmanager
def open_dataset(args, bootstrap: bool = True):
    """``load_dataset`` for the length of a ``with`` block."""
    ds = load_dataset(args, bootstrap)
    try:
        yield ds
    finally:
        ds.store.close()


def prefixes(ds: Dataset) -> dict[str, str]:
    return {"club": str(CLUB), "tool": str(TOOL), "topic": str(TOPIC), "": ds.iris.base}


# -- subcommands -------------------------------------------------------------------------

def cmd_ingest(args) -> int:
    from tqdm import tqdm
    paths, errors = collect([Path(p) for p in args.paths])
    failures = [f"{e.path}: {e.reason}" for e in errors]
    sources = []
    for p in paths:
        try:
            sources.append(read_report(p))
        except ReadError as e:
            failures.append(f"{e.path}: {e.reason}")
    with open_dataset(args, bootstrap=False) as ds:
        bar = tqdm(total=len(sources), unit="report", disable=args.quiet or not sys.stderr.isatty(), file=sys.stderr)

        def step(label: str) -> None:
            bar.set_description(Path(label).name[:40])
            bar.update(1)

        summaries = ds.ingest(sources, on_error=lambda e: failures.append(f"{e.path}: {e.reason}"), progress=step)
        bar.close()
    for s in summaries:
        counts = ", ".join(f"{v} {k}" for k, v in s.counts.items())
        print(f"{s.status:9} {s.path}" + (f": {s.triples} triples ({counts})" if s.status != "unchanged" else ""))
        for note in s.notes:
            print(f"          correction: {note}")
        if getattr(args, "explain", False):
            print(f"          {len(s.evidence)} fact(s) with their evidence:")
            for line, stage, rule, conf, kind, fact, quote in s.evidence:
                print(f"            line {line:>4}  {stage}/{rule or '-'} {conf:.2f}  {kind}: {fact}  «{quote[:60]}»")
        if s.skipped and not args.quiet:
            print(f"          {len(s.skipped)} line(s) not interpreted:")
            for line, text, reason in s.skipped:
                print(f"            line {line}: {text[:70]!r} — {reason}")
    for f in failures:
        err(f)
    if not paths and not failures:
        raise CliError("nothing to ingest", EXIT_USAGE)
    return EXIT_ERROR if failures else EXIT_OK


def _params(raw: list[str]) -> dict[str, str]:
    out = {}
    for item in raw:
        if "=" not in item:
            raise CliError(f"--param expects NAME=VALUE, got {item!r}", EXIT_USAGE)
        k, v = item.split("=", 1)
        out[k.strip()] = v
    return out


def cmd_query(args) -> int:
    params = _params(args.param)
    with open_dataset(args) as ds:
        if args.sparql is not None:
            text, bindings = args.sparql, {}
            if params:
                raise CliError("--param applies to named queries only", EXIT_USAGE)
        elif args.query and args.query.endswith(".rq"):
            path = Path(args.query)
            try:
                nq = namedqueries.parse_named_query(path.stem, path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError) as e:
                raise CliError(f"{path}: cannot read ({e})") from e
            text, bindings = nq.sparql, nq.bindings(params, ds.iris.base)
        elif args.query:
            nq = namedqueries.get(args.query)
            text, bindings = nq.sparql, nq.bindings(params, ds.iris.base)
        else:
            raise CliError("give a query name, a .rq file or --sparql TEXT", EXIT_USAGE)
        res = ds.store.query(text, bindings)
        fmt = args.format
        if res.kind == "graph":
            print(results.to_rdf(res, "turtle" if fmt == "table" else fmt), end="")
        elif fmt == "turtle":
            raise CliError("--format turtle is for CONSTRUCT/DESCRIBE queries; use table, csv or json", EXIT_USAGE)
        elif fmt == "json":
            print(results.to_json(res))
        elif fmt == "csv":
            sys.stdout.write(results.to_csv(res))
        else:
            print(results.to_table(res, prefixes(ds)))
    return EXIT_OK


def cmd_queries(args) -> int:
    for nq in namedqueries.catalogue().values():
        params = ", ".join(f"{p.name}:{p.type}" for p in nq.params)
        print(f"{nq.name:16} {nq.title}" + (f"  [{params}]" if params else ""))
    return EXIT_OK


def cmd_load(args) -> int:
    path = Path(args.file)
    fmt = args.rdf_format or RDF_SUFFIX.get(path.suffix.lower())
    if fmt not in rdfio.FORMATS:
        raise CliError(f"{path}: unknown RDF format; give --rdf-format ({', '.join(sorted(rdfio.FORMATS))})", EXIT_USAGE)
    try:
        g = rdfio.read_graph(path, fmt)
    except FileNotFoundError:
        raise CliError(f"{path}: no such file") from None
    except (SyntaxError, ValueError, OSError) as e:
        raise CliError(f"{path}: not valid {fmt}: {str(e).splitlines()[0][:200]}") from None
    with open_dataset(args) as ds:
        iri = args.graph or ds.default_loaded_iri(path)
        try:
            n = ds.load_graph(g, iri)
        except IngestError as e:
            raise CliError(str(e), EXIT_USAGE) from e
    print(f"loaded {n} triples into <{iri}>")
    return EXIT_OK


def cmd_correct(args) -> int:
    path = Path(args.file)
    try:
        g = rdfio.read_graph(path, "turtle")
    except FileNotFoundError:
        raise CliError(f"{path}: no such file") from None
    except (SyntaxError, ValueError, OSError) as e:
        raise CliError(f"{path}: not valid Turtle: {str(e).splitlines()[0][:200]}") from None
    with open_dataset(args) as ds:
        try:
            notes = ds.correct(g, path.name)
        except ValueError as e:
            raise CliError(f"{path}: {e}", EXIT_USAGE) from e
    print(f"applied {path.name}: corrections in <{ds.corrections_iri}>")
    for note in notes:
        print(f"  no longer matches: {note}")
    return EXIT_OK


def cmd_export(args) -> int:
    if args.out:
        return _publish(args)
    with open_dataset(args) as ds:
        if args.format == "jsonld":
            g = Graph()
            for t in ds.store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").triples:
                g.add(t)
            data = g.serialize(format="json-ld", auto_compact=True).encode("utf-8")
        else:
            data = ds.store.dump(args.format)
    if args.output:
        out = Path(args.output)
        tmp = out.with_name(f".{out.name}.tmp")
        try:
            tmp.write_bytes(data)
            tmp.replace(out)
        except OSError as e:
            tmp.unlink(missing_ok=True)
            raise CliError(f"{out}: cannot write ({e.strerror})") from None
        print(f"wrote {len(data):,} bytes to {out}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
    return EXIT_OK


def _publish(args) -> int:
    from .catalog import Publisher
    from .publish import PublishError, publish
    if not re.match(r"^https?://[^/\s]+", args.base_url or ""):
        raise CliError("--out needs --base-url, the http(s) URL the files will be downloaded from")
    publisher = Publisher(**{k: v for k, v in (("name", args.publisher), ("contact_email", args.contact_email)) if v})
    with open_dataset(args) as ds:
        try:
            pub = publish(ds, Path(args.out), args.base_url, publisher)
        except PublishError as e:
            raise CliError(str(e)) from None
    total = sum(pub.files.values())
    print(f"published {len(pub.files)} files ({total:,} bytes) to {pub.out}; catalogue: "
          f"{args.base_url.rstrip('/')}/catalog.ttl", file=sys.stderr)
    return EXIT_OK


def _remote_from(args, url: str):
    try:
        return settings_mod.remote_config(query_url=url, update_url=getattr(args, "update_url", None) or "",
                                          gsp_url=args.gsp_url or "", user=args.user or "",
                                          password_file=args.password_file or "")
    except StoreError as e:
        raise CliError(str(e)) from e


def _copy(args, to_remote: bool) -> int:
    from .remote import RemoteStore
    from .store import OxigraphStore
    from .transfer import copy_dataset
    conf = settings_mod.resolve(args.data_dir, getattr(args, "base_uri", None))
    remote = RemoteStore(_remote_from(args, args.to if to_remote else args.source))
    if to_remote and not remote.config.update_url:
        raise CliError("push needs --update-url, the server's SPARQL Update endpoint")
    if not to_remote:
        settings_mod.save(conf)
    try:
        local = OxigraphStore(conf.store_dir)
    except StoreError as e:
        raise CliError(f"{e} (is another publik-kg process using {conf.data_dir}?)") from e
    try:
        source, target = (local, remote) if to_remote else (remote, local)
        graphs, triples = copy_dataset(source, target, conf.base_uri)
    finally:
        local.close()
    print(f"{'pushed' if to_remote else 'pulled'} {graphs} graphs, {triples:,} triples "
          f"{'to' if to_remote else 'from'} {remote.url}", file=sys.stderr)
    return EXIT_OK


def cmd_push(args) -> int:
    return _copy(args, to_remote=True)


def cmd_pull(args) -> int:
    return _copy(args, to_remote=False)


def cmd_validate(args) -> int:
    from .validation import validate
    with open_dataset(args) as ds:
        g = Graph()
        names = ds.asserted_graphs() + [ds.inferred_iri, ds.ontology_iri]
        for t in ds.store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", default_graphs=names).triples:
            g.add(t)
    report = validate(g)
    if report.conforms:
        print(f"valid: {len(g)} triples conform to the shapes")
        return EXIT_OK
    print(report.text)
    err(f"{report.violations} violation(s)")
    return EXIT_INVALID


def cmd_remove(args) -> int:
    with open_dataset(args, bootstrap=False) as ds:
        if not ds.remove(args.report_id):
            raise CliError(f"no report with id {args.report_id!r}", EXIT_USAGE)
    print(f"removed {args.report_id}")
    return EXIT_OK


def cmd_reingest(args) -> int:
    with open_dataset(args, bootstrap=False) as ds:
        try:
            ids = ds.reread(args.report_ids or None)
        except KeyError as e:
            raise CliError(f"no report with id {e.args[0]}", EXIT_USAGE) from None
    print(f"read again: {len(ids)} report(s)")
    return EXIT_OK


def cmd_evaluate(args) -> int:
    import json
    from .evaluation import AnnotationError, below, evaluate, to_text
    try:
        result = evaluate([Path(p) for p in args.annotations])
    except AnnotationError as e:
        raise CliError(str(e), EXIT_USAGE) from None
    print(json.dumps(result, ensure_ascii=False, indent=2) if args.format == "json" else to_text(result), end="")
    if args.format == "json":
        print()
    if args.min is not None and (low := below(result, args.min)):
        err(f"below --min {args.min}: " + "; ".join(low))
        return EXIT_ERROR
    return EXIT_OK


def cmd_stats(args) -> int:
    with open_dataset(args) as ds:
        q = ("PREFIX club: <https://w3id.org/publik-kg/ontology#> SELECT ?class (COUNT(DISTINCT ?s) AS ?n) "
             "WHERE { VALUES ?class { club:Meeting club:Organization club:Person club:SoftwareTool "
             "club:FeatureRequest club:PlannedEvolution club:SharingOffer club:CallForProposals club:Response } "
             "?s a ?class } GROUP BY ?class ORDER BY ?class")
        res = ds.store.query(q)
        print(f"data dir     {settings_mod.resolve(args.data_dir).data_dir}")
        print(f"base IRI     {ds.iris.base}")
        print(f"quads        {ds.store.count()}")
        for g in ds.store.graph_names():
            n = ds.store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graphs=[g]).rows[0][0]
            print(f"graph        {g}  {n}")
        for cls, n in res.rows:
            print(f"{str(cls).split('#')[-1]:12} {n}")
    return EXIT_OK


# -- parser ------------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", help=f"data directory (env {settings_mod.ENV_DATA_DIR}; "
                                           f"default {settings_mod.default_data_dir()}, built from the bundled report)")
    common.add_argument("--base-uri", help=f"base IRI for new data dirs (env {settings_mod.ENV_BASE_URI})")
    local = argparse.ArgumentParser(add_help=False, parents=[common])   # push / pull: the data dir only
    common = argparse.ArgumentParser(add_help=False, parents=[local])
    remote = common.add_argument_group("remote store (a SPARQL 1.1 server instead of the embedded store)")
    for key, env in settings_mod.ENV_STORE.items():
        flag = {"query_url": "--store-url"}.get(key, "--store-" + key.replace("_", "-"))
        remote.add_argument(flag, dest=f"store_{key}", metavar=key.split("_")[-1].upper(), help=f"env {env}")
    p = argparse.ArgumentParser(prog="publik-kg", description="Knowledge graph of the Club des utilisateurs Publik.")
    p.add_argument("--version", action="version", version=f"publik-kg {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("ingest", parents=[common], help="ingest meeting reports (files or folders)")
    s.add_argument("paths", nargs="+", metavar="PATH")
    s.add_argument("-q", "--quiet", action="store_true", help="no progress bar, no skipped-line listing")
    s.add_argument("--explain", action="store_true",
                   help="list each fact read with its evidence: line, stage/rule, prior confidence, words")
    s.set_defaults(func=cmd_ingest)

    s = sub.add_parser("query", parents=[common], help="run a named query, a .rq file or SPARQL text")
    s.add_argument("query", nargs="?", metavar="NAME|FILE.rq")
    s.add_argument("--sparql", metavar="TEXT", help="SPARQL query text")
    s.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="named-query parameter")
    s.add_argument("--format", choices=["table", "csv", "json", "turtle", "ntriples", "jsonld"], default="table")
    s.set_defaults(func=cmd_query)

    s = sub.add_parser("queries", help="list the named queries")
    s.set_defaults(func=cmd_queries)

    s = sub.add_parser("load", parents=[common], help="add an RDF file as its own named graph")
    s.add_argument("file", metavar="RDF_FILE")
    s.add_argument("--graph", metavar="IRI", help="named graph IRI (default: BASE/graph/loaded/FILE)")
    s.add_argument("--rdf-format", help="the format when the file suffix does not tell (turtle, nt, nquads, trig, jsonld, rdfxml, n3)")
    s.set_defaults(func=cmd_load)

    s = sub.add_parser("correct", parents=[common],
                       help="apply a corrections file (Turtle: triples to add, club:Retraction to remove)")
    s.add_argument("file")
    s.set_defaults(func=cmd_correct)
    s = sub.add_parser("export", parents=[common],
                       help="dump the dataset, or write a whole open-data publication (--out)")
    s.add_argument("--format", choices=EXPORT_FORMATS, default="trig",
                   help="one dump: trig and nquads keep every named graph; the others give their union")
    s.add_argument("-o", "--output", metavar="FILE", help="one dump to FILE (default: standard output)")
    s.add_argument("--out", metavar="DIR", help="write the publication: dumps, CSV + CSVW, DCAT-AP catalogue, VoID")
    s.add_argument("--base-url", metavar="URL", help="with --out: where DIR will be served (download URLs)")
    s.add_argument("--publisher", metavar="NAME", help="with --out: the publisher's name in the catalogue")
    s.add_argument("--contact-email", metavar="EMAIL", help="with --out: the catalogue's contact point")
    s.set_defaults(func=cmd_export)

    s = sub.add_parser("validate", parents=[common], help="check the dataset against the SHACL shapes")
    s.set_defaults(func=cmd_validate)

    s = sub.add_parser("remove", parents=[common], help="remove an ingested report")
    s.add_argument("report_id", metavar="REPORT_ID", help="the report file name without suffix")
    s.set_defaults(func=cmd_remove)

    s = sub.add_parser("reingest", parents=[common],
                       help="read stored reports again from their kept text (after an upgrade)")
    s.add_argument("report_ids", nargs="*", metavar="REPORT_ID", help="default: every report")
    s.set_defaults(func=cmd_reingest)

    for name, helptext in (("push", "copy the whole dataset to a SPARQL 1.1 server (named graphs kept)"),
                           ("pull", "copy a whole dataset from a SPARQL 1.1 server into the data dir")):
        s = sub.add_parser(name, parents=[local], help=helptext)
        if name == "push":
            s.add_argument("--to", required=True, metavar="QUERY_URL", help="the server's SPARQL query endpoint")
            s.add_argument("--update-url", required=True, metavar="URL", help="its SPARQL Update endpoint")
        else:
            s.add_argument("--from", dest="source", required=True, metavar="QUERY_URL",
                           help="the server's SPARQL query endpoint")
        s.add_argument("--gsp-url", metavar="URL", help="its Graph Store Protocol endpoint (faster bulk transfer)")
        s.add_argument("--user", metavar="USER")
        s.add_argument("--password-file", metavar="FILE", help="a file holding the password (never on the command line)")
        s.set_defaults(func=cmd_push if name == "push" else cmd_pull)

    s = sub.add_parser("evaluate", help="measure the extraction against annotated reports (scratch store)")
    s.add_argument("annotations", nargs="+", metavar="ANNOTATION.json",
                   help="annotation files (tests/data/real/ANNOTATIONS.md); each names its report, next to it")
    s.add_argument("--format", choices=["table", "json"], default="table")
    s.add_argument("--min", type=float, metavar="F",
                   help="exit 1 when some kind's overall precision or recall is below F")
    s.set_defaults(func=cmd_evaluate)

    s = sub.add_parser("stats", parents=[common], help="what the dataset holds")
    s.set_defaults(func=cmd_stats)

    # Commands of other layers (the HTTP server) plug in through entry points, so this
    # module never imports them.
    from importlib.metadata import entry_points
    for ep in entry_points(group="publik_kg.commands"):
        ep.load()(sub, common)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except CliError as e:
        err(str(e))
        return e.code
    except (namedqueries.ParameterError, namedqueries.UnknownQuery) as e:
        msg = f"unknown query {e.args[0]!r} (see 'publik-kg queries')" if isinstance(e, namedqueries.UnknownQuery) else str(e)
        err(msg)
        return EXIT_USAGE
    except QuerySyntaxError as e:
        err(f"malformed SPARQL: {e}")
        return EXIT_USAGE
    except StoreError as e:
        err(str(e))
        return EXIT_ERROR
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
