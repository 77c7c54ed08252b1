"""Connecting to Neo4j: settings from the environment, a verified driver, and errors people can act on.

Transient failures (a leader switch, a dropped connection, a deadlock) are retried with exponential backoff by
the driver's managed transactions (`execute_read` / `execute_write`), which is how every kg query runs. A server
that is down or refuses the credentials is one `KgError` (exit 1) naming the URI and user, never the password.
The driver's own log messages are silenced (kg reports errors itself, once), so nothing it logs can leak either.

Credentials may also sit in the URI (`bolt://user:password@host:7687`): they are taken out of it (the driver
gets the bare URI and the credentials as auth; NEO4J_USER / NEO4J_PASSWORD win when set), and every message kg
prints passes through `Settings.scrub`, which removes the URI's user-info and the password wherever they appear.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import unquote, urlsplit, urlunsplit

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
    """Where and as whom to connect. The password is excluded from repr so it cannot leak into logs.

    `uri` never holds user-info; `given` is NEO4J_URI as it was set and `secrets` the credentials in it (the
    password, the user-info): `scrub` takes all of them out of messages."""

    uri: str
    user: str
    password: str = field(repr=False)
    database: str = "neo4j"
    given: str = field(default="", repr=False)
    secrets: tuple[str, ...] = field(default=(), repr=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        given = env.get("NEO4J_URI", "").strip()
        if not given:
            raise KgError(f"NEO4J_URI is not set: {START_HINT}")
        uri, uri_user, uri_password, userinfo = _split_userinfo(given)
        secrets = {s for s in (userinfo, uri_password, unquote(uri_password)) if len(s) >= MIN_SECRET}
        password = env.get("NEO4J_PASSWORD") or unquote(uri_password)
        if not password:
            raise KgError("NEO4J_PASSWORD is not set (kg reads Neo4j credentials only from the environment)")
        settings = cls(uri=uri, user=env.get("NEO4J_USER") or unquote(uri_user) or "neo4j", password=password,
                       database=env.get("NEO4J_DATABASE") or "neo4j", given=given,
                       secrets=tuple(sorted(secrets, key=len, reverse=True)))
        try:
            parts = urlsplit(uri)
            scheme, _ = parts.scheme, parts.port  # .port raises on a port that is not a number
        except ValueError:
            raise InputError("NEO4J_URI is malformed (expected SCHEME://HOST:PORT, e.g. bolt://localhost:7687)"
                             ) from None
        if scheme not in SCHEMES or not parts.hostname:
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

    def scrub(self, text: str) -> str:
        """`text` with NEO4J_URI as given replaced by `where`, and every credential by '***'."""
        if self.given and self.given != self.uri:
            text = text.replace(self.given, self.where)
        for secret in (*self.secrets, self.password):
            if len(secret) >= MIN_SECRET:
                text = text.replace(secret, "***")
        return text


MIN_SECRET = 4  # shorter texts are not scrubbed: they would mangle messages and protect nothing


def _split_userinfo(uri: str) -> tuple[str, str, str, str]:
    """(the URI without user-info, user, password, the raw user-info); all but the URI empty when it has none."""
    try:
        parts = urlsplit(uri)
    except ValueError:
        parts = None
    if parts is None or "@" not in parts.netloc:
        if "@" in uri:  # unparseable, yet it may hold credentials: keep nothing of what precedes the '@'
            scheme, _, rest = uri.partition("://")
            userinfo, _, host = rest.rpartition("@")
            user, _, password = userinfo.partition(":")
            return f"{scheme}://{host}", user, password, userinfo
        return uri, "", "", ""
    userinfo, _, host = parts.netloc.rpartition("@")
    user, _, password = userinfo.partition(":")
    return urlunsplit(parts._replace(netloc=host)), user, password, userinfo


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
    """Driver exceptions as one clear KgError (the server is unreachable, refuses us, or refused a query), and
    every KgError's message scrubbed of credentials."""
    try:
        with _translated(settings):
            yield
    except KgError as exc:
        message = settings.scrub(str(exc))
        if message != str(exc):
            raise type(exc)(message) if type(exc) in (KgError, InputError) else KgError(message) from None
        raise


@contextmanager
def _translated(settings: Settings) -> Iterator[None]:
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
