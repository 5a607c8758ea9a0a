"""The production profile on one machine, on loopback: the standard Rasa production parts,
configured. The one part changed is Rasa's Redis lock store, whose queue changes are made
atomic (bot/locks.py): as shipped it let two servers handle one conversation at once.

    nginx :8080  ──round robin──▶  Rasa server :5105, Rasa server :5106
      (socket.io: sticky by address)     │ tracker store: SQL on PostgreSQL
                                         │ lock store: Redis, bot/locks.py (one
                                         │   conversation, one message at a time,
                                         │   whichever server)
    nginx :8055  ──round robin──▶  action server :5155, action server :5156
                                         │ knowledge base on PostgreSQL
    PostgreSQL :5433 (databases `conversations` and `knowledge`), Redis :6380

`python -m bot.production up` starts it all and returns; `down` stops it; `run` starts it,
waits for Ctrl-C and stops it (`make production`). Ports come from PRODUCTION_* variables
(below); state and logs are in var/production/. On real machines the same configuration
(bot/endpoints.production.yml, the nginx file this module writes) points at managed
PostgreSQL and Redis instead: see the README."""

import argparse
import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Text

from bot import launcher

ROOT = launcher.ROOT
DEFAULT_WORKDIR = ROOT / "var" / "production"
ENDPOINTS = "bot/endpoints.production.yml"
DEFAULT_PORTS = {
    "balancer": 8080,
    "actions_balancer": 8055,
    "rasa": [5105, 5106],
    "actions": [5155, 5156],
    "postgres": 5433,
    "redis": 6380,
}


class ProfileError(RuntimeError):
    pass


@dataclass
class Ports:
    balancer: int
    actions_balancer: int
    rasa: List[int]
    actions: List[int]
    postgres: int
    redis: int

    @classmethod
    def from_environment(cls, environ: Mapping[Text, Text] = os.environ) -> "Ports":
        def number(name: Text, default: int) -> int:
            return int(environ.get(f"PRODUCTION_{name.upper()}_PORT", default))

        def numbers(name: Text, default: List[int]) -> List[int]:
            value = environ.get(f"PRODUCTION_{name.upper()}_PORTS")
            return [int(p) for p in value.split(",")] if value else default

        return cls(
            balancer=number("balancer", DEFAULT_PORTS["balancer"]),
            actions_balancer=number("actions_balancer", DEFAULT_PORTS["actions_balancer"]),
            rasa=numbers("rasa", DEFAULT_PORTS["rasa"]),
            actions=numbers("actions", DEFAULT_PORTS["actions"]),
            postgres=number("postgres", DEFAULT_PORTS["postgres"]),
            redis=number("redis", DEFAULT_PORTS["redis"]),
        )

    @classmethod
    def free(cls, servers: int = 2) -> "Ports":
        """Free loopback ports (for tests and benchmarks)."""
        free = launcher.free_port
        return cls(
            free(),
            free(),
            [free() for _ in range(servers)],
            [free() for _ in range(servers)],
            free(),
            free(),
        )


@dataclass
class State:
    """What is running: written to <workdir>/state.json so that `down` can stop it."""

    ports: Ports
    pids: Dict[Text, int] = field(default_factory=dict)

    def save(self, workdir: Path) -> None:
        (workdir / "state.json").write_text(json.dumps(asdict(self), indent=2))

    @classmethod
    def load(cls, workdir: Path) -> Optional["State"]:
        path = workdir / "state.json"
        if not path.exists():
            return None
        data = json.loads(path.read_text())
        return cls(Ports(**data["ports"]), data["pids"])


# --- PostgreSQL ------------------------------------------------------------------------


def postgres_binaries() -> Path:
    on_path = shutil.which("pg_ctl")
    if on_path:
        return Path(os.path.realpath(on_path)).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not candidates:
        raise ProfileError("PostgreSQL is not installed (Debian: apt-get install postgresql)")
    return Path(candidates[-1]).parent


class PostgresCluster:
    """A private PostgreSQL cluster in a directory, on a loopback port, from the installed
    server binaries (as the postgres user when run as root: initdb refuses root)."""

    def __init__(self, directory: Path, port: int) -> None:
        self.directory = directory
        self.data = directory / "data"
        self.port = port
        self.binaries = postgres_binaries()
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *args: Text) -> subprocess.CompletedProcess:
        try:
            return subprocess.run(
                [*self.as_user, *args], check=True, capture_output=True, text=True
            )
        except subprocess.CalledProcessError as error:
            raise ProfileError(f"{Path(args[0]).name} failed: {error.stderr.strip()}") from error

    def url(self, database: Text) -> Text:
        return f"postgresql+psycopg2://postgres@127.0.0.1:{self.port}/{database}"

    def start(self, databases: List[Text] = ()) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        if self.as_user:
            shutil.chown(self.directory, "postgres")
        if not (self.data / "PG_VERSION").exists():
            self._run(
                str(self.binaries / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            )
        self._run(
            str(self.binaries / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.directory / "server.log"),
            "-w",
            "-t",
            "60",
            "-o",
            f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1",
            "start",
        )
        existing = self._client("psql", "-Atc", "select datname from pg_database").stdout
        for database in databases:
            if database not in existing.split():
                self._client("createdb", database)

    def _client(self, program: Text, *args: Text) -> subprocess.CompletedProcess:
        connection = ["-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"]
        return self._run(str(self.binaries / program), *connection, *args)

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            subprocess.run(
                [
                    *self.as_user,
                    str(self.binaries / "pg_ctl"),
                    "-D",
                    str(self.data),
                    "-m",
                    "fast",
                    "-w",
                    "stop",
                ],
                capture_output=True,
            )


# --- nginx -----------------------------------------------------------------------------


def nginx_config(ports: Ports, workdir: Path) -> Text:
    """Round robin over the Rasa servers, sticky socket.io, the same for the action
    servers. A message whose Rasa server is dead or dies before answering goes to the
    other one: at least once rather than lost (a server that dies after handling it and
    before answering means it is handled twice; a slow answer is waited for, never sent
    again). No keep-alive to the servers, so that a dead one is seen at once. No access
    log: URLs can carry conversation ids."""

    def servers(port_list: List[int]) -> Text:
        return "\n".join(
            f"    server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;" for port in port_list
        )

    rasa, actions = servers(ports.rasa), servers(ports.actions)
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = workdir / "nginx-temp"
    return f"""{user}worker_processes 1;
daemon off;
pid {workdir}/nginx.pid;
error_log {workdir}/logs/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_body_temp_path {temp}/body;
  proxy_temp_path {temp}/proxy;
  fastcgi_temp_path {temp}/fastcgi;
  uwsgi_temp_path {temp}/uwsgi;
  scgi_temp_path {temp}/scgi;
  client_max_body_size 1m;
  # Rasa posts whole trackers to the action servers: kept in memory, not in temp files.
  client_body_buffer_size 1m;
  proxy_connect_timeout 2s;
  proxy_read_timeout 60s;
  proxy_next_upstream error timeout http_502 http_503;
  proxy_next_upstream_tries 2;
  upstream rasa {{
{rasa}
  }}
  upstream rasa_sticky {{
    ip_hash;
{rasa}
  }}
  upstream actions {{
{actions}
  }}
  map $http_upgrade $connection_upgrade {{ default upgrade; "" ""; }}
  server {{
    listen 127.0.0.1:{ports.balancer};
    location /socket.io/ {{
      proxy_pass http://rasa_sticky;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header Host $host;
    }}
    location / {{
      proxy_pass http://rasa;
      proxy_next_upstream error http_502 http_503 non_idempotent;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
    }}
  }}
  server {{
    listen 127.0.0.1:{ports.actions_balancer};
    location / {{
      proxy_pass http://actions;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }}
  }}
}}
"""


# --- the profile -----------------------------------------------------------------------


def environment(ports: Ports, cluster: PostgresCluster) -> Dict[Text, Text]:
    """What every process of the profile reads (bot/endpoints.production.yml expands it)."""
    return {
        "ASSISTANT_DATABASE_URL": cluster.url("knowledge"),
        "ASSISTANT_ACTION_ENDPOINT": f"http://127.0.0.1:{ports.actions_balancer}/webhook",
        "TRACKER_DB_HOST": "127.0.0.1",
        "TRACKER_DB_PORT": str(ports.postgres),
        "TRACKER_DB_NAME": "conversations",
        "TRACKER_DB_USER": "postgres",
        "TRACKER_DB_PASSWORD": "",
        "REDIS_HOST": "127.0.0.1",
        "REDIS_PORT": str(ports.redis),
        "REDIS_PASSWORD": "",
        "ASSISTANT_RATE_LIMIT_REDIS_URL": f"redis://127.0.0.1:{ports.redis}/2",
    }


def tool(name: Text) -> Text:
    return shutil.which(name) or next(
        (str(p) for p in (Path("/usr/sbin", name), Path("/usr/bin", name)) if p.exists()), ""
    )


def missing_tools() -> List[Text]:
    """What the profile needs from the system's packages and is not installed."""
    missing = [name for name in ("nginx", "redis-server") if not tool(name)]
    try:
        postgres_binaries()
    except ProfileError:
        missing.append("postgresql")
    return missing


def start_process(
    name: Text, command: List[Text], env: Dict[Text, Text], workdir: Path
) -> subprocess.Popen:
    log = (workdir / "logs" / f"{name}.log").open("w")
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def wait_for(url: Text, process: subprocess.Popen, log: Path, seconds: float = 240) -> None:
    launcher.wait_until_up(url, process, log, seconds)


def up(
    workdir: Path = DEFAULT_WORKDIR,
    ports: Optional[Ports] = None,
    model: Path = launcher.ROOT / "models" / "current.tar.gz",
    extra_env: Optional[Mapping[Text, Text]] = None,
) -> State:
    """Start everything (PostgreSQL, Redis, the knowledge base, the action servers, the
    Rasa servers, nginx) and return when all answer. Stops what it started on failure."""
    if State.load(workdir):
        raise ProfileError(f"the profile in {workdir} is already up: stop it first (down)")
    missing = missing_tools()
    if missing:
        raise ProfileError(f"not installed: {' '.join(missing)} (Debian: apt-get install …)")
    if not model.exists():
        raise ProfileError(f"{model} is missing: run `make train`")
    ports = ports or Ports.from_environment()
    (workdir / "logs").mkdir(parents=True, exist_ok=True)
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (workdir / "nginx-temp" / sub).mkdir(parents=True, exist_ok=True)
    state = State(ports)
    state.save(workdir)
    try:
        cluster = PostgresCluster(workdir / "postgres", ports.postgres)
        cluster.start(["conversations", "knowledge"])
        env = launcher.environment(ports.actions[0], **environment(ports, cluster))
        env.update(extra_env or {})
        redis = start_process(
            "redis",
            [
                tool("redis-server"),
                "--port",
                str(ports.redis),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(workdir),
            ],
            env,
            workdir,
        )
        state.pids["redis"] = redis.pid
        state.save(workdir)
        subprocess.run(
            [sys.executable, "-m", "knowledge", "build"],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=(workdir / "logs" / "knowledge-build.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        started = []
        for index, port in enumerate(ports.actions):
            name = f"actions-{index + 1}"
            process = start_process(
                name, launcher.ACTIONS, dict(env, ACTION_SERVER_PORT=str(port)), workdir
            )
            state.pids[name] = process.pid
            started.append((f"http://127.0.0.1:{port}/health", process, name))
        for index, port in enumerate(ports.rasa):
            name = f"rasa-{index + 1}"
            command = launcher.rasa_command(model, port, ENDPOINTS, "bot/credentials.yml")
            process = start_process(name, command, env, workdir)
            state.pids[name] = process.pid
            started.append((launcher.status_url(port), process, name))
        state.save(workdir)
        (workdir / "nginx.conf").write_text(nginx_config(ports, workdir))
        nginx = start_process(
            "nginx",
            [
                tool("nginx"),
                "-c",
                str(workdir / "nginx.conf"),
                "-p",
                str(workdir),
                "-e",
                str(workdir / "logs" / "nginx-error.log"),
            ],
            env,
            workdir,
        )
        state.pids["nginx"] = nginx.pid
        state.save(workdir)
        for url, process, name in started:
            wait_for(url, process, workdir / "logs" / f"{name}.log")
        wait_for(f"http://127.0.0.1:{ports.balancer}/", nginx, workdir / "logs" / "nginx-error.log")
    except BaseException:
        down(workdir)
        raise
    return state


def stop_pid(pid: int, seconds: float = 20) -> None:
    """SIGTERM to the process group, SIGKILL after `seconds`."""
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if exited(pid):
            return
        time.sleep(0.1)
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    exited(pid)


def exited(pid: int) -> bool:
    """Whether the process is gone; reaps it when `up` ran in this process (tests and
    benchmarks), where it would otherwise stay a zombie."""
    try:
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return True
    except ChildProcessError:
        pass  # not our child: `down` from another process
    try:
        os.killpg(pid, 0)
    except ProcessLookupError:
        return True
    return False


def down(workdir: Path = DEFAULT_WORKDIR) -> None:
    """Stop what `up` started, in reverse order: the balancer first, the databases last."""
    state = State.load(workdir)
    if state is None:
        return
    # The balancer first, so nothing new comes in; then all the others at once.
    names = list(reversed(list(state.pids)))
    if names and names[0] == "nginx":
        stop_pid(state.pids[names.pop(0)])
    for name in names:
        try:
            os.killpg(state.pids[name], signal.SIGTERM)
        except ProcessLookupError:
            pass
    for name in names:
        stop_pid(state.pids[name])
    PostgresCluster(workdir / "postgres", state.ports.postgres).stop()
    (workdir / "state.json").unlink()


def main(argv: Optional[List[Text]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.production", description=__doc__)
    parser.add_argument("command", choices=["up", "down", "run", "status"])
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    args = parser.parse_args(argv)
    try:
        if args.command == "down":
            down(args.workdir)
            print("Stopped.")
            return 0
        if args.command == "status":
            state = State.load(args.workdir)
            print(json.dumps(asdict(state), indent=2) if state else "Not running.")
            return 0
        state = up(args.workdir)
    except ProfileError as error:
        print(f"Cannot start the production profile: {error}", file=sys.stderr)
        return 1
    ports = state.ports
    print(
        f"Up: http://127.0.0.1:{ports.balancer}/webhooks/rest/webhook (nginx → Rasa "
        f"{', '.join(map(str, ports.rasa))}; actions {', '.join(map(str, ports.actions))}; "
        f"PostgreSQL {ports.postgres}; Redis {ports.redis}). Logs: {args.workdir}/logs"
    )
    if args.command == "up":
        return 0
    print("Stop with Ctrl-C.")
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        signal.sigwait({signal.SIGINT, signal.SIGTERM})
    finally:
        down(args.workdir)
        print("Stopped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
