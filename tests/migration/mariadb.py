"""A real MariaDB server for the import tests: its own data directory, a free port, stopped by PID.

Debian's `mariadb-server` (installed by .ci/run; the system service is never started). Without the
binaries the tests are skipped, except under CI (NEWSROOM_MARIADB_REQUIRED=1), where that fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pymysql
import pytest

from tests.local_stack import free_port, wait_until

SERVER = "/usr/sbin/mariadbd"
USER, PASSWORD = "importer", "import-test-password"


def binaries() -> tuple[str, str] | None:
    install = shutil.which("mariadb-install-db") or shutil.which("mysql_install_db")
    server = SERVER if os.access(SERVER, os.X_OK) else shutil.which("mariadbd")
    return (install, server) if install and server else None


class MariaDB:
    def __init__(self, base: Path) -> None:
        found = binaries()
        if found is None:
            if os.environ.get("NEWSROOM_MARIADB_REQUIRED") == "1":
                pytest.fail("mariadb-server is not installed (apt-get install -y mariadb-server)")
            pytest.skip("mariadb-server is not installed")
        install, server = found
        self.base = base
        data = base / "data"
        subprocess.run(  # noqa: S603 (our own arguments)
            [install, "--no-defaults", f"--datadir={data}", "--auth-root-authentication-method=normal"],
            check=True,
            capture_output=True,
            timeout=120,
        )
        self.port = free_port()
        self.socket = base / "sock"
        self.log = base / "server.log"
        with self.log.open("w") as log:
            self.process = subprocess.Popen(  # noqa: S603
                [
                    server,
                    "--no-defaults",
                    f"--datadir={data}",
                    f"--socket={self.socket}",
                    f"--port={self.port}",
                    "--bind-address=127.0.0.1",
                    "--user=" + _user(),
                    "--skip-log-bin",
                    "--innodb-buffer-pool-size=16M",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_until(self._ready, timeout=60, what=lambda: "MariaDB did not start:\n" + self.log.read_text())
        with self._root() as db, db.cursor() as cursor:  # a real account, over TCP, as the importer connects
            cursor.execute(f"CREATE USER '{USER}'@'127.0.0.1' IDENTIFIED BY '{PASSWORD}'")
            cursor.execute(f"GRANT ALL ON *.* TO '{USER}'@'127.0.0.1'")

    def _ready(self) -> bool:
        assert self.process.poll() is None, "MariaDB exited:\n" + self.log.read_text()
        try:
            self._root().close()
        except pymysql.err.OperationalError:
            return False
        return True

    def _root(self) -> pymysql.connections.Connection:
        return pymysql.connect(unix_socket=str(self.socket), user="root", charset="utf8mb4", autocommit=True)

    def connect(self, database: str | None = None, charset: str = "utf8mb4") -> pymysql.connections.Connection:
        return pymysql.connect(
            host="127.0.0.1",
            port=self.port,
            user=USER,
            password=PASSWORD,
            database=database,
            charset=charset,
            autocommit=True,
        )

    def url(self, database: str) -> str:
        return f"mysql://{USER}:{PASSWORD}@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def _user() -> str:
    import pwd

    return pwd.getpwuid(os.getuid()).pw_name
