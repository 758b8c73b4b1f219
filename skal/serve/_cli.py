"""``skal serve``: the command-line options of the Label Studio backend."""

import os


def add_serve_parser(sub, est_help, check_positive):
    """Add the ``serve`` subcommand to the ``skal`` parser's subparsers."""
    s = sub.add_parser(
        "serve",
        help="serve a learner over HTTP: a Label Studio ML backend",
        description="Run skal as a Label Studio ML backend. Connect it in Label "
        "Studio (project Settings > Model > Connect Model, URL "
        "http://127.0.0.1:PORT). Every annotation is journaled under --dir "
        "before the model refits, so a restart loses nothing; predictions carry "
        "the acquisition score: sort the Data Manager by prediction score "
        "(descending) and label the top task next.",
    )
    s.add_argument(
        "--label-studio",
        action="store_true",
        required=True,
        help="speak Label Studio's ML backend protocol (the only one for now)",
    )
    s.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: %(default)s)",
    )
    s.add_argument(
        "--port",
        type=int,
        default=9090,
        help="port to listen on (default: %(default)s)",
    )
    s.add_argument(
        "--dir",
        default="skal-labelstudio",
        help="folder of the task and label journals (default: %(default)s)",
    )
    s.add_argument("--estimator", default="logreg", help=est_help)
    s.add_argument(
        "--strategy", default="entropy", help="query strategy (default: %(default)s)"
    )
    s.add_argument(
        "--image-size",
        type=check_positive,
        default=16,
        help="images are resized to SIZE x SIZE gray pixels (default: %(default)s)",
    )
    s.add_argument(
        "--image-dir", help="folder the task images are served from (local files)"
    )
    s.add_argument(
        "--url",
        default=os.environ.get("LABEL_STUDIO_URL"),
        help="Label Studio's URL, to download images (default: $LABEL_STUDIO_URL, "
        "else the hostname Label Studio sends)",
    )
    s.add_argument(
        "--api-key",
        default=os.environ.get("LABEL_STUDIO_API_KEY"),
        help="Label Studio API token for image downloads (default: "
        "$LABEL_STUDIO_API_KEY, else the token Label Studio sends)",
    )
    s.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    s.add_argument("--quiet", action="store_true", help="do not log each request")
    return s


def run_serve(args):
    """Serve until interrupted; return the exit status."""
    from .._cli_inputs import UsageError, make_estimator
    from ..strategies import available_strategies
    from ..strategies._registry import did_you_mean
    from ._backend import LabelStudioBackend
    from ._http import make_server

    make_estimator(args.estimator)  # a bad name fails now, not at the first label
    if args.strategy not in available_strategies():
        raise UsageError(
            f"unknown strategy {args.strategy!r}{did_you_mean(args.strategy)}; use "
            f"one of {', '.join(available_strategies())}"
        )
    backend = LabelStudioBackend(
        args.dir,
        estimator=args.estimator,
        query_strategy=args.strategy,
        image_size=args.image_size,
        image_dir=args.image_dir,
        label_studio_url=args.url,
        api_key=args.api_key,
        random_state=args.seed,
    )
    try:
        server = make_server(backend, args.host, args.port, quiet=args.quiet)
    except OSError as exc:
        raise UsageError(f"cannot listen on {args.host}:{args.port}: {exc}") from None
    host, port = server.server_address[:2]
    print(
        f"skal: Label Studio ML backend on http://{host}:{port} "
        f"(journals in {os.path.abspath(args.dir)})",
        flush=True,
    )
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return 0
