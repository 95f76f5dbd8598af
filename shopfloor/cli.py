"""The ``shopfloor`` command: init, serve, create-user, demo-data, labels, run-job, scheduler
(plus Flask's own)."""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from shopfloor.auth.models import STAFF_ROLE_VALUES


def _create_app_for_cli() -> Flask:
    from shopfloor import create_app
    from shopfloor.config import ConfigError

    try:
        return create_app()
    except ConfigError as exc:
        click.echo(f"Configuration error: {exc}", err=True)
        sys.exit(2)


@click.command("init")
@with_appcontext
def init_command() -> None:
    """Create the database schema, or upgrade it to the newest version."""
    from shopfloor.database import migrate_to_head

    try:
        migrate_to_head()
    except Exception as exc:  # noqa: BLE001 - said to the operator, then exit non-zero
        raise click.ClickException(f"Cannot prepare the database: {exc}") from exc
    click.echo(f"Database ready: {_safe_url()}")


def _safe_url() -> str:
    from sqlalchemy.engine import make_url

    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]).render_as_string(
        hide_password=True)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535),
              help="Port to listen on.")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64),
              help="Worker threads.")
@with_appcontext
def serve_command(host: str, port: int, threads: int) -> None:
    """Serve Shopfloor with waitress (a production WSGI server, not the debug server)."""
    import waitress

    from shopfloor.database import schema_problem

    problem = schema_problem()
    if problem:
        raise click.ClickException(problem)
    app = current_app._get_current_object()
    from shopfloor.scheduling.process import start_in_background

    if start_in_background(app) is not None:  # scheduler.in_process: a one-process demo
        click.echo("The scheduled jobs run inside this server too (scheduler.in_process).")
    click.echo(f"Shopfloor is running on http://{host}:{port}/ (Ctrl+C stops it)")
    waitress.serve(app, host=host, port=port, threads=threads, ident="Shopfloor",
                   clear_untrusted_proxy_headers=True)


@click.command("create-user")
@click.argument("username")
@click.option("--role", type=click.Choice(STAFF_ROLE_VALUES), required=True,
              help="The account's role.")
@click.option("--name", "display_name", default="", help="Full name shown in the interface.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="Asked for when not given.")
@with_appcontext
def create_user_command(username: str, role: str, display_name: str, password: str) -> None:
    """Create a staff account; the password is asked for twice and stored hashed."""
    from shopfloor.auth.services import create_user
    from shopfloor.errors import DomainError

    try:
        user = create_user(username, password, role, display_name)
    except DomainError as exc:
        raise click.ClickException(f"{exc.field}: {exc.message}") from exc
    click.echo(f"Created {user.role} account {user.username!r}.")


@click.command("demo-data")
@with_appcontext
def demo_data_command() -> None:
    """Load demo data (idempotent); refuses a database that holds real data."""
    from shopfloor.core.demo import DEMO_USERS, DemoRefused, load_demo_data

    try:
        summary = load_demo_data()
    except DemoRefused as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(summary)
    click.echo("Demo sign-ins:")
    for user in DEMO_USERS:
        click.echo(f"  {user.role:<10} user: {user.username:<12} password: {user.password}")


@click.command("labels")
@click.argument("kind", type=click.Choice(["batch", "unit", "garment", "pallet", "badge"]))
@click.argument("codes", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["pdf", "zpl", "png", "svg"]), default="pdf",
              show_default=True, help="PDF sheet, ZPL for thermal printers, or one PNG/SVG.")
@click.option("--grid", default="", help="Sheet preset for PDF (2x7, 3x8, 4x10, a6).")
@click.option("--dpi", type=click.Choice(["203", "300"]), default=None,
              help="Printer resolution for ZPL and PNG.")
@click.option("--out", "out", type=click.Path(dir_okay=False, writable=True), required=True,
              help="File to write.")
@with_appcontext
def labels_command(kind: str, codes: tuple[str, ...], fmt: str, grid: str, dpi: str | None,
                   out: str) -> None:
    """Print labels of KIND for batch CODES (badge: worker badge codes) into a file."""
    from flask import current_app

    from shopfloor.errors import DomainError
    from shopfloor.labels.output import render
    from shopfloor.labels.services import labels_for

    try:
        with current_app.test_request_context():  # dates and units in the default language
            body, _mimetype = render(labels_for(kind, list(codes)), fmt, grid=grid,
                                     dpi=int(dpi) if dpi else None)
    except DomainError as exc:
        raise click.ClickException(str(exc.message)) from exc
    with open(out, "wb") as fh:
        fh.write(body)
    click.echo(f"Wrote {out} ({len(body)} bytes).")


@click.command("run-job")
@click.argument("name")
@with_appcontext
def run_job_command(name: str) -> None:
    """Run the scheduled job NAME now and print its summary (exit status 1 when it fails)."""
    from shopfloor.errors import DomainError
    from shopfloor.scheduling.jobs import run_job
    from shopfloor.scheduling.models import RunOutcome

    try:
        run = run_job(name, runner="cli")
    except DomainError as exc:  # an unknown name: say which ones exist
        click.echo(str(exc.message), err=True)
        raise click.exceptions.Exit(2) from exc
    if run.outcome != RunOutcome.OK:
        click.echo(f"Job {name} failed (run {run.id}):\n{run.error}", err=True)
        raise click.exceptions.Exit(1)
    click.echo(run.summary)


@click.command("scheduler")
@click.option("--heartbeat", type=click.IntRange(1, 3600), default=None, hidden=True,
              help="Also run a 'heartbeat' job every SECONDS (tests, deployment checks).")
@with_appcontext
def scheduler_command(heartbeat: int | None) -> None:
    """Run the scheduled jobs until stopped (Ctrl+C or SIGTERM).

    Start it beside the web server. However many are started, only one runs the jobs;
    the others wait on standby and take over when it stops.
    """
    import logging

    from shopfloor.database import schema_problem
    from shopfloor.scheduling.jobs import heartbeat_job
    from shopfloor.scheduling.process import serve_in_foreground

    if not current_app.config["SHOPFLOOR"]["scheduler.enabled"]:
        click.echo("The scheduler is turned off (scheduler.enabled = false): nothing to run.")
        return
    problem = schema_problem()
    if problem:
        raise click.ClickException(problem)
    # The scheduler's own log (standby, lease, each run) goes to stderr; APScheduler's
    # per-run chatter is left out, its warnings (missed runs) are kept.
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    scheduler_log = logging.getLogger("shopfloor.scheduler")
    scheduler_log.addHandler(handler)
    scheduler_log.setLevel(logging.INFO)
    scheduler_log.propagate = False
    logging.getLogger("apscheduler").addHandler(handler)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    extra = {"heartbeat": heartbeat_job(heartbeat)} if heartbeat else None
    click.echo(f"Shopfloor scheduler on {_safe_url()} (Ctrl+C stops it)")
    serve_in_foreground(current_app._get_current_object(), extra_jobs=extra)


def register_commands(app: Flask) -> None:
    """Attach the commands to the app, so `flask --app shopfloor` offers them too."""
    for command in (init_command, serve_command, create_user_command, demo_data_command,
                    labels_command, run_job_command, scheduler_command):
        app.cli.add_command(command)


@click.group(cls=FlaskGroup, create_app=_create_app_for_cli, add_default_commands=True,
             add_version_option=False)
def main() -> None:
    """Shopfloor: production and order management for social cooperatives."""
