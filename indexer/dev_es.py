"""A real, local Elasticsearch for development and tests: ``newsindex dev-es start|stop|status``.

The server is Elasticsearch's test distribution from Maven Central
(``org.elasticsearch.distribution.integ-test-zip:elasticsearch:<ES_VERSION>:zip``), fetched with
Maven into its local repository, unpacked under ``.cache/dev-es`` (git-ignored), run with a JDK 21+,
bound to 127.0.0.1 on a free port, single node, small heap, security and disk watermarks off.
As root it runs under an unprivileged system user (Elasticsearch refuses root).
"""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

from crawler.exceptions import DevESError

ES_VERSION = "9.2.4"  # newest 9.x integ-test-zip that Maven Central serves (9.3.0 does not resolve)
ARTIFACT = f"org.elasticsearch.distribution.integ-test-zip:elasticsearch:{ES_VERSION}:zip"
ES_USER = "newsindex-es"
HEAP = "512m"
DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
# Servers started by this process: kept referenced (the server outlives the call that started it)
# and reaped by stop(), so no zombie or "subprocess still running" is left behind.
_STARTED: dict[int, subprocess.Popen] = {}


@dataclass
class DevES:
    root: Path  # .cache/dev-es: the unpacked distribution (shared by every instance)
    instance: Path | None = None  # data, logs and state of this server; default <root>/run

    @property
    def home(self) -> Path:
        return self.root / f"elasticsearch-{ES_VERSION}"

    @property
    def run_dir(self) -> Path:
        return self.instance or self.root / "run"

    @property
    def state_file(self) -> Path:
        return self.run_dir.with_name(self.run_dir.name + ".json")

    # ---------------------------------------------------------------- prerequisites
    def find_java(self) -> Path:
        candidates = []
        if os.environ.get("ES_JAVA_HOME"):
            candidates.append(Path(os.environ["ES_JAVA_HOME"]))
        if os.environ.get("JAVA_HOME"):
            candidates.append(Path(os.environ["JAVA_HOME"]))
        jvm = Path("/usr/lib/jvm")
        if jvm.is_dir():
            candidates += sorted(jvm.iterdir(), reverse=True)
        for home in candidates:
            if _java_major(home) >= 21:
                return home
        raise DevESError("no JDK 21 or newer found (looked at ES_JAVA_HOME, JAVA_HOME and /usr/lib/jvm/*); "
                         "install one (e.g. Temurin 21+) or set ES_JAVA_HOME")

    def fetch(self) -> Path:
        """Unpacked distribution; downloads it with Maven into ~/.m2 the first time."""
        if (self.home / "bin" / "elasticsearch").exists():
            return self.home
        repo = Path.home() / ".m2/repository"
        zip_path = repo / "org/elasticsearch/distribution/integ-test-zip/elasticsearch" / \
            ES_VERSION / f"elasticsearch-{ES_VERSION}.zip"
        if not zip_path.exists():
            mvn = shutil.which("mvn")
            if not mvn:
                raise DevESError("Maven ('mvn') is not installed: it is needed once to fetch Elasticsearch "
                                 f"{ES_VERSION} from Maven Central (apt-get install maven)")
            # the repository named explicitly: Maven's own default follows the account's home directory,
            # not $HOME, and the two differ under some CI runners and sudo
            proc = subprocess.run([mvn, "-q", "-B", f"{DEPENDENCY_PLUGIN}:get", f"-Dartifact={ARTIFACT}",
                                   "-Dtransitive=false", f"-Dmaven.repo.local={repo}"],
                                  capture_output=True, text=True, timeout=900)
            if proc.returncode != 0 or not zip_path.exists():
                tail = (proc.stdout + proc.stderr)[-2000:]
                raise DevESError(f"mvn could not fetch {ARTIFACT}:\n{tail}")
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / f"unpack-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        with zipfile.ZipFile(zip_path) as zf:
            zf.extractall(tmp)
        unpacked = tmp / f"elasticsearch-{ES_VERSION}"
        for script in (unpacked / "bin").iterdir():
            script.chmod(0o755)
        shutil.rmtree(self.home, ignore_errors=True)
        unpacked.rename(self.home)
        shutil.rmtree(tmp, ignore_errors=True)
        return self.home

    # ---------------------------------------------------------------- state
    def _state(self) -> dict | None:
        try:
            return json.loads(self.state_file.read_text())
        except (OSError, ValueError):
            return None

    def status(self) -> tuple[bool, str | None]:
        st = self._state()
        if not st:
            return False, None
        if not _alive(st["pid"]):
            return False, None
        return _healthy(st["url"]), st["url"]

    # ---------------------------------------------------------------- start / stop
    def start(self, timeout: float = 180.0, port: int | None = None, keep_data: bool = False) -> str:
        """Start (or return the running server's URL). ``keep_data`` restarts on the previous data,
        ``port`` binds a given HTTP port (a restart that clients find at the same URL)."""
        running, url = self.status()
        if running and url:
            return url
        self.stop(wipe=not keep_data)
        java = self.find_java()
        home = self.fetch()
        data, logs, tmp = self.run_dir / "data", self.run_dir / "logs", self.run_dir / "tmp"
        for d in (data, logs, tmp):
            d.mkdir(parents=True, exist_ok=True)
        http_port, transport_port = port or _free_port(), _free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ES_", "JAVA_"))}
        env.update({"ES_JAVA_HOME": str(java), "ES_JAVA_OPTS": f"-Xms{HEAP} -Xmx{HEAP}", "ES_TMPDIR": str(tmp),
                    "HOME": str(self.run_dir)})
        args = [str(home / "bin" / "elasticsearch"),
                "-E", "discovery.type=single-node", "-E", "network.host=127.0.0.1",
                "-E", f"http.port={http_port}", "-E", f"transport.port={transport_port}",
                "-E", "xpack.security.enabled=false", "-E", "cluster.routing.allocation.disk.threshold_enabled=false",
                "-E", f"path.data={data}", "-E", f"path.logs={logs}", "-E", "cluster.name=newsindex-dev",
                "-E", "action.destructive_requires_name=false"]
        user_kw: dict = {}
        if os.geteuid() == 0:
            uid, gid = _ensure_user()
            for tree in {self.root, self.run_dir}:
                _chown_tree(tree, uid, gid)
                _make_traversable(tree)
            user_kw = {"user": uid, "group": gid, "extra_groups": []}
        with (self.run_dir / "console.log").open("ab") as log:  # the child keeps its own descriptor
            proc = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                    start_new_session=True, cwd=str(self.run_dir), **user_kw)
        _STARTED[proc.pid] = proc
        url = f"http://127.0.0.1:{http_port}"
        self.state_file.write_text(json.dumps({"pid": proc.pid, "url": url}))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                tail = self._log_tail()
                self.stop()
                raise DevESError(f"Elasticsearch exited with code {proc.returncode} during start:\n{tail}")
            if _healthy(url):
                return url
            time.sleep(1)
        tail = self._log_tail()
        self.stop()
        raise DevESError(f"Elasticsearch did not become ready within {timeout:.0f}s:\n{tail}")

    def _log_tail(self) -> str:
        try:
            return (self.run_dir / "console.log").read_text(errors="replace")[-3000:]
        except OSError:
            return "(no log)"

    def stop(self, timeout: float = 60.0, wipe: bool = True) -> bool:
        """Stop the server (and remove its data unless ``wipe`` is false); True if one was running."""
        st = self._state()
        was = False
        if st and _alive(st["pid"]):
            was = True
            _kill_group(st["pid"], signal.SIGTERM)
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and _alive(st["pid"]):
                time.sleep(0.5)
            if _alive(st["pid"]):
                _kill_group(st["pid"], signal.SIGKILL)
                time.sleep(1)
        if st and st["pid"] in _STARTED:
            try:
                _STARTED.pop(st["pid"]).wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
        self.state_file.unlink(missing_ok=True)
        if wipe:
            shutil.rmtree(self.run_dir, ignore_errors=True)
        return was


def _java_major(home: Path) -> int:
    release = home / "release"
    if not (home / "bin" / "java").exists() or not release.exists():
        return 0
    m = re.search(r'JAVA_VERSION="(\d+)', release.read_text(errors="replace"))
    return int(m.group(1)) if m else 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie child of ours is not alive
        done, _ = os.waitpid(pid, os.WNOHANG)
        return done == 0
    except ChildProcessError:
        return True


def _kill_group(pid: int, sig: int) -> None:
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_cluster/health?wait_for_status=yellow&timeout=1s", timeout=3) as r:
            return r.status == 200 and json.loads(r.read()).get("status") in ("green", "yellow")
    except (urllib.error.URLError, OSError, ValueError):
        return False


def _ensure_user() -> tuple[int, int]:
    try:
        pw = pwd.getpwnam(ES_USER)
    except KeyError:
        pw = None
    if pw is None:
        useradd = shutil.which("useradd") or "/usr/sbin/useradd"
        proc = subprocess.run([useradd, "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", ES_USER],
                              capture_output=True, text=True)
        if proc.returncode not in (0, 9):
            raise DevESError(f"cannot create the system user {ES_USER!r} for Elasticsearch: {proc.stderr.strip()}")
        pw = pwd.getpwnam(ES_USER)
    return pw.pw_uid, pw.pw_gid


def _chown_tree(root: Path, uid: int, gid: int) -> None:
    for dirpath, _dirnames, filenames in os.walk(root):
        os.chown(dirpath, uid, gid)
        for name in filenames:
            os.chown(os.path.join(dirpath, name), uid, gid, follow_symlinks=False)


def _make_traversable(path: Path) -> None:
    """Every parent of the install must be searchable by the unprivileged user."""
    for parent in [path, *path.parents]:
        mode = parent.stat().st_mode
        if not mode & 0o001:
            parent.chmod(mode | 0o001)


def default_root() -> Path:
    return Path(os.environ.get("NEWSINDEX_DEV_ES_DIR") or Path.cwd() / ".cache" / "dev-es").resolve()
