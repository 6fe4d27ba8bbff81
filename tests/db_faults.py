"""Real database outages for tests: the database goes away under a working app, and comes back.

PostgreSQL: the engine under test connects through `TcpProxy`, a loopback TCP proxy in front
of the real server. `down()` drops every connection the app holds and closes the port, so new
ones are refused (ECONNREFUSED), as when the server stops; `up()` listens again on the same
port. The app's pool finds its connections dead (pool_pre_ping) and makes new ones.

SQLite: `down()` moves the database file (with its -wal and -shm) aside and puts a directory
in its place, so opening it fails at once ("unable to open database file"). SQLite carries on
with a file that was moved while it was open, so the engine's idle connections are closed
first (every access then opens the path, as after a restart), and the moved file is held
write-locked, as by another process: a connection opened before the outage, such as another
process's, cannot store anything either (after its busy_timeout). `up()` puts it all back.

Only the database's availability is changed; the app and its engine (`bot.store.db.make_engine`)
are the product's own.
"""

from __future__ import annotations

import random
import socket
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
from sqlalchemy.engine import URL, Engine

from bot.store import db

JOIN_SECONDS = 10  # for the proxy's threads to finish once their sockets are closed (a hang)
LOCAL_PORTS = Path("/proc/sys/net/ipv4/ip_local_port_range")


def _close(sock: socket.socket) -> None:
    with suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)  # wakes a thread blocked in accept() or recv()
    sock.close()


def _listen_below_ephemeral() -> socket.socket:
    """A listening socket on a port the kernel never hands out for outgoing connections,
    so nothing else takes it while the proxy is down and it can listen there again."""
    try:
        low = int(LOCAL_PORTS.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        low = 32768
    for port in random.sample(range(max(1024, low - 12_000), low), 200):
        try:
            return socket.create_server(("127.0.0.1", port))
        except OSError:
            continue
    raise RuntimeError("no free loopback port below the ephemeral range")


class TcpProxy:
    """Forwards each connection to `upstream` until `cut()`; `restore()` reopens the port."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self._upstream = upstream
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._sockets: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []
        listener = _listen_below_ephemeral()
        self.port: int = listener.getsockname()[1]
        self._start(listener)

    @property
    def up(self) -> bool:
        return self._listener is not None

    def cut(self) -> None:
        """Drop every connection and refuse new ones; returns once all are closed."""
        with self._lock:
            listener, self._listener = self._listener, None
            sockets, self._sockets = self._sockets, set()
            threads, self._threads = self._threads, []
        for sock in ([listener] if listener else []) + list(sockets):
            _close(sock)
        for thread in threads:
            thread.join(JOIN_SECONDS)
            assert not thread.is_alive(), "a proxy thread did not stop"

    def restore(self) -> None:
        if self.up:
            return
        self._start(socket.create_server(("127.0.0.1", self.port)))

    def close(self) -> None:
        self.cut()

    def _start(self, listener: socket.socket) -> None:
        thread = threading.Thread(target=self._accept, args=(listener,), daemon=True)
        with self._lock:
            self._listener = listener
            self._threads.append(thread)
        thread.start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # cut
            try:
                server = socket.create_connection(self._upstream)
            except OSError:
                client.close()
                continue
            pumps = [
                threading.Thread(target=self._pump, args=(client, server), daemon=True),
                threading.Thread(target=self._pump, args=(server, client), daemon=True),
            ]
            with self._lock:
                if self._listener is not listener:  # cut while this one was connecting
                    client.close()
                    server.close()
                    return
                self._sockets |= {client, server}
                self._threads += pumps
                for pump in pumps:  # started under the lock, so cut() never joins one unstarted
                    pump.start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:  # one side closed: close the other too, as a real connection would end
            with self._lock:
                self._sockets -= {source, target}
            _close(source)
            _close(target)


class Breakable:
    """A database that can be taken away from under the app and given back.

    `engine` is the app's (made by `bot.store.db.make_engine`); `url` is for another process."""

    url: URL
    engine: Engine

    def down(self) -> None:
        raise NotImplementedError

    def up(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        self.up()
        self.engine.dispose()

    @contextmanager
    def unavailable(self) -> Iterator[None]:
        """The database is down inside the block and back after it, even if it raises."""
        self.down()
        try:
            yield
        finally:
            self.up()


class BreakablePostgres(Breakable):
    def __init__(self, server: URL, schema: str | None) -> None:
        self._proxy = TcpProxy((server.host or "127.0.0.1", server.port or 5432))
        direct = server.set(host="127.0.0.1", port=self._proxy.port)
        self.engine = db.make_engine(direct, schema=schema)
        # Another process finds the schema through the URL.
        options = {"options": f"-csearch_path={schema}"} if schema else {}
        self.url = direct.update_query_dict(options)

    def down(self) -> None:
        self._proxy.cut()

    def up(self) -> None:
        self._proxy.restore()

    def close(self) -> None:
        super().close()
        self._proxy.close()


class BreakableSQLite(Breakable):
    SIDE_FILES = ("", "-wal", "-shm")

    def __init__(self, path: Path) -> None:
        self.path = path
        self.url = URL.create("sqlite", database=str(path))
        self.engine = db.make_engine(self.url)
        self._aside = path.with_name(path.name + ".aside")
        self._holder: sqlite3.Connection | None = None

    def down(self) -> None:
        if self._holder is not None:
            return
        self.engine.dispose()  # closed while the file is still there, so nothing is lost
        self._aside.mkdir()
        for suffix in self.SIDE_FILES:
            source = self.path.with_name(self.path.name + suffix)
            if source.exists():
                source.rename(self._aside / source.name)
        self.path.mkdir()
        holder = sqlite3.connect(self._aside / self.path.name, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # the write lock, held until up()
        self._holder = holder

    def up(self) -> None:
        if self._holder is None:
            return
        self._holder.execute("ROLLBACK")
        self._holder.close()
        self._holder = None
        self.path.rmdir()
        for moved in list(self._aside.iterdir()):
            moved.rename(self.path.with_name(moved.name))
        self._aside.rmdir()


def _schema(engine: Engine) -> str | None:
    """The schema the `engine` fixture gave this test (None: the server's default)."""
    with engine.connect() as connection:
        path = connection.exec_driver_sql("SHOW search_path").scalar()
    return None if "," in path or "$" in path else path


def breakable_for(engine: Engine) -> Breakable:
    """The same database as `engine` (the `engine` fixture's), behind a fault of its own."""
    if engine.dialect.name == "sqlite":
        return BreakableSQLite(Path(engine.url.database))
    return BreakablePostgres(engine.url, _schema(engine))


@pytest.fixture
def breakable(engine) -> Iterator[Breakable]:
    """The `engine` fixture's database (SQLite or PostgreSQL) as a `Breakable`: build the
    app on `breakable.engine`, then take the database away with `breakable.unavailable()`."""
    database = breakable_for(engine)
    try:
        yield database
    finally:
        database.close()
