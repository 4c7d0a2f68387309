"""``aisle support …`` (the console's accounts) and ``aisle shopper …`` (a shopper's data:
export as JSON, delete from every store)."""

from __future__ import annotations

import getpass
import json
import sys
from typing import Annotated

import typer

from core.settings import get_settings

support_app = typer.Typer(no_args_is_help=True)
shopper_app = typer.Typer(no_args_is_help=True)


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


@support_app.command("add-agent")
def add_agent(
    email: str,
    admin: Annotated[bool, typer.Option("--admin", help="May export and delete data.")] = False,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin.")
    ] = False,
) -> None:
    """Create a console account (or reset its password and role)."""
    from core.database import session_scope
    from support.accounts import add_agent as create

    password = sys.stdin.readline().rstrip("\n") if password_stdin else getpass.getpass()
    try:
        with session_scope(get_settings()) as session:
            agent = create(session, email, password, admin)
            typer.echo(f"{agent.email}: {agent.role}")
    except ValueError as error:
        typer.secho(str(error), fg="red", err=True)
        raise typer.Exit(2) from error


@shopper_app.command("export")
def export(sender_id: str) -> None:
    """Print everything stored about the shopper as JSON (audited)."""
    from core.database import session_scope
    from support.rasa_tracker import RasaTrackers
    from support.shopper_data import export_shopper

    settings = get_settings()
    with session_scope(settings) as session:
        data = export_shopper(session, sender_id, RasaTrackers(settings), _actor())
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


@shopper_app.command("delete")
def delete(
    sender_id: str,
    yes: Annotated[bool, typer.Option("--yes", help="Really delete.")] = False,
) -> None:
    """Erase the shopper from Rasa's tracker store and the SQL store (audited)."""
    from core.database import session_scope
    from support.rasa_tracker import RasaTrackers
    from support.shopper_data import delete_shopper

    if not yes:
        typer.secho("Nothing deleted: add --yes to delete.", fg="red", err=True)
        raise typer.Exit(2)
    settings = get_settings()
    with session_scope(settings) as session:
        done = delete_shopper(session, sender_id, RasaTrackers(settings), _actor())
    for line in done:
        typer.echo(line)
