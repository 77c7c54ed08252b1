"""Connecting to Neo4j: settings from the environment, a verified driver, and errors people can act on.

Transient failures (a leader switch, a dropped connection, a deadlock) are retried with exponential backoff by
the driver's managed transactions (`execute_read` / `execute_write`), which is how every kg query runs. A server
that is down or refuses the credentials is one `KgError` (exit 1) naming the URI and user, never the password.
The driver's own log messages are silenced (kg reports errors itself, once), so nothing it logs can leak either.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from kg.errors import InputError, KgError

if TYPE_CHECKING:
    from neo4j import Driver, ManagedTransaction

T = TypeVar("T")

RETRY_SECONDS = 30.0  # how long a managed transaction keeps retrying transient errors (with backoff)
CONNECT_TIMEOUT = 10.0
SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
START_HINT = ("start one with `make neo4j-up` and `source deploy/neo4j/target/server/neo4j.env`, "
              "or point NEO4J_URI at any Neo4j 5")


@dataclass(frozen=True)
class Settings:
    """Where and as whom to connect. The password is excluded from repr so it cannot leak into logs."""

    uri: str
    user: str
    password: str = field(repr=False)
    database: str = "neo4j"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        uri = env.get("NEO4J_URI", "").strip()
        if not uri:
            raise KgError(f"NEO4J_URI is not set: {START_HINT}")
        password = env.get("NEO4J_PASSWORD")
        if not password:
            raise KgError("NEO4J_PASSWORD is not set (kg reads Neo4j credentials only from the environment)")
        settings = cls(uri=uri, user=env.get("NEO4J_USER") or "neo4j", password=password,
                       database=env.get("NEO4J_DATABASE") or "neo4j")
        try:
            scheme = urlsplit(uri).scheme
        except ValueError:
            scheme = ""
        if scheme not in SCHEMES:
            raise InputError(f"NEO4J_URI '{settings.where}' is not a Bolt URI (schemes: {', '.join(SCHEMES)})")
        return settings

    @property
    def where(self) -> str:
        """The URI without any user-info part, for messages."""
        try:
            parts = urlsplit(self.uri)
            port = f":{parts.port}" if parts.port else ""
        except ValueError:
            return "(malformed NEO4J_URI)"
        host = parts.hostname or ""
        return f"{parts.scheme}://{host}{port}" if parts.scheme else "(malformed NEO4J_URI)"


def quiet_driver_logs() -> None:
    """The driver logs failures (and server notifications) on its own; kg reports them once, itself."""
    logger = logging.getLogger("neo4j")
    logger.setLevel(logging.CRITICAL + 1)
    logger.propagate = False


def _driver(settings: Settings) -> Driver:
    import neo4j

    quiet_driver_logs()
    try:
        return neo4j.GraphDatabase.driver(settings.uri, auth=neo4j.basic_auth(settings.user, settings.password),
                                          connection_timeout=CONNECT_TIMEOUT,
                                          max_transaction_retry_time=RETRY_SECONDS)
    except (ValueError, neo4j.exceptions.ConfigurationError) as exc:
        raise InputError(f"NEO4J_URI '{settings.where}' is not a usable Neo4j URI: {_first_line(exc)}") from None


@contextmanager
def translate_errors(settings: Settings) -> Iterator[None]:
    """Driver exceptions as one clear KgError: the server is unreachable, refuses us, or refused a query."""
    from neo4j import exceptions as ex

    try:
        yield
    except ex.AuthError:
        raise KgError(f"Neo4j at {settings.where} refused the credentials of user '{settings.user}' "
                      "(check NEO4J_USER and NEO4J_PASSWORD)") from None
    except (ex.ServiceUnavailable, ex.SessionExpired) as exc:
        raise KgError(f"cannot reach Neo4j at {settings.where} ({_reason(exc)}); {START_HINT}") from None
    except ex.ClientError as exc:
        if exc.code == "Neo.ClientError.Database.DatabaseNotFound":
            raise KgError(f"Neo4j at {settings.where} has no database '{settings.database}' "
                          "(set NEO4J_DATABASE)") from None
        if exc.code == "Neo.ClientError.Statement.AccessMode":
            raise InputError("Neo4j refused a write in a read transaction (kg cypher is read-only unless --write "
                             "is given)") from None
        raise InputError(f"Neo4j refused the query: {_message(exc)}") from None
    except ex.Neo4jError as exc:
        raise KgError(f"Neo4j error {exc.code}: {_message(exc)}") from None
    except ex.DriverError as exc:
        raise KgError(f"Neo4j driver error talking to {settings.where}: {_first_line(exc)}") from None


def _message(exc: Any) -> str:
    return " ".join(str(exc.message or exc.code).split())


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0].rstrip(":") if text else type(exc).__name__


def _reason(exc: BaseException) -> str:
    """Why a connection failed, from the innermost OS error when there is one (e.g. 'connection refused')."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.strerror:
            return seen.strerror.lower()
        seen = seen.__cause__ or seen.__context__
    return _first_line(exc)


@dataclass
class Connection:
    """A checked driver and the database to use. `read`/`write` run managed (retried) transactions."""

    driver: Driver
    settings: Settings

    def read(self, work: Callable[..., T], *args: Any) -> T:
        with self.driver.session(database=self.settings.database) as session:
            return session.execute_read(work, *args)

    def write(self, work: Callable[..., T], *args: Any) -> T:
        with self.driver.session(database=self.settings.database) as session:
            return session.execute_write(work, *args)

    def autocommit(self, work: Callable[..., T], *args: Any) -> T:
        """`work(session, ...)` in an auto-commit transaction (not retried): for statements that commit on their
        own, such as `CALL { ... } IN TRANSACTIONS`."""
        with self.driver.session(database=self.settings.database) as session:
            return work(session, *args)

    def server(self) -> str:
        """The server's agent string, e.g. 'Neo4j/5.26.30'."""
        return self.driver.get_server_info().agent


def consume(tx: ManagedTransaction, query: str, params: Mapping[str, Any] | None = None) -> Any:
    """Run one statement and return its summary counters (a unit of work for read/write)."""
    return tx.run(query, dict(params or {})).consume().counters


def records(tx: ManagedTransaction, query: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """Run one statement and return its records as dicts (a unit of work for read/write)."""
    return [record.data() for record in tx.run(query, dict(params or {}))]


@contextmanager
def connect(settings: Settings | None = None) -> Iterator[Connection]:
    """A connection whose server, credentials and database were checked; errors translated; closed on exit."""
    settings = settings or Settings.from_env()
    with translate_errors(settings):
        driver = _driver(settings)
        try:
            driver.verify_connectivity()
            connection = Connection(driver, settings)
            connection.read(consume, "RETURN 1")
            yield connection
        finally:
            driver.close()
